"""Pages: the certificate list, the printable certificate (HTML and PDF), revocation with confirmation, and the
public verification page with the zone's public key. Rules live in services, selectors and policies."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ftzsafety.certificates import policies, qr, ratelimit, selectors, services
from ftzsafety.certificates.choices import CertificateStatus
from ftzsafety.certificates.forms import RevokeForm, VerifyForm
from ftzsafety.core.errors import Conflict, PermissionDenied, ValidationFailed
from ftzsafety.security import keys

PAGE_SIZE = 25
PHOTO_MAX_BYTES = 10 * 1024 * 1024


@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    qs = selectors.certificate_list(actor=request.user, status=status, query=query)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/certificate_list.html",
        {"page": page, "status": status, "query": query, "statuses": CertificateStatus.choices},
    )


def _context(request: HttpRequest, certificate: Any) -> dict[str, Any]:
    return {
        "certificate": certificate,
        "lines": list(certificate.lines.all()),
        "qr_svg": qr.svg_inline(certificate.payload, scale=3, title=certificate.number),
        "events": list(certificate.events.select_related("actor").all()),
        "can_revoke": certificate.status == CertificateStatus.VALID and policies.can_revoke(request.user, certificate),
        "verify_url": request.build_absolute_uri("/verify/"),
    }


@login_required
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.certificate_get(actor=request.user, certificate_id=pk)
    return render(request, "certificates/certificate_detail.html", _context(request, certificate))


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate as PDF (weasyprint; Noto CJK fonts from the system, GB 18030 text)."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    certificate = selectors.certificate_get(actor=request.user, certificate_id=pk)
    html = render_to_string("certificates/certificate_print.html", _context(request, certificate), request=request)
    stylesheet = CSS(filename=finders.find("certificates/print.css"))
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(stylesheets=[stylesheet])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page with the reason; POST: revoke."""
    certificate = selectors.certificate_get(actor=request.user, certificate_id=pk)
    if not policies.can_revoke(request.user, certificate):
        raise PermissionDenied(_("Only department heads and the command centre may revoke e-certificates."))
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"])
        except ValidationFailed as error:
            for problem in error.fields.get("reason", [error.message]):
                form.add_error("reason", problem)
        except Conflict as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Certificate %(number)s has been revoked.") % {"number": certificate.number})
            return redirect("certificates:detail", pk=pk)
    return render(request, "certificates/certificate_revoke.html", {"certificate": certificate, "form": form})


# --- public ----------------------------------------------------------------------------------------------------------


def _payload_from_photo(photo: Any) -> str:
    """The certificate payload in an uploaded photo; ValidationFailed on `photo` when there is none."""
    from ftzsafety.core.uploads import IMAGE_KINDS, check_upload

    checked = check_upload(photo, field="photo", allowed_kinds=IMAGE_KINDS, max_bytes=PHOTO_MAX_BYTES)
    try:
        texts = qr.read_image(checked.content)
    except ValueError:
        texts = []
    for text in texts:
        if text.startswith("FTZC"):
            return text
    if texts:
        raise ValidationFailed.for_fields(
            {"photo": [_("The photo holds a QR code, but not an e-certificate of this system.")]}
        )
    raise ValidationFailed.for_fields(
        {"photo": [_("No QR code was found in the photo. Take it straight on, in focus, with the whole code inside.")]}
    )


def _verdict(result: selectors.Verification) -> dict[str, Any]:
    """The verification as the page shows it (times parsed back for the date filter)."""
    from datetime import datetime

    from ftzsafety.certificates.choices import VerificationReason

    content = result.certificate or {}
    return {
        **result.as_dict(),
        "reason_label": VerificationReason(result.reason).label,
        "valid_from": datetime.fromisoformat(content["valid_from"]) if content.get("valid_from") else None,
        "valid_until": datetime.fromisoformat(content["valid_until"]) if content.get("valid_until") else None,
    }


@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    """Public (no sign-in): verify a certificate from its code text or a photo of its QR code."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if not ratelimit.allow(request):
            form.add_error(
                None,
                _("Too many verifications from this address; try again in %(seconds)d seconds.")
                % {"seconds": ratelimit.retry_after(request)},
            )
            status = 429
        elif form.is_valid():
            payload = form.cleaned_data["payload"].strip()
            photo = form.cleaned_data.get("photo")
            try:
                if photo:
                    payload = _payload_from_photo(photo)
                if not payload:
                    raise ValidationFailed.for_fields(
                        {"payload": [_("Paste the certificate code or upload a photo of its QR code.")]}
                    )
            except ValidationFailed as error:
                for field, problems in error.fields.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                result = _verdict(selectors.certificate_verify(payload=payload))
                form = VerifyForm()
    return render(request, "certificates/verify.html", {"form": form, "result": result}, status=status)


def public_key(request: HttpRequest) -> HttpResponse:
    """The zone's current SM2 public key as a PEM file, for `ftzsafety cert_verify --public-key`."""
    key_id, pem = keys.zone_public_key()
    response = HttpResponse(pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = f'attachment; filename="{key_id}.pem"'
    response["X-Key-Id"] = key_id
    return response
