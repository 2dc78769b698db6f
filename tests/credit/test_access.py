"""Who sees whose credit: a table of roles × reads. An enterprise sees its own explanation and not others'; the
public sees only the publication page; denied writes change nothing."""

import pytest

from ftzsafety.credit.choices import EventKind
from ftzsafety.credit.models import CreditApplication, CreditPolicy, PeerZone

ROLES = [
    # fixture, own enterprise's explanation (enterprise), other enterprise's explanation
    ("commander", 200, 200),
    ("emergency_officer", 200, 200),
    ("customs_reviewer", 200, 200),
    ("analyst", 200, 200),
    ("enterprise_admin", 200, 404),
    ("enterprise_staff", 200, 404),
    ("association_staff", 404, 404),
    ("agency_staff", 404, 404),
    ("system_admin", 404, 404),
    ("security_admin", 404, 404),
    ("audit_admin", 404, 404),
]


@pytest.fixture
def graded(enterprise, other_enterprise, record):
    record(enterprise, EventKind.FALSE_FILING)
    record(other_enterprise, EventKind.PENALTY)
    return enterprise, other_enterprise


@pytest.mark.parametrize(("role", "own", "other"), ROLES)
def test_explanation_by_role(request, api_client, graded, role, own, other) -> None:
    user = request.getfixturevalue(role)
    mine, theirs = graded
    client = api_client(user)
    assert client.get(f"/api/v1/enterprises/{mine.uscc}/credit").status_code == own
    assert client.get(f"/api/v1/enterprises/{theirs.uscc}/credit").status_code == other
    assert client.get(f"/credit/enterprises/{theirs.uscc}/").status_code == (200 if other == 200 else 404)


@pytest.mark.parametrize(("role", "own", "other"), ROLES)
def test_grade_list_by_role(request, api_client, graded, role, own, other) -> None:
    user = request.getfixturevalue(role)
    count = api_client(user).get("/api/v1/credit/grades").json()["count"]
    expected = 2 if other == 200 else (1 if own == 200 else 0)  # everyone / its own grade only / nothing
    assert count == expected


def test_public_sees_only_the_publication(api_client, graded) -> None:
    mine, theirs = graded
    anonymous = api_client(None)
    page = anonymous.get("/credit/public/")
    assert page.status_code == 200
    text = page.content.decode()
    assert mine.uscc in text
    assert theirs.uscc not in text
    assert "30.00" not in text
    assert "false_filing" not in text
    for path in (
        "/credit/",
        f"/credit/enterprises/{mine.uscc}/",
        "/credit/policy/",
        "/credit/applications/",
        "/credit/peer-zones/",
    ):
        response = anonymous.get(path)
        assert response.status_code == 302, path
        assert "/login" in response["Location"], path
    for path in (f"/api/v1/enterprises/{mine.uscc}/credit", "/api/v1/credit/grades", "/api/v1/credit/policy"):
        assert anonymous.get(path).status_code == 401, path


@pytest.mark.parametrize("role", ["emergency_head", "emergency_officer", "enterprise_admin", "association_staff"])
def test_zone_administration_writes_denied_and_nothing_changes(request, api_client, graded, role) -> None:
    user = request.getfixturevalue(role)
    client = api_client(user)
    policies, peers = CreditPolicy.objects.count(), PeerZone.objects.count()
    assert client.post("/credit/policy/", {"rules": "{}", "note": "x"}).status_code in (403, 404)
    assert client.post(
        "/credit/peer-zones/", {"action": "register", "zone_id": "z", "name_zh": "z", "public_key_pem": "x"}
    ).status_code in (403, 404)
    assert CreditPolicy.objects.count() == policies
    assert PeerZone.objects.count() == peers


def test_enterprise_sees_only_its_own_applications(api_client, graded, enterprise_admin, commander) -> None:
    from ftzsafety.credit.models import CreditEvent

    _mine, theirs = graded
    other_event = CreditEvent.objects.get(enterprise=theirs)
    application = CreditApplication.objects.create(
        enterprise=theirs,
        owner_id=theirs.owner_id,
        event=other_event,
        kind="objection",
        reason="他人的异议申请。",
        due_on=other_event.occurred_on,
    )
    assert api_client(enterprise_admin).get(f"/api/v1/credit/applications/{application.pk}").status_code == 404
    assert api_client(enterprise_admin).get("/api/v1/credit/applications").json()["count"] == 0
    assert api_client(commander).get(f"/api/v1/credit/applications/{application.pk}").status_code == 200
