"""Realistic document files and a helper to file one through the service."""

import datetime as dt
import io

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from ftzsafety.documents import services
from ftzsafety.security.models import AccessRequest, Grant


def pdf_bytes(text: str = "Safety production licence (TJ) WH-2026-0815") -> bytes:
    """A small, well-formed one-page PDF (objects, xref, trailer, %%EOF)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (6, 4), (30, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def pdf_upload(name: str = "安全生产许可证.pdf", text: str = "Safety production licence") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def file_document(actor, enterprise, *, kind: str = "safety_licence", name: str = "安全生产许可证.pdf", **values):
    defaults = {
        "title": "危险化学品经营许可证",
        "number": "津滨危化经字〔2026〕000815",
        "issued_by": "天津港保税区应急管理局",
        "valid_from": timezone.localdate() - dt.timedelta(days=30),
        "valid_until": timezone.localdate() + dt.timedelta(days=3 * 365),
    }
    defaults.update(values)
    return services.document_upload(
        actor=actor, uscc=enterprise.uscc, kind=kind, uploaded=pdf_upload(name, defaults["title"]), **defaults
    )


def grant(user, model, owner, *, fields=(), days=30):
    """A live dataset grant made directly (the approval chain is tested in tests/security)."""
    scope = {
        "content_type": ContentType.objects.get_for_model(model),
        "object_id": None,
        "owner": owner,
        "fields": list(fields),
        "purpose": "跨境危险货物链条核查",
        "valid_until": timezone.localdate() + dt.timedelta(days=days),
    }
    request = AccessRequest.objects.create(
        requester=user, requester_organisation=user.organisation, status="approved", **scope
    )
    return Grant.objects.create(request=request, user=user, valid_from=timezone.now(), **scope)
