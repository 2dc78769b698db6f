"""/api/v1/certificates: public verification (no sign-in, rate-limited), the public key, list/detail/revoke."""

import json

import pytest

from ftzsafety.audit.models import AuditRecord
from ftzsafety.certificates.models import Certificate
from ftzsafety.security import crypto, keys

VERIFY = "/api/v1/certificates/verify"


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


class TestVerify:
    def test_anonymous_valid(self, api_client, certificate):
        response = _post(api_client(), VERIFY, {"payload": certificate.payload})
        assert response.status_code == 200
        body = response.json()
        assert body["valid"] is True
        assert body["reason"] == "valid"
        assert body["message"] == "The certificate is genuine and valid."
        assert body["certificate"]["number"] == certificate.number
        assert body["certificate"]["lines"][0] == {"un_number": "UN1203", "quantity": "12.5", "unit": "t"}

    def test_tampered(self, api_client, certificate):
        tampered = certificate.payload.replace("12.5*T", "22.5*T")
        body = _post(api_client(), VERIFY, {"payload": tampered}).json()
        assert (body["valid"], body["reason"], body["certificate"]) == (False, "invalid_signature", {})

    def test_revoked(self, api_client, certificate, commander):
        from ftzsafety.certificates.services import certificate_revoke

        certificate_revoke(actor=commander, certificate=certificate, reason="虚假申报")
        body = _post(api_client(), VERIFY, {"payload": certificate.payload}).json()
        assert (body["valid"], body["reason"]) == (False, "revoked")
        assert body["certificate"]["revocation_reason"] == "虚假申报"

    def test_missing_payload_is_422(self, api_client, db):
        response = _post(api_client(), VERIFY, {})
        assert response.status_code == 422
        assert response.json()["code"] == "validation_failed"
        assert "payload" in response.json()["detail"]["fields"]

    def test_no_csrf_needed_with_a_session(self, certificate, enterprise_admin):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(enterprise_admin)
        assert _post(client, VERIFY, {"payload": certificate.payload}).json()["valid"] is True

    def test_rate_limited(self, api_client, certificate, settings):
        settings.CERTIFICATE_VERIFY_RATE = (3, 60)
        client = api_client()
        codes = [_post(client, VERIFY, {"payload": certificate.payload}).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        response = _post(client, VERIFY, {"payload": certificate.payload})
        assert response.json()["code"] == "rate_limited"
        assert int(response["Retry-After"]) >= 1
        other_address = api_client()
        other = other_address.post(
            VERIFY,
            data=json.dumps({"payload": certificate.payload}),
            content_type="application/json",
            REMOTE_ADDR="10.0.0.9",
        )
        assert other.status_code == 200


class TestPublicKey:
    def test_current_key(self, api_client, db):
        response = api_client().get("/api/v1/certificates/public-key")
        assert response.status_code == 200
        key_id, pem = keys.zone_public_key()
        assert response.content == pem
        assert response["X-Key-Id"] == key_id
        assert crypto.sm2_public_key_point(response.content.decode())[:1] == b"\x04"

    def test_unknown_key_404(self, api_client, db):
        response = api_client().get("/api/v1/certificates/public-key?key_id=sm2-20200101-000000")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


class TestSignedIn:
    def test_list_requires_sign_in(self, api_client, certificate):
        assert api_client().get("/api/v1/certificates").status_code == 401

    @pytest.mark.parametrize(
        ("who", "count"), [("enterprise_admin", 1), ("customs_reviewer", 1), ("association_staff", 0)]
    )
    def test_list_scoped(self, request, api_client, certificate, who, count):
        body = api_client(request.getfixturevalue(who)).get("/api/v1/certificates?limit=10&offset=0").json()
        assert body["count"] == count
        assert len(body["items"]) == count

    def test_list_pagination(self, api_client, issue, customs_reviewer):
        for _ in range(3):
            issue()
        body = api_client(customs_reviewer).get("/api/v1/certificates?limit=2&offset=2").json()
        assert body["count"] == 3
        assert len(body["items"]) == 1

    def test_detail(self, api_client, certificate, enterprise_admin):
        body = api_client(enterprise_admin).get(f"/api/v1/certificates/{certificate.pk}").json()
        assert body["number"] == certificate.number
        assert body["payload"] == certificate.payload
        assert body["page_url"] == f"/certificates/{certificate.pk}/"
        assert body["pdf_url"] == f"/certificates/{certificate.pk}/pdf"

    def test_detail_other_is_404(self, api_client, certificate, association_staff):
        response = api_client(association_staff).get(f"/api/v1/certificates/{certificate.pk}")
        assert response.status_code == 404

    def test_revoke_by_head(self, bearer_client, certificate, emergency_head):
        response = bearer_client(emergency_head).post(
            f"/api/v1/certificates/{certificate.pk}/revoke",
            data=json.dumps({"reason": "现场核查不符"}),
            content_type="application/json",
        )
        assert response.status_code == 200
        assert response.json()["status"] == "revoked"
        assert AuditRecord.objects.filter(action="certificates.certificate.revoke").count() == 1

    def test_revoke_denied_changes_nothing(self, bearer_client, certificate, enterprise_admin):
        response = bearer_client(enterprise_admin).post(
            f"/api/v1/certificates/{certificate.pk}/revoke",
            data=json.dumps({"reason": "自行撤销"}),
            content_type="application/json",
        )
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        assert Certificate.objects.get(pk=certificate.pk).status == "valid"
        assert not AuditRecord.objects.filter(action="certificates.certificate.revoke").exists()

    def test_revoke_empty_reason_422(self, bearer_client, certificate, commander):
        response = bearer_client(commander).post(
            f"/api/v1/certificates/{certificate.pk}/revoke",
            data=json.dumps({"reason": " "}),
            content_type="application/json",
        )
        assert response.status_code == 422
        assert response.json()["detail"]["fields"]["reason"]
        assert Certificate.objects.get(pk=certificate.pk).status == "valid"


def test_list_query_count_is_fixed(api_client, issue, customs_reviewer, django_assert_max_num_queries):
    client = api_client(customs_reviewer)
    issue()
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/certificates?limit=50")
    for _ in range(6):
        issue()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/certificates?limit=50").json()["count"] == 7
