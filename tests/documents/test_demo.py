"""The demo documents: filed once by the demo enterprise's administrator, labelled demo, not filed twice."""

from ftzsafety.audit.models import AuditRecord
from ftzsafety.demo.documents import seed_documents
from ftzsafety.documents.models import Document
from ftzsafety.documents.services import document_download


def test_seeded_once_labelled_and_classified(enterprise_admin, enterprise):
    assert seed_documents() == 4
    assert seed_documents() == 0
    documents = {d.kind: d for d in Document.objects.filter(enterprise=enterprise)}
    assert set(documents) == {"business_licence", "safety_licence", "sds", "emergency_plan"}
    assert all(d.is_demo for d in documents.values())
    assert documents["emergency_plan"].classification == "confidential"
    assert documents["business_licence"].number == enterprise.uscc
    _doc, data = document_download(actor=enterprise_admin, document_id=documents["safety_licence"].pk)
    assert b"DEMO DATA" in data
    _doc, text = document_download(actor=enterprise_admin, document_id=documents["sds"].pk)
    assert "演示数据".encode() in text
    uploads = AuditRecord.objects.filter(action="documents.document.upload", outcome="ok")
    assert set(uploads.values_list("actor_username", flat=True)) == {"enterprise_admin"}


def test_nothing_without_the_demo_account(db):
    assert seed_documents() == 0
