"""Credit grading tables: events, versioned policies, grades and their history, objections and repairs,
peer zones and the records recognised from them (PRODUCT.md P3.1, P1.4).

Other apps never touch these tables: they emit events through `credit.services.credit_event_record` and read
grades and measures through `credit.selectors`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ftzsafety.core.language import localised
from ftzsafety.core.models import Classification, SupervisedModel, TimeStampedModel
from ftzsafety.credit.choices import (
    ApplicationEventKind,
    ApplicationKind,
    ApplicationStatus,
    CertificateType,
    EventKind,
    EventStatus,
    Grade,
)


class CreditPolicy(models.Model):
    """One version of the scoring policy: weights, decay, thresholds, overrides and the measures per grade.

    Versions are never edited: a change is a new version (the highest version is in force). The rules are
    validated by `credit.policies.validate_rules` before a version is stored.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    rules = models.JSONField(_("rules"))
    note = models.TextField(_("reason for the change"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("credit policy")
        verbose_name_plural = _("credit policies")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"


class PeerZone(TimeStampedModel):
    """A neighbouring zone whose signed credit records this zone recognises (信用互认), with its SM2 public key."""

    zone_id = models.SlugField(_("zone id"), max_length=64, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True, default="")
    public_key_pem = models.TextField(_("SM2 public key (PEM)"))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("peer zone")
        verbose_name_plural = _("peer zones")
        ordering = ["zone_id"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)


class CreditEvent(SupervisedModel):
    """Something the system knows about an enterprise that counts for its grade: a fact with a date, the module
    and record it came from, and evidence. Idempotent on (source_module, source_ref, kind)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+", verbose_name=_("enterprise")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=EventKind.choices)
    occurred_on = models.DateField(_("occurred on"))
    source_module = models.CharField(_("source module"), max_length=64)
    source_ref = models.CharField(_("source record"), max_length=200)
    evidence_url = models.CharField(_("evidence link"), max_length=500, blank=True, default="")
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    certificate_type = models.CharField(
        _("certificate type"), max_length=16, choices=CertificateType.choices, blank=True, default=""
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=EventStatus.choices, default=EventStatus.ACTIVE)
    recognised_from = models.ForeignKey(
        PeerZone,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("recognised from"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    authz_enterprise_path = "enterprise__organisation"

    class Meta:
        verbose_name = _("credit event")
        verbose_name_plural = _("credit events")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source_module", "source_ref", "kind"], name="credit_event_source_unique"),
        ]
        indexes = [models.Index(fields=["enterprise", "occurred_on"], name="credit_event_enterprise")]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_on}"


class CreditGrade(SupervisedModel):
    """The enterprise's grade in force: computed by `credit.services` from its events under a policy version
    on the date `as_of` (the explanation is recomputed from the same three inputs and adds up to `score`)."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+", verbose_name=_("enterprise")
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    policy = models.ForeignKey(CreditPolicy, on_delete=models.PROTECT, related_name="+", verbose_name=_("policy"))
    as_of = models.DateField(_("as of"))
    overrides = models.JSONField(_("overrides applied"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    authz_enterprise_path = "enterprise__organisation"

    class Meta:
        verbose_name = _("credit grade")
        verbose_name_plural = _("credit grades")
        indexes = [models.Index(fields=["grade"], name="credit_grade_grade")]

    def __str__(self) -> str:
        return f"{self.enterprise_id}:{self.grade}"


class CreditGradeChange(SupervisedModel):
    """Append-only history: one row each time an enterprise's grade changes (or is first computed)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+", verbose_name=_("enterprise")
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    previous_grade = models.CharField(_("previous grade"), max_length=1, blank=True, default="")
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)
    policy_version = models.PositiveIntegerField(_("policy version"))
    reason = models.CharField(_("reason"), max_length=200, blank=True, default="")
    changed_at = models.DateTimeField(_("changed at"))

    authz_enterprise_path = "enterprise__organisation"

    class Meta:
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "changed_at"], name="credit_change_enterprise")]

    def __str__(self) -> str:
        return f"{self.enterprise_id}:{self.grade}"


class CreditApplication(SupervisedModel):
    """An objection to an event (异议) or an application for credit repair (信用修复) after rectification.

    Decided by the zone administration within 20 days, with reasons (海关 objections are reviewed within 20 days;
    REFERENCE.md; 国办发〔2020〕49号 on objections and repair). State = latest `CreditApplicationEvent`."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+", verbose_name=_("enterprise")
    )
    event = models.ForeignKey(CreditEvent, on_delete=models.PROTECT, related_name="applications")
    kind = models.CharField(_("kind"), max_length=16, choices=ApplicationKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    reason = models.TextField(_("reason"))
    evidence_url = models.CharField(_("evidence link"), max_length=500, blank=True, default="")
    due_on = models.DateField(_("decision due on"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(_("reasons for the decision"), blank=True, default="")

    authz_enterprise_path = "enterprise__organisation"

    class Meta:
        verbose_name = _("credit objection or repair")
        verbose_name_plural = _("credit objections and repairs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}:{self.event_id}"


class CreditApplicationEvent(models.Model):
    """Append-only log of an application's workflow."""

    application = models.ForeignKey(CreditApplication, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=ApplicationEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(_("note"), blank=True, default="")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.kind}"


class RecognisedRecord(SupervisedModel):
    """A peer zone's signed credit record of an enterprise, verified and imported (信用互认). The document is
    kept exactly as received so the signature can be checked again."""

    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, default=Classification.INTERNAL
    )
    peer_zone = models.ForeignKey(PeerZone, on_delete=models.PROTECT, related_name="records")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+", verbose_name=_("enterprise")
    )
    peer_grade = models.CharField(_("grade in the peer zone"), max_length=1, choices=Grade.choices)
    peer_score = models.DecimalField(_("score in the peer zone"), max_digits=7, decimal_places=2)
    peer_policy_version = models.PositiveIntegerField(_("peer policy version"))
    exported_at = models.DateTimeField(_("exported at"))
    document = models.TextField(_("signed document"))
    document_sm3 = models.CharField(_("SM3 of the document"), max_length=64, unique=True)

    authz_enterprise_path = "enterprise__organisation"

    class Meta:
        verbose_name = _("recognised credit record")
        verbose_name_plural = _("recognised credit records")
        ordering = ["-exported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.peer_zone_id}:{self.enterprise_id}"
