"""documents.services: file once, replace keeping history, withdraw, record uses, audited downloads."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ftzsafety.documents import selectors, services
from ftzsafety.documents.models import Document, DocumentContent, DocumentEvent, DocumentUse
from ftzsafety.security import crypto
from tests.accounts.factories import UserFactory, department
from tests.documents.factories import file_document, grant, pdf_bytes, pdf_upload, png_bytes


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def nothing_stored() -> bool:
    return not (Document.objects.exists() or DocumentContent.objects.exists() or DocumentEvent.objects.exists())


class TestDocumentUpload:
    def test_files_encrypted_with_digest_and_audit(self, enterprise_admin, enterprise):
        document = file_document(enterprise_admin, enterprise)
        assert document.status == "active"
        assert document.version == 1
        assert document.owner_id == enterprise.organisation_id
        assert document.classification == "internal"
        assert document.file_name == "安全生产许可证.pdf"
        assert document.sm3 == crypto.sm3_hex(pdf_bytes("危险化学品经营许可证"))
        stored = DocumentContent.objects.get(document=document)
        assert b"%PDF" not in bytes(stored.blob)  # encrypted at rest
        record = AuditRecord.objects.get(action="documents.document.upload")
        assert record.actor_id == enterprise_admin.pk
        assert record.after["sm3"] == document.sm3
        assert list(DocumentEvent.objects.filter(document=document).values_list("kind", flat=True)) == ["uploaded"]

    def test_default_classification_by_kind(self, enterprise_admin, enterprise):
        plan = file_document(enterprise_admin, enterprise, kind="emergency_plan", number="", valid_until=None)
        licence = file_document(enterprise_admin, enterprise, kind="business_licence", valid_until=None)
        assert (plan.classification, licence.classification) == ("confidential", "public")

    def test_emergency_plan_held_by_emergency_management(self, enterprise_admin, emergency_officer, enterprise):
        plan = file_document(enterprise_admin, enterprise, kind="emergency_plan", number="", valid_until=None)
        licence = file_document(enterprise_admin, enterprise)
        assert plan.owner_id == emergency_officer.organisation_id
        assert licence.owner_id == enterprise.organisation_id
        assert selectors.document_get(actor=emergency_officer, document_id=plan.pk) == plan
        assert selectors.document_get(actor=enterprise_admin, document_id=plan.pk) == plan  # still its own

    def test_classification_cannot_go_below_kind(self, enterprise_admin, enterprise):
        with pytest.raises(ValidationFailed) as excinfo:
            file_document(enterprise_admin, enterprise, kind="emergency_plan", classification="internal")
        assert excinfo.value.fields["classification"] == [
            "This kind of document is at least Confidential; choose that or a higher classification."
        ]
        assert nothing_stored()

    @pytest.mark.parametrize(
        ("upload", "field", "message"),
        [
            (SimpleUploadedFile("licence.pdf", png_bytes()), "file", "The file name ends in “.pdf” but its content"),
            (SimpleUploadedFile("tool.pdf", b"MZ\x90\x00binary"), "file", "not of a recognised type"),
            (SimpleUploadedFile("empty.pdf", b""), "file", "The file is empty"),
            (None, "file", "No file was uploaded"),
            (
                SimpleUploadedFile("sds.txt", "闪点 -43 °C".encode()),
                "file",
                "plain text (UTF-8), which is not accepted",
            ),
        ],
    )
    def test_bad_file_rejected_nothing_stored(self, enterprise_admin, enterprise, upload, field, message):
        with pytest.raises(ValidationFailed) as excinfo:
            services.document_upload(
                actor=enterprise_admin,
                uscc=enterprise.uscc,
                kind="safety_licence",
                uploaded=upload,
                number="（津）WH安许证字〔2026〕0815",
                valid_until=timezone.localdate() + dt.timedelta(days=365),
            )
        assert message in excinfo.value.fields[field][0]
        assert nothing_stored()
        assert not AuditRecord.objects.filter(action="documents.document.upload").exists()

    def test_too_large_rejected(self, enterprise_admin, enterprise, settings, monkeypatch):
        from ftzsafety.documents import policies

        monkeypatch.setattr(policies, "MAX_BYTES", 100)
        with pytest.raises(ValidationFailed) as excinfo:
            file_document(enterprise_admin, enterprise)
        assert excinfo.value.fields["file"] == ["The file is larger than 100 B; upload a file of at most 100 B."]
        assert nothing_stored()

    def test_sds_may_be_text(self, enterprise_admin, enterprise):
        document = services.document_upload(
            actor=enterprise_admin,
            uscc=enterprise.uscc,
            kind="sds",
            uploaded=SimpleUploadedFile("丙烯SDS.txt", "丙烯 UN1077 第2.1类 易燃气体".encode()),
        )
        assert document.file_kind == "text"
        assert document.title == "Safety data sheet"

    def test_field_errors_together_with_file_error(self, enterprise_admin, enterprise):
        with pytest.raises(ValidationFailed) as excinfo:
            services.document_upload(
                actor=enterprise_admin,
                uscc=enterprise.uscc,
                kind="safety_licence",
                uploaded=SimpleUploadedFile("x.pdf", b""),
                valid_from=dt.date(2026, 12, 1),
                valid_until=dt.date(2026, 11, 30),
            )
        fields = excinfo.value.fields
        assert set(fields) == {"number", "valid_until", "file"}
        assert "The certificate number is required" in fields["number"][0]
        assert "The validity ends before it starts" in fields["valid_until"][0]

    def test_expired_licence_refused(self, enterprise_admin, enterprise):
        with pytest.raises(ValidationFailed) as excinfo:
            file_document(enterprise_admin, enterprise, valid_until=timezone.localdate() - dt.timedelta(days=1))
        assert "expired" in excinfo.value.fields["valid_until"][0]
        assert nothing_stored()

    def test_unknown_kind(self, enterprise_admin, enterprise):
        with pytest.raises(ValidationFailed) as excinfo:
            services.document_upload(
                actor=enterprise_admin, uscc=enterprise.uscc, kind="passport", uploaded=pdf_upload()
            )
        assert "Choose one of the listed document kinds" in excinfo.value.fields["kind"][0]

    def test_government_cannot_file_for_enterprise_denial_audited(self, emergency_officer, enterprise):
        with pytest.raises(PermissionDenied):
            file_document(emergency_officer, enterprise)
        assert nothing_stored()
        assert AuditRecord.objects.get(action="documents.document.upload").outcome == "denied"

    def test_other_enterprise_gets_not_found(self, other_enterprise, enterprise):
        outsider = UserFactory(
            username="outsider", organisation=other_enterprise.organisation, roles=["enterprise_admin"]
        )
        with pytest.raises(NotFound):
            file_document(outsider, enterprise)
        assert nothing_stored()


class TestDocumentReplace:
    def test_new_version_keeps_history_and_uses(self, enterprise_admin, enterprise, customs_reviewer):
        old = file_document(enterprise_admin, enterprise)
        services.document_use_record(actor=customs_reviewer, document=old, used_by="filings.dg_filing", ref="DGF-1")
        new = services.document_replace(
            actor=enterprise_admin,
            document_id=old.pk,
            uploaded=pdf_upload("许可证-换证.pdf", "renewed"),
            number="（津）WH安许证字〔2029〕0815",
            valid_until=timezone.localdate() + dt.timedelta(days=1000),
        )
        old.refresh_from_db()
        assert (old.status, new.status, new.version, new.series, new.replaces_id) == (
            "superseded", "active", 2, old.series, old.pk,
        )  # fmt: skip
        assert new.title == old.title
        assert new.classification == old.classification
        assert [d.version for d in selectors.document_history(actor=customs_reviewer, document=new)] == [2, 1]
        assert [u.ref for u in selectors.document_uses(actor=customs_reviewer, document=new)] == ["DGF-1"]
        record = AuditRecord.objects.get(action="documents.document.replace")
        assert record.before["version"] == 1
        assert record.after["version"] == 2
        current = selectors.document_list(actor=customs_reviewer, uscc=enterprise.uscc)
        assert [d.pk for d in current] == [new.pk]

    def test_superseded_cannot_be_replaced_again(self, enterprise_admin, enterprise):
        old = file_document(enterprise_admin, enterprise)
        services.document_replace(actor=enterprise_admin, document_id=old.pk, uploaded=pdf_upload(),
                                  valid_until=timezone.localdate() + dt.timedelta(days=10))  # fmt: skip
        with pytest.raises(InvalidTransition):
            services.document_replace(actor=enterprise_admin, document_id=old.pk, uploaded=pdf_upload(),
                                      valid_until=timezone.localdate() + dt.timedelta(days=10))  # fmt: skip
        assert Document.objects.count() == 2

    def test_bad_file_leaves_old_current(self, enterprise_admin, enterprise):
        old = file_document(enterprise_admin, enterprise)
        with pytest.raises(ValidationFailed):
            services.document_replace(
                actor=enterprise_admin, document_id=old.pk, uploaded=SimpleUploadedFile("a.pdf", png_bytes()),
                valid_until=timezone.localdate() + dt.timedelta(days=10),
            )  # fmt: skip
        old.refresh_from_db()
        assert old.status == "active"
        assert Document.objects.count() == 1

    def test_government_cannot_replace(self, enterprise_admin, emergency_officer, enterprise):
        old = file_document(enterprise_admin, enterprise)
        with pytest.raises(PermissionDenied):
            services.document_replace(actor=emergency_officer, document_id=old.pk, uploaded=pdf_upload())
        assert Document.objects.count() == 1
        assert AuditRecord.objects.get(action="documents.document.replace").outcome == "denied"


class TestDocumentWithdraw:
    def test_withdraw_needs_reason_and_is_audited(self, enterprise_admin, enterprise):
        document = file_document(enterprise_admin, enterprise)
        with pytest.raises(ValidationFailed) as excinfo:
            services.document_withdraw(actor=enterprise_admin, document_id=document.pk, reason="  ")
        assert excinfo.value.fields == {"reason": ["Say why the document is withdrawn."]}
        document.refresh_from_db()
        assert document.status == "active"
        services.document_withdraw(actor=enterprise_admin, document_id=document.pk, reason="许可证已注销")
        document.refresh_from_db()
        assert document.status == "withdrawn"
        record = AuditRecord.objects.get(action="documents.document.withdraw")
        assert record.detail["reason"] == "许可证已注销"
        assert DocumentContent.objects.filter(document=document).exists()  # kept for the record

    def test_staff_may_not_withdraw(self, enterprise_admin, enterprise_staff, enterprise):
        document = file_document(enterprise_admin, enterprise)
        with pytest.raises(PermissionDenied):
            services.document_withdraw(actor=enterprise_staff, document_id=document.pk, reason="误传")
        document.refresh_from_db()
        assert document.status == "active"

    def test_withdrawn_cannot_be_used(self, enterprise_admin, customs_reviewer, enterprise):
        document = file_document(enterprise_admin, enterprise)
        services.document_withdraw(actor=enterprise_admin, document_id=document.pk, reason="许可证已注销")
        with pytest.raises(Conflict):
            services.document_use_record(actor=customs_reviewer, document=document, used_by="filings.x", ref="A1")
        assert not DocumentUse.objects.exists()


class TestDocumentUseRecord:
    def test_recorded_once_with_event_and_audit(self, enterprise_admin, customs_reviewer, enterprise):
        document = file_document(enterprise_admin, enterprise)
        first = services.document_use_record(
            actor=customs_reviewer, document=document, used_by="filings.dg_filing", ref="DGF-2026-0001"
        )
        again = services.document_use_record(
            actor=customs_reviewer, document=document.pk, used_by="filings.dg_filing", ref="DGF-2026-0001"
        )
        assert first.pk == again.pk
        assert DocumentUse.objects.count() == 1
        assert first.organisation_id == customs_reviewer.organisation_id
        assert AuditRecord.objects.filter(action="documents.document.use").count() == 1
        assert DocumentEvent.objects.filter(document=document, kind="used").count() == 1

    def test_system_actor(self, enterprise_admin, enterprise):
        document = file_document(enterprise_admin, enterprise)
        use = services.document_use_record(actor=None, document=document, used_by="filings.task", ref="T-1")
        assert use.actor_id is None

    @pytest.mark.parametrize(
        ("used_by", "ref", "field"),
        [("Filings DG", "A1", "used_by"), ("filings.dg", "", "ref"), ("filings.dg", "x" * 101, "ref")],
    )
    def test_invalid(self, enterprise_admin, customs_reviewer, enterprise, used_by, ref, field):
        document = file_document(enterprise_admin, enterprise)
        with pytest.raises(ValidationFailed) as excinfo:
            services.document_use_record(actor=customs_reviewer, document=document, used_by=used_by, ref=ref)
        assert field in excinfo.value.fields
        assert not DocumentUse.objects.exists()

    def test_cannot_use_what_you_cannot_see(self, enterprise_admin, association_staff, customs_reviewer, enterprise):
        plan = file_document(enterprise_admin, enterprise, kind="emergency_plan", number="", valid_until=None)
        with pytest.raises(NotFound):
            services.document_use_record(actor=customs_reviewer, document=plan, used_by="filings.x", ref="A")
        with pytest.raises(PermissionDenied):
            services.document_use_record(actor=association_staff, document=plan, used_by="filings.x", ref="A")
        assert not DocumentUse.objects.exists()


class TestDocumentDownload:
    def test_bytes_back_and_audited(self, enterprise_admin, customs_reviewer, enterprise):
        document = file_document(enterprise_admin, enterprise)
        _got, data = services.document_download(actor=customs_reviewer, document_id=document.pk)
        assert data == pdf_bytes("危险化学品经营许可证")
        record = AuditRecord.objects.get(action="documents.document.download")
        assert (record.actor_id, record.detail["sm3"]) == (customs_reviewer.pk, document.sm3)

    def test_confidential_needs_grant(self, enterprise_admin, customs_reviewer, enterprise):
        department("emergency")
        plan = file_document(enterprise_admin, enterprise, kind="emergency_plan", number="", valid_until=None)
        with pytest.raises(NotFound):
            services.document_download(actor=customs_reviewer, document_id=plan.pk)
        assert not AuditRecord.objects.filter(action="documents.document.download").exists()
        issued = grant(customs_reviewer, Document, department("emergency"))
        services.document_download(actor=customs_reviewer, document_id=plan.pk)
        read = AuditRecord.objects.get(action="security.confidential.read")
        assert read.detail["grant_id"] == issued.pk

    def test_tampered_blob_not_served(self, enterprise_admin, enterprise):
        document = file_document(enterprise_admin, enterprise)
        other = file_document(enterprise_admin, enterprise, kind="other", title="其他", number="", valid_until=None)
        # Move another document's ciphertext onto this row: bound to its row key, it does not decrypt.
        DocumentContent.objects.filter(document=document).update(blob=DocumentContent.objects.get(document=other).blob)
        with pytest.raises(crypto.DecryptionFailed):
            services.document_download(actor=enterprise_admin, document_id=document.pk)
