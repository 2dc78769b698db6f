"""Pending registrations relinked once the enterprise exists; large imports queued as tasks with progress."""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import InvalidTransition, PermissionDenied
from ftzsafety.exchange import services
from ftzsafety.exchange.choices import JobStatus, PendingStatus, ResolutionStatus
from ftzsafety.exchange.models import DangerousGoodsWaybill, ImportJob, PendingRegistration
from tests.enterprises.factories import EnterpriseFactory, make_uscc
from tests.exchange.conftest import waybill

UNKNOWN = "新港危化物流有限公司"


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _run(actor, dataset, rows):
    return services.records_import(actor=actor, dataset=dataset, rows=enumerate(rows, start=1))


@pytest.fixture
def waiting(transport_officer, enterprise):
    """Three waybills of an enterprise nobody has registered: one pending registration, rows unlinked."""
    rows = [waybill(enterprise, f"WB-P{i}", enterprise_code="", enterprise_name=UNKNOWN) for i in range(3)]
    job = _run(transport_officer, "dangerous-goods-waybills", rows)
    assert job.created == 3
    pending = PendingRegistration.objects.get()
    assert pending.status == PendingStatus.OPEN
    assert set(DangerousGoodsWaybill.objects.values_list("resolution", flat=True)) == {
        ResolutionStatus.PENDING_REGISTRATION
    }
    return pending


class TestRegistrationLinks:
    """Registering the enterprise links what waited for it, at once and only on an exact match (issue 4, item 3)."""

    def test_registering_the_named_enterprise_links_its_waiting_rows(self, waiting, commander) -> None:
        from ftzsafety.enterprises.services import enterprise_create

        registered = enterprise_create(
            actor=commander,
            uscc=make_uscc(),
            values={
                "name_zh": "新港危化物流有限责任公司",
                "organisation_form": "limited_liability",
                "industry_section": "G",
            },
        )  # fmt: skip  (有限责任公司 and 有限公司 normalise alike)
        waiting.refresh_from_db()
        assert (waiting.status, waiting.enterprise_id, waiting.rows_linked) == ("linked", registered.pk, 3)
        assert set(DangerousGoodsWaybill.objects.values_list("enterprise_id", "resolution")) == {
            (registered.pk, "linked")
        }
        link = AuditRecord.objects.get(action="exchange.pending.link")
        assert (link.actor_id, link.detail["how"], link.detail["rows_linked"]) == (commander.pk, "registration", 3)

    def test_registering_by_the_reported_code_links_too(self, transport_officer, enterprise, commander) -> None:
        from ftzsafety.enterprises.services import enterprise_create

        code = make_uscc()
        job = _run(transport_officer, "dangerous-goods-waybills", [waybill(enterprise, "WB-C1", enterprise_code=code,
                                                                           enterprise_name="某某公司")])  # fmt: skip
        assert job.created == 1
        assert PendingRegistration.objects.get().status == PendingStatus.OPEN
        registered = enterprise_create(
            actor=commander,
            uscc=code,
            values={"name_zh": "完全不同的名称有限公司", "organisation_form": "limited_liability",
                    "industry_section": "G"},
        )  # fmt: skip
        assert DangerousGoodsWaybill.objects.get().enterprise_id == registered.pk
        assert PendingRegistration.objects.get().status == PendingStatus.LINKED

    def test_a_different_enterprise_links_nothing(self, waiting, commander) -> None:
        from ftzsafety.enterprises.services import enterprise_create

        enterprise_create(
            actor=commander,
            uscc=make_uscc(),
            values={"name_zh": "新港物流有限公司", "organisation_form": "limited_liability", "industry_section": "G"},
        )
        waiting.refresh_from_db()
        assert waiting.status == PendingStatus.OPEN
        assert not DangerousGoodsWaybill.objects.filter(enterprise__isnull=False).exists()
        assert not AuditRecord.objects.filter(action="exchange.pending.link").exists()


