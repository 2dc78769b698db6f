"""Who may read confidential rows (with and without a live grant), and a table of roles × actions on requests
and grants through the API and the pages: allowed actions work, denied ones are 403/404 and change nothing."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core import authz
from ftzsafety.core.models import Classification
from ftzsafety.enterprises.models import Enterprise
from ftzsafety.security import services
from ftzsafety.security.models import AccessRequest, AccessRequestEvent, AccessRequestStep, Grant
from tests.accounts.factories import UserFactory, department
from tests.enterprises.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
DATASET = "enterprises.enterprise"
ALL_ROLES = [
    "commander",
    "analyst",
    "emergency_officer",
    "emergency_head",
    "customs_reviewer",
    "customs_head",
    "enterprise_admin",
    "enterprise_staff",
    "association_staff",
    "agency_staff",
    "system_admin",
    "security_admin",
    "audit_admin",
]


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def customs_head(db):
    return UserFactory(username="customs_head", organisation=department("customs"), roles=["department_head"])


class People:
    """The named users, created only when a test first names one (password hashing is slow)."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    def __getitem__(self, name: str):
        return self._request.getfixturevalue(name)


@pytest.fixture
def people(request, enterprise, emergency_head, customs_head, security_admin):
    """The approvers of the default chain exist from the start; everyone else when first named."""
    return People(request)


@pytest.fixture
def rows(db):
    customs = department("customs")
    return {
        "secret": EnterpriseFactory(classification=Classification.CONFIDENTIAL, owner=customs),
        "secret_too": EnterpriseFactory(classification=Classification.CONFIDENTIAL, owner=customs),
        "zone_secret": EnterpriseFactory(classification=Classification.CONFIDENTIAL),  # zone administration's
        "internal": EnterpriseFactory(classification=Classification.INTERNAL, owner=customs),
    }


def visible(actor, rows) -> set[str]:
    pks = set(authz.visible_to(actor, Enterprise.objects.all()).values_list("pk", flat=True))
    return {name for name, row in rows.items() if row.pk in pks}


def approve_all(request_id, people):
    for who in ("emergency_head", "customs_head", "security_admin"):
        services.access_request_approve(actor=people[who], request_id=request_id)
    return Grant.objects.get(request_id=request_id)


def submit(actor, **values):
    defaults = {"dataset": DATASET, "purpose": "危险货物联合检查", "valid_until": in_days(30)}
    return services.access_request_submit(actor=actor, **(defaults | values))


def snapshot() -> tuple:
    return (
        tuple(AccessRequest.objects.order_by("pk").values_list("pk", "status", "decided_at")),
        tuple(AccessRequestStep.objects.order_by("pk").values_list("pk", "status", "decided_by_id")),
        AccessRequestEvent.objects.count(),
        tuple(Grant.objects.order_by("pk").values_list("pk", "revoked_at")),
        # sign-ins are audited too, and so is each refusal (as denied): the rest must not change
        AuditRecord.objects.filter(action__startswith="security.").exclude(outcome="denied").count(),
    )


class TestConfidentialVisibility:
    def test_without_a_grant_only_the_owner_sees_confidential_rows(self, people, rows):
        assert visible(people["emergency_officer"], rows) == {"internal"}
        assert visible(people["customs_reviewer"], rows) == {"secret", "secret_too", "internal"}
        assert visible(people["commander"], rows) == {"zone_secret", "internal"}

    def test_a_record_grant_shows_that_record_only(self, people, rows):
        officer = people["emergency_officer"]
        grant = approve_all(submit(officer, object_id=rows["secret"].pk).pk, people)
        assert visible(officer, rows) == {"secret", "internal"}
        assert visible(people["emergency_head"], rows) == {"internal"}  # a grant is personal
        services.grant_revoke(actor=people["security_admin"], grant_id=grant.pk, reason="核查完毕")
        assert visible(officer, rows) == {"internal"}

    def test_a_dataset_grant_shows_every_row_of_that_owner(self, people, rows):
        officer = people["emergency_officer"]
        approve_all(submit(officer, owner_code="dept-customs").pk, people)
        assert visible(officer, rows) == {"secret", "secret_too", "internal"}  # not the zone administration's

    def test_an_expired_grant_shows_nothing(self, people, rows):
        officer = people["emergency_officer"]
        grant = approve_all(submit(officer, object_id=rows["secret"].pk).pk, people)
        Grant.objects.filter(pk=grant.pk).update(valid_until=in_days(-1))
        assert visible(officer, rows) == {"internal"}

    @pytest.mark.parametrize("who", ["system_admin", "security_admin", "audit_admin"])
    def test_platform_administrators_read_no_business_data(self, people, rows, who):
        assert visible(people[who], rows) == set()

    def test_grants_cost_one_subquery_not_a_query_per_row(self, people, rows, django_assert_num_queries):
        officer = people["emergency_officer"]
        approve_all(submit(officer, owner_code="dept-customs").pk, people)
        EnterpriseFactory.create_batch(20, classification=Classification.CONFIDENTIAL, owner=department("customs"))
        _ = officer.role_names, officer.organisation
        visible(officer, rows)  # warm the content-type cache
        with django_assert_num_queries(1) as ctx:
            count = len(list(authz.visible_to(officer, Enterprise.objects.all())))
        assert count == 24  # 20 + secret, secret_too, internal + the public `enterprise`
        assert "EXISTS" in ctx.captured_queries[0]["sql"].upper()


