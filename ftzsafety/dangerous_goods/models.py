"""Dangerous-goods reference data and major-hazard installations.

Reference tables (UN list, classes, GB 18218-2018 tables, the IMDG 7.2.4 matrix, the hazardous-chemicals catalogue)
are loaded from the files in `data/` (see `loading.py`) and edited only through `services` (admin included), each
change audited. Major-hazard units, their inventories and assessments are supervision data (SupervisedModel) about
one enterprise.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ftzsafety.core.language import localised
from ftzsafety.core.models import SupervisedModel
from ftzsafety.dangerous_goods.choices import LithiumChemistry, UnitKind, VariantSource


class ReferenceDataset(models.Model):
    """One loaded reference list: its edition and source, shown wherever its facts are shown."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title_zh = models.CharField(_("Chinese title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True, default="")
    edition = models.CharField(_("edition"), max_length=200)
    source = models.TextField(_("source"), blank=True, default="")
    note = models.TextField(_("note"), blank=True, default="")
    uncertain = models.BooleanField(
        _("contains uncertain values"), default=False, help_text=_("Some values are disputed; check before relying.")
    )
    files = models.JSONField(_("files"), default=list, blank=True)
    sha256 = models.CharField(_("SHA-256 of the files"), max_length=64, blank=True, default="")
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    loaded_at = models.DateTimeField(_("loaded at"), null=True, blank=True)
    loaded_by = models.CharField(_("loaded by"), max_length=150, blank=True, default="")
    edited_at = models.DateTimeField(_("last edited at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reference dataset")
        verbose_name_plural = _("reference datasets")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.title} ({self.edition})"

    @property
    def title(self) -> str:
        return localised(self.title_zh, self.title_en)


class HazardClass(models.Model):
    """A class or division of the UN Model Regulations (GB 6944-2012)."""

    dataset_code = "dg_classes"

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    class_number = models.CharField(_("class"), max_length=2)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True, default="")
    hazardous_chemical_by_class = models.BooleanField(
        _("hazardous chemical by class"),
        default=False,
        help_text=_("Used until a hazardous-chemicals catalogue is imported."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("dangerous-goods class")
        verbose_name_plural = _("dangerous-goods classes")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)


class DangerousGood(models.Model):
    """One UN number: GB 12268-2025 (Chinese name, classification) joined with 49 CFR 172.101 (English name,
    special provisions; the international `I` variant preferred)."""

    dataset_code = "gb12268"

    un_number = models.CharField(_("UN number"), max_length=6, unique=True)
    name_zh = models.TextField(_("Chinese name"), blank=True, default="")
    name_en = models.TextField(_("English name"), blank=True, default="")
    hazard_class = models.CharField(_("class or division"), max_length=8, blank=True, default="")
    subsidiary_hazards = models.JSONField(_("subsidiary hazards"), default=list, blank=True)
    packing_groups = models.JSONField(_("packing groups"), default=list, blank=True)
    special_provisions = models.JSONField(_("special provisions"), default=list, blank=True)
    is_lithium_battery = models.BooleanField(_("lithium battery"), default=False)
    lithium_chemistry = models.CharField(
        _("lithium chemistry"), max_length=16, choices=LithiumChemistry.choices, blank=True, default=""
    )
    in_gb12268 = models.BooleanField(_("in GB 12268"), default=False)
    in_hmt = models.BooleanField(_("in 49 CFR 172.101"), default=False)
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("dangerous good")
        verbose_name_plural = _("dangerous goods")
        ordering = ["un_number"]

    def __str__(self) -> str:
        return f"{self.un_number} {self.name}"

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)


class DangerousGoodVariant(models.Model):
    """One row of a source list for a UN number (names and classification per packing group or variant)."""

    good = models.ForeignKey(DangerousGood, on_delete=models.CASCADE, related_name="variants")
    source = models.CharField(_("source"), max_length=16, choices=VariantSource.choices)
    position = models.PositiveIntegerField(_("row in the source file"))
    name = models.TextField(_("name"))
    hazard_class = models.CharField(_("class or division"), max_length=16, blank=True, default="")
    subsidiary_hazards = models.JSONField(_("subsidiary hazards"), default=list, blank=True)
    packing_group = models.CharField(_("packing group"), max_length=3, blank=True, default="")
    special_provisions = models.JSONField(_("special provisions"), default=list, blank=True)
    symbols = models.JSONField(_("symbols"), default=list, blank=True)
    preferred = models.BooleanField(_("preferred variant"), default=False)

    class Meta:
        verbose_name = _("source row")
        verbose_name_plural = _("source rows")
        ordering = ["good", "source", "position"]

    def __str__(self) -> str:
        return f"{self.good_id} {self.source} {self.name[:60]}"


