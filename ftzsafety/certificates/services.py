"""Writes: issue a signed e-certificate for an approved filing, revoke one with a reason.

Every write locks what it changes, appends a `CertificateEvent` and an audit record in the same transaction."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ftzsafety import audit
from ftzsafety.certificates import payload as codec
from ftzsafety.certificates import policies
from ftzsafety.certificates.choices import CertificateEventKind, CertificateStatus
from ftzsafety.certificates.models import Certificate, CertificateEvent, CertificateLine
from ftzsafety.core import authz
from ftzsafety.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ftzsafety.security import keys

MAX_REASON = 2000
MAX_TITLE = 200
DEFAULT_ISSUER = "FTZ-ADMIN"


def issuer_code() -> str:
    """The issuing authority's code signed into every payload (`CERTIFICATE_ISSUER` setting)."""
    return getattr(settings, "CERTIFICATE_ISSUER", DEFAULT_ISSUER)


def _snapshot(certificate: Certificate) -> dict[str, Any]:
    return {
        "number": certificate.number,
        "filing_ref": certificate.filing_ref,
        "enterprise_uscc": certificate.enterprise_uscc,
        "status": certificate.status,
        "valid_from": certificate.valid_from,
        "valid_until": certificate.valid_until,
        "key_id": certificate.key_id,
    }


def _clean(
    *, filing_ref: str, lines: list, valid_from: datetime, valid_until: datetime, title: str
) -> tuple[str, tuple[codec.Line, ...], datetime, datetime, str]:
    errors: dict[str, list[str]] = {}
    ref = str(filing_ref or "").strip()
    if not codec.FILING_RE.match(ref.upper()):
        errors["filing_ref"] = [
            _("The filing reference must be 1–40 letters, digits, dots or hyphens (e.g. DG-2026-000123).")
        ]
    merged: tuple[codec.Line, ...] = ()
    try:
        merged = codec.merge_lines(list(lines or []))
    except ValueError as exc:
        errors["lines"] = [
            _("Goods lines: %(problem)s. Expected (UN number, quantity > 0, unit in %(units)s).")
            % {"problem": exc, "units": ", ".join(codec.UNITS)}
        ]
    start = end = None
    try:
        start = codec.minute(valid_from)
    except (ValueError, AttributeError, TypeError):
        errors["valid_from"] = [_("A date and time with a time zone is expected.")]
    try:
        end = codec.minute(valid_until)
    except (ValueError, AttributeError, TypeError):
        errors["valid_until"] = [_("A date and time with a time zone is expected.")]
    if start and end and end <= start:
        errors["valid_until"] = [_("The end of validity must be after its start.")]
    text = str(title or "").strip()
    if len(text) > MAX_TITLE:
        errors["title"] = [_("At most %(n)d characters.") % {"n": MAX_TITLE}]
    if errors:
        raise ValidationFailed.for_fields(errors)
    return ref, merged, start, end, text  # type: ignore[return-value]


