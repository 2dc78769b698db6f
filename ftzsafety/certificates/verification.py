"""Checking a payload's signature and validity window without the database: shared by the online verification
(`selectors.certificate_verify`, which adds revocation) and the offline command `ftzsafety cert_verify`."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ftzsafety.certificates import payload as codec
from ftzsafety.certificates.choices import VerificationReason
from ftzsafety.security import keys


@dataclass
class Verification:
    valid: bool
    reason: str
    message: str
    certificate: dict = field(default_factory=dict)
    revocation_checked: bool = True

    def as_dict(self) -> dict:
        return {
            "valid": self.valid,
            "reason": self.reason,
            "message": self.message,
            "revocation_checked": self.revocation_checked,
            "certificate": self.certificate,
        }


REASON_MESSAGES = {
    VerificationReason.VALID: lambda: _("The certificate is genuine and valid."),
    VerificationReason.REVOKED: lambda: _("The certificate is genuine but was revoked."),
    VerificationReason.EXPIRED: lambda: _("The certificate is genuine but its validity has ended."),
    VerificationReason.NOT_YET_VALID: lambda: _("The certificate is genuine but not valid yet."),
    VerificationReason.INVALID_SIGNATURE: lambda: _(
        "The signature does not match the content: the payload was altered or was not issued by this zone."
    ),
    VerificationReason.MALFORMED: lambda: _("This is not a well-formed e-certificate payload."),
    VerificationReason.UNKNOWN_KEY: lambda: _(
        "The payload names a signing key this zone has never had: it was not issued here."
    ),
    VerificationReason.UNKNOWN_CERTIFICATE: lambda: _(
        "The signature is valid but this zone has no record of the certificate."
    ),
}


def reason_message(reason: str) -> str:
    return str(REASON_MESSAGES[VerificationReason(reason)]())


def check_payload(
    payload: str, public_key_for: Callable[[str], bytes | str], *, now: datetime | None = None
) -> tuple[Verification, codec.CertificateData | None]:
    """Signature and validity window only (no database): shared by the online check and the offline command.

    `public_key_for(key_id)` returns the PEM or raises `keys.UnknownKey`. Returns (verification, parsed data)."""
    text = (payload or "").strip()
    try:
        data, signed, signature = codec.parse(text)
    except codec.PayloadError as exc:
        reason = VerificationReason.MALFORMED
        return Verification(False, reason, f"{reason_message(reason)} ({exc})"), None
    try:
        public_pem = public_key_for(data.key_id)
    except keys.UnknownKey:
        reason = VerificationReason.UNKNOWN_KEY
        return Verification(False, reason, reason_message(reason) + f" ({data.key_id})"), data
    if not codec.verify_signature(signed, signature, public_pem):
        reason = VerificationReason.INVALID_SIGNATURE
        return Verification(False, reason, reason_message(reason)), None
    now = now or timezone.now()
    content = data.as_dict()
    if now >= data.valid_until:
        reason = VerificationReason.EXPIRED
    elif now < data.valid_from:
        reason = VerificationReason.NOT_YET_VALID
    else:
        reason = VerificationReason.VALID
    return Verification(reason == VerificationReason.VALID, reason, reason_message(reason), content), data
