"""Who may do what in the registry: a table of roles × actions over the API.

Allowed actions work; denied ones answer 403 (or 404 where the row is invisible) AND change nothing:
the row is compared before and after, and no "ok" audit row appears (a 403 leaves a "denied" one).
"""

import json
from typing import Any

import pytest

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.models import Classification
from ftzsafety.enterprises.models import Enterprise
from ftzsafety.enterprises.selectors import enterprise_list
from tests.accounts.factories import department
from tests.enterprises.factories import EnterpriseFactory, make_uscc

URL = "/api/v1/enterprises"
ROLES = [
    "commander",
    "analyst",
    "emergency_officer",
    "emergency_head",
    "customs_reviewer",
    "enterprise_admin",
    "enterprise_staff",
    "association_staff",
    "agency_staff",
    "system_admin",
    "security_admin",
    "audit_admin",
]
ACTIONS = ["list", "get", "create", "patch_registry", "patch_self_service"]

# role: (list count, get, create, patch a registry field, patch a self-service field) on `enterprise`,
# the firm of the enterprise roles; `other_enterprise` also exists and is public.
TABLE: dict[str, tuple[int, int, int, int, int]] = {
    "commander": (2, 200, 201, 200, 200),
    "analyst": (2, 200, 403, 403, 403),
    "emergency_officer": (2, 200, 403, 403, 403),
    "emergency_head": (2, 200, 201, 200, 200),
    "customs_reviewer": (2, 200, 403, 403, 403),
    "enterprise_admin": (1, 200, 403, 403, 200),
    "enterprise_staff": (1, 200, 403, 403, 403),
    "association_staff": (2, 200, 403, 403, 403),
    "agency_staff": (2, 200, 403, 403, 403),
    "system_admin": (0, 404, 403, 404, 404),
    "security_admin": (0, 404, 403, 404, 404),
    "audit_admin": (0, 404, 403, 404, 404),
}
CASES = [(role, action, TABLE[role][i]) for role in ROLES for i, action in enumerate(ACTIONS)]


def row_state(enterprise: Enterprise) -> dict[str, Any]:
    return Enterprise.objects.filter(pk=enterprise.pk).values().get()


def audit_state() -> list[tuple[str, str, str]]:
    return list(AuditRecord.objects.values_list("action", "outcome", "target_id"))


def send(client, action: str, enterprise: Enterprise):
    if action == "list":
        return client.get(URL)
    if action == "get":
        return client.get(f"{URL}/{enterprise.uscc}")
    if action == "create":
        body = {
            "uscc": make_uscc(),
            "name_zh": "新设危化品贸易有限公司",
            "organisation_form": "limited_liability",
            "industry_section": "F",
            "industry_class": "5169",
        }
        return client.post(URL, json.dumps(body), content_type="application/json")
    body = {"name_zh": "改名后的企业有限公司"} if action == "patch_registry" else {"address": "港口大道99号"}
    return client.patch(f"{URL}/{enterprise.uscc}", json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(("role", "action", "expected"), CASES, ids=[f"{r}-{a}" for r, a, _ in CASES])
def test_access(request, api_client, enterprise, other_enterprise, role, action, expected):
    user = request.getfixturevalue(role)
    client = api_client(user)
    before_row, before_audit = row_state(enterprise), audit_state()
    before_count = Enterprise.objects.count()

    response = send(client, action, enterprise)

    if action == "list":
        assert response.status_code == 200
        assert response.json()["count"] == expected
        return
    assert response.status_code == expected, response.content
    if expected in (200, 201):
        if action == "patch_registry":
            assert row_state(enterprise)["name_zh"] == "改名后的企业有限公司"
        if action == "patch_self_service":
            assert row_state(enterprise)["address"] == "港口大道99号"
        if action != "get":
            new = [a for a in audit_state() if a not in before_audit]
            assert [(a[0], a[1]) for a in new] == [
                ("enterprises.enterprise.create" if action == "create" else "enterprises.enterprise.update", "ok")
            ]
        return
    # denied: an error body, nothing changed, no "ok" audit row
    assert set(response.json()) == {"code", "message", "detail"}
    assert row_state(enterprise) == before_row
    assert Enterprise.objects.count() == before_count
    added = [a for a in audit_state() if a not in before_audit]
    assert all(outcome != "ok" for _, outcome, _ in added), added
    if expected == 403:
        assert [outcome for _, outcome, _ in added] == ["denied"]
    else:
        assert added == []  # a 404 does not reveal, or record against, a row the person cannot see


@pytest.mark.parametrize("action", ["get", "patch_registry", "patch_self_service"])
@pytest.mark.parametrize("role", ["enterprise_admin", "enterprise_staff"])
def test_an_enterprise_user_cannot_touch_another_enterprise(
    request, api_client, other_enterprise, enterprise, role, action
):
    client = api_client(request.getfixturevalue(role))
    before_row, before_audit = row_state(other_enterprise), audit_state()
    response = send(client, action, other_enterprise)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert row_state(other_enterprise) == before_row
    assert audit_state() == before_audit


def test_anonymous_is_401_for_every_action(api_client, enterprise):
    before_row, before_audit = row_state(enterprise), audit_state()
    for action in ACTIONS:
        response = send(api_client(), action, enterprise)
        assert response.status_code == 401, action
        assert response.json()["code"] == "not_authenticated"
    assert row_state(enterprise) == before_row
    assert audit_state() == before_audit


def test_a_disabled_account_is_locked_out(api_client, commander, enterprise):
    client = api_client(commander)
    commander.is_active = False
    commander.save()
    before_row = row_state(enterprise)
    assert send(client, "patch_registry", enterprise).status_code == 401
    assert row_state(enterprise) == before_row


def test_confidential_rows_of_another_department_are_invisible_even_to_keepers(api_client, commander, zone_admin_org):
    secret = EnterpriseFactory(classification=Classification.CONFIDENTIAL, owner=department("customs"))
    before_row = row_state(secret)
    client = api_client(commander)
    assert send(client, "get", secret).status_code == 404
    assert send(client, "patch_registry", secret).status_code == 404
    assert row_state(secret) == before_row


def test_list_costs_a_fixed_number_of_queries(django_assert_max_num_queries, commander, zone_admin_org):
    """A page of 50 with its area and industry class costs one query for the rows, one for the count,
    plus the actor's roles and organisation — never one per row."""
    EnterpriseFactory.create_batch(60)
    commander = type(commander).objects.get(pk=commander.pk)  # no cached roles
    with django_assert_max_num_queries(4):
        qs = enterprise_list(actor=commander)
        page = list(qs[:50])
        total = qs.count()
        rendered = [(e.name, e.area.name if e.area else "", str(e.industry_class)) for e in page]
    assert len(rendered) == 50
    assert total == 60


def test_api_list_page_of_50_costs_the_same_as_a_page_of_5(api_client, emergency_officer, zone_admin_org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    EnterpriseFactory.create_batch(60)
    client = api_client(emergency_officer)
    counts = []
    for limit in (5, 50):
        with CaptureQueriesContext(connection) as ctx:
            assert len(client.get(URL, {"limit": limit}).json()["items"]) == limit
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
