from decimal import Decimal

import pytest

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import PermissionDenied
from ftzsafety.exchange import services
from ftzsafety.exchange.choices import JobStatus, ResolutionStatus
from ftzsafety.exchange.models import (
    CustomsDeclaration,
    DangerousGoodsWaybill,
    ImportJob,
    PendingRegistration,
    ResolutionCase,
    StorageInventory,
)
from tests.enterprises.factories import EnterpriseFactory
from tests.exchange.conftest import declaration, waybill


def _run(actor, dataset, rows, **kwargs):
    return services.records_import(actor=actor, dataset=dataset, rows=enumerate(rows, start=1), **kwargs)


class TestValidation:
    def test_each_field_problem_is_reported_with_row_and_field(self, customs_officer, enterprise) -> None:
        good = declaration(enterprise, "020220261000000001")
        bad_code = declaration(enterprise, "020220261000000002", enterprise_code="91120116MA05ABCDE0")
        bad_date = declaration(enterprise, "020220261000000003", declared_on="2026-13-40")
        bad_direction = declaration(enterprise, "020220261000000004", direction="sideways")
        bad_lines = declaration(enterprise, "020220261000000005")
        bad_lines["goods"] = [
            {"line_no": 1, "hs_code": "12", "goods_name": "x", "un_number": "UN9999", "quantity": "-1", "unit": "bag"}
        ]
        missing = declaration(enterprise, "020220261000000006")
        del missing["port"]
        job = _run(
            customs_officer, "customs-declarations", [good, bad_code, bad_date, bad_direction, bad_lines, missing]
        )
        assert (job.created, job.rejected) == (1, 5)
        problems = {(p["row"], p["field"]) for p in job.rejected_rows}
        assert (2, "enterprise_code") in problems
        assert (3, "declared_on") in problems
        assert (4, "direction") in problems
        assert {
            (5, "goods[0].hs_code"),
            (5, "goods[0].un_number"),
            (5, "goods[0].quantity"),
            (5, "goods[0].unit"),
        } <= problems
        assert (6, "port") in problems
        reason = next(p["reason"] for p in job.rejected_rows if p["row"] == 2)
        assert "check character" in reason
        un_reason = next(p["reason"] for p in job.rejected_rows if p["field"] == "goods[0].un_number")
        assert "UN9999" in un_reason
        assert CustomsDeclaration.objects.count() == 1

    def test_duplicate_natural_key_in_one_file_is_rejected(self, transport_officer, enterprise) -> None:
        job = _run(transport_officer, "dangerous-goods-waybills", [waybill(enterprise), waybill(enterprise)])
        assert (job.created, job.rejected) == (1, 1)
        assert job.rejected_rows[0]["row"] == 2
        assert "row 1" in job.rejected_rows[0]["reason"]


class TestIdempotence:
    def test_reimport_creates_nothing_and_audits_once_per_job(self, customs_officer, enterprise) -> None:
        rows = [declaration(enterprise, f"02022026100000000{i}") for i in range(1, 6)]
        first = _run(customs_officer, "customs-declarations", rows)
        assert (first.created, first.updated, first.unchanged) == (5, 0, 0)
        second = _run(customs_officer, "customs-declarations", rows)
        assert (second.created, second.updated, second.unchanged) == (0, 0, 5)
        assert AuditRecord.objects.filter(action="exchange.import.run").count() == 2
        record = AuditRecord.objects.filter(action="exchange.import.run").latest("id")
        assert record.detail["unchanged"] == 5
        row = CustomsDeclaration.objects.get(declaration_no="020220261000000001")
        assert row.import_job_id == first.pk  # provenance: the job that last wrote it
        assert row.goods.count() == 2
        assert row.owner.department_code == "customs"
        assert row.enterprise_id == enterprise.pk

    def test_changed_row_is_updated_with_new_provenance(self, customs_officer, enterprise) -> None:
        _run(customs_officer, "customs-declarations", [declaration(enterprise)])
        changed = declaration(enterprise)
        changed["goods"][0]["quantity"] = "25000"
        job = _run(customs_officer, "customs-declarations", [changed])
        assert (job.created, job.updated) == (0, 1)
        row = CustomsDeclaration.objects.get()
        assert row.import_job_id == job.pk
        assert row.goods.get(line_no=1).quantity == Decimal("25000")


class TestBatchFailure:
    def test_failed_batch_is_unwritten_and_rerun_completes(self, transport_officer, enterprise, monkeypatch) -> None:
        rows = [waybill(enterprise, f"WB-{i:04d}") for i in range(10)]
        real = services._write_batch
        calls = {"n": 0}

        def failing(**kwargs):
            calls["n"] += 1
            if calls["n"] == 2:
                real(**kwargs)  # the rows are written inside the batch's transaction …
                raise RuntimeError("killed half-way")  # … and rolled back with it
            return real(**kwargs)

        monkeypatch.setattr(services, "_write_batch", lambda **kw: _atomic(failing, **kw))
        with pytest.raises(RuntimeError):
            _run(transport_officer, "dangerous-goods-waybills", rows, batch_size=4)
        assert DangerousGoodsWaybill.objects.count() == 4
        failed = ImportJob.objects.get()
        assert failed.status == JobStatus.FAILED
        assert "killed" in failed.failure
        monkeypatch.setattr(services, "_write_batch", real)
        job = _run(transport_officer, "dangerous-goods-waybills", rows, batch_size=4)
        assert (job.created, job.unchanged) == (6, 4)
        assert DangerousGoodsWaybill.objects.count() == 10
        assert AuditRecord.objects.filter(action="exchange.import.run", outcome="failed").count() == 1


def _atomic(fn, **kwargs):
    from django.db import transaction

    with transaction.atomic():
        return fn(**kwargs)


