"""Who may do what with filings: allowed actions work; denied ones are refused AND change nothing."""

import pytest

from ftzsafety.filings import services
from ftzsafety.filings.models import DepartmentReview, Filing, FilingEvent
from tests.filings.conftest import dg_form, sds_upload

pytestmark = pytest.mark.django_db
BASE = "/api/v1/filings"


@pytest.fixture
def filing(enterprise_admin, destinations):
    filing = services.filing_create(actor=enterprise_admin, filing_type="dg_pre_arrival", form=dg_form())
    for number in ("UN1203", "UN1090"):
        services.filing_attachment_add(
            actor=enterprise_admin, filing_id=filing.pk, upload=sds_upload(number), kind="sds", un_number=number
        )
    return services.filing_submit(actor=enterprise_admin, filing_id=filing.pk)


@pytest.fixture
def other_admin(other_enterprise):
    from tests.accounts.factories import UserFactory

    return UserFactory(username="other_admin", organisation=other_enterprise.organisation, roles=["enterprise_admin"])


# who → (status of GET list, number of filings seen, status of GET detail)
READS = [
    ("enterprise_admin", 200, 1, 200),
    ("enterprise_staff", 200, 1, 200),
    ("other_admin", 200, 0, 404),
    ("customs_reviewer", 200, 1, 200),
    ("emergency_officer", 200, 1, 200),
    ("commander", 200, 1, 200),
    ("association_staff", 200, 0, 404),
    ("system_admin", 200, 0, 404),
    ("audit_admin", 200, 0, 404),
]


@pytest.mark.parametrize(("who", "list_status", "seen", "detail_status"), READS)
def test_who_sees_which_filings(request, api_client, filing, who, list_status, seen, detail_status):
    client = api_client(request.getfixturevalue(who))
    listed = client.get(BASE)
    assert listed.status_code == list_status
    assert listed.json()["count"] == seen
    assert client.get(f"{BASE}/{filing.pk}").status_code == detail_status


# who → status of deciding the customs review
DECISIONS = [
    ("customs_reviewer", 200),
    ("emergency_officer", 403),
    ("commander", 403),
    ("enterprise_admin", 403),
    ("other_admin", 404),
    ("association_staff", 404),
]


@pytest.mark.parametrize(("who", "status"), DECISIONS)
def test_only_the_departments_reviewer_decides_its_review(request, api_client, filing, who, status):
    review = DepartmentReview.objects.get(filing=filing, department="customs")
    events = FilingEvent.objects.count()
    response = api_client(request.getfixturevalue(who)).post(
        f"{BASE}/reviews/{review.pk}/decision", {"decision": "approve"}, content_type="application/json"
    )
    assert response.status_code == status
    review.refresh_from_db()
    if status == 200:
        assert review.status == "approved"
    else:
        assert review.status == "pending"
        assert FilingEvent.objects.count() == events


# who → status of creating a filing
CREATES = [
    ("enterprise_admin", 201),
    ("enterprise_staff", 201),
    ("customs_reviewer", 403),
    ("commander", 403),
    ("association_staff", 403),
    ("system_admin", 403),
]


@pytest.mark.parametrize(("who", "status"), CREATES)
def test_only_enterprise_staff_file(request, api_client, destinations, enterprise, who, status):
    response = api_client(request.getfixturevalue(who)).post(
        BASE, {"filing_type": "dg_pre_arrival", "form": dg_form()}, content_type="application/json"
    )
    assert response.status_code == status
    assert Filing.objects.count() == (1 if status == 201 else 0)


def test_another_enterprise_cannot_touch_a_filing(api_client, filing, other_admin):
    client = api_client(other_admin)
    before = (filing.status, filing.form)
    assert client.put(f"{BASE}/{filing.pk}", {"form": dg_form()}, content_type="application/json").status_code == 404
    assert (
        client.post(f"{BASE}/{filing.pk}/information", {"response": "x y"}, content_type="application/json").status_code
        == 404
    )
    assert (
        client.post(
            f"{BASE}/{filing.pk}/attachments", {"file": sds_upload("UN1203"), "kind": "sds", "un_number": "UN1203"}
        ).status_code
        == 404
    )
    filing.refresh_from_db()
    assert (filing.status, filing.form) == before
    assert filing.attachments.count() == 2
