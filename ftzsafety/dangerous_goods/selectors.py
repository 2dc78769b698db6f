"""Reads of the dangerous-goods reference lists and of enterprises' major-hazard units.

Every read starts from `core.authz.visible_to`: the reference lists are open to everyone signed in (a scope rule
registered below); units, inventories and assessments are supervision data (SupervisedModel) about an enterprise.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from ftzsafety.core import authz
from ftzsafety.core.errors import NotFound, ValidationFailed
from ftzsafety.dangerous_goods import policies
from ftzsafety.dangerous_goods.identifiers import (
    class_division,
    class_number,
    fold,
    looks_like_cas,
    match_key,
    parse_cas,
    parse_un_number,
)
from ftzsafety.dangerous_goods.models import (
    AlphaBand,
    DangerousGood,
    DangerousGoodVariant,
    GradeBand,
    HazardCategory,
    HazardClass,
    HazardousChemical,
    MajorHazardAssessment,
    MajorHazardUnit,
    NamedSubstance,
    NamedSubstanceUN,
    ReferenceDataset,
    SegregationCell,
    SegregationCode,
    UnitInventory,
)
from ftzsafety.dangerous_goods.segregation import SegregationTable

REFERENCE_MODELS = (
    ReferenceDataset,
    HazardClass,
    DangerousGood,
    DangerousGoodVariant,
    NamedSubstance,
    NamedSubstanceUN,
    HazardCategory,
    AlphaBand,
    GradeBand,
    SegregationCode,
    SegregationCell,
    HazardousChemical,
)


def _reference_scope(actor: Any, qs: QuerySet) -> QuerySet:
    """Published standards and regulations: readable by everyone signed in, platform administrators included."""
    return qs if policies.can_view_reference(actor) else qs.none()


for _model in REFERENCE_MODELS:
    authz.register_scope(_model)(_reference_scope)


# --- the UN list -------------------------------------------------------------------------------------------------


def _un_number_or_422(raw: str, field_name: str = "un_number") -> str:
    try:
        return parse_un_number(raw)
    except ValueError as problem:
        raise ValidationFailed.for_fields({field_name: [str(problem)]}) from None


def dangerous_good_get(*, actor: Any, un_number: str) -> DangerousGood:
    """One entry by UN number (`1017`, `UN1017`, `un 1017`). Malformed: ValidationFailed (422); unknown: NotFound."""
    number = _un_number_or_422(un_number)
    qs = authz.visible_to(actor, DangerousGood.objects.prefetch_related("variants"))
    good = qs.filter(un_number=number).first()
    if good is None:
        raise NotFound(
            _("%(number)s is not in the dangerous-goods list (GB 12268-2025 / 49 CFR 172.101).") % {"number": number},
            extra={"un_number": number},
        )
    return good


def dangerous_goods_by_number(*, actor: Any, un_numbers: list[str]) -> dict[str, DangerousGood]:
    """Entries for already-normalised UN numbers, in one query (for segregation and filings)."""
    qs = authz.visible_to(actor, DangerousGood.objects.all()) if actor is not None else DangerousGood.objects.all()
    return {g.un_number: g for g in qs.filter(un_number__in=set(un_numbers))}


def dangerous_good_search(*, actor: Any, q: str) -> QuerySet[DangerousGood]:
    """Entries whose number, Chinese or English name (any source row), GB 18218 name, alias or CAS matches `q`.

    A UN number finds that entry; a CAS number finds the entries linked to its Table 1 substance; text matches
    every word of `q` (full-width characters folded, case ignored). Exact matches sort first."""
    qs = authz.visible_to(actor, DangerousGood.objects.all())
    text = fold(q)
    if not text:
        return qs.none()
    try:
        number = parse_un_number(q)
    except ValueError:
        number = ""
    if number:
        return qs.filter(un_number=number)
    if looks_like_cas(q):
        try:
            cas = parse_cas(q)
        except ValueError:
            cas = ""
        if cas:
            return qs.filter(search_text__contains=cas).order_by("un_number")
    match = Q()
    for word in text.split(" "):
        match &= Q(search_text__contains=word)
    rank = Case(
        When(Q(name_zh=q.strip()) | Q(name_en__iexact=q.strip()), then=Value(0)),
        When(Q(name_zh__startswith=q.strip()) | Q(name_en__istartswith=q.strip()), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.filter(match).annotate(rank=rank).order_by("rank", "un_number")


def is_lithium_battery(un_number: str) -> bool:
    """UN3090, UN3091, UN3480, UN3481 (data: lithium-batteries.csv). For warnings (PRODUCT.md P4.1)."""
    try:
        number = parse_un_number(un_number)
    except ValueError:
        return False
    return DangerousGood.objects.filter(un_number=number, is_lithium_battery=True).exists()


def lithium_battery_un_numbers() -> frozenset[str]:
    return frozenset(DangerousGood.objects.filter(is_lithium_battery=True).values_list("un_number", flat=True))


def hazard_class_list(*, actor: Any) -> QuerySet[HazardClass]:
    return authz.visible_to(actor, HazardClass.objects.all())


def hazard_class_names(*, actor: Any) -> dict[str, HazardClass]:
    return {c.code: c for c in hazard_class_list(actor=actor)}


def reference_dataset_list(*, actor: Any) -> QuerySet[ReferenceDataset]:
    return authz.visible_to(actor, ReferenceDataset.objects.all())


def _named_substance_for(number: str) -> NamedSubstance | None:
    link = NamedSubstanceUN.objects.select_related("substance").filter(un_number=number).first()
    return link.substance if link else None


def hazardous_chemical_status(good: DangerousGood, substance: NamedSubstance | None) -> dict[str, Any]:
    """Is the entry a hazardous chemical (危险化学品)? By the imported catalogue when one matches (name, alias or CAS);
    otherwise by REFERENCE.md's interim rule: classes 2, 3, 4, 5, 6.1 and 8, and class 9 where GB 18218 names it."""
    names = {good.name_zh} | ({substance.name_zh, *substance.aliases} if substance else set())
    cas_numbers = set(substance.cas_numbers) if substance else set()
    if HazardousChemical.objects.exists():
        match = Q(name_zh__in=[n for n in names if n])
        for cas in cas_numbers:
            match |= Q(cas_text__contains=f"|{cas}|")
        entry = HazardousChemical.objects.filter(match).order_by("entry_no").first()
        if entry is not None:
            return {
                "value": True,
                "basis": "catalogue",
                "entry_no": entry.entry_no,
                "highly_toxic": entry.is_highly_toxic,
            }
    hazard_class = HazardClass.objects.filter(code=_class_key(good.hazard_class)).first()
    by_class = bool(hazard_class and hazard_class.hazardous_chemical_by_class)
    if class_number(good.hazard_class) == "9" and substance is not None:
        by_class = True
    return {"value": by_class, "basis": "class_rule", "entry_no": None, "highly_toxic": None}