class TestLink:
    def test_officer_links_to_existing_enterprise(
        self, waiting, emergency_officer, transport_officer, other_enterprise
    ) -> None:
        pending = services.pending_registration_link(
            actor=emergency_officer, pending_id=waiting.pk, enterprise_id=other_enterprise.pk
        )
        assert (pending.status, pending.enterprise_id, pending.rows_linked) == ("linked", other_enterprise.pk, 3)
        assert set(DangerousGoodsWaybill.objects.values_list("enterprise_id", "resolution")) == {
            (other_enterprise.pk, "linked")
        }
        record = AuditRecord.objects.get(action="exchange.pending.link")
        assert record.detail["rows_linked"] == 3
        assert record.actor_id == emergency_officer.pk
        with pytest.raises(InvalidTransition):
            services.pending_registration_link(
                actor=emergency_officer, pending_id=waiting.pk, enterprise_id=other_enterprise.pk
            )
        # later rows under the same name link directly
        job = _run(transport_officer, "dangerous-goods-waybills", [
            waybill(other_enterprise, "WB-LATER", enterprise_code="", enterprise_name=UNKNOWN)
        ])  # fmt: skip
        assert job.created == 1
        assert DangerousGoodsWaybill.objects.get(waybill_no="WB-LATER").enterprise_id == other_enterprise.pk

    def test_non_officers_change_nothing(self, waiting, association_staff, enterprise_admin, enterprise) -> None:
        for user in (association_staff, enterprise_admin):
            with pytest.raises(PermissionDenied):
                services.pending_registration_link(actor=user, pending_id=waiting.pk, enterprise_id=enterprise.pk)
        waiting.refresh_from_db()
        assert waiting.status == PendingStatus.OPEN
        assert not DangerousGoodsWaybill.objects.filter(enterprise__isnull=False).exists()
        assert not AuditRecord.objects.filter(action="exchange.pending.link").exists()

    def test_relink_after_registration(self, waiting, emergency_officer) -> None:
        assert services.pending_registrations_relink(actor=emergency_officer).registrations == 0
        registered = EnterpriseFactory(uscc=make_uscc(), name_zh=UNKNOWN, name_en="Xingang DG Logistics Co., Ltd.")
        report = services.pending_registrations_relink(actor=emergency_officer)
        assert (report.registrations, report.rows) == (1, 3)
        assert set(DangerousGoodsWaybill.objects.values_list("enterprise_id", flat=True)) == {registered.pk}
        waiting.refresh_from_db()
        assert (waiting.status, waiting.enterprise_id) == ("linked", registered.pk)
        assert AuditRecord.objects.filter(action="exchange.pending.relink").latest("id").detail == {
            "registrations_linked": 1,
            "rows_linked": 3,
        }

    def test_code_only_rows_relink_by_code(self, transport_officer, emergency_officer, enterprise) -> None:
        code = make_uscc()
        _run(transport_officer, "dangerous-goods-waybills", [
            waybill(enterprise, "WB-C", enterprise_code=code, enterprise_name="")
        ])  # fmt: skip
        pending = PendingRegistration.objects.get()
        assert pending.reported_code == code
        registered = EnterpriseFactory(uscc=code)
        assert services.pending_registrations_relink(actor=emergency_officer).rows == 1
        assert DangerousGoodsWaybill.objects.get().enterprise_id == registered.pk


class TestLinkApiAndPage:
    def test_api(self, waiting, api_client, emergency_officer, enterprise_admin, other_enterprise) -> None:
        url = f"/api/v1/exchange/pending-registrations/{waiting.pk}/link"
        listed = api_client(emergency_officer).get("/api/v1/exchange/pending-registrations?status=open").json()
        assert listed["count"] == 1
        assert listed["items"][0]["reported_name"] == UNKNOWN
        denied = api_client(enterprise_admin).post(
            url, data={"enterprise_id": other_enterprise.pk}, content_type="application/json"
        )
        assert denied.status_code == 403
        assert denied.json()["code"] == "permission_denied"
        missing = api_client(emergency_officer).post(
            "/api/v1/exchange/pending-registrations/999999/link",
            data={"enterprise_id": other_enterprise.pk},
            content_type="application/json",
        )
        assert missing.status_code == 404
        bad = api_client(emergency_officer).post(url, data={"enterprise_id": 999999}, content_type="application/json")
        assert bad.status_code == 422
        assert "enterprise" in bad.json()["detail"]["fields"]
        ok = api_client(emergency_officer).post(
            url, data={"enterprise_id": other_enterprise.pk}, content_type="application/json"
        )
        assert ok.status_code == 200
        assert ok.json()["rows_linked"] == 3
        again = api_client(emergency_officer).post(
            url, data={"enterprise_id": other_enterprise.pk}, content_type="application/json"
        )
        assert again.status_code == 409
        relink = api_client(emergency_officer).post("/api/v1/exchange/pending-registrations/relink")
        assert relink.json() == {"registrations_linked": 0, "rows_linked": 0}

    def test_page_buttons(self, waiting, emergency_officer, other_enterprise) -> None:
        client = _client(emergency_officer)
        page = client.get("/exchange/resolution/").content.decode()
        assert UNKNOWN in page
        assert f"/exchange/resolution/pending/{waiting.pk}/link/" in page
        wrong = client.post(
            f"/exchange/resolution/pending/{waiting.pk}/link/", {"uscc": "91120116XXXXXXXXXX"}, follow=True
        )
        assert wrong.status_code == 200
        waiting.refresh_from_db()
        assert waiting.status == PendingStatus.OPEN
        response = client.post(
            f"/exchange/resolution/pending/{waiting.pk}/link/", {"uscc": other_enterprise.uscc}, follow=True
        )
        assert "3 waiting rows were linked" in response.content.decode()
        waiting.refresh_from_db()
        assert waiting.status == PendingStatus.LINKED
        relinked = client.post("/exchange/resolution/pending/relink/", follow=True).content.decode()
        assert "0 pending registrations linked" in relinked


