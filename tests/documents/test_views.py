"""Document pages: upload form, detail with uses and versions, download, withdraw with confirmation, list."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ftzsafety.audit.models import AuditRecord
from ftzsafety.documents import services
from ftzsafety.documents.models import Document
from tests.documents.factories import file_document, pdf_bytes, png_bytes

UNTIL = (timezone.localdate() + dt.timedelta(days=900)).isoformat()


class TestUploadPage:
    def test_form_files_and_redirects(self, api_client, enterprise_admin, enterprise):
        client = api_client(enterprise_admin)
        url = f"/documents/upload/{enterprise.uscc}/"
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "kind": "safety_licence",
                "title": "安全生产许可证",
                "number": "（津）WH安许证字〔2026〕0815",
                "valid_until": UNTIL,
                "file": SimpleUploadedFile("许可证.pdf", pdf_bytes()),
            },
        )
        document = Document.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/documents/{document.pk}/"

    def test_errors_next_to_fields_nothing_stored(self, api_client, enterprise_admin, enterprise):
        response = api_client(enterprise_admin).post(
            f"/documents/upload/{enterprise.uscc}/",
            {"kind": "safety_licence", "valid_until": UNTIL, "file": SimpleUploadedFile("a.pdf", png_bytes())},
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-testid="errors-file"' in html
        assert 'data-testid="errors-number"' in html
        assert not Document.objects.exists()

    def test_government_refused(self, api_client, customs_reviewer, enterprise):
        assert api_client(customs_reviewer).get(f"/documents/upload/{enterprise.uscc}/").status_code == 403


class TestDetailPage:
    def test_shows_uses_versions_and_download(self, api_client, enterprise_admin, customs_reviewer, enterprise):
        document = file_document(enterprise_admin, enterprise)
        services.document_use_record(
            actor=customs_reviewer, document=document, used_by="filings.dg_filing", ref="DGF-9"
        )
        html = api_client(customs_reviewer).get(f"/documents/{document.pk}/").content.decode()
        assert "DGF-9" in html
        assert document.sm3 in html
        assert f'href="/documents/{document.pk}/file/"' in html
        assert 'data-testid="document-withdraw"' not in html  # not theirs
        own = api_client(enterprise_admin).get(f"/documents/{document.pk}/").content.decode()
        assert 'data-testid="document-withdraw"' in own
        assert 'data-testid="document-replace"' in own

    def test_download_page_audited(self, api_client, customs_reviewer, enterprise_admin, enterprise):
        document = file_document(enterprise_admin, enterprise)
        response = api_client(customs_reviewer).get(f"/documents/{document.pk}/file/")
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF-")
        assert AuditRecord.objects.filter(action="documents.document.download").count() == 1


class TestWithdrawPage:
    def test_confirmation_required(self, api_client, enterprise_admin, enterprise):
        document = file_document(enterprise_admin, enterprise)
        client = api_client(enterprise_admin)
        url = f"/documents/{document.pk}/withdraw/"
        assert client.get(url).status_code == 200
        unconfirmed = client.post(url, {"reason": "已注销"})
        assert unconfirmed.status_code == 200
        assert 'data-testid="errors-confirm"' in unconfirmed.content.decode()
        document.refresh_from_db()
        assert document.status == "active"
        done = client.post(url, {"reason": "已注销", "confirm": "on"})
        assert done.status_code == 302
        document.refresh_from_db()
        assert document.status == "withdrawn"
        assert AuditRecord.objects.filter(action="documents.document.withdraw").count() == 1


class TestListPage:
    @pytest.fixture
    def docs(self, enterprise_admin, enterprise):
        file_document(enterprise_admin, enterprise, title="危险化学品经营许可证")
        file_document(enterprise_admin, enterprise, kind="business_licence", title="营业执照", valid_until=None)

    def test_filter_and_search(self, api_client, customs_reviewer, docs):
        client = api_client(customs_reviewer)
        html = client.get("/documents/").content.decode()
        assert "危险化学品经营许可证" in html
        assert "营业执照" in html
        only = client.get("/documents/?kind=business_licence").content.decode()
        assert "危险化学品经营许可证" not in only
        searched = client.get("/documents/?q=经营").content.decode()
        assert "营业执照" not in searched

    def test_empty_state(self, api_client, customs_reviewer):
        assert "No documents match." in api_client(customs_reviewer).get("/documents/").content.decode()
