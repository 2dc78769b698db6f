"""Entity resolution at zone scale (issue 4, item 8): rows whose credit code is registered resolve by an indexed
lookup of the batch's codes, never by reading the registry; the registry's names are read only for rows that need
the similarity scan, and then once per import."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ftzsafety.audit.models import AuditRecord
from ftzsafety.enterprises.models import Enterprise
from ftzsafety.exchange import services
from ftzsafety.exchange.choices import JobStatus, ResolutionStatus
from ftzsafety.exchange.models import DangerousGoodsWaybill, PendingRegistration
from ftzsafety.exchange.resolution import Resolver
from tests.enterprises.factories import EnterpriseFactory
from tests.exchange.conftest import waybill

ENTERPRISE_TABLE = Enterprise._meta.db_table


def _import(actor, rows, **kwargs):
    return services.records_import(
        actor=actor, dataset="dangerous-goods-waybills", rows=enumerate(rows, start=1), **kwargs
    )


def _registry(count: int) -> list[Enterprise]:
    return [EnterpriseFactory(name_zh=f"临港储运{i:04d}有限公司", name_en="") for i in range(count)]


@pytest.fixture
def no_name_scan(monkeypatch):
    """Fail the test if anything reads the registry's names for the similarity scan."""

    def refuse(self):
        raise AssertionError("the registry's names were read")

    monkeypatch.setattr(Resolver, "_registry_names", refuse)


def _enterprise_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if ENTERPRISE_TABLE in q["sql"]]


@pytest.mark.parametrize("registry_size", [3, 60])
def test_rows_with_codes_cost_the_same_whatever_the_registry_size(
    transport_officer, zone_admin_org, registry_size, no_name_scan, django_assert_max_num_queries
) -> None:
    firms = _registry(registry_size)
    rows = [waybill(firms[i % 3], f"WB-{i:04d}") for i in range(300)]  # three batches of 100
    with CaptureQueriesContext(connection) as captured, django_assert_max_num_queries(40):
        job = _import(transport_officer, rows, batch_size=100)
    assert (job.status, job.total, job.created, job.rejected) == (JobStatus.COMPLETED, 300, 300, 0)
    stored = DangerousGoodsWaybill.objects.filter(enterprise_id__in=[f.pk for f in firms[:3]])
    assert stored.filter(resolution=ResolutionStatus.LINKED, import_job=job).count() == 300
    registry_reads = _enterprise_queries(captured)
    assert 1 <= len(registry_reads) <= 3  # at most one per batch (codes already looked up are not asked again)
    assert all('"uscc" IN' in sql for sql in registry_reads), registry_reads
    assert AuditRecord.objects.filter(action="exchange.import.run").count() == 1


def test_query_count_is_the_same_for_a_small_and_a_large_registry(transport_officer, zone_admin_org) -> None:
    firms = _registry(3)
    _import(transport_officer, [waybill(firms[0], "WB-WARM")])  # first-use caches (departments, goods list)
    rows = [waybill(firms[i % 3], f"WB-A{i:03d}") for i in range(100)]
    with CaptureQueriesContext(connection) as small:
        _import(transport_officer, rows)
    _registry(80)
    rows = [waybill(firms[i % 3], f"WB-B{i:03d}") for i in range(100)]
    with CaptureQueriesContext(connection) as large:
        _import(transport_officer, rows)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_exact_registered_name_without_code_needs_no_scan(transport_officer, enterprise, no_name_scan) -> None:
    rows = [waybill(enterprise, f"WB-N{i}", enterprise_code="") for i in range(5)]
    job = _import(transport_officer, rows)
    assert job.created == 5
    assert set(DangerousGoodsWaybill.objects.values_list("enterprise_id", flat=True)) == {enterprise.pk}


def test_unknown_code_falls_back_to_the_name(transport_officer, enterprise) -> None:
    from tests.enterprises.factories import make_uscc

    unknown = make_uscc()
    assert not Enterprise.objects.filter(uscc=unknown).exists()
    rows = [waybill(enterprise, "WB-U1", enterprise_code=unknown, enterprise_name="滨海化工仓储有限责任公司")]
    _import(transport_officer, rows)
    stored = DangerousGoodsWaybill.objects.get()
    assert (stored.enterprise_id, stored.resolution) == (enterprise.pk, ResolutionStatus.LINKED)


def test_names_are_read_once_per_import_not_per_batch(transport_officer, enterprise, monkeypatch) -> None:
    reads = []
    original = Resolver._registry_names

    def counting(self):
        if self._names is None:
            reads.append(1)
        return original(self)

    monkeypatch.setattr(Resolver, "_registry_names", counting)
    rows = [
        waybill(enterprise, f"WB-V{i:03d}", enterprise_code="", enterprise_name=f"某某运输{i}公司") for i in range(50)
    ]
    job = _import(transport_officer, rows, batch_size=10)
    assert (job.created, len(reads)) == (50, 1)
    assert PendingRegistration.objects.count() == 50


def test_code_linked_through_a_pending_registration_resolves_by_code(
    transport_officer, emergency_officer, enterprise, no_name_scan
) -> None:
    from tests.enterprises.factories import make_uscc

    code = make_uscc()
    _import(transport_officer, [waybill(enterprise, "WB-P1", enterprise_code=code, enterprise_name="")])
    pending = PendingRegistration.objects.get(reported_code=code)
    services.pending_registration_link(actor=emergency_officer, pending_id=pending.pk, enterprise_id=enterprise.pk)
    _import(transport_officer, [waybill(enterprise, "WB-P2", enterprise_code=code, enterprise_name="")])
    assert DangerousGoodsWaybill.objects.get(waybill_no="WB-P2").enterprise_id == enterprise.pk


def test_inserted_rows_carry_provenance_and_typed_values(transport_officer, enterprise) -> None:
    job = _import(transport_officer, [waybill(enterprise, "WB-T1", arrives_on="2026-11-04")], is_demo=True)
    stored = DangerousGoodsWaybill.objects.get()
    assert (stored.import_job_id, stored.created_by_id, stored.owner_id) == (job.pk, transport_officer.pk, job.owner_id)
    assert (stored.classification, stored.is_demo, stored.resolution) == ("internal", True, ResolutionStatus.LINKED)
    assert (str(stored.quantity), stored.un_number, stored.departs_on.isoformat()) == ("18.500", "UN1203", "2026-11-03")
    assert stored.arrives_on.isoformat() == "2026-11-04"
    assert stored.created_at is not None
    assert stored.created_at == stored.updated_at