class NamedSubstance(models.Model):
    """GB 18218-2018 Table 1: a named hazardous chemical and its critical quantity Q (tonnes); β from Table 3 for
    the named toxic gases."""

    dataset_code = "gb18218_table1"

    position = models.PositiveSmallIntegerField(_("row number"), unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200, unique=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    extra_aliases = models.JSONField(
        _("further names"), default=list, blank=True, help_text=_("Names this project matches besides Table 1's.")
    )
    cas_numbers = models.JSONField(_("CAS numbers"), default=list, blank=True)
    critical_quantity_t = models.DecimalField(_("critical quantity (t)"), max_digits=12, decimal_places=4)
    beta = models.DecimalField(
        _("correction factor β (Table 3)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    beta_uncertain = models.BooleanField(_("β uncertain"), default=False)
    beta_note = models.TextField(_("β note"), blank=True, default="")
    note = models.TextField(_("note"), blank=True, default="")

    class Meta:
        verbose_name = _("GB 18218 named substance")
        verbose_name_plural = _("GB 18218 named substances")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name_zh


class NamedSubstanceUN(models.Model):
    """A UN number that designates a Table 1 substance (curated: data/gb18218-2018-table1-links.csv)."""

    substance = models.ForeignKey(NamedSubstance, on_delete=models.CASCADE, related_name="un_links")
    un_number = models.CharField(_("UN number"), max_length=6, unique=True)

    class Meta:
        verbose_name = _("UN number of a named substance")
        verbose_name_plural = _("UN numbers of named substances")
        ordering = ["un_number"]

    def __str__(self) -> str:
        return f"{self.un_number} → {self.substance_id}"


class HazardCategory(models.Model):
    """GB 18218-2018 Table 2 (critical quantity by hazard category) with its Table 4 correction factor β."""

    dataset_code = "gb18218_table2"

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    group = models.CharField(_("group"), max_length=1)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True, default="")
    critical_quantity_t = models.DecimalField(_("critical quantity (t)"), max_digits=12, decimal_places=4)
    beta = models.DecimalField(_("correction factor β"), max_digits=6, decimal_places=2)
    uncertain = models.BooleanField(_("uncertain"), default=False)
    note = models.TextField(_("note"), blank=True, default="")
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("GB 18218 hazard category")
        verbose_name_plural = _("GB 18218 hazard categories")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)


class AlphaBand(models.Model):
    """GB 18218-2018 Table 5: α by the number of people within 500 m of the site boundary."""

    dataset_code = "gb18218_alpha"

    min_people = models.PositiveIntegerField(_("from (people)"), unique=True)
    max_people = models.PositiveIntegerField(_("to (people)"), null=True, blank=True)
    alpha = models.DecimalField(_("α"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("exposed-population factor α")
        verbose_name_plural = _("exposed-population factors α")
        ordering = ["min_people"]

    def __str__(self) -> str:
        upper = "" if self.max_people is None else self.max_people
        return f"{self.min_people}–{upper}: {self.alpha}"


class GradeBand(models.Model):
    """GB 18218-2018 Table 6: grade by R (lower bound inclusive, upper bound exclusive)."""

    dataset_code = "gb18218_alpha"

    grade = models.PositiveSmallIntegerField(_("grade"), unique=True)
    min_r = models.DecimalField(_("R from"), max_digits=12, decimal_places=2, null=True, blank=True)
    max_r = models.DecimalField(_("R below"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("major-hazard grade")
        verbose_name_plural = _("major-hazard grades")
        ordering = ["grade"]

    def __str__(self) -> str:
        return f"{self.grade}: [{self.min_r}, {self.max_r})"


class SegregationCode(models.Model):
    """A code of the IMDG Code 7.2.4 segregation table, with its strictness rank (X lowest)."""

    dataset_code = "imdg_segregation"

    code = models.CharField(_("code"), max_length=1, primary_key=True)
    rank = models.PositiveSmallIntegerField(_("strictness"), unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200)
    meaning_zh = models.TextField(_("Chinese meaning"))
    meaning_en = models.TextField(_("English meaning"))

    class Meta:
        verbose_name = _("segregation code")
        verbose_name_plural = _("segregation codes")
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.code} {localised(self.name_zh, self.name_en)}"


class SegregationCell(models.Model):
    """One cell of the IMDG Code 7.2.4 table between two class groups (e.g. "1.1/1.2/1.5" and "3"). Symmetric:
    the services keep (a, b) and (b, a) equal."""

    dataset_code = "imdg_segregation"

    row = models.CharField(_("row"), max_length=16)
    column = models.CharField(_("column"), max_length=16)
    row_order = models.PositiveSmallIntegerField(_("row order"))
    column_order = models.PositiveSmallIntegerField(_("column order"))
    code = models.ForeignKey(SegregationCode, on_delete=models.PROTECT, related_name="+", verbose_name=_("code"))
    uncertain = models.BooleanField(_("uncertain"), default=False)
    note = models.TextField(_("note"), blank=True, default="")

    class Meta:
        verbose_name = _("segregation table cell")
        verbose_name_plural = _("segregation table cells")
        ordering = ["row_order", "column_order"]
        constraints = [models.UniqueConstraint(fields=["row", "column"], name="dg_segregation_cell_unique")]

    def __str__(self) -> str:
        return f"{self.row} × {self.column}: {self.code_id}"


class HazardousChemical(models.Model):
    """An entry of China's 危险化学品目录, imported by an administrator from the official spreadsheet."""

    dataset_code = "hazardous_chemicals"

    entry_no = models.PositiveIntegerField(_("entry number"), unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=300)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    cas_numbers = models.JSONField(_("CAS numbers"), default=list, blank=True)
    # "|7664-41-7|…|": what a CAS lookup matches, on every database (JSON containment differs between them).
    cas_text = models.TextField(_("CAS numbers (search)"), blank=True, default="", editable=False)
    is_highly_toxic = models.BooleanField(_("highly toxic (剧毒)"), default=False)
    note = models.TextField(_("note"), blank=True, default="")

    class Meta:
        verbose_name = _("hazardous-chemicals catalogue entry")
        verbose_name_plural = _("hazardous-chemicals catalogue")
        ordering = ["entry_no"]

    def __str__(self) -> str:
        return f"{self.entry_no} {self.name_zh}"


class MajorHazardUnit(SupervisedModel):
    """A production or storage unit of an enterprise (GB 18218-2018 §3.2–3.3), its inventory and the number of
    people within 500 m of the site boundary; `is_major` and `grade` are the latest assessment's."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="major_hazard_units",
        verbose_name=_("enterprise"),
    )
    code = models.CharField(_("unit code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    description = models.TextField(_("description"), blank=True, default="")
    exposed_population = models.PositiveIntegerField(_("people within 500 m"))
    is_major = models.BooleanField(_("major-hazard installation"), null=True, blank=True)
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    last_assessed_at = models.DateTimeField(_("last assessed at"), null=True, blank=True)

    authz_enterprise_path = "enterprise__organisation"

    class Meta:
        verbose_name = _("hazardous-chemicals unit")
        verbose_name_plural = _("hazardous-chemicals units")
        ordering = ["enterprise", "code"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "code"], name="dg_unit_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class UnitInventory(SupervisedModel):
    """The maximum quantity of one substance (Table 1) or hazard category (Table 2) present in a unit."""

    unit = models.ForeignKey(MajorHazardUnit, on_delete=models.CASCADE, related_name="inventories")
    position = models.PositiveSmallIntegerField(_("line"))
    label = models.CharField(_("substance as entered"), max_length=200, blank=True, default="")
    substance = models.ForeignKey(
        NamedSubstance, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("substance")
    )
    category = models.ForeignKey(
        HazardCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    quantity_t = models.DecimalField(_("maximum quantity (t)"), max_digits=20, decimal_places=6)

    authz_enterprise_path = "unit__enterprise__organisation"

    class Meta:
        verbose_name = _("inventory line")
        verbose_name_plural = _("inventory lines")
        ordering = ["unit", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(substance__isnull=False) | models.Q(category__isnull=False),
                name="dg_inventory_substance_or_category",
            ),
            models.CheckConstraint(condition=models.Q(quantity_t__gt=0), name="dg_inventory_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.label or self.substance or self.category}: {self.quantity_t} t"


class MajorHazardAssessment(SupervisedModel):
    """One identification and grading of a unit (GB 18218-2018 §4), stored with its inputs and its result."""

    unit = models.ForeignKey(MajorHazardUnit, on_delete=models.CASCADE, related_name="assessments")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    inputs = models.JSONField(_("inputs"))
    result = models.JSONField(_("result"))
    s_value = models.DecimalField(_("S"), max_digits=24, decimal_places=6)
    r_value = models.DecimalField(_("R"), max_digits=24, decimal_places=6, null=True, blank=True)
    alpha = models.DecimalField(_("α"), max_digits=6, decimal_places=2)
    is_major = models.BooleanField(_("major-hazard installation"))
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    previous_grade = models.PositiveSmallIntegerField(_("previous grade"), null=True, blank=True)
    grade_changed = models.BooleanField(_("grade changed"), default=False)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    authz_enterprise_path = "enterprise__organisation"

    class Meta:
        verbose_name = _("major-hazard assessment")
        verbose_name_plural = _("major-hazard assessments")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit_id} S={self.s_value} grade={self.grade}"