def _class_key(hazard_class: str) -> str:
    return class_division(hazard_class)


def _substance_dict(substance: NamedSubstance) -> dict[str, Any]:
    return {
        "table1_row": substance.position,
        "name_zh": substance.name_zh,
        "aliases": [*substance.aliases, *substance.extra_aliases],
        "cas_numbers": substance.cas_numbers,
        "critical_quantity_t": float(substance.critical_quantity_t),
        "beta": float(substance.beta) if substance.beta is not None else None,
        "beta_uncertain": substance.beta_uncertain,
        "note": substance.note,
        "edition": "GB 18218-2018",
    }


def dangerous_good_detail(*, actor: Any, un_number: str) -> dict[str, Any]:
    """Everything the lookup answers for one UN number: names, classes (with their names), packing groups, special
    provisions, the lithium flag, the GB 18218 Table 1 row (or null), the hazardous-chemical status, source rows
    and the editions of the lists the answer came from."""
    good = dangerous_good_get(actor=actor, un_number=un_number)
    classes = hazard_class_names(actor=actor)
    substance = _named_substance_for(good.un_number)
    datasets = {d.code: d for d in reference_dataset_list(actor=actor)}

    def class_info(code: str) -> dict[str, str]:
        entry = classes.get(_class_key(code)) or classes.get(class_number(code))
        return {"code": code, "name_zh": entry.name_zh if entry else "", "name_en": entry.name_en if entry else ""}

    sources = []
    for code, present in (("gb12268", good.in_gb12268), ("hmt", good.in_hmt), ("lithium", good.is_lithium_battery)):
        if present and code in datasets:
            sources.append({"code": code, "title": datasets[code].title, "edition": datasets[code].edition})
    if substance is not None and "gb18218_table1" in datasets:
        d = datasets["gb18218_table1"]
        sources.append({"code": d.code, "title": d.title, "edition": d.edition})
    return {
        "good": good,
        "un_number": good.un_number,
        "name_zh": good.name_zh,
        "name_en": good.name_en,
        "hazard_class": good.hazard_class,
        "hazard_class_info": class_info(good.hazard_class) if good.hazard_class else None,
        "subsidiary_hazards": good.subsidiary_hazards,
        "subsidiary_hazard_info": [class_info(c) for c in good.subsidiary_hazards],
        "packing_groups": good.packing_groups,
        "special_provisions": good.special_provisions,
        "is_lithium_battery": good.is_lithium_battery,
        "lithium_chemistry": good.lithium_chemistry,
        "gb18218": _substance_dict(substance) if substance else None,
        "hazardous_chemical": hazardous_chemical_status(good, substance),
        "variants": [
            {
                "source": v.source,
                "name": v.name,
                "hazard_class": v.hazard_class,
                "subsidiary_hazards": v.subsidiary_hazards,
                "packing_group": v.packing_group,
                "special_provisions": v.special_provisions,
                "symbols": v.symbols,
                "preferred": v.preferred,
            }
            for v in good.variants.all()
        ],
        "sources": sources,
    }


