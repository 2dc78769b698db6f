"""E-certificates (电子证照) issued when a filing is approved, their goods lines and their append-only events.

A certificate refers to its filing by reference string only (no foreign key), so the filings and certificates
apps migrate independently. The signed QR payload is stored as issued; see `payload.py` for its format.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ftzsafety.certificates.choices import CertificateEventKind, CertificateStatus
from ftzsafety.core.models import Classification, SupervisedModel


class Certificate(SupervisedModel):
    """A dangerous-goods e-certificate signed with the zone's SM2 key (GB/T 32918.2-2016; 电子证照 GB/T 36901-2018).

    Internal: the owning enterprise and government users see it; the public sees only what a verification of its
    QR payload answers."""

    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, default=Classification.INTERNAL
    )
    number = models.CharField(_("certificate number"), max_length=24, unique=True, null=True, blank=True)
    filing_ref = models.CharField(_("filing reference"), max_length=40, db_index=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    enterprise_uscc = models.CharField(_("unified social credit code"), max_length=18)
    title = models.CharField(_("title"), max_length=200, blank=True, default="")
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"))
    issuer = models.CharField(_("issuer"), max_length=24)
    key_id = models.CharField(_("signing key"), max_length=32)
    payload = models.TextField(_("signed payload"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("revocation reason"), blank=True, default="")
    is_demo = models.BooleanField(_("demo data"), default=False)

    authz_enterprise_path = "enterprise__organisation"

    class Meta:
        verbose_name = _("e-certificate")
        verbose_name_plural = _("e-certificates")
        ordering = ["-issued_at", "-id"]
        permissions = [("revoke_certificate", "Can revoke e-certificates")]
        indexes = [models.Index(fields=["enterprise", "status"], name="certificate_enterprise_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("valid_from")), name="certificate_window"
            )
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.valid_until


class CertificateLine(models.Model):
    """One UN number and its total quantity in one unit, as signed into the payload."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="lines", verbose_name=_("certificate")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    un_number = models.CharField(_("UN number"), max_length=6)
    quantity = models.DecimalField(_("quantity"), max_digits=15, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=8)

    class Meta:
        verbose_name = _("certificate line")
        verbose_name_plural = _("certificate lines")
        ordering = ["certificate", "position"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "position"], name="certificate_line_position"),
        ]

    def __str__(self) -> str:
        return f"{self.un_number} {self.quantity} {self.unit}"


class CertificateEvent(models.Model):
    """Append-only timeline of a certificate: issued, revoked."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="events", verbose_name=_("certificate")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CertificateEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True, default="")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.certificate} {self.kind}"
