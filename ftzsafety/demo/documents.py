"""Demo documents (issue 4 item 6, file once): the demo enterprise account's company files its business licence,
hazardous-chemicals business licence, a safety data sheet and its emergency plan, through `documents.services` as
its own administrator, so each has its audit record, SM3 digest and encrypted file like a real upload.

Deterministic (dates relative to the day of seeding), labelled demo (`is_demo`, and the files themselves say
"DEMO DATA"). Running it again creates nothing.
"""

import io
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone


def demo_pdf(lines: list[str]) -> bytes:
    """A small, well-formed one-page PDF showing `lines` (ASCII: the standard Helvetica font has no CJK glyphs)."""
    text = " ".join(f"({line.replace(chr(92), '').replace('(', '[').replace(')', ']')}) Tj 0 -18 Td" for line in lines)
    stream = f"BT /F1 12 Tf 72 740 Td {text} ET".encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
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


def _plans(uscc: str, today: date) -> list[dict[str, Any]]:
    return [
        {
            "kind": "business_licence",
            "title": "营业执照",
            "number": uscc,
            "issued_by": "天津港保税区市场监督管理局",
            "valid_from": today - timedelta(days=6 * 365),
            "valid_until": None,
            "file": ("营业执照.pdf", demo_pdf(["DEMO DATA", "Business licence", f"USCC {uscc}"])),
        },
        {
            "kind": "safety_licence",
            "title": "危险化学品经营许可证",
            "number": "津保危化经字〔2025〕000318",
            "issued_by": "天津港保税区应急管理局",
            "valid_from": today - timedelta(days=400),
            "valid_until": today - timedelta(days=400) + timedelta(days=3 * 365),
            "file": ("危险化学品经营许可证.pdf", demo_pdf(["DEMO DATA", "Hazardous chemicals business licence"])),
        },
        {
            "kind": "sds",
            "title": "车用汽油 安全技术说明书 (UN1203)",
            "number": "SDS-UN1203-2025",
            "issued_by": "",
            "valid_from": today - timedelta(days=200),
            "valid_until": None,
            "file": (
                "车用汽油SDS.txt",
                "演示数据 DEMO DATA\n车用汽油 Gasoline\nUN1203 第3类 易燃液体 包装类别 II\n"
                "GB/T 16483-2008 化学品安全技术说明书 内容和项目顺序\n".encode(),
            ),
        },
        {
            "kind": "emergency_plan",
            "title": "生产安全事故应急预案",
            "number": "",
            "issued_by": "",
            "valid_from": today - timedelta(days=300),
            "valid_until": None,
            "file": ("生产安全事故应急预案.pdf", demo_pdf(["DEMO DATA", "Emergency plan (confidential)"])),
        },
    ]


def seed_documents(report: Any = None, *, today: date | None = None) -> int:
    """File the demo enterprise's documents once, as its demo administrator; returns how many were created."""
    from ftzsafety.accounts.models import User
    from ftzsafety.documents.models import Document
    from ftzsafety.documents.services import document_upload
    from ftzsafety.enterprises.models import Enterprise

    admin = User.objects.filter(username="enterprise_admin", organisation__isnull=False).first()
    enterprise = Enterprise.objects.filter(organisation_id=admin.organisation_id).first() if admin else None
    if enterprise is None or Document.objects.filter(enterprise=enterprise, is_demo=True).exists():
        return 0
    today = today or timezone.localdate()
    created = 0
    for plan in _plans(enterprise.uscc, today):
        name, content = plan.pop("file")
        document_upload(
            actor=admin,
            uscc=enterprise.uscc,
            uploaded=SimpleUploadedFile(name, content),
            is_demo=True,
            **plan,
        )
        created += 1
    if report is not None:
        report.created["documents"] += created
    return created
