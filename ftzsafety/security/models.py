"""Access requests, their approval chain and timeline, and the grants they become.

Confidential data is readable only by its owning organisation or with a live grant (数据安全法 第二十七条,
第三十条; GB/T 22239-2019 §8.1.4.2 access control by the security administrator; PRODUCT.md P5). A grant covers
either a whole dataset of one owning organisation (a model, e.g. customs' declarations) or one record, and names
which declared sensitive fields it clears of masking.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ftzsafety.core.models import TimeStampedModel
from ftzsafety.security.choices import AccessEventKind, AccessRequestStatus, ApproverKind, StepStatus


class AppendOnlyError(Exception):
    pass


class _Scope(models.Model):
    """What a request or grant is about: a dataset (model + owning organisation), or one record of it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("dataset"))
    object_id = models.PositiveBigIntegerField(
        _("record id"), null=True, blank=True, help_text=_("Empty: every record of the dataset that the owner owns.")
    )
    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("owning organisation")
    )
    fields = models.JSONField(_("fields"), default=list, blank=True)
    purpose = models.TextField(_("purpose"))
    valid_until = models.DateField(_("valid until"))

    class Meta:
        abstract = True

    @property
    def dataset(self) -> str:
        """The model label, e.g. "enterprises.enterprise"."""
        return f"{self.content_type.app_label}.{self.content_type.model}"

    @property
    def dataset_name(self) -> str:
        model = self.content_type.model_class()
        return str(model._meta.verbose_name_plural) if model else self.dataset

    @property
    def is_record(self) -> bool:
        return self.object_id is not None


class AccessRequest(_Scope, TimeStampedModel):
    """Who asks for which data, why and until when. State = the latest AccessRequestEvent; `status` mirrors it."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_requests", verbose_name=_("requester")
    )
    requester_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("requester's organisation")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "owner"], name="accessrequest_status_owner")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.dataset} ({self.requester})"

    @property
    def is_expired(self) -> bool:
        """A pending request whose requested period has already ended can no longer be approved."""
        return self.status == AccessRequestStatus.PENDING and self.valid_until < timezone.localdate()


class AccessRequestStep(models.Model):
    """One step of a request's approval chain, resolved at submission to a role in an organisation."""

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    approver_kind = models.CharField(_("approver"), max_length=32, choices=ApproverKind.choices)
    approver_role = models.CharField(_("approver role"), max_length=32)
    approver_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approver's organisation"),
        help_text=_("Empty: anyone holding the role (the security administrators)."),
    )
    status = models.CharField(_("status"), max_length=16, choices=StepStatus.choices, default=StepStatus.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, default="")

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["request", "position"]
        constraints = [models.UniqueConstraint(fields=["request", "position"], name="accessrequeststep_position")]
        indexes = [models.Index(fields=["status", "approver_role"], name="accessrequeststep_queue")]

    def __str__(self) -> str:
        return f"{self.request_id}/{self.position} {self.approver_kind} {self.status}"


class AccessRequestEventQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("access request events cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("access request events cannot be deleted")


class AccessRequestEvent(models.Model):
    """The append-only timeline of a request and of the grant it became."""

    request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=16, choices=AccessEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    step = models.ForeignKey(AccessRequestStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True, default="")
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    objects = AccessRequestEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("access request event")
        verbose_name_plural = _("access request events")
        ordering = ["request", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnlyError("access request events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("access request events cannot be deleted")


class GrantQuerySet(models.QuerySet):
    def live(self) -> "GrantQuerySet":
        """Not revoked, started, and not past its last day (valid_until is inclusive, in the zone's time zone)."""
        return self.filter(
            revoked_at__isnull=True, valid_from__lte=timezone.now(), valid_until__gte=timezone.localdate()
        )


class Grant(_Scope):
    """Permission for one person to read confidential data, issued by the last approval of an AccessRequest."""

    request = models.OneToOneField(
        AccessRequest, on_delete=models.PROTECT, related_name="grant", verbose_name=_("access request")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_grants", verbose_name=_("holder")
    )
    valid_from = models.DateTimeField(_("valid from"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    reason = models.TextField(_("reason for revocation"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        ordering = ["-valid_from", "-id"]
        indexes = [models.Index(fields=["user", "content_type", "valid_until"], name="grant_user_dataset")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.dataset} → {self.user}"

    @property
    def is_live(self) -> bool:
        return (
            self.revoked_at is None and self.valid_from <= timezone.now() and self.valid_until >= timezone.localdate()
        )

    @property
    def is_expired(self) -> bool:
        return self.revoked_at is None and self.valid_until < timezone.localdate()


class ApprovalChainRule(models.Model):
    """One step of a configured approval chain. Rules for a dataset replace the default rules (no dataset);
    with no rules at all the chain is `choices.DEFAULT_CHAIN`."""

    content_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("dataset"),
        help_text=_("Empty: the default chain for every dataset."),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    approver_kind = models.CharField(_("approver"), max_length=32, choices=ApproverKind.choices)

    class Meta:
        verbose_name = _("approval chain rule")
        verbose_name_plural = _("approval chain rules")
        ordering = ["content_type", "position"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "position"], name="approvalchainrule_position"),
            models.UniqueConstraint(
                fields=["position"], condition=models.Q(content_type__isnull=True), name="approvalchainrule_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type or '*'} {self.position}: {self.approver_kind}"
