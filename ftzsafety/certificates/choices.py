from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("In force")
    REVOKED = "revoked", _("Revoked")


class CertificateEventKind(models.TextChoices):
    ISSUED = "issued", _("Issued")
    REVOKED = "revoked", _("Revoked")


class VerificationReason(models.TextChoices):
    """What a verification found. Only `valid` means the certificate may be relied on."""

    VALID = "valid", _("In force")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")
    NOT_YET_VALID = "not_yet_valid", _("Not yet valid")
    INVALID_SIGNATURE = "invalid_signature", _("Invalid signature")
    MALFORMED = "malformed", _("Malformed payload")
    UNKNOWN_KEY = "unknown_key", _("Unknown signing key")
    UNKNOWN_CERTIFICATE = "unknown_certificate", _("Unknown certificate")