# --- GB 18218 and IMDG tables -------------------------------------------------------------------------------------


def named_substance_list(*, actor: Any, q: str = "") -> QuerySet[NamedSubstance]:
    """Table 1 rows; `q` matches a name, alias or CAS number (ignoring width, case and spaces)."""
    qs = authz.visible_to(actor, NamedSubstance.objects.prefetch_related("un_links"))
    key = match_key(q)
    if key:
        # 85 rows; JSON lists are matched in Python because SQLite stores them \u-escaped.
        ids = [
            s.pk
            for s in NamedSubstance.objects.only("id", "name_zh", "aliases", "extra_aliases", "cas_numbers")
            if any(key in match_key(v) for v in [s.name_zh, *s.aliases, *s.extra_aliases, *s.cas_numbers])
        ]
        qs = qs.filter(pk__in=ids)
    return qs.order_by("position")


def hazard_category_list(*, actor: Any) -> QuerySet[HazardCategory]:
    return authz.visible_to(actor, HazardCategory.objects.all())


def alpha_band_list(*, actor: Any) -> QuerySet[AlphaBand]:
    return authz.visible_to(actor, AlphaBand.objects.order_by("-min_people"))


def grade_band_list(*, actor: Any) -> QuerySet[GradeBand]:
    return authz.visible_to(actor, GradeBand.objects.all())


def segregation_table(*, actor: Any) -> SegregationTable:
    if not policies.can_view_reference(actor):
        raise NotFound(_("Not found."))
    return SegregationTable.load()


def segregation_code_list(*, actor: Any) -> QuerySet[SegregationCode]:
    return authz.visible_to(actor, SegregationCode.objects.all())


# --- major-hazard units -----------------------------------------------------------------------------------------


def _units_queryset(actor: Any) -> QuerySet[MajorHazardUnit]:
    inventories = authz.visible_to(actor, UnitInventory.objects.select_related("substance", "category")).order_by(
        "position"
    )
    return authz.visible_to(actor, MajorHazardUnit.objects.select_related("enterprise")).prefetch_related(
        Prefetch("inventories", queryset=inventories)
    )


def major_hazard_unit_list(*, actor: Any, enterprise: Any) -> list[MajorHazardUnit]:
    """The enterprise's units visible to the actor, each with its inventory and `latest_assessment` (3 queries)."""
    units = list(_units_queryset(actor).filter(enterprise=enterprise).order_by("code", "id"))
    latest: dict[int, MajorHazardAssessment] = {}
    assessments = authz.visible_to(actor, MajorHazardAssessment.objects.filter(unit__in=units)).order_by(
        "unit_id", "-created_at", "-id"
    )
    for assessment in assessments.only(
        "id", "unit_id", "created_at", "result", "grade", "is_major", "s_value", "r_value", "alpha"
    ):
        latest.setdefault(assessment.unit_id, assessment)
    for unit in units:
        unit.latest_assessment = latest.get(unit.pk)
    return units


def major_hazard_unit_get(*, actor: Any, unit_id: int) -> MajorHazardUnit:
    unit = authz.get_visible(actor, _units_queryset(actor), pk=unit_id)
    unit.latest_assessment = (
        authz.visible_to(actor, MajorHazardAssessment.objects.filter(unit=unit)).order_by("-created_at", "-id").first()
    )
    return unit


def major_hazard_assessment_list(*, actor: Any, unit: MajorHazardUnit) -> QuerySet[MajorHazardAssessment]:
    return (
        authz.visible_to(actor, MajorHazardAssessment.objects.filter(unit=unit))
        .select_related("assessed_by")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class EnterpriseMajorHazards:
    """What the enterprise profile shows (fragment dangerous_goods/_enterprise_major_hazards.html)."""

    enterprise: Any
    units: list[MajorHazardUnit]
    major_count: int
    highest_grade: int | None
    assessed_count: int
    can_manage: bool


def enterprise_major_hazard_summary(*, actor: Any, enterprise: Any) -> EnterpriseMajorHazards:
    """The enterprise's units with their latest grade, for its profile page. `enterprise` is one the actor may see
    (from enterprises.selectors.enterprise_get)."""
    units = major_hazard_unit_list(actor=actor, enterprise=enterprise)
    grades = [u.grade for u in units if u.is_major and u.grade]
    return EnterpriseMajorHazards(
        enterprise=enterprise,
        units=units,
        major_count=sum(1 for u in units if u.is_major),
        highest_grade=min(grades) if grades else None,  # grade 1 is the most dangerous
        assessed_count=sum(1 for u in units if u.last_assessed_at),
        can_manage=policies.can_manage_units(actor, enterprise),
    )
