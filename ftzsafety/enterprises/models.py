"""The enterprise registry (一企一档, first slice): enterprises, zone areas, industry classes, responsible persons."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ftzsafety.core.language import localised
from ftzsafety.core.models import Classification, SupervisedModel, TimeStampedModel
from ftzsafety.enterprises.choices import AreaKind, ContactRole, IndustrySection, OrganisationForm
from ftzsafety.security.fields import EncryptedCharField


class ZoneArea(TimeStampedModel):
    """An area of the zone (port area, bonded park …) with its boundary as a GeoJSON Polygon (WGS 84)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=32, choices=AreaKind.choices)
    boundary = models.JSONField(_("boundary (GeoJSON)"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("zone area")
        verbose_name_plural = _("zone areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)


class IndustryClass(models.Model):
    """A class (小类) of GB/T 4754-2017. The shipped list is the subset the zone uses; more can be added
    in the admin (data file: enterprises/data/gb4754-2017-classes.csv)."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    section = models.CharField(_("section"), max_length=1, choices=IndustrySection.choices)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("industry class")
        verbose_name_plural = _("industry classes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)


class Enterprise(SupervisedModel):
    """An enterprise in the zone, keyed by its unified social credit code (GB 32100-2015).

    Registry facts (name, code, form, address, scope) are public under the enterprise information
    publicity rules (企业信息公示暂行条例), hence the default classification.
    """

    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, default=Classification.PUBLIC
    )
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    uscc_check_override = models.BooleanField(
        _("check character override"),
        default=False,
        help_text=_("Set when a code issued with a failing check character was accepted by an audited override."),
    )
    name_zh = models.CharField(_("Chinese name"), max_length=200, db_index=True)
    name_en = models.CharField(_("English name"), max_length=300, blank=True, default="")
    organisation_form = models.CharField(_("organisation form"), max_length=32, choices=OrganisationForm.choices)
    foreign_invested = models.BooleanField(_("foreign-invested"), default=False)
    investor_country = CountryField(_("investor country"), blank=True, default="")
    industry_section = models.CharField(_("industry section"), max_length=1, choices=IndustrySection.choices)
    industry_class = models.ForeignKey(
        IndustryClass,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("industry class"),
    )
    area = models.ForeignKey(
        ZoneArea,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name=_("zone area"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True, default="")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    business_scope = models.TextField(_("business scope"), blank=True, default="")
    organisation = models.OneToOneField(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprise",
        verbose_name=_("account organisation"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    authz_enterprise_path = "organisation"

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name_zh"]
        indexes = [
            models.Index(fields=["area", "industry_section"], name="enterprise_area_industry"),
            models.Index(fields=["foreign_invested"], name="enterprise_foreign"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(foreign_invested=True) | models.Q(investor_country=""),
                name="enterprise_investor_country_only_if_foreign",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)


class EnterpriseContact(SupervisedModel):
    """A responsible person of an enterprise: legal representative, principal, safety manager, emergency contact.

    Personal information (个人信息保护法 第二十八条, 第五十一条): confidential, owned by emergency management (which
    keeps the principal persons' records), names, ID numbers and phones stored SM4-GCM encrypted and masked for
    anyone without a grant.
    """

    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, default=Classification.CONFIDENTIAL
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("enterprise")
    )
    role = models.CharField(_("role"), max_length=32, choices=ContactRole.choices)
    name = EncryptedCharField(_("name"), max_length=100)
    resident_id = EncryptedCharField(_("resident ID number"), max_length=18, blank=True, default="")
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True, default="")
    is_demo = models.BooleanField(_("demo data"), default=False)

    authz_enterprise_path = "enterprise__organisation"
    sensitive_fields = {"name": "person_name", "resident_id": "resident_id", "phone": "phone"}

    class Meta:
        verbose_name = _("responsible person")
        verbose_name_plural = _("responsible persons")
        ordering = ["enterprise_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "role"], name="enterprise_contact_one_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}:{self.role}"


class EnterpriseSearchDocument(models.Model):
    """The search words of an enterprise (jieba tokens of its names and business scope), indexed by the database's
    full-text index (enterprises.search). Derived from the registry row and rebuilt by `ftzsafety search_reindex`;
    it holds no supervision data of its own, and every search result is filtered through the enterprise's own
    visibility, so it carries no classification."""

    enterprise = models.OneToOneField(
        Enterprise, primary_key=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("enterprise")
    )
    document = models.TextField(_("search words"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise search document")
        verbose_name_plural = _("enterprise search documents")

    def __str__(self) -> str:
        return str(self.enterprise_id)