class TestResolution:
    def test_name_variants_link_automatically(self, transport_officer, enterprise) -> None:
        rows = [
            waybill(enterprise, "WB-1", enterprise_code="", enterprise_name="滨海化工仓储有限责任公司"),
            waybill(enterprise, "WB-2", enterprise_code="", enterprise_name="滨海化工仓储股份有限公司"),
            waybill(enterprise, "WB-3", enterprise_code="", enterprise_name="滨海 化工仓储有限公司"),
            waybill(enterprise, "WB-4", enterprise_code="", enterprise_name="BINHAI CHEMICAL STORAGE COMPANY LIMITED"),
        ]
        job = _run(transport_officer, "dangerous-goods-waybills", rows)
        assert job.created == 4
        assert set(DangerousGoodsWaybill.objects.values_list("enterprise_id", flat=True)) == {enterprise.pk}

    def test_fullwidth_and_brackets(self, transport_officer, zone_admin_org) -> None:
        firm = EnterpriseFactory(name_zh="海昌化学品物流(天津)有限公司", name_en="")
        row = waybill(firm, "WB-5", enterprise_code="", enterprise_name="海昌化学品物流（天津）有限公司")
        _run(transport_officer, "dangerous-goods-waybills", [row])
        assert DangerousGoodsWaybill.objects.get().enterprise_id == firm.pk

    def test_near_match_is_queued_then_confirmed_links_all_waiting_rows(
        self, transport_officer, emergency_officer, enterprise
    ) -> None:
        near = "滨海化工储运有限公司"
        rows = [waybill(enterprise, f"WB-{i}", enterprise_code="", enterprise_name=near) for i in range(3)]
        _run(transport_officer, "dangerous-goods-waybills", rows)
        assert set(DangerousGoodsWaybill.objects.values_list("resolution", flat=True)) == {ResolutionStatus.QUEUED}
        case = ResolutionCase.objects.get()
        assert list(case.candidates.values_list("enterprise_id", flat=True)) == [enterprise.pk]
        services.resolution_confirm(actor=emergency_officer, case_id=case.pk, enterprise_id=enterprise.pk)
        assert set(DangerousGoodsWaybill.objects.values_list("enterprise_id", flat=True)) == {enterprise.pk}
        record = AuditRecord.objects.get(action="exchange.resolution.confirm")
        assert record.detail["rows_linked"] == 3
        # Later rows under the same name link directly.
        job = _run(transport_officer, "dangerous-goods-waybills", [waybill(enterprise, "WB-9", enterprise_code="",
                                                                           enterprise_name=near)])  # fmt: skip
        assert job.created == 1
        assert DangerousGoodsWaybill.objects.get(waybill_no="WB-9").enterprise_id == enterprise.pk

    def test_unknown_enterprise_becomes_pending_registration(self, transport_officer, enterprise) -> None:
        row = waybill(enterprise, "WB-X", enterprise_code="", enterprise_name="完全不同的贸易公司")
        job = _run(transport_officer, "dangerous-goods-waybills", [row])
        assert job.created == 1
        stored = DangerousGoodsWaybill.objects.get()
        assert stored.enterprise_id is None
        assert stored.resolution == ResolutionStatus.PENDING_REGISTRATION
        assert PendingRegistration.objects.get().reported_name == "完全不同的贸易公司"

    def test_confirm_refused_for_enterprise_user(self, transport_officer, enterprise_admin, enterprise) -> None:
        row = waybill(enterprise, "WB-Y", enterprise_code="", enterprise_name="滨海化工储运有限公司")
        _run(transport_officer, "dangerous-goods-waybills", [row])
        case = ResolutionCase.objects.get()
        with pytest.raises(PermissionDenied):
            services.resolution_confirm(actor=enterprise_admin, case_id=case.pk, enterprise_id=enterprise.pk)
        assert DangerousGoodsWaybill.objects.get().enterprise_id is None


class TestAccess:
    def test_officer_of_another_department_cannot_write(self, emergency_officer, enterprise) -> None:
        with pytest.raises(PermissionDenied):
            _run(emergency_officer, "customs-declarations", [declaration(enterprise)])
        assert CustomsDeclaration.objects.count() == 0
        assert ImportJob.objects.count() == 0

    def test_storage_inventory_by_owner(self, emergency_officer, enterprise) -> None:
        row = {
            "enterprise_code": enterprise.uscc,
            "warehouse": "甲类仓库A1",
            "un_number": "UN1203",
            "quantity": "120.5",
            "unit": "t",
            "as_of": "2026-11-29T08:00:00+08:00",
        }
        first = _run(emergency_officer, "storage-inventories", [row])
        second = _run(emergency_officer, "storage-inventories", [row])
        assert (first.created, second.unchanged) == (1, 1)
        assert StorageInventory.objects.get().enterprise_id == enterprise.pk


def test_import_cost_does_not_grow_per_row(transport_officer, enterprise, django_assert_max_num_queries) -> None:
    rows = [
        waybill(enterprise, f"WB-{i:03d}", enterprise_code="", enterprise_name="未登记的运输公司") for i in range(200)
    ]
    services.records_import(actor=transport_officer, dataset="dangerous-goods-waybills", rows=enumerate(rows, 1))
    rows_again = [
        waybill(enterprise, f"WB-{i:03d}", enterprise_code="", enterprise_name="未登记的运输公司")
        for i in range(200, 400)
    ]
    with django_assert_max_num_queries(40):
        services.records_import(
            actor=transport_officer, dataset="dangerous-goods-waybills", rows=enumerate(rows_again, 1)
        )
    assert DangerousGoodsWaybill.objects.count() == 400
