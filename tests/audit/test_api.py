"""`GET /api/v1/audit/records` and `POST /api/v1/audit/verify`: the audit administrator only."""

import pytest

from ftzsafety import audit
from ftzsafety.audit.models import AuditRecord
from tests.audit.conftest import raw, triggers_off

pytestmark = pytest.mark.django_db

RECORDS = "/api/v1/audit/records"
VERIFY = "/api/v1/audit/verify"


class TestRecords:
    def test_paginated_newest_first_with_filters(self, api_client, audit_admin, make_records) -> None:
        make_records(5)
        client = api_client(audit_admin)
        body = client.get(RECORDS, {"limit": 2}).json()
        assert set(body) == {"items", "count"}
        assert body["count"] == AuditRecord.objects.count()
        assert len(body["items"]) == 2
        assert body["items"][0]["id"] > body["items"][1]["id"]
        item = body["items"][0]
        assert {
            "occurred_at",
            "actor_username",
            "ip",
            "request_id",
            "action",
            "target_type",
            "target_id",
            "outcome",
            "classification",
            "before",
            "after",
            "detail",
            "hash",
            "prev_hash",
        } <= set(item)
        filtered = client.get(RECORDS, {"action": "test.thing.op3"}).json()
        assert [i["action"] for i in filtered["items"]] == ["test.thing.op3"]
        assert client.get(RECORDS, {"outcome": "denied"}).json()["count"] == 0

    def test_a_bearer_token_works(self, bearer_client, audit_admin, make_records) -> None:
        make_records(1)
        assert bearer_client(audit_admin).get(RECORDS).status_code == 200

    def test_a_bad_filter_is_a_422(self, api_client, audit_admin) -> None:
        response = api_client(audit_admin).get(RECORDS, {"since": "yesterday"})
        assert response.status_code == 422
        assert set(response.json()) == {"code", "message", "detail"}

    def test_anonymous_is_401(self, api_client) -> None:
        assert api_client(None).get(RECORDS).status_code == 401


@pytest.mark.parametrize("role", ["commander", "system_admin", "security_admin", "customs_reviewer"])
@pytest.mark.parametrize(
    ("method", "url", "action"),
    [
        ("get", RECORDS, "audit.record.list"),
        ("post", VERIFY, "audit.chain.verify"),
    ],
)
def test_others_get_403_and_the_attempt_is_recorded(request, api_client, role, method, url, action) -> None:
    user = request.getfixturevalue(role)
    response = getattr(api_client(user), method)(url)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    denied = AuditRecord.objects.get(action=action, outcome="denied")
    assert (denied.actor_username, denied.detail["via"]) == (role, "api")
    assert not AuditRecord.objects.filter(action="audit.chain.verify", outcome="ok").exists()


class TestVerify:
    def test_intact(self, api_client, audit_admin, make_records) -> None:
        make_records(3)
        body = api_client(audit_admin).post(VERIFY).json()
        assert body["ok"] is True
        assert body["count"] >= 3
        assert body["problem"] == ""
        assert AuditRecord.objects.filter(action="audit.chain.verify", outcome="ok").exists()

    def test_names_a_removed_record(self, api_client, audit_admin, make_records) -> None:
        records = make_records(4)
        with triggers_off():
            raw("DELETE FROM audit_auditrecord WHERE id = %s", [records[1].pk])
        body = api_client(audit_admin).post(VERIFY).json()
        assert (body["ok"], body["problem"], body["record_id"]) == (False, "removed", records[2].pk)
        assert body["action"] == "test.thing.op2"
        assert f"#{records[2].pk}" in body["message"]


def test_sign_in_records_appear_in_the_api(api_client, audit_admin) -> None:
    audit.record(actor=None, username="guess", action="accounts.user.sign_in", outcome="failed")
    body = api_client(audit_admin).get(RECORDS, {"person": "guess"}).json()
    assert [(i["actor_username"], i["outcome"]) for i in body["items"]] == [("guess", "failed")]
