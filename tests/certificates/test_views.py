"""Pages: who sees the certificate page and PDF, revocation with confirmation, the public verification page."""

import io

import pytest
from django.test import Client

from ftzsafety.audit.models import AuditRecord
from ftzsafety.certificates import qr
from ftzsafety.certificates.models import Certificate


def _client(user=None, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def other_enterprise_admin(other_enterprise):
    from tests.accounts.factories import UserFactory

    return UserFactory(username="other_admin", organisation=other_enterprise.organisation, roles=["enterprise_admin"])


ACCESS = [
    ("enterprise_admin", 200),
    ("enterprise_staff", 200),
    ("customs_reviewer", 200),
    ("emergency_officer", 200),
    ("commander", 200),
    ("other_enterprise_admin", 404),
    ("association_staff", 404),
    ("agency_staff", 404),
    ("system_admin", 404),
]


class TestCertificatePage:
    @pytest.mark.parametrize(("who", "status"), ACCESS)
    def test_access(self, request, certificate, who, status):
        response = _client(request.getfixturevalue(who)).get(f"/certificates/{certificate.pk}/")
        assert response.status_code == status
        if status == 200:
            assert certificate.number in response.content.decode()

    def test_anonymous_is_sent_to_sign_in(self, certificate):
        response = _client().get(f"/certificates/{certificate.pk}/")
        assert response.status_code == 302
        assert "/login" in response["Location"] or "next=" in response["Location"]

    def test_page_content_and_csp(self, certificate, enterprise_admin):
        response = _client(enterprise_admin).get(f"/certificates/{certificate.pk}/")
        html = response.content.decode()
        assert 'class="cert-qr"' in html
        assert "style=" not in html
        assert "<script>" not in html
        assert certificate.payload in html
        assert "UN1203" in html
        assert "Revoke" not in html  # the enterprise may not revoke
        assert "script-src 'self'" in response["Content-Security-Policy"]

    def test_page_in_chinese(self, certificate, enterprise_admin):
        html = _client(enterprise_admin, "zh-hans").get(f"/certificates/{certificate.pk}/").content.decode()
        assert certificate.number in html
        assert '<html lang="zh-hans">' in html

    def test_qr_on_page_decodes(self, certificate, customs_reviewer):
        """The page's SVG is the same code as the PNG the verifier reads: same payload, same segno settings."""
        html = _client(customs_reviewer).get(f"/certificates/{certificate.pk}/").content.decode()
        assert str(qr.svg_inline(certificate.payload, scale=3, title=certificate.number)) in html
        assert qr.read_image(qr.png(certificate.payload)) == [certificate.payload]

    @pytest.mark.parametrize(("who", "status"), ACCESS)
    def test_pdf_access(self, request, certificate, who, status):
        response = _client(request.getfixturevalue(who)).get(f"/certificates/{certificate.pk}/pdf")
        assert response.status_code == status
        if status == 200:
            assert response["Content-Type"] == "application/pdf"
            assert response.content.startswith(b"%PDF-")
            assert f'filename="{certificate.number}.pdf"' in response["Content-Disposition"]

    def test_pdf_text_holds_the_certificate(self, certificate, enterprise_admin):
        from pypdf import PdfReader

        response = _client(enterprise_admin, "zh-hans").get(f"/certificates/{certificate.pk}/pdf")
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        assert certificate.number in text
        assert "UN1203" in text
        assert "滨海化工仓储有限公司" in text

    def test_list_scoped(self, certificate, customs_reviewer, other_enterprise_admin):
        assert certificate.number in _client(customs_reviewer).get("/certificates/").content.decode()
        html = _client(other_enterprise_admin).get("/certificates/").content.decode()
        assert certificate.number not in html
        assert "No certificates yet" in html

    def test_list_filters(self, certificate, customs_reviewer):
        client = _client(customs_reviewer)
        assert certificate.number in client.get("/certificates/?q=DG-2026").content.decode()
        assert certificate.number not in client.get("/certificates/?status=revoked").content.decode()


class TestRevokePage:
    def test_head_confirms_and_revokes(self, certificate, emergency_head):
        client = _client(emergency_head)
        detail = client.get(f"/certificates/{certificate.pk}/").content.decode()
        assert f"/certificates/{certificate.pk}/revoke/" in detail
        confirm = client.get(f"/certificates/{certificate.pk}/revoke/")
        assert confirm.status_code == 200
        assert "This cannot be undone" in confirm.content.decode()
        assert Certificate.objects.get(pk=certificate.pk).status == "valid"  # GET changes nothing
        response = client.post(f"/certificates/{certificate.pk}/revoke/", {"reason": "运输途中发生泄漏"})
        assert response.status_code == 302
        certificate.refresh_from_db()
        assert certificate.status == "revoked"
        assert AuditRecord.objects.filter(action="certificates.certificate.revoke", actor_id=emergency_head.pk).exists()
        html = client.get(f"/certificates/{certificate.pk}/").content.decode()
        assert "运输途中发生泄漏" in html

    def test_reason_required(self, certificate, commander):
        response = _client(commander).post(f"/certificates/{certificate.pk}/revoke/", {"reason": ""})
        assert response.status_code == 200
        assert 'data-testid="errors-reason"' in response.content.decode()
        assert Certificate.objects.get(pk=certificate.pk).status == "valid"

    @pytest.mark.parametrize(
        ("who", "status"), [("customs_reviewer", 403), ("enterprise_admin", 403), ("association_staff", 404)]
    )
    def test_denied(self, request, certificate, who, status):
        client = _client(request.getfixturevalue(who))
        assert client.get(f"/certificates/{certificate.pk}/revoke/").status_code == status
        assert client.post(f"/certificates/{certificate.pk}/revoke/", {"reason": "x"}).status_code == status
        assert Certificate.objects.get(pk=certificate.pk).status == "valid"
        assert not AuditRecord.objects.filter(action="certificates.certificate.revoke").exists()


class TestPublicVerifyPage:
    def test_get_without_sign_in(self, db):
        response = _client().get("/verify/")
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-testid="verify-form"' in html
        assert "style=" not in html

    def test_payload_text(self, certificate):
        response = _client().post("/verify/", {"payload": certificate.payload})
        html = response.content.decode()
        assert 'data-reason="valid"' in html
        assert certificate.number in html
        assert "滨海化工仓储有限公司" in html

    def test_tampered_text(self, certificate):
        response = _client().post("/verify/", {"payload": certificate.payload.replace("3000*KG", "3001*KG")})
        assert 'data-reason="invalid_signature"' in response.content.decode()

    def test_photo(self, certificate):
        photo = io.BytesIO(qr.png(certificate.payload))
        photo.name = "qr.png"
        response = _client().post("/verify/", {"payload": "", "photo": photo})
        assert 'data-reason="valid"' in response.content.decode()

    def test_photo_without_code(self, db):
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (200, 200), (255, 255, 255)).save(buffer, format="PNG")
        buffer.seek(0)
        buffer.name = "blank.png"
        response = _client().post("/verify/", {"photo": buffer})
        html = response.content.decode()
        assert "No QR code was found in the photo" in html
        assert "data-reason" not in html

    def test_photo_not_an_image(self, db):
        upload = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
        upload.name = "qr.pdf"
        response = _client().post("/verify/", {"photo": upload})
        assert 'data-testid="errors-photo"' in response.content.decode()

    def test_other_qr_code(self, db):
        photo = io.BytesIO(qr.png("https://example.com/"))
        photo.name = "other.png"
        response = _client().post("/verify/", {"photo": photo})
        assert "not an e-certificate of this system" in response.content.decode()

    def test_empty(self, db):
        response = _client().post("/verify/", {"payload": ""})
        assert 'data-testid="errors-payload"' in response.content.decode()

    def test_rate_limited(self, certificate, settings):
        settings.CERTIFICATE_VERIFY_RATE = (2, 60)
        client = _client()
        statuses = [client.post("/verify/", {"payload": certificate.payload}).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]

    def test_public_key_download(self, db):
        from ftzsafety.security import keys

        response = _client().get("/verify/public-key.pem")
        assert response.status_code == 200
        assert response.content == keys.zone_public_key()[1]
        assert "attachment" in response["Content-Disposition"]


def test_list_page_query_count_is_fixed(issue, customs_reviewer, django_assert_max_num_queries):
    client = _client(customs_reviewer)
    issue()
    with django_assert_max_num_queries(30) as few:
        client.get("/certificates/")
    for _ in range(6):
        issue()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "EC" in client.get("/certificates/").content.decode()
