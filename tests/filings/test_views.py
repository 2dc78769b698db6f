"""Filings pages: the enterprise files through the form, sees findings and per-department status; reviewers
decide on the filing page; the queue, the metrics chart page and the profile panel render."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ftzsafety.audit.models import AuditRecord
from ftzsafety.filings import services
from ftzsafety.filings.models import DepartmentReview, Filing
from tests.filings.conftest import dg_form, sds_upload

pytestmark = pytest.mark.django_db
CURRICULUM = "一、IMDG规则概述；二、危险货物分类与标志；三、装箱隔离要求；四、泄漏应急处置；五、灭火器实操演练。" * 2


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _page_post(form: dict) -> dict:
    data = {k: v for k, v in form.items() if k != "goods"}
    data["eta"] = timezone.localtime(timezone.now() + timedelta(hours=form.pop("_eta_hours", 48))).strftime(
        "%Y-%m-%dT%H:%M"
    )
    if not form.get("onward_by_road"):
        data.pop("onward_by_road", None)
    data["goods-TOTAL_FORMS"] = "5"
    data["goods-INITIAL_FORMS"] = "0"
    for index, line in enumerate(form["goods"]):
        for key, value in line.items():
            data[f"goods-{index}-{key}"] = value
    for index in range(len(form["goods"]), 5):
        data[f"goods-{index}-unit"] = "kg"
    return data


def test_enterprise_files_through_the_pages(enterprise_admin, reviewers, destinations):
    client = _client(enterprise_admin)
    assert client.get("/filings/").status_code == 200
    page = client.get("/filings/new/dg_pre_arrival/")
    assert page.status_code == 200
    assert "港区3号危险货物堆场" in page.content.decode() or "Port DG Yard No. 3" in page.content.decode()

    bad = _page_post(dg_form())
    bad["goods-0-un_number"] = "12"
    response = client.post("/filings/new/dg_pre_arrival/", bad)
    assert response.status_code == 200
    assert 'data-testid="errors-goods-0-un_number"' in response.content.decode()
    assert not Filing.objects.exists()

    response = client.post("/filings/new/dg_pre_arrival/", _page_post(dg_form()))
    filing = Filing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/filings/{filing.pk}/"
    assert [g["un_number"] for g in filing.form["goods"]] == ["UN1203", "UN1090"]
    for number in ("UN1203", "UN1090"):
        client.post(
            f"/filings/{filing.pk}/attachments/", {"kind": "sds", "un_number": number, "file": sds_upload(number)}
        )
    client.post(f"/filings/{filing.pk}/submit/")
    detail = client.get(f"/filings/{filing.pk}/").content.decode()
    assert 'data-testid="filing-status" data-status="in_review">In review' in detail
    assert 'data-testid="review-status-customs" data-status="pending">Under review' in detail
    reads = AuditRecord.objects.filter(action="filings.filing.read", target_id=str(filing.pk))
    opened = reads.count()
    fragment = client.get(f"/filings/{filing.pk}/?fragment=reviews", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<section class="card" id="department-reviews"')
    assert reads.count() == opened  # the 15-second refresh is not another audited read; opening the page is
    client.get(f"/filings/{filing.pk}/")
    assert reads.count() == opened + 1

    # A reviewer decides on the page; another department's reviewer gets no decision form.
    customs = DepartmentReview.objects.get(filing=filing, department="customs")
    reviewer_page = _client(reviewers["customs"]).get(f"/filings/{filing.pk}/").content.decode()
    assert 'data-testid="decide-customs"' in reviewer_page
    assert 'data-testid="decide-maritime"' not in reviewer_page
    _client(reviewers["customs"]).post(f"/filings/reviews/{customs.pk}/decide/", {"decision": "approve"})
    customs.refresh_from_db()
    assert customs.status == "approved"
    _client(reviewers["transport"]).post(
        f"/filings/reviews/{DepartmentReview.objects.get(filing=filing, department='maritime').pk}/decide/",
        {"decision": "approve"},
    )
    assert DepartmentReview.objects.get(filing=filing, department="maritime").status == "pending"


def test_queue_metrics_and_panel_render(enterprise_admin, reviewers, destinations, analyst, enterprise):
    filing = services.filing_create(actor=enterprise_admin, filing_type="dg_pre_arrival", form=dg_form())
    for number in ("UN1203", "UN1090"):
        services.filing_attachment_add(
            actor=enterprise_admin, filing_id=filing.pk, upload=sds_upload(number), kind="sds", un_number=number
        )
    services.filing_submit(actor=enterprise_admin, filing_id=filing.pk)
    queue = _client(reviewers["customs"]).get("/filings/queue/")
    assert queue.status_code == 200
    assert filing.reference in queue.content.decode()
    assert filing.reference not in _client(reviewers["fire"]).get("/filings/queue/").content.decode()
    empty = _client(analyst).get("/filings/metrics/")
    assert empty.status_code == 200
    assert 'data-testid="empty-state"' in empty.content.decode()
    assert _client(enterprise_admin).get("/filings/metrics/").status_code == 403
    panel = _client(analyst).get(f"/filings/enterprise/{enterprise.uscc}/panel/")
    assert filing.reference in panel.content.decode()


def test_other_filing_types_through_the_pages(enterprise_admin, reviewers):
    client = _client(enterprise_admin)
    start = (timezone.localdate() + timedelta(days=14)).isoformat()
    response = client.post(
        "/filings/new/foreign_training/",
        {
            "course_title": "危险货物集装箱装箱作业安全（中英双语）",
            "provider": "滨海安信检测技术服务有限公司",
            "language": "中文/English",
            "venue": "保税物流园区培训中心",
            "start_date": start,
            "end_date": start,
            "hours": "8",
            "trainees": "24",
            "foreign_trainees": "6",
            "trainers": "Anna Müller, DE\n王立群, CN",
            "topics": ["dg_handling", "fire_drill"],
            "curriculum": CURRICULUM,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    filing = Filing.objects.get(filing_type__code="foreign_training")
    assert filing.form["trainers"] == [
        {"name": "Anna Müller", "nationality": "DE"},
        {"name": "王立群", "nationality": "CN"},
    ]
    client.post(f"/filings/{filing.pk}/submit/")
    filing.refresh_from_db()
    assert filing.status == "in_review"
    departments = set(DepartmentReview.objects.filter(filing=filing).values_list("department", flat=True))
    assert departments == {"emergency", "commerce", "fire"}


def test_incomplete_training_and_qualification_are_stopped_by_pre_review(enterprise_admin):
    from ftzsafety.filings.models import PreReviewFinding

    training = services.filing_create(
        actor=enterprise_admin,
        filing_type="foreign_training",
        form={
            "course_title": "安全培训", "provider": "某机构", "language": "中文", "venue": "园区",
            "start_date": timezone.localdate().isoformat(), "end_date": timezone.localdate().isoformat(),
            "hours": "2", "trainees": "10", "foreign_trainees": "0", "trainers": [], "topics": [], "curriculum": "",
        },
    )  # fmt: skip
    training = services.filing_submit(actor=enterprise_admin, filing_id=training.pk)
    assert training.status == "prereview_failed"
    rules = set(PreReviewFinding.objects.filter(filing=training).values_list("rule_id", flat=True))
    assert rules == {
        "TRAIN-START",
        "TRAIN-TRAINERS",
        "TRAIN-FOREIGN",
        "TRAIN-TOPICS",
        "TRAIN-CURRICULUM",
        "TRAIN-HOURS",
    }

    qualification = services.filing_create(
        actor=enterprise_admin,
        filing_type="safety_qualification",
        form={
            "qualification_kind": "port_dg_operations", "licence_number": "(津)港经证(0123)号",
            "issuing_authority": "滨海港口管理局", "valid_from": "2020-01-01", "valid_until": "2023-01-01",
            "scope": "危险货物集装箱装卸、堆存",
        },
    )  # fmt: skip
    qualification = services.filing_submit(actor=enterprise_admin, filing_id=qualification.pk)
    rules = set(PreReviewFinding.objects.filter(filing=qualification).values_list("rule_id", flat=True))
    assert rules == {"QUAL-SCAN", "QUAL-EXPIRED"}
