"""/api/v1/documents: multipart upload, errors, list, detail with uses and versions, download, withdraw, uses."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ftzsafety.audit.models import AuditRecord
from ftzsafety.documents.models import Document, DocumentContent, DocumentUse
from tests.documents.factories import file_document, pdf_bytes, png_bytes

UNTIL = (timezone.localdate() + dt.timedelta(days=900)).isoformat()


def upload_body(enterprise, **overrides):
    body = {
        "uscc": enterprise.uscc,
        "kind": "safety_licence",
        "title": "安全生产许可证",
        "number": "（津）WH安许证字〔2026〕0815",
        "issued_by": "天津市应急管理局",
        "valid_from": "2026-01-01",
        "valid_until": UNTIL,
        "file": SimpleUploadedFile("安全生产许可证.pdf", pdf_bytes(), content_type="application/pdf"),
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


class TestUpload:
    def test_created(self, api_client, enterprise_admin, enterprise):
        response = api_client(enterprise_admin).post("/api/v1/documents", upload_body(enterprise))
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["enterprise"] == enterprise.uscc
        assert body["kind"] == "safety_licence"
        assert body["version"] == 1
        assert body["status"] == "active"
        assert body["valid_until"] == UNTIL
        assert body["file_name"] == "安全生产许可证.pdf"
        assert len(body["sm3"]) == 64
        assert AuditRecord.objects.filter(action="documents.document.upload", outcome="ok").count() == 1

    def test_bearer_token(self, bearer_client, enterprise_admin, enterprise):
        response = bearer_client(enterprise_admin).post("/api/v1/documents", upload_body(enterprise))
        assert response.status_code == 201

    def test_wrong_type_422_nothing_stored(self, api_client, enterprise_admin, enterprise):
        body = upload_body(enterprise, file=SimpleUploadedFile("licence.pdf", png_bytes()))
        response = api_client(enterprise_admin).post("/api/v1/documents", body)
        assert response.status_code == 422
        error = response.json()
        assert error["code"] == "validation_failed"
        assert "content is PNG" in error["detail"]["fields"]["file"][0]
        assert not Document.objects.exists()
        assert not DocumentContent.objects.exists()

    def test_bad_date_422(self, api_client, enterprise_admin, enterprise):
        response = api_client(enterprise_admin).post(
            "/api/v1/documents", upload_body(enterprise, valid_until="31/12/2028")
        )
        assert response.status_code == 422
        assert response.json()["detail"]["fields"]["valid_until"] == [
            "“31/12/2028” is not a date; expected YYYY-MM-DD."
        ]
        assert not Document.objects.exists()

    def test_government_403(self, api_client, customs_reviewer, enterprise):
        response = api_client(customs_reviewer).post("/api/v1/documents", upload_body(enterprise))
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        assert not Document.objects.exists()

    def test_unknown_enterprise_404(self, api_client, enterprise_admin, enterprise, other_enterprise):
        response = api_client(enterprise_admin).post("/api/v1/documents", upload_body(other_enterprise))
        assert response.status_code == 404
        assert not Document.objects.exists()


class TestRead:
    @pytest.fixture
    def docs(self, enterprise_admin, enterprise):
        return {
            "licence": file_document(enterprise_admin, enterprise),
            "plan": file_document(enterprise_admin, enterprise, kind="emergency_plan", number="", valid_until=None),
            "business": file_document(enterprise_admin, enterprise, kind="business_licence", valid_until=None),
        }

    def test_list_scoped_and_paginated(self, api_client, customs_reviewer, association_staff, enterprise, docs):
        body = api_client(customs_reviewer).get(f"/api/v1/documents?uscc={enterprise.uscc}&limit=1").json()
        assert body["count"] == 2  # the confidential plan is not visible without a grant
        assert len(body["items"]) == 1
        public = api_client(association_staff).get("/api/v1/documents").json()
        assert [d["kind"] for d in public["items"]] == ["business_licence"]

    def test_detail_with_uses_and_history(self, api_client, customs_reviewer, enterprise, docs):
        client = api_client(customs_reviewer)
        created = client.post(
            f"/api/v1/documents/{docs['licence'].pk}/uses",
            {"used_by": "filings.dg_filing", "ref": "DGF-2026-0007"},
            content_type="application/json",
        )
        assert created.status_code == 201
        assert created.json()["ref"] == "DGF-2026-0007"
        body = client.get(f"/api/v1/documents/{docs['licence'].pk}").json()
        assert body["uses"][0]["used_by"] == "filings.dg_filing"
        assert body["uses"][0]["organisation"] == customs_reviewer.organisation.code
        assert [h["version"] for h in body["history"]] == [1]

    def test_download(self, api_client, customs_reviewer, docs):
        response = api_client(customs_reviewer).get(f"/api/v1/documents/{docs['licence'].pk}/file")
        assert response.status_code == 200
        assert response.content == pdf_bytes("危险化学品经营许可证")
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-SM3"] == docs["licence"].sm3
        assert AuditRecord.objects.filter(action="documents.document.download", actor_id=customs_reviewer.pk).exists()

    def test_confidential_404_for_reviewer(self, api_client, customs_reviewer, docs):
        client = api_client(customs_reviewer)
        assert client.get(f"/api/v1/documents/{docs['plan'].pk}").status_code == 404
        assert client.get(f"/api/v1/documents/{docs['plan'].pk}/file").status_code == 404

    def test_withdraw(self, api_client, enterprise_admin, docs):
        client = api_client(enterprise_admin)
        missing = client.post(f"/api/v1/documents/{docs['licence'].pk}/withdraw", {}, content_type="application/json")
        assert missing.status_code == 422
        done = client.post(
            f"/api/v1/documents/{docs['licence'].pk}/withdraw", {"reason": "已换证"}, content_type="application/json"
        )
        assert done.status_code == 200
        assert done.json()["status"] == "withdrawn"
        again = client.post(
            f"/api/v1/documents/{docs['licence'].pk}/withdraw", {"reason": "已换证"}, content_type="application/json"
        )
        assert again.status_code == 409

    def test_replace(self, api_client, enterprise_admin, docs):
        response = api_client(enterprise_admin).post(
            f"/api/v1/documents/{docs['licence'].pk}/replace",
            {"valid_until": UNTIL, "file": SimpleUploadedFile("新证.pdf", pdf_bytes("renewed"))},
        )
        assert response.status_code == 201, response.content
        assert response.json()["version"] == 2
        assert Document.objects.get(pk=docs["licence"].pk).status == "superseded"

    def test_replace_without_file_422(self, api_client, enterprise_admin, docs):
        response = api_client(enterprise_admin).post(
            f"/api/v1/documents/{docs['licence'].pk}/replace", {"valid_until": UNTIL}
        )
        assert response.status_code == 422
        assert response.json()["detail"]["fields"]["file"] == ["No file was uploaded; choose a file to upload."]
        assert Document.objects.get(pk=docs["licence"].pk).status == "active"
        assert Document.objects.count() == 3

    def test_use_validation(self, api_client, customs_reviewer, docs):
        response = api_client(customs_reviewer).post(
            f"/api/v1/documents/{docs['licence'].pk}/uses", {"used_by": "", "ref": "A"}, content_type="application/json"
        )
        assert response.status_code == 422
        assert "used_by" in response.json()["detail"]["fields"]
        assert not DocumentUse.objects.exists()
