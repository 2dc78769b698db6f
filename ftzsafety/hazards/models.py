"""Hazards (事故隐患): self-check lists, reports from every party, routing rules, the rectification loop and its
timeline, and in-app notifications.

Sources: 安全生产事故隐患排查治理暂行规定 (国家安全监管总局令第16号, 2007) — general and major hazards (第三条),
enterprises find and remove their own hazards (第八条, 第十条), major hazards listed for supervision (挂牌督办) and
accepted only after a check (第二十条 to 第二十三条); chemical-sector major-hazard criteria 安监总管三〔2017〕121号.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ftzsafety.accounts.choices import DepartmentCode
from ftzsafety.core.language import localised
from ftzsafety.core.models import SupervisedModel, TimeStampedModel
from ftzsafety.hazards.choices import (
    CheckResult,
    Escalation,
    HazardCategory,
    HazardEventKind,
    HazardLevel,
    HazardSource,
    HazardStatus,
    PhotoKind,
    SelfCheckStatus,
)
from ftzsafety.security.fields import EncryptedCharField

# --- self-check lists ------------------------------------------------------------------------------------------


class ChecklistTemplate(TimeStampedModel):
    """A self-check list for one kind of workplace, versioned: a new version is a new row with the same code, and a
    self-check keeps the version it was run against. Reference data (public), loaded by a data migration."""

    code = models.SlugField(_("code"), max_length=64)
    version = models.PositiveIntegerField(_("version"), default=1)
    title_zh = models.CharField(_("Chinese title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True, default="")
    industry_zh = models.CharField(_("industry (Chinese)"), max_length=200)
    industry_en = models.CharField(_("industry (English)"), max_length=200, blank=True, default="")
    # GB/T 4754-2017 sections the list suits, e.g. "F,G"; empty means any.
    industry_sections = models.CharField(_("industry sections"), max_length=40, blank=True, default="")
    is_active = models.BooleanField(_("current version"), default=True)

    class Meta:
        verbose_name = _("self-check list")
        verbose_name_plural = _("self-check lists")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="checklist_code_version_unique")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def title(self) -> str:
        return localised(self.title_zh, self.title_en)

    @property
    def industry(self) -> str:
        return localised(self.industry_zh, self.industry_en)


class ChecklistItem(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="items", verbose_name=_("self-check list")
    )
    position = models.PositiveIntegerField(_("position"))
    text_zh = models.TextField(_("Chinese text"))
    text_en = models.TextField(_("English text"), blank=True, default="")
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    photo_required = models.BooleanField(_("photo needed"), default=False)
    category = models.CharField(_("hazard category"), max_length=32, choices=HazardCategory.choices)
    level_if_failed = models.CharField(
        _("level when failed"), max_length=16, choices=HazardLevel.choices, default=HazardLevel.GENERAL
    )

    class Meta:
        verbose_name = _("self-check item")
        verbose_name_plural = _("self-check items")
        ordering = ["template", "position"]
        constraints = [models.UniqueConstraint(fields=["template", "position"], name="checklist_item_position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"

    @property
    def text(self) -> str:
        return localised(self.text_zh, self.text_en)


class SelfCheck(SupervisedModel):
    """One run of a self-check list by an enterprise (第十条: the unit checks for hazards itself)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.PROTECT, related_name="self_checks", verbose_name=_("self-check list")
    )
    status = models.CharField(_("status"), max_length=16, choices=SelfCheckStatus.choices, default="draft")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    authz_enterprise_path = "enterprise__organisation"

    class Meta:
        verbose_name = _("self-check")
        verbose_name_plural = _("self-checks")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.template.code} {self.created_at:%Y-%m-%d}"


class SelfCheckAnswer(models.Model):
    self_check = models.ForeignKey(SelfCheck, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=8, choices=CheckResult.choices)
    note = models.TextField(_("note"), blank=True, default="")
    hazard = models.OneToOneField(
        "Hazard", null=True, blank=True, on_delete=models.SET_NULL, related_name="self_check_answer"
    )

    class Meta:
        verbose_name = _("self-check answer")
        verbose_name_plural = _("self-check answers")
        ordering = ["self_check", "item__position"]
        constraints = [models.UniqueConstraint(fields=["self_check", "item"], name="self_check_answer_once")]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.result}"


# --- routing and deadlines (data) -----------------------------------------------------------------------------


class RoutingRule(TimeStampedModel):
    """Category, and optionally zone area and industry section → the responsible department. The most specific
    active rule wins (area and industry both set, then either, then category alone); no match → the zone
    administration's queue. Edited by the zone administration through `routing_rule_save` (audited)."""

    category = models.CharField(_("hazard category"), max_length=32, choices=HazardCategory.choices)
    area = models.ForeignKey(
        "enterprises.ZoneArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("zone area"),
    )
    industry_section = models.CharField(_("industry section"), max_length=1, blank=True, default="")
    # A department by its short code (ARCHITECTURE.md "Codes"), so the table can be seeded before any organisation
    # exists; a rule whose department is not set up yet routes to the zone administration's queue.
    department_code = models.CharField(_("responsible department"), max_length=16, choices=DepartmentCode.choices)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["category", "area_id", "industry_section", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "area", "industry_section"], name="routing_rule_unique_key", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"{self.category}/{self.area_id or '*'}/{self.industry_section or '*'} → {self.department_code}"

    @property
    def specificity(self) -> int:
        return (2 if self.area_id else 0) + (1 if self.industry_section else 0)