# --- the API -----------------------------------------------------------------------------------------------


def api_submit_body(row) -> dict:
    return {"dataset": DATASET, "object_id": row.pk, "purpose": "危险货物联合检查", "valid_until": str(in_days(30))}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("emergency_officer", 201),
        ("emergency_head", 409),  # the only head of emergency cannot approve their own request
        ("customs_reviewer", 409),  # customs owns the row
        ("enterprise_admin", 403),
        ("association_staff", 403),
        ("agency_staff", 403),
        ("system_admin", 403),
        ("security_admin", 403),
        ("audit_admin", 403),
    ],
)
def test_api_submit_by_role(people, rows, api_client, who, status):
    before = snapshot()
    response = api_client(people[who]).post(
        "/api/v1/access-requests", api_submit_body(rows["secret"]), content_type="application/json"
    )
    assert response.status_code == status, response.content
    if status == 201:
        body = response.json()
        assert body["status"] == "pending"
        assert [s["approver_kind"] for s in body["steps"]] == ["requester_head", "owner_head", "security_admin"]
    else:
        assert set(response.json()) == {"code", "message", "detail"}
        assert snapshot() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("emergency_head", 200),  # step 1
        ("customs_head", 403),  # step 2, not yet
        ("security_admin", 403),  # step 3, not yet
        ("emergency_officer", 403),  # the requester
        ("commander", 404),
        ("analyst", 404),
        ("customs_reviewer", 404),
        ("enterprise_admin", 404),
        ("association_staff", 404),
        ("system_admin", 404),
        ("audit_admin", 404),
    ],
)
def test_api_approve_first_step_by_role(people, rows, api_client, who, status):
    request = submit(people["emergency_officer"], object_id=rows["secret"].pk)
    before = snapshot()
    response = api_client(people[who]).post(
        f"/api/v1/access-requests/{request.pk}/approve", {}, content_type="application/json"
    )
    assert response.status_code == status, response.content
    if status == 200:
        assert [s["status"] for s in response.json()["steps"]] == ["approved", "pending", "waiting"]
    else:
        assert snapshot() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("security_admin", 200),
        ("customs_head", 200),  # head of the owning organisation
        ("emergency_officer", 200),  # the holder gives it up
        ("emergency_head", 403),  # oversees the holder, but does not own the data
        ("customs_reviewer", 404),
        ("commander", 404),
        ("enterprise_admin", 404),
        ("system_admin", 404),
        ("audit_admin", 404),
    ],
)
def test_api_revoke_by_role(people, rows, api_client, who, status):
    grant = approve_all(submit(people["emergency_officer"], object_id=rows["secret"].pk).pk, people)
    before = snapshot()
    response = api_client(people[who]).post(
        f"/api/v1/grants/{grant.pk}/revoke", {"reason": "任务结束"}, content_type="application/json"
    )
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["live"] is False
    else:
        assert snapshot() == before


