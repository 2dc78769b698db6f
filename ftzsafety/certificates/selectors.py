"""Reads: certificates scoped by `core.authz.visible_to` (owner enterprise and government users), and the public
verification of a QR payload, which answers from the payload's own signature and the certificate's status."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ftzsafety import audit
from ftzsafety.certificates import payload as codec
from ftzsafety.certificates.choices import CertificateStatus, VerificationReason
from ftzsafety.certificates.models import Certificate
from ftzsafety.certificates.verification import Verification, check_payload, reason_message
from ftzsafety.core import authz
from ftzsafety.core.errors import NotFound
from ftzsafety.security import keys


def _visible(actor: Any) -> QuerySet:
    return authz.visible_to(actor, Certificate.objects).select_related("enterprise").prefetch_related("lines")


def certificate_get(*, actor: Any, certificate_id: int) -> Certificate:
    """One certificate the actor may see, else NotFound (other enterprises, associations, the public)."""
    try:
        certificate = _visible(actor).get(pk=certificate_id)
    except (Certificate.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("E-certificate not found.")) from None
    audit.record_access(actor=actor, target=certificate)
    return certificate


def certificate_for_filing(*, actor: Any, filing_ref: str) -> Certificate | None:
    """The latest certificate issued for a filing that the actor may see, or None."""
    return _visible(actor).filter(filing_ref=str(filing_ref or "").strip()).order_by("-issued_at", "-id").first()


def certificate_list(*, actor: Any, status: str = "", query: str = "", enterprise_id: int | None = None) -> QuerySet:
    qs = _visible(actor)
    if status in CertificateStatus.values:
        qs = qs.filter(status=status)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    text = (query or "").strip()
    if text:
        from django.db.models import Q

        qs = qs.filter(
            Q(number__icontains=text)
            | Q(filing_ref__icontains=text)
            | Q(enterprise_uscc__icontains=text)
            | Q(enterprise__name_zh__icontains=text)
        )
    return qs


# --- verification -------------------------------------------------------------------------------------------------


def certificate_verify(*, payload: str, now: Any = None) -> Verification:
    """Public online verification (no sign-in): the signature against the zone's key named in the payload, the
    validity window, and the certificate's status in this zone's records (revocation)."""
    result, data = check_payload(payload, keys.signing_public_key, now=now)
    if data is None or result.reason in (VerificationReason.UNKNOWN_KEY,):
        return result
    # Public verification reads the one certificate the verified payload names; no viewer scoping applies.
    certificate = Certificate.objects.select_related("enterprise").filter(number=data.number).first()
    if (
        certificate is None
        or certificate.payload.rsplit(codec.SEPARATOR, 1)[0] != payload.strip().rsplit(codec.SEPARATOR, 1)[0]
    ):
        reason = VerificationReason.UNKNOWN_CERTIFICATE
        return Verification(False, reason, reason_message(reason), result.certificate)
    content = {
        **result.certificate,
        "enterprise_name": certificate.enterprise.name_zh,
        "enterprise_name_en": certificate.enterprise.name_en,
        "status": certificate.status,
        "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
        "revocation_reason": certificate.revocation_reason or None,
    }
    if certificate.status == CertificateStatus.REVOKED:
        reason = VerificationReason.REVOKED
        return Verification(False, reason, reason_message(reason), content)
    result.certificate = content
    return result
