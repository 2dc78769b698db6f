"""Filings: types and their review rules (data), destinations in the zone, the filings themselves with their
attachments, pre-review findings, one review per department, and the append-only event timeline.

PRODUCT.md P2.1, P3.2 (一次填报、多部门联审), P3.4 (提前24小时线上备案).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ftzsafety.accounts.choices import DepartmentCode
from ftzsafety.core.language import localised
from ftzsafety.core.models import SupervisedModel, TimeStampedModel
from ftzsafety.filings.choices import (
    AttachmentKind,
    DestinationKind,
    EventKind,
    FilingStatus,
    ReviewStatus,
    RuleCondition,
    Severity,
)


class FilingType(TimeStampedModel):
    """A kind of filing the enterprise portal offers. Its form is code (`filings.kinds`); the departments that
    review it are its ReviewRules."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True, default="")
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("filing type")
        verbose_name_plural = _("filing types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_zh

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)


class ReviewRule(TimeStampedModel):
    """ "Department D reviews filings of type T when condition C holds, within H hours." Kept by the zone
    administration (admin; saves go through `services.review_rule_save`, audited)."""

    filing_type = models.ForeignKey(
        FilingType, on_delete=models.CASCADE, related_name="rules", verbose_name=_("filing type")
    )
    department = models.CharField(_("department"), max_length=16, choices=DepartmentCode.choices)
    condition = models.CharField(_("condition"), max_length=32, choices=RuleCondition.choices)
    deadline_hours = models.PositiveIntegerField(_("review deadline (hours)"), default=24)
    is_active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("source"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("review rule")
        verbose_name_plural = _("review rules")
        ordering = ["filing_type", "department", "condition"]
        constraints = [
            models.UniqueConstraint(fields=["filing_type", "department", "condition"], name="review_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.filing_type.code}: {self.department} ({self.condition})"


class Destination(TimeStampedModel):
    """A yard or warehouse in the zone that receives dangerous goods, with the classes it is approved for.
    `storage_name` is its name in the park storage inventories dataset (exchange), for its current stock."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=16, choices=DestinationKind.choices)
    area_code = models.CharField(_("zone area"), max_length=32, blank=True, default="")
    accepted_classes = models.JSONField(
        _("accepted classes"), default=list, blank=True, help_text=_("Classes or divisions, e.g. 3, 5.1, 8.")
    )
    storage_name = models.CharField(_("name in storage inventories"), max_length=100, blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("destination")
        verbose_name_plural = _("destinations")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_zh

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)


class Filing(SupervisedModel):
    """One filing by an enterprise. `form` holds the type's fields as validated by `filings.kinds`; state is
    `status`, and the timeline is FilingEvent (append-only)."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    filing_type = models.ForeignKey(
        FilingType, on_delete=models.PROTECT, related_name="filings", verbose_name=_("filing type")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="filings", verbose_name=_("enterprise")
    )
    status = models.CharField(_("status"), max_length=20, choices=FilingStatus.choices, default=FilingStatus.DRAFT)
    form = models.JSONField(_("form"), default=dict, blank=True)
    contact_name = models.CharField(_("24-hour emergency contact"), max_length=100, blank=True, default="")
    contact_phone = models.CharField(_("24-hour emergency phone"), max_length=40, blank=True, default="")
    priority = models.SmallIntegerField(_("priority (lower goes first)"), default=3)
    fast_lane = models.BooleanField(_("fast lane"), default=False)
    credit_grade = models.CharField(_("credit grade at submission"), max_length=2, blank=True, default="")
    prereview_round = models.PositiveIntegerField(_("pre-review rounds"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_started_at = models.DateTimeField(_("review started at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    false_filing = models.BooleanField(_("false filing established"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    authz_enterprise_path = "enterprise__organisation"
    sensitive_fields = {"contact_name": "person_name", "contact_phone": "phone"}

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("file_filing", _("Can file and correct the enterprise's filings")),
            ("review_filing", _("Can decide the department's reviews of filings")),
            ("revoke_filing", _("Can revoke an approved filing")),
            ("establish_false_filing", _("Can establish a false filing")),
        ]
        indexes = [
            models.Index(fields=["status", "filing_type"], name="filing_status_type"),
            models.Index(fields=["review_started_at"], name="filing_review_started"),
        ]

    def __str__(self) -> str:
        return self.reference


class FilingAttachment(SupervisedModel):
    """An uploaded document of a filing: an SDS (per UN number) with its recognised sections, a licence scan, a
    curriculum. The bytes are kept with their SM3 digest (core.uploads)."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("filing"))
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices)
    un_number = models.CharField(_("UN number"), max_length=6, blank=True, default="")
    name = models.CharField(_("file name"), max_length=160)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sm3 = models.CharField(_("SM3 digest"), max_length=64)
    content = models.BinaryField(_("content"), editable=False)
    text = models.TextField(_("extracted text"), blank=True, default="")
    sections = models.JSONField(_("SDS sections recognised"), default=list, blank=True)
    document_ref = models.CharField(_("document reference"), max_length=64, blank=True, default="")

    authz_enterprise_path = "filing__enterprise__organisation"

    class Meta:
        verbose_name = _("filing attachment")
        verbose_name_plural = _("filing attachments")
        ordering = ["filing", "kind", "un_number", "id"]

    def __str__(self) -> str:
        return self.name


class PreReviewFinding(models.Model):
    """One result of the automatic pre-review of one submission round (PRODUCT.md P3.4)."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="findings", verbose_name=_("filing"))
    round = models.PositiveIntegerField(_("round"))
    rule_id = models.CharField(_("rule"), max_length=32)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    field = models.CharField(_("field"), max_length=60, blank=True, default="")
    message_zh = models.TextField(_("message (Chinese)"))
    message_en = models.TextField(_("message (English)"))
    source = models.CharField(_("source"), max_length=300)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("pre-review finding")
        verbose_name_plural = _("pre-review findings")
        ordering = ["filing", "round", "-severity", "id"]

    def __str__(self) -> str:
        return f"{self.rule_id} ({self.severity})"

    @property
    def message(self) -> str:
        return localised(self.message_zh, self.message_en)


class DepartmentReview(models.Model):
    """One department's review of one filing. The clock runs from `started_at`; a request for information pauses
    it (`paused_at`, accumulated in `paused_seconds`) and moves `deadline_at` on by the pause."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("filing"))
    department = models.CharField(_("department"), max_length=16, choices=DepartmentCode.choices)
    status = models.CharField(_("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    priority = models.SmallIntegerField(_("priority (lower goes first)"), default=3)
    reason = models.CharField(_("why this department reviews"), max_length=32, choices=RuleCondition.choices)
    started_at = models.DateTimeField(_("started at"))
    deadline_at = models.DateTimeField(_("deadline"))
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(_("paused (seconds)"), default=0)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    opinion = models.TextField(_("opinion"), blank=True, default="")
    info_request = models.TextField(_("information requested"), blank=True, default="")
    info_response = models.TextField(_("information provided"), blank=True, default="")

    class Meta:
        verbose_name = _("department review")
        verbose_name_plural = _("department reviews")
        ordering = ["priority", "deadline_at", "id"]
        constraints = [models.UniqueConstraint(fields=["filing", "department"], name="review_one_per_department")]
        indexes = [models.Index(fields=["department", "status", "deadline_at"], name="review_queue")]

    def __str__(self) -> str:
        return f"{self.filing.reference} · {self.department}"

    @property
    def is_open(self) -> bool:
        return self.status in (ReviewStatus.PENDING, ReviewStatus.INFO_REQUESTED)

    @property
    def is_overdue(self) -> bool:
        """Open and past its deadline (a paused clock is not overdue: the enterprise is answering)."""
        from django.utils import timezone

        return self.status == ReviewStatus.PENDING and self.deadline_at < timezone.now()

    @property
    def review_seconds(self) -> int | None:
        """Time from the start of review to the decision, with the enterprise's time answering excluded."""
        if self.decided_at is None:
            return None
        return max(0, int((self.decided_at - self.started_at).total_seconds()) - self.paused_seconds)


class FilingEvent(models.Model):
    """The timeline of a filing. Append-only: rows are created by services, never changed."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="events", verbose_name=_("filing"))
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.CharField(
        _("department"), max_length=16, choices=DepartmentCode.choices, blank=True, default=""
    )
    status = models.CharField(_("status after"), max_length=20, choices=FilingStatus.choices)
    note = models.TextField(_("note"), blank=True, default="")
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("filing event")
        verbose_name_plural = _("filing events")
        ordering = ["filing", "at", "id"]

    def __str__(self) -> str:
        return f"{self.filing_id} {self.kind}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("filing events are append-only")
        super().save(*args, **kwargs)
