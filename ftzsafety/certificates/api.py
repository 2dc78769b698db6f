"""`/api/v1/certificates`: public verification and the zone's public key (no sign-in), and the certificates a
signed-in user may see, with revocation for those allowed."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from ftzsafety.certificates import ratelimit, selectors, services
from ftzsafety.certificates.payload import format_quantity
from ftzsafety.certificates.schemas import CertificateListOut, CertificateOut, RevokeIn, VerifyIn, VerifyOut
from ftzsafety.core.errors import ValidationFailed
from ftzsafety.security import keys

router = Router(tags=["certificates"])

MAX_LIMIT = 100


def certificate_out(certificate: Any) -> dict:
    return {
        "id": certificate.pk,
        "number": certificate.number or "",
        "filing_ref": certificate.filing_ref,
        "enterprise_id": certificate.enterprise_id,
        "enterprise_uscc": certificate.enterprise_uscc,
        "enterprise_name": certificate.enterprise.name,
        "title": certificate.title,
        "status": certificate.status,
        "valid_from": certificate.valid_from,
        "valid_until": certificate.valid_until,
        "issuer": certificate.issuer,
        "key_id": certificate.key_id,
        "issued_at": certificate.issued_at,
        "revoked_at": certificate.revoked_at,
        "revocation_reason": certificate.revocation_reason,
        "payload": certificate.payload,
        "lines": [
            {"un_number": line.un_number, "quantity": format_quantity(line.quantity), "unit": line.unit}
            for line in certificate.lines.all()
        ],
        "page_url": reverse("certificates:detail", args=[certificate.pk]),
        "pdf_url": reverse("certificates:pdf", args=[certificate.pk]),
    }


def _rate_limited(request: HttpRequest) -> HttpResponse:
    from ftzsafety.api import error_response

    response = error_response(
        request,
        429,
        "rate_limited",
        _("Too many verifications from this address; try again in %(seconds)d seconds.")
        % {"seconds": ratelimit.retry_after(request)},
    )
    response["Retry-After"] = str(ratelimit.retry_after(request))
    return response


@router.post("/verify", auth=None, response={200: VerifyOut}, summary="Verify a certificate's QR payload")
def verify(request: HttpRequest, body: VerifyIn) -> Any:
    """No sign-in. Checks the SM2 signature, the validity window and revocation; `valid` is true only when all
    pass. `reason` is one of valid, revoked, expired, not_yet_valid, invalid_signature, malformed, unknown_key,
    unknown_certificate."""
    if not ratelimit.allow(request):
        return _rate_limited(request)
    if not body.payload.strip():
        raise ValidationFailed.for_fields(
            {"payload": [_("The payload is required: the text of the certificate's QR code (FTZC1/…).")]}
        )
    return selectors.certificate_verify(payload=body.payload).as_dict()


@router.get("/public-key", auth=None, summary="The zone's SM2 public key (PEM) for offline verification")
def public_key(request: HttpRequest, key_id: str = "") -> HttpResponse:
    """The current signing key's PEM, or the one named by `key_id` (a key this zone had before a rotation)."""
    from ftzsafety.core.errors import NotFound

    try:
        current_id, pem = keys.zone_public_key() if not key_id else (key_id, keys.signing_public_key(key_id))
    except keys.UnknownKey:
        raise NotFound(_("No signing key %(key)s in this zone.") % {"key": key_id[:40]}) from None
    response = HttpResponse(pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = f'attachment; filename="{current_id}.pem"'
    response["X-Key-Id"] = current_id
    return response


class ListFilters(Schema):
    status: str = ""
    q: str = ""
    limit: int = 50
    offset: int = 0


@router.get("", response=CertificateListOut, summary="Certificates the caller may see")
def certificate_list(request: HttpRequest, filters: Query[ListFilters]) -> Any:
    qs = selectors.certificate_list(actor=request.user, status=filters.status, query=filters.q)
    limit = max(1, min(filters.limit, MAX_LIMIT))
    offset = max(0, filters.offset)
    return {"items": [certificate_out(c) for c in qs[offset : offset + limit]], "count": qs.count()}


@router.get("/{int:certificate_id}", response=CertificateOut, summary="One certificate")
def certificate_detail(request: HttpRequest, certificate_id: int) -> Any:
    return certificate_out(selectors.certificate_get(actor=request.user, certificate_id=certificate_id))


@router.post("/{int:certificate_id}/revoke", response=CertificateOut, summary="Revoke a certificate with a reason")
def certificate_revoke(request: HttpRequest, certificate_id: int, body: RevokeIn) -> Any:
    certificate = selectors.certificate_get(actor=request.user, certificate_id=certificate_id)
    services.certificate_revoke(actor=request.user, certificate=certificate, reason=body.reason)
    return certificate_out(selectors.certificate_get(actor=request.user, certificate_id=certificate_id))
