"""The append-only, SM3 hash-chained audit trail (PRODUCT.md P5.4; GB/T 22239-2019 §8.1.4.3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ftzsafety.core.models import Classification

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    pass


class AuditRecordQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("audit records cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit records cannot be deleted")


class Outcome(models.TextChoices):
    OK = "ok", _("Succeeded")
    DENIED = "denied", _("Denied")
    FAILED = "failed", _("Failed")


class AuditRecord(models.Model):
    """One event. Actor and target are snapshots (ids and names as text), never foreign keys, so that
    deleting a user or a row can neither cascade into nor silently rewrite the trail.

    hash = SM3(prev_hash ‖ canonical JSON of the record) — see `ftzsafety.audit.chain`.
    """

    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True, default="")
    organisation_code = models.CharField(_("organisation"), max_length=64, blank=True, default="")
    ip = models.CharField(_("IP address"), max_length=45, blank=True, default="")
    request_id = models.CharField(_("request id"), max_length=32, blank=True, default="")
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True, default="")
    target_id = models.CharField(_("target id"), max_length=100, blank=True, default="", db_index=True)
    target_repr = models.CharField(_("target"), max_length=300, blank=True, default="")
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.OK)
    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, default=Classification.INTERNAL
    )
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.actor_username} {self.outcome}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError("audit records cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit records cannot be deleted")


class _AppendOnlyModel(models.Model):
    """Rows written once and never changed or deleted from the application (the database refuses too: see
    `ftzsafety.audit.db_guard`)."""

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name} rows cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self._meta.verbose_name} rows cannot be deleted")


class AuditCheckpoint(_AppendOnlyModel):
    """The chain head at one moment, signed with the zone's SM2 key (GB/T 32918.2-2016; GB/T 39786-2021 §8.4 on
    the integrity of audit records). Exported as a file, it lets another department check offline that the
    trail up to `record_id` is the one this zone signed — see `ftzsafety.audit.checkpoints`."""

    record_id = models.BigIntegerField(_("last record"))
    head_hash = models.CharField(_("chain head hash"), max_length=64)
    count = models.BigIntegerField(_("records since the start of the trail"))
    signed_at = models.DateTimeField(_("signed at"))
    key_id = models.CharField(_("signing key"), max_length=64)
    payload = models.TextField(_("signed payload"))
    signature = models.TextField(_("SM2 signature (base64, DER)"))
    created_by = models.CharField(_("made by"), max_length=150, blank=True, default="")

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"checkpoint #{self.pk} → record #{self.record_id} {self.head_hash[:12]}"


class AuditAnchor(_AppendOnlyModel):
    """Where the trail starts after a purge: the last purged record's id and hash, so that the remaining chain
    still verifies from here (GB/T 22239-2019 §8.1.4.3 c: keep audit records at least six months)."""

    record_id = models.BigIntegerField(_("last purged record"))
    record_hash = models.CharField(_("hash of the last purged record"), max_length=64)
    count = models.BigIntegerField(_("records up to and including it, since the start of the trail"))
    purged_count = models.BigIntegerField(_("records purged"))
    purged_before = models.DateTimeField(_("purged records before"))
    created_at = models.DateTimeField(_("purged at"))
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True, default="")

    class Meta:
        verbose_name = _("audit anchor")
        verbose_name_plural = _("audit anchors")
        ordering = ["-record_id"]

    def __str__(self) -> str:
        return f"anchor → record #{self.record_id} {self.record_hash[:12]}"


class AuditChainHead(models.Model):
    """A single row holding the latest hash. Locking it serialises appends, so the chain has no forks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    last_record_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"head → #{self.last_record_id} {self.last_hash[:12]}"
