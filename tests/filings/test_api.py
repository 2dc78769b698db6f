"""`/api/v1/filings/…`: status codes, error bodies, pagination, the loop over HTTP, metrics."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ftzsafety.filings import clock, services
from ftzsafety.filings.models import DepartmentReview, Filing
from tests.filings.conftest import AMMONIUM_NITRATE, dg_form, sds_upload

pytestmark = pytest.mark.django_db
BASE = "/api/v1/filings"


def _post(client, path, data):
    return client.post(path, data, content_type="application/json")


def test_the_loop_over_http(api_client, enterprise_admin, reviewers, destinations):
    client = api_client(enterprise_admin)
    goods = [*dg_form()["goods"][:1], AMMONIUM_NITRATE]
    created = _post(client, BASE, {"filing_type": "dg_pre_arrival", "form": dg_form(eta_hours=23, goods=goods)})
    assert created.status_code == 201, created.content
    filing_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    for number in ("UN1203", "UN1942"):
        uploaded = client.post(
            f"{BASE}/{filing_id}/attachments", {"file": sds_upload(number), "kind": "sds", "un_number": number}
        )
        assert uploaded.status_code == 201, uploaded.content
        assert uploaded.json()["sections"] == list(range(1, 17))

    failed = client.post(f"{BASE}/{filing_id}/submit")
    assert failed.status_code == 200
    body = failed.json()
    assert body["status"] == "prereview_failed"
    blocking = {f["rule_id"] for f in body["findings"] if f["severity"] == "blocking"}
    assert blocking == {"DG-ETA-24H", "DG-SEGREGATION"}
    assert all(f["message_zh"] and f["message_en"] and f["source"] for f in body["findings"])

    fixed = client.put(f"{BASE}/{filing_id}", {"form": dg_form()}, content_type="application/json")
    assert fixed.status_code == 200
    client.post(f"{BASE}/{filing_id}/attachments", {"file": sds_upload("UN1090"), "kind": "sds", "un_number": "UN1090"})
    passed = client.post(f"{BASE}/{filing_id}/submit").json()
    assert passed["status"] == "in_review"
    assert sorted(r["department"] for r in passed["reviews"]) == ["customs", "emergency", "maritime"]

    for review in DepartmentReview.objects.filter(filing_id=filing_id):
        answer = _post(
            api_client(reviewers[review.department]),
            f"{BASE}/reviews/{review.pk}/decision",
            {"decision": "approve", "opinion": "同意"},
        )
        assert answer.status_code == 200, answer.content
        assert answer.json()["status"] == "approved"
    final = client.get(f"{BASE}/{filing_id}").json()
    assert final["status"] == "approved"
    assert final["certificate"]["status"] == "valid"
    assert final["certificate"]["payload"]
    verified = _post(api_client(None), "/api/v1/certificates/verify", {"payload": final["certificate"]["payload"]})
    assert verified.json()["valid"] is True


def test_validation_errors_name_the_fields(api_client, enterprise_admin, destinations):
    response = _post(
        api_client(enterprise_admin),
        BASE,
        {"filing_type": "dg_pre_arrival", "form": dg_form(goods=[{"un_number": "x"}])},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    assert "goods[0].un_number" in body["detail"]["fields"]
    assert not Filing.objects.exists()
    unknown = _post(api_client(enterprise_admin), BASE, {"filing_type": "nope", "form": {}})
    assert unknown.status_code == 422
    assert "filing_type" in unknown.json()["detail"]["fields"]


def test_anonymous_is_401(api_client):
    assert api_client(None).get(BASE).status_code == 401


def test_list_is_paginated_and_an_enterprise_sees_only_its_own(
    api_client, enterprise_admin, other_enterprise, destinations
):
    from tests.accounts.factories import UserFactory

    for _ in range(3):
        services.filing_create(actor=enterprise_admin, filing_type="dg_pre_arrival", form=dg_form())
    page = api_client(enterprise_admin).get(f"{BASE}?limit=2&offset=0").json()
    assert page["count"] == 3
    assert len(page["items"]) == 2
    other = UserFactory(username="other_admin", organisation=other_enterprise.organisation, roles=["enterprise_admin"])
    assert api_client(other).get(BASE).json()["count"] == 0
    filing = Filing.objects.first()
    response = api_client(other).get(f"{BASE}/{filing.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    submit = api_client(other).post(f"{BASE}/{filing.pk}/submit")
    assert submit.status_code in (403, 404)
    filing.refresh_from_db()
    assert filing.status == "draft"


def test_wrong_department_decision_is_403_and_changes_nothing(api_client, enterprise_admin, reviewers, destinations):
    filing = services.filing_create(actor=enterprise_admin, filing_type="dg_pre_arrival", form=dg_form())
    for number in ("UN1203", "UN1090"):
        services.filing_attachment_add(
            actor=enterprise_admin, filing_id=filing.pk, upload=sds_upload(number), kind="sds", un_number=number
        )
    services.filing_submit(actor=enterprise_admin, filing_id=filing.pk)
    customs = DepartmentReview.objects.get(filing=filing, department="customs")
    response = _post(
        api_client(reviewers["transport"]),
        f"{BASE}/reviews/{customs.pk}/decision",
        {"decision": "reject", "opinion": "no"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    customs.refresh_from_db()
    assert customs.status == "pending"
    queue = api_client(reviewers["customs"]).get(f"{BASE}/reviews").json()
    assert [item["reference"] for item in queue["items"]] == [filing.reference]
    assert api_client(reviewers["fire"]).get(f"{BASE}/reviews").json()["count"] == 0
    assert api_client(enterprise_admin).get(f"{BASE}/reviews").status_code == 403


def test_metrics_parallel_against_sequential(api_client, enterprise_admin, reviewers, destinations, analyst):
    start = timezone.now() - timedelta(days=3)
    with clock.frozen(start):
        filing = services.filing_create(
            actor=enterprise_admin, filing_type="dg_pre_arrival", form=dg_form(eta_hours=60)
        )
        for number in ("UN1203", "UN1090"):
            services.filing_attachment_add(
                actor=enterprise_admin, filing_id=filing.pk, upload=sds_upload(number), kind="sds", un_number=number
            )
        services.filing_submit(actor=enterprise_admin, filing_id=filing.pk)
    hours = {"customs": 4, "emergency": 6, "maritime": 3}
    for review in DepartmentReview.objects.filter(filing=filing):
        with clock.frozen(start + timedelta(hours=hours[review.department])):
            services.review_decide(actor=reviewers[review.department], review_id=review.pk, decision="approve")
    day = timezone.localdate(start).isoformat()
    body = api_client(analyst).get(f"{BASE}/metrics?from={day}&to={day}").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["departments"] == {"customs": 4.0, "emergency": 6.0, "maritime": 3.0}
    assert item["parallel_hours"] == 6.0
    assert item["sequential_hours"] == 13.0
    assert body["reduction"] == round(1 - 6 / 13, 3)
    assert body["from"] == day
    later = (timezone.localdate(start) + timedelta(days=1)).isoformat()
    assert api_client(analyst).get(f"{BASE}/metrics?from={later}").json()["count"] == 0
    assert api_client(enterprise_admin).get(f"{BASE}/metrics").status_code == 403


def test_queue_is_ordered_by_priority_then_deadline(api_client, enterprise_admin, reviewers, destinations):
    references = []
    for _ in range(3):
        filing = services.filing_create(actor=enterprise_admin, filing_type="dg_pre_arrival", form=dg_form())
        for number in ("UN1203", "UN1090"):
            services.filing_attachment_add(
                actor=enterprise_admin, filing_id=filing.pk, upload=sds_upload(number), kind="sds", un_number=number
            )
        services.filing_submit(actor=enterprise_admin, filing_id=filing.pk)
        references.append(filing.reference)
    customs = DepartmentReview.objects.filter(department="customs").order_by("id")
    # The third filing's enterprise is graded higher meanwhile (priority 1); the first is due sooner than the second.
    DepartmentReview.objects.filter(pk=customs[2].pk).update(priority=1)
    DepartmentReview.objects.filter(pk=customs[1].pk).update(deadline_at=customs[1].deadline_at + timedelta(hours=5))
    queue = api_client(reviewers["customs"]).get(f"{BASE}/reviews").json()
    assert [item["reference"] for item in queue["items"]] == [references[2], references[0], references[1]]


def test_list_costs_a_fixed_number_of_queries(
    api_client, enterprise_admin, customs_reviewer, destinations, django_assert_max_num_queries
):
    for _ in range(12):
        services.filing_create(actor=enterprise_admin, filing_type="dg_pre_arrival", form=dg_form())
    client = api_client(customs_reviewer)
    with django_assert_max_num_queries(12):
        body = client.get(f"{BASE}?limit=50").json()
    assert body["count"] == 12


def _approved(enterprise_admin, reviewers):
    filing = services.filing_create(actor=enterprise_admin, filing_type="dg_pre_arrival", form=dg_form())
    for number in ("UN1203", "UN1090"):
        services.filing_attachment_add(
            actor=enterprise_admin, filing_id=filing.pk, upload=sds_upload(number), kind="sds", un_number=number
        )
    services.filing_submit(actor=enterprise_admin, filing_id=filing.pk)
    return filing


def test_information_request_revoke_and_false_filing_over_http(
    api_client, enterprise_admin, reviewers, destinations, emergency_head, emergency_officer
):
    filing = _approved(enterprise_admin, reviewers)
    customs = DepartmentReview.objects.get(filing=filing, department="customs")
    asked = _post(
        api_client(reviewers["customs"]),
        f"{BASE}/reviews/{customs.pk}/decision",
        {"decision": "request_info", "opinion": "请补充提单"},
    )
    assert asked.json()["status"] == "info_requested"
    assert api_client(enterprise_admin).get(f"{BASE}/{filing.pk}").json()["status"] == "info_requested"
    empty = _post(api_client(enterprise_admin), f"{BASE}/{filing.pk}/information", {"response": ""})
    assert empty.status_code == 422
    assert "response" in empty.json()["detail"]["fields"]
    answered = _post(api_client(enterprise_admin), f"{BASE}/{filing.pk}/information", {"response": "提单已上传"})
    assert answered.json()["status"] == "resubmitted"
    for review in DepartmentReview.objects.filter(filing=filing):
        _post(api_client(reviewers[review.department]), f"{BASE}/reviews/{review.pk}/decision", {"decision": "approve"})

    denied = _post(api_client(enterprise_admin), f"{BASE}/{filing.pk}/revoke", {"reason": "x"})
    assert denied.status_code == 403
    revoked = _post(api_client(emergency_head), f"{BASE}/{filing.pk}/revoke", {"reason": "货物未按申报运抵"})
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    assert revoked.json()["certificate"]["status"] == "revoked"
    again = _post(api_client(emergency_head), f"{BASE}/{filing.pk}/revoke", {"reason": "again"})
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"

    false = _post(
        api_client(emergency_officer),
        f"{BASE}/{filing.pk}/false-filing",
        {"reasons": ["quantity_mismatch"], "note": ""},
    )
    assert false.status_code == 200
    assert false.json()["false_filing"] is True
    assert [e["kind"] for e in false.json()["events"]][-1] == "false_filing_established"
