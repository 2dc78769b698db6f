"""API: the explanation contract, events, applications, policy, peer zones, import, publication; error bodies."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ftzsafety.credit import services
from ftzsafety.credit.choices import EventKind
from ftzsafety.credit.models import CreditApplication, CreditEvent, CreditPolicy
from ftzsafety.credit.policies import default_rules


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


class TestCreditExplanation:
    def test_contract(self, api_client, enterprise, record, emergency_officer) -> None:
        record(enterprise, EventKind.HAZARD_OVERDUE, days_ago=15, evidence_url="/hazards/3/")
        record(enterprise, EventKind.FILING_APPROVED_CLEAN, days_ago=2)
        response = api_client(emergency_officer).get(f"/api/v1/enterprises/{enterprise.uscc}/credit")
        assert response.status_code == 200
        body = response.json()
        assert body["uscc"] == enterprise.uscc
        assert body["grade"] == "C"
        assert body["policy_version"] == 1
        assert sum(Decimal(f["contribution"]) for f in body["factors"]) == Decimal(body["score"])
        assert [f["label"] for f in body["factors"]] == ["base", "event", "event"]
        assert body["factors"][1]["evidence_url"] == "/hazards/3/"
        assert body["history"][0]["grade"] == "C"
        assert body["overrides"] == []
        assert body["measures"]["filing_priority"] == 3
        assert body["measures"]["extra_review_departments"] == []

    def test_registry_path_still_answers(self, api_client, enterprise, emergency_officer) -> None:
        assert (
            api_client(emergency_officer).get(f"/api/v1/enterprises/{enterprise.uscc}").json()["uscc"]
            == enterprise.uscc
        )

    def test_d_grade_shows_override(self, api_client, enterprise, record, commander) -> None:
        record(enterprise, EventKind.FALSE_FILING, source_module="filings", ref="F-7")
        body = api_client(commander).get(f"/api/v1/enterprises/{enterprise.uscc}/credit").json()
        assert body["grade"] == "D"
        assert body["overrides"][0]["rule"] == "d_trigger"
        assert body["measures"]["extra_review_departments"] == ["customs", "commerce"]

    def test_unknown_enterprise_is_404_with_error_body(self, api_client, emergency_officer) -> None:
        response = api_client(emergency_officer).get("/api/v1/enterprises/91120116MA00000000/credit")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"

    def test_anonymous_is_401(self, api_client, enterprise) -> None:
        assert api_client(None).get(f"/api/v1/enterprises/{enterprise.uscc}/credit").status_code == 401


class TestEvents:
    def test_officer_records_a_penalty(self, api_client, enterprise, emergency_officer) -> None:
        body = {"kind": "penalty", "occurred_on": timezone.localdate().isoformat(), "reference": "应急罚〔2026〕3号"}
        response = post(api_client(emergency_officer), f"/api/v1/enterprises/{enterprise.uscc}/credit/events", body)
        assert response.status_code == 201
        assert response.json()["source_module"] == "manual:emergency"
        listing = api_client(emergency_officer).get(f"/api/v1/enterprises/{enterprise.uscc}/credit/events?limit=5")
        assert listing.json()["count"] == 1
        assert listing.json()["items"][0]["kind"] == "penalty"

    def test_certification_needs_type_and_expiry(self, api_client, enterprise, emergency_officer) -> None:
        body = {
            "kind": "certification",
            "occurred_on": timezone.localdate().isoformat(),
            "reference": "ISM-1",
            "detail": {},
        }
        response = post(api_client(emergency_officer), f"/api/v1/enterprises/{enterprise.uscc}/credit/events", body)
        assert response.status_code == 422
        assert set(response.json()["detail"]["fields"]) == {"detail.certificate_type", "detail.expires_on"}
        assert not CreditEvent.objects.exists()

    def test_enterprise_cannot_record(self, api_client, enterprise, enterprise_admin) -> None:
        body = {
            "kind": "certification",
            "occurred_on": timezone.localdate().isoformat(),
            "reference": "ISM-1",
            "detail": {"certificate_type": "ISM", "expires_on": "2030-01-01"},
        }
        response = post(api_client(enterprise_admin), f"/api/v1/enterprises/{enterprise.uscc}/credit/events", body)
        assert response.status_code == 403
        assert not CreditEvent.objects.exists()


class TestApplications:
    def test_objection_flow(self, api_client, enterprise, record, enterprise_admin, commander) -> None:
        event = record(enterprise, EventKind.PENALTY)
        response = post(
            api_client(enterprise_admin),
            "/api/v1/credit/applications",
            {"event_id": event.pk, "kind": "objection", "reason": "处罚决定已被行政复议撤销。"},
        )
        assert response.status_code == 201
        application = response.json()
        assert application["due_on"] == (timezone.localdate() + timedelta(days=20)).isoformat()
        decided = post(
            api_client(commander),
            f"/api/v1/credit/applications/{application['id']}/decision",
            {"uphold": True, "reasons": "复议决定书已核实，撤销该事件。"},
        )
        assert decided.status_code == 200
        assert decided.json()["status"] == "upheld"
        again = post(
            api_client(commander),
            f"/api/v1/credit/applications/{application['id']}/decision",
            {"uphold": False, "reasons": "第二次决定不应被接受。"},
        )
        assert again.status_code == 409
        assert again.json()["code"] == "already_decided"

    def test_other_enterprise_application_is_404(
        self, api_client, enterprise, other_enterprise, record, enterprise_admin, commander
    ) -> None:
        theirs = record(other_enterprise, EventKind.PENALTY)
        response = post(
            api_client(enterprise_admin),
            "/api/v1/credit/applications",
            {"event_id": theirs.pk, "kind": "objection", "reason": "不属于本企业的事件。"},
        )
        assert response.status_code == 404
        assert not CreditApplication.objects.exists()


class TestPolicyApi:
    def test_read_and_issue(self, api_client, commander, enterprise_admin) -> None:
        assert api_client(enterprise_admin).get("/api/v1/credit/policy").json()["version"] == 1
        rules = default_rules()
        rules["measures"]["D"]["review_deadline_hours"] = 96
        denied = post(api_client(enterprise_admin), "/api/v1/credit/policies", {"rules": rules, "note": "x"})
        assert denied.status_code == 403
        created = post(api_client(commander), "/api/v1/credit/policies", {"rules": rules, "note": "D 级审核延长"})
        assert created.status_code == 201
        assert created.json()["version"] == 2
        assert api_client(commander).get("/api/v1/credit/policies").json()["count"] == 2

    def test_bad_rules_422_with_path(self, api_client, commander) -> None:
        rules = default_rules()
        rules["thresholds"]["A"] = "60"
        response = post(api_client(commander), "/api/v1/credit/policies", {"rules": rules, "note": "wrong"})
        assert response.status_code == 422
        assert "thresholds" in response.json()["detail"]["fields"]
        assert CreditPolicy.objects.count() == 1


class TestRecognitionApi:
    def test_export_then_import_over_http(self, api_client, enterprise, record, commander, settings, tmp_path) -> None:
        settings.ZONE_ID, settings.KEY_DIR = "zone-a", tmp_path / "a"
        record(enterprise, EventKind.INSPECTION_PASSED)
        exported = api_client(commander).get(f"/api/v1/enterprises/{enterprise.uscc}/credit/export")
        assert exported.status_code == 200
        assert exported["Content-Type"].startswith("application/json")
        key = api_client(commander).get("/api/v1/credit/zone-key").json()
        settings.ZONE_ID, settings.KEY_DIR = "zone-b", tmp_path / "b"
        registered = post(
            api_client(commander),
            "/api/v1/credit/peer-zones",
            {"zone_id": "zone-a", "name_zh": "甲片区", "public_key_pem": key["public_key_pem"]},
        )
        assert registered.status_code == 201
        imported = api_client(commander).post(
            "/api/v1/credit/import", exported.content, content_type="application/json"
        )
        assert imported.status_code == 201
        assert imported.json()["zone_id"] == "zone-a"
        broken = bytearray(exported.content)
        broken[len(broken) // 2] ^= 0x01
        refused = api_client(commander).post("/api/v1/credit/import", bytes(broken), content_type="application/json")
        assert refused.status_code == 422
        assert refused.json()["code"] in {"bad_signature", "malformed", "not_canonical"}


class TestPublication:
    def test_public_without_sign_in_only_a_and_d(self, api_client, enterprise, other_enterprise, record) -> None:
        record(enterprise, EventKind.FALSE_FILING)
        record(other_enterprise, EventKind.PENALTY)  # C: not published
        response = api_client(None).get("/api/v1/credit/publication")
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 1
        assert set(body["items"][0]) == {"uscc", "name_zh", "name_en", "grade", "as_of"}
        assert body["items"][0]["uscc"] == enterprise.uscc
        assert body["items"][0]["grade"] == "D"


@pytest.mark.parametrize("path", ["/api/v1/credit/grades", "/api/v1/credit/applications", "/api/v1/credit/peer-zones"])
def test_lists_are_paginated(api_client, commander, path) -> None:
    body = api_client(commander).get(f"{path}?limit=5&offset=0").json()
    assert set(body) == {"items", "count"}


def test_peer_zone_invalid_key_422(api_client, commander) -> None:
    response = post(
        api_client(commander), "/api/v1/credit/peer-zones", {"zone_id": "z-1", "name_zh": "某", "public_key_pem": "x"}
    )
    assert response.status_code == 422
    assert "public_key_pem" in response.json()["detail"]["fields"]
    assert services.PeerZone.objects.count() == 0