class TestQueuedImports:
    def test_api_above_threshold_is_queued_and_runs(
        self, api_client, transport_officer, enterprise, monkeypatch
    ) -> None:
        monkeypatch.setattr(services, "ASYNC_ROWS", 2)
        rows = [waybill(enterprise, f"WB-A{i}") for i in range(3)] + [waybill(enterprise, "WB-BAD", unit="barrel")]
        response = api_client(transport_officer).post(
            "/api/v1/exchange/dangerous-goods-waybills/records", data=json.dumps(rows), content_type="application/json"
        )
        assert response.status_code == 202
        body = response.json()
        assert body["expected"] == 4
        job = ImportJob.objects.get(pk=body["id"])  # the immediate task backend has run it
        assert (job.status, job.created, job.rejected) == (JobStatus.COMPLETED, 3, 1)
        assert job.rejected_rows == [
            {"row": 4, "field": "unit", "reason": job.rejected_rows[0]["reason"]}
        ]  # row numbers survive the queue
        assert not Path(job.upload).exists()  # the queued file is removed once read
        assert AuditRecord.objects.filter(action="exchange.import.queue", target_id=str(job.pk)).exists()
        assert DangerousGoodsWaybill.objects.count() == 3

    def test_queued_job_refused_when_officer_lost_the_role(self, transport_officer, enterprise, monkeypatch) -> None:
        from ftzsafety.exchange import tasks

        monkeypatch.setattr(
            tasks, "run_import", SimpleNamespace(enqueue=lambda job_id: None)
        )  # a worker that has not run yet
        job = services.import_enqueue(
            actor=transport_officer, dataset="dangerous-goods-waybills", rows=[(1, waybill(enterprise))]
        )
        assert job.status == JobStatus.QUEUED
        transport_officer.is_active = False
        transport_officer.save()
        done = services.import_run_queued(job_id=job.pk)
        assert done.status == JobStatus.FAILED
        assert DangerousGoodsWaybill.objects.count() == 0
        assert services.import_run_queued(job_id=job.pk).status == JobStatus.FAILED  # run twice: no-op

    def test_upload_page_small_inline_large_queued(self, transport_officer, enterprise, monkeypatch) -> None:
        client = _client(transport_officer)
        form = client.get("/exchange/import/")
        assert form.status_code == 200
        html = form.content.decode()
        assert 'value="dangerous-goods-waybills"' in html
        assert 'value="customs-declarations"' not in html  # only the datasets the department writes
        assert 'style="' not in html
        assert html.count("<script") == html.count("<script src=")
        header = "waybill_no,enterprise_code,enterprise_name,carrier,vehicle,un_number,quantity,unit,origin,destination,route,departs_on,arrives_on\n"  # noqa: E501
        line = "{no},{code},,滨海危货运输有限公司,津A12345,UN1203,18.5,t,天津港,滨海化工园区,,2026-11-03,\n"
        csv_text = header + "".join(line.format(no=f"WB-U{i}", code=enterprise.uscc) for i in range(3))

        def upload(name):
            from django.core.files.uploadedfile import SimpleUploadedFile

            return client.post(
                "/exchange/import/",
                {"dataset": "dangerous-goods-waybills", "file": SimpleUploadedFile(name, csv_text.encode())},
            )

        response = upload("waybills.csv")
        job = ImportJob.objects.latest("id")
        assert response.status_code == 302
        assert response["Location"] == f"/exchange/jobs/{job.pk}/"
        assert (job.status, job.created, job.source_name) == (JobStatus.COMPLETED, 3, "waybills.csv")
        monkeypatch.setattr(services, "ASYNC_ROWS", 1)
        from ftzsafety.exchange import tasks

        monkeypatch.setattr(
            tasks, "run_import", SimpleNamespace(enqueue=lambda job_id: None)
        )  # leave it queued to see progress
        upload("waybills-again.csv")
        queued = ImportJob.objects.latest("id")
        assert (queued.status, queued.expected) == (JobStatus.QUEUED, 3)
        assert Path(queued.upload).parent == Path(settings.VAR_DIR) / "imports"
        progress = client.get(f"/exchange/jobs/{queued.pk}/progress/").content.decode()
        assert 'hx-trigger="every 2s"' in progress
        assert "<progress" in progress
        services.import_run_queued(job_id=queued.pk)
        done = client.get(f"/exchange/jobs/{queued.pk}/progress/").content.decode()
        assert "hx-trigger" not in done
        queued.refresh_from_db()
        assert (queued.status, queued.unchanged) == (JobStatus.COMPLETED, 3)

    def test_upload_refusals(self, transport_officer, commander, association_staff) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        client = _client(transport_officer)
        wrong_columns = client.post(
            "/exchange/import/",
            {"dataset": "dangerous-goods-waybills", "file": SimpleUploadedFile("x.csv", b"a,b\n1,2\n")},
        )
        assert wrong_columns.status_code == 200
        assert "the columns do not match" in wrong_columns.content.decode()
        not_theirs = client.post(
            "/exchange/import/", {"dataset": "customs-declarations", "file": SimpleUploadedFile("x.csv", b"a\n")}
        )
        assert "Choose a dataset your department writes." in not_theirs.content.decode()
        assert ImportJob.objects.count() == 0
        # the zone administration reads every dataset but writes none: the form lists none
        assert "writes none of the shared datasets" in _client(commander).get("/exchange/import/").content.decode()
        assert _client(association_staff).get("/exchange/import/").status_code == 403