class RectificationPeriod(models.Model):
    """How long an enterprise has to rectify a hazard of each level, and when an overdue one goes to the zone
    administration. The zone's own policy, not a national figure: 第16号令 leaves the period to the supervising
    department (第二十条 for major hazards: a rectification plan with a deadline). Editable in the back office."""

    level = models.CharField(_("level"), max_length=16, choices=HazardLevel.choices, primary_key=True)
    days = models.PositiveIntegerField(_("days to rectify"))
    zone_escalation_days = models.PositiveIntegerField(
        _("days overdue before the zone administration is told"), default=3
    )

    class Meta:
        verbose_name = _("rectification period")
        verbose_name_plural = _("rectification periods")

    def __str__(self) -> str:
        return f"{self.level}: {self.days}"


# --- hazards ----------------------------------------------------------------------------------------------------


class Hazard(SupervisedModel):
    """A hazard report and its rectification. Owned by the responsible department; internal by default (the
    enterprise it concerns sees it too; the public does not)."""

    code = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=HazardSource.choices)
    category = models.CharField(_("category"), max_length=32, choices=HazardCategory.choices)
    level = models.CharField(_("level"), max_length=16, choices=HazardLevel.choices, default=HazardLevel.GENERAL)
    urgent = models.BooleanField(_("urgent"), default=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    area = models.ForeignKey(
        "enterprises.ZoneArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("zone area"),
    )
    location_text = models.CharField(_("location"), max_length=300, blank=True, default="")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=HazardStatus.choices, default=HazardStatus.REPORTED)
    department = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible department")
    )
    routing_rule = models.ForeignKey(RoutingRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # What decided the department, kept as data so the reason can be shown in either language:
    # {"matched": bool, "category": str, "area": str, "industry_section": str}
    routing_basis = models.JSONField(_("routing basis"), default=dict)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("officer"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A member of the public may leave a name and a phone number: personal information, stored encrypted.
    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reporter_name = EncryptedCharField(_("reporter's name"), max_length=100, blank=True, default="")
    reporter_phone = EncryptedCharField(_("reporter's phone"), max_length=20, blank=True, default="")
    deadline = models.DateTimeField(_("rectification deadline"), null=True, blank=True)
    listed_for_supervision = models.BooleanField(_("listed for supervision (挂牌督办)"), default=False)
    escalation = models.PositiveSmallIntegerField(_("escalation"), choices=Escalation.choices, default=0)
    overdue_since = models.DateTimeField(_("overdue since"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("rectification submitted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    authz_enterprise_path = "enterprise__organisation"
    sensitive_fields = {"reporter_name": "person_name", "reporter_phone": "phone"}

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status"], name="hazard_department_status"),
            models.Index(fields=["status", "deadline"], name="hazard_status_deadline"),
            models.Index(fields=["enterprise", "status"], name="hazard_enterprise_status"),
        ]
        permissions = [
            ("verify_hazard", "Can verify hazards and require rectification"),
            ("accept_rectification", "Can accept a rectification"),
            ("accept_major_rectification", "Can accept the rectification of a major hazard"),
            ("rectify_hazard", "Can submit a rectification"),
            ("manage_routing", "Can edit hazard routing rules"),
            ("run_self_check", "Can run a self-check"),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in {
            HazardStatus.REPORTED,
            HazardStatus.ASSIGNED,
            HazardStatus.RECTIFYING,
            HazardStatus.SUBMITTED,
        }


class HazardPhoto(models.Model):
    """A photo or evidence image. The stored bytes are what is served: metadata (EXIF, including GPS) stripped;
    the GPS position the camera recorded is kept here as data."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(_("kind"), max_length=16, choices=PhotoKind.choices)
    content = models.BinaryField(_("image"))
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sm3 = models.CharField(_("SM3 digest"), max_length=64)
    original_name = models.CharField(_("file name"), max_length=200, blank=True, default="")
    gps_latitude = models.FloatField(_("GPS latitude (from the photo)"), null=True, blank=True)
    gps_longitude = models.FloatField(_("GPS longitude (from the photo)"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hazard photo")
        verbose_name_plural = _("hazard photos")
        ordering = ["hazard", "id"]

    def __str__(self) -> str:
        return f"{self.hazard_id}:{self.kind}:{self.pk}"


class HazardEvent(models.Model):
    """The timeline, append-only: the hazard's state is its latest state-changing event."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=32, choices=HazardEventKind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True, default="")
    note = models.TextField(_("note"), blank=True, default="")
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("hazard event")
        verbose_name_plural = _("hazard events")
        ordering = ["hazard", "at", "id"]

    def __str__(self) -> str:
        return f"{self.hazard_id}:{self.kind}"


class Notification(models.Model):
    """An in-app notice to one person about a hazard. Text is rendered from `kind` in the reader's language."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    hazard = models.ForeignKey(Hazard, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("event"), max_length=32, choices=HazardEventKind.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.recipient_id}:{self.kind}"