def test_api_refuse_needs_a_reason(people, rows, api_client):
    request = submit(people["emergency_officer"], object_id=rows["secret"].pk)
    client = api_client(people["emergency_head"])
    before = snapshot()
    response = client.post(
        f"/api/v1/access-requests/{request.pk}/refuse", {"reason": ""}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"]["fields"] == {"reason": ["Give a reason."]}
    assert snapshot() == before
    response = client.post(
        f"/api/v1/access-requests/{request.pk}/refuse", {"reason": "用途不充分"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "refused"


def test_api_lists_queue_and_reading_the_granted_row(people, rows, api_client, bearer_client):
    officer = people["emergency_officer"]
    secret = rows["secret"]
    assert api_client(officer).get(f"/api/v1/enterprises/{secret.uscc}").status_code == 404
    request = submit(officer, object_id=secret.pk)
    queue = api_client(people["emergency_head"]).get("/api/v1/access-requests/queue").json()
    assert [item["id"] for item in queue["items"]] == [request.pk]
    assert api_client(people["customs_head"]).get("/api/v1/access-requests/queue").json()["count"] == 0
    grant = approve_all(request.pk, people)
    mine = bearer_client(officer).get("/api/v1/grants?mine=true&live=true").json()
    assert [item["id"] for item in mine["items"]] == [grant.pk]
    assert api_client(officer).get(f"/api/v1/access-requests/{request.pk}").json()["grant_id"] == grant.pk
    assert api_client(officer).get(f"/api/v1/enterprises/{secret.uscc}").status_code == 200
    for who in ("system_admin", "security_admin", "audit_admin"):
        assert api_client(people[who]).get(f"/api/v1/enterprises/{secret.uscc}").status_code == 404
    assert api_client(people["security_admin"]).get("/api/v1/grants").json()["count"] == 1
    assert api_client(people["audit_admin"]).get("/api/v1/grants").json()["count"] == 0
    assert api_client(people["enterprise_admin"]).get("/api/v1/access-requests").json()["count"] == 0


def test_api_validation_names_the_field(people, rows, api_client):
    body = api_submit_body(rows["secret"]) | {"valid_until": str(in_days(200))}
    response = api_client(people["emergency_officer"]).post(
        "/api/v1/access-requests", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert list(response.json()["detail"]["fields"]) == ["valid_until"]
    assert AccessRequest.objects.count() == 0


# --- the pages ---------------------------------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(?!\s*</script>)", re.IGNORECASE)


def assert_csp_clean(html: str) -> None:
    assert " style=" not in html
    assert "<style" not in html
    for match in INLINE_SCRIPT.finditer(html):
        assert 'type="application/json"' in match.group(0)  # json_script data only


@pytest.mark.parametrize("who", ALL_ROLES)
def test_every_role_has_a_data_access_page(people, api_client, who):
    response = api_client(people[who]).get(reverse("security:home"))
    assert response.status_code == 200
    assert_csp_clean(response.content.decode())


@pytest.mark.parametrize(
    ("who", "status"),
    [("emergency_officer", 200), ("enterprise_admin", 403), ("system_admin", 403), ("security_admin", 403)],
)
def test_request_page_by_role(people, api_client, who, status):
    response = api_client(people[who]).get(reverse("security:request_new") + f"?dataset={DATASET}")
    assert response.status_code == status


def test_request_approve_refuse_and_revoke_through_the_pages(people, rows, api_client):
    officer = api_client(people["emergency_officer"])
    response = officer.get(reverse("security:request_new"))
    assert response.status_code == 200
    assert DATASET in response.content.decode()
    form_url = reverse("security:request_new") + f"?dataset={DATASET}"
    page = officer.get(form_url)
    assert_csp_clean(page.content.decode())

    bad = officer.post(form_url, {"dataset": DATASET, "owner": "dept-customs", "purpose": "", "valid_until": ""})
    assert bad.status_code == 200
    assert 'data-testid="errors-purpose"' in bad.content.decode()
    assert AccessRequest.objects.count() == 0

    response = officer.post(
        form_url,
        {"dataset": DATASET, "owner": "dept-customs", "purpose": "危险货物联合检查", "valid_until": str(in_days(20))},
    )
    request = AccessRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("security:request_detail", args=[request.pk])

    head = api_client(people["emergency_head"])
    queue = head.get(reverse("security:queue")).content.decode()
    assert f'data-testid="request-row-{request.pk}"' in queue
    detail = head.get(reverse("security:request_detail", args=[request.pk])).content.decode()
    assert 'data-testid="approve-form"' in detail
    assert_csp_clean(detail)
    assert head.post(reverse("security:request_approve", args=[request.pk])).status_code == 302

    owner_head = api_client(people["customs_head"])
    confirm = owner_head.get(reverse("security:request_refuse", args=[request.pk]))
    assert confirm.status_code == 200
    assert 'data-testid="confirm-refuse"' in confirm.content.decode()
    before = snapshot()
    no_reason = owner_head.post(reverse("security:request_refuse", args=[request.pk]), {"reason": ""})
    assert no_reason.status_code == 200
    assert 'data-testid="errors-reason"' in no_reason.content.decode()
    assert snapshot() == before
    assert owner_head.post(reverse("security:request_approve", args=[request.pk])).status_code == 302
    # The security administrator's step: a refusal page for someone else's step is refused.
    assert head.get(reverse("security:request_refuse", args=[request.pk])).status_code == 403
    assert (
        api_client(people["security_admin"]).post(reverse("security:request_approve", args=[request.pk])).status_code
        == 302
    )
    grant = Grant.objects.get(request=request)

    grants_page = officer.get(reverse("security:grants")).content.decode()
    assert f'data-testid="revoke-{grant.pk}"' in grants_page
    assert (
        api_client(people["emergency_head"]).get(reverse("security:grant_revoke", args=[grant.pk])).status_code == 403
    )
    response = api_client(people["security_admin"]).post(
        reverse("security:grant_revoke", args=[grant.pk]), {"reason": "检查结束"}
    )
    assert response.status_code == 302
    assert Grant.objects.get(pk=grant.pk).revoked_at is not None


def test_wrong_approver_on_the_page_changes_nothing(people, rows, api_client):
    request = submit(people["emergency_officer"], object_id=rows["secret"].pk)
    before = snapshot()
    assert (
        api_client(people["customs_head"]).post(reverse("security:request_approve", args=[request.pk])).status_code
        == 403
    )
    assert (
        api_client(people["system_admin"]).post(reverse("security:request_approve", args=[request.pk])).status_code
        == 404
    )
    assert snapshot() == before


def test_pages_in_chinese(people, rows, client):
    client.force_login(people["emergency_head"])
    submit(people["emergency_officer"], object_id=rows["secret"].pk)
    response = client.get(reverse("security:queue"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