@transaction.atomic
def certificate_issue(
    *,
    actor: Any,
    filing_ref: str,
    enterprise: Any,
    lines: list[tuple[str, Decimal, str]],
    valid_from: datetime,
    valid_until: datetime,
    title: str = "",
) -> Certificate:
    """Issue the e-certificate of an approved filing: store it, sign its canonical payload with the zone's SM2 key
    (GB/T 32918.2-2016, signer ID per GM/T 0009-2012) and record `certificates.certificate.issue`.

    Goods lines of the same UN number and unit are added up. A payload that would exceed 500 bytes (about 20 lines)
    is refused with a ValidationFailed on `lines`; nothing is written."""
    if not policies.can_issue(actor):
        raise PermissionDenied(
            _("Only the government people who decide filing reviews may issue e-certificates."),
            extra={"permission": policies.ISSUE_PERMISSION},
        )
    ref, merged, start, end, text = _clean(
        filing_ref=filing_ref, lines=lines, valid_from=valid_from, valid_until=valid_until, title=title
    )
    uscc = getattr(enterprise, "uscc", "")
    if not codec.USCC_RE.match(uscc or ""):
        raise ValidationFailed.for_fields(
            {"enterprise": [_("The enterprise has no valid unified social credit code to certify.")]}
        )
    key_id, private_pem = keys.zone_signing_key()
    certificate = Certificate.objects.create(
        owner_id=actor.organisation_id,
        created_by=actor,
        filing_ref=ref,
        enterprise=enterprise,
        enterprise_uscc=uscc,
        title=text,
        valid_from=start,
        valid_until=end,
        issuer=issuer_code(),
        key_id=key_id,
        issued_by=actor,
        is_demo=bool(getattr(enterprise, "is_demo", False)),  # a demo enterprise's certificate is demo data
    )
    certificate.number = f"EC{timezone.now():%Y}{certificate.pk:06d}"
    data = codec.CertificateData(
        number=certificate.number,
        filing_ref=ref.upper(),
        uscc=uscc,
        lines=merged,
        valid_from=start,
        valid_until=end,
        issuer=certificate.issuer,
        key_id=key_id,
    )
    size = codec.size_estimate(data)
    if size > codec.MAX_PAYLOAD_BYTES:
        raise ValidationFailed.for_fields(
            {
                "lines": [
                    _(
                        "The signed QR payload would be %(size)d bytes; at most %(max)d fit. %(count)d goods lines "
                        "(after adding up lines of the same UN number and unit) are too many: split the filing."
                    )
                    % {"size": size, "max": codec.MAX_PAYLOAD_BYTES, "count": len(merged)}
                ]
            }
        )
    certificate.payload = codec.sign(data, private_pem)
    certificate.save(update_fields=["number", "payload", "updated_at"])
    CertificateLine.objects.bulk_create(
        CertificateLine(
            certificate=certificate, position=i, un_number=line.un_number, quantity=line.quantity, unit=line.unit
        )
        for i, line in enumerate(merged, start=1)
    )
    CertificateEvent.objects.create(certificate=certificate, kind=CertificateEventKind.ISSUED, actor=actor)
    audit.record(
        actor=actor,
        action="certificates.certificate.issue",
        target=certificate,
        after={**_snapshot(certificate), "lines": len(merged), "payload_bytes": len(certificate.payload)},
    )
    return certificate


@transaction.atomic
def certificate_revoke(*, actor: Any, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a valid certificate with a reason (行政许可法 第七十条: the issuing authority withdraws the licence);
    verification answers "revoked" from then on. Revoking twice is an InvalidTransition."""
    # Lock only the certificate row: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    locked = (
        authz.visible_to(actor, Certificate.objects).select_for_update(of=("self",)).filter(pk=certificate.pk).first()
    )
    if locked is None:
        raise NotFound(_("E-certificate not found."))
    if not policies.can_revoke(actor, locked):
        raise PermissionDenied(
            _("Only department heads and the command centre may revoke e-certificates."),
            extra={"permission": policies.REVOKE_PERMISSION},
        )
    text = str(reason or "").strip()
    if not text:
        raise ValidationFailed.for_fields({"reason": [_("Say why the certificate is revoked.")]})
    if len(text) > MAX_REASON:
        raise ValidationFailed.for_fields({"reason": [_("At most %(n)d characters.") % {"n": MAX_REASON}]})
    if locked.status != CertificateStatus.VALID:
        raise InvalidTransition(_("This certificate is already revoked."))
    before = _snapshot(locked)
    locked.status = CertificateStatus.REVOKED
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.revocation_reason = text
    locked.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason", "updated_at"])
    CertificateEvent.objects.create(certificate=locked, kind=CertificateEventKind.REVOKED, actor=actor, note=text)
    audit.record(
        actor=actor,
        action="certificates.certificate.revoke",
        target=locked,
        before=before,
        after={**_snapshot(locked), "reason": text},
    )
    certificate.refresh_from_db()
    return locked
