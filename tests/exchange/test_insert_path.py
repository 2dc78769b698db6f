"""The ingestion's insert path (`services._insert_rows`: one executemany per batch, values prepared per column)
writes exactly what the ORM writes: for every dataset without child lines, every column of every row compared as
stored (SQLite: storage class and literal; PostgreSQL: the text of the value), timestamps included (time frozen).
Also: existence checks split into queries of bounded size still find every stored row."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from ftzsafety.exchange import services
from ftzsafety.exchange.choices import ResolutionStatus
from ftzsafety.exchange.datasets import DATASETS, dataset_spec
from ftzsafety.exchange.models import DangerousGoodsWaybill, ImportJob, StorageInventory, TransportTrack
from tests.accounts.factories import UserFactory, department
from tests.exchange.conftest import inventory, port_operation, waybill
from tests.exchange.test_datasets import equipment, licence, track

FROZEN = dt.datetime(2026, 11, 29, 3, 4, 5, 678901, tzinfo=dt.UTC)
UNKNOWN = {"enterprise_code": "", "enterprise_name": "东疆未登记危货物流有限公司"}  # waits on a registration


def _rows(dataset: str, enterprise) -> list[dict]:
    """Valid rows of the dataset: linked and unlinked, optional fields given and blank, decimals and times in
    the forms departments send (thousands separators, offsets, fractions of a second)."""
    return {
        "dangerous-goods-waybills": [
            waybill(enterprise, "WB-T-0001"),
            waybill(enterprise, "WB-T-0002", route="", quantity="1,234.5", arrives_on="2026-11-04"),
            waybill(enterprise, "WB-T-0003", quantity="0.001", departs_on="2024-02-29", **UNKNOWN),
        ],
        "storage-inventories": [
            inventory(enterprise),
            inventory(
                enterprise,
                "乙类仓库B",
                un_number="",
                chemical_name="汽油",
                quantity="12.3456",
                as_of="2026-11-04T23:59:59.123456+08:00",
            ),
            inventory(enterprise, "丙类仓库C", as_of="2026-01-01T00:00:00Z", **UNKNOWN),
        ],
        "port-operations": [
            port_operation(enterprise),
            port_operation(enterprise, "PO-TJ-2026-0002", voyage="", ended_at="", quantity="7"),
            port_operation(enterprise, "PO-TJ-2026-0003", started_at="2026-11-03T00:30:00.5+08:00", **UNKNOWN),
        ],
        "special-equipment": [
            equipment(enterprise),
            equipment(enterprise, "TSG-ZC-2026-0002", last_inspected_on="", equipment_name=""),
            equipment(enterprise, "TSG-ZC-2026-0003", **UNKNOWN),
        ],
        "safety-licences": [
            licence(enterprise),
            licence(enterprise, "(津)WH安许证字[2026]0002", holder_name="王某某"),
            licence(enterprise, "(津)WH安许证字[2026]0003", **UNKNOWN),
        ],
        "transport-tracks": [
            track(enterprise),
            track(enterprise, "2026-11-03T09:00:30.250000+08:00", speed_kmh="0"),
            track(enterprise, "2026-11-03T01:01:00Z", latitude="-0.5", **UNKNOWN),
        ],
    }[dataset]


def _stored(model) -> list[tuple]:
    """Every column but the id of every row, as the database holds it, in insertion order."""
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    if connection.vendor == "sqlite":
        shown = ", ".join(f"typeof({quote(c)}), quote({quote(c)})" for c in columns)
    else:
        shown = ", ".join(f"{quote(c)}::text" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {shown} FROM {quote(model._meta.db_table)} ORDER BY {quote('id')}")  # noqa: S608
        return [tuple(row) for row in cursor.fetchall()]


def _writer(dataset: str):
    code = dataset_spec(dataset).owner_department
    return UserFactory(username=f"{code}_insert_path", organisation=department(code), roles=["officer"])


WITHOUT_CHILDREN = [slug for slug, spec in DATASETS.items() if spec.child is None]


@pytest.mark.django_db
@pytest.mark.parametrize("dataset", WITHOUT_CHILDREN)
def test_rows_equal_what_the_orm_writes(dataset, enterprise, monkeypatch) -> None:
    assert len(WITHOUT_CHILDREN) == 6
    monkeypatch.setattr(timezone, "now", lambda: FROZEN)
    spec = dataset_spec(dataset)
    captured = []
    real = services._insert_rows

    def capture(model, rows, constants):
        captured.append((model, [dict(row) for row in rows], dict(constants)))
        real(model, rows, constants)

    monkeypatch.setattr(services, "_insert_rows", capture)
    rows = _rows(dataset, enterprise)
    job = services.records_import(actor=_writer(dataset), dataset=dataset, rows=enumerate(rows, start=1))
    assert (job.created, job.rejected) == (len(rows), 0), job.rejected_rows
    assert [model for model, _rows, _constants in captured] == [spec.model]
    fast = _stored(spec.model)
    assert len(fast) == len(rows)
    stored = list(spec.model.objects.order_by("pk"))
    assert {row.resolution for row in stored} >= {ResolutionStatus.LINKED, ResolutionStatus.PENDING_REGISTRATION}
    assert all(row.import_job_id == job.pk and row.created_at == FROZEN for row in stored)

    spec.model.objects.all().delete()
    written = (*services._scalar_fields(spec), *services.LINK_FIELDS)
    for model, values, constants in captured:  # the ORM's write of the same values and provenance
        model.objects.bulk_create([model(**{n: v[n] for n in written}, **constants) for v in values])
    assert _stored(spec.model) == fast


@pytest.mark.django_db
def test_values_of_other_types_are_prepared_as_the_orm_prepares_them(enterprise, transport_officer) -> None:
    """Values the validation never produces (an int or float quantity, a date as text, a datetime for a date)
    still go through the field's own preparation."""
    job = ImportJob.objects.create(dataset="dangerous-goods-waybills", owner=department("transport"))
    provenance = {"owner_id": job.owner_id, "classification": "internal", "created_by": transport_officer,
                  "import_job": job, "is_demo": False}  # fmt: skip
    base = {"enterprise_id": enterprise.pk, "enterprise_code": enterprise.uscc, "enterprise_name": "",
            "name_key": "", "resolution": "linked", "carrier": "c", "vehicle": "v", "un_number": "UN1203",
            "unit": "t", "origin": "o", "destination": "d", "route": ""}  # fmt: skip
    odd = [
        {**base, "waybill_no": "WB-ODD-1", "quantity": 7, "departs_on": "2026-11-03", "arrives_on": None},
        {**base, "waybill_no": "WB-ODD-2", "quantity": 2.5, "departs_on": dt.datetime(2026, 11, 3, 12, tzinfo=dt.UTC),
         "arrives_on": dt.date(2026, 11, 4)},
        {**base, "waybill_no": "WB-ODD-3", "quantity": Decimal("18.50000"), "departs_on": dt.date(2026, 1, 2),
         "arrives_on": "2026-01-03"},
    ]  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: FROZEN)
        services._insert_rows(DangerousGoodsWaybill, [dict(row) for row in odd], provenance)
        fast = _stored(DangerousGoodsWaybill)
        DangerousGoodsWaybill.objects.all().delete()
        DangerousGoodsWaybill.objects.bulk_create([DangerousGoodsWaybill(**row, **provenance) for row in odd])
        assert _stored(DangerousGoodsWaybill) == fast
    assert [w.quantity for w in DangerousGoodsWaybill.objects.order_by("pk")] == [7, Decimal("2.5"), Decimal("18.5")]


@pytest.mark.django_db
def test_existence_queries_of_bounded_size_find_every_row(enterprise, emergency_officer, monkeypatch) -> None:
    """Six key columns and a bound of twelve values: two keys per query; re-import finds all of them."""
    rows = [inventory(enterprise, f"仓库{i}", as_of=f"2026-11-0{i}T08:00:00+08:00") for i in range(1, 6)]
    first = services.records_import(actor=emergency_officer, dataset="storage-inventories", rows=enumerate(rows, 1))
    assert first.created == 5
    monkeypatch.setattr(services, "EXISTING_PARAMETERS", 12)
    rows[3]["quantity"] = "99"
    again = services.records_import(actor=emergency_officer, dataset="storage-inventories", rows=enumerate(rows, 1))
    assert (again.created, again.updated, again.unchanged) == (0, 1, 4)
    assert StorageInventory.objects.count() == 5
    assert StorageInventory.objects.get(warehouse="仓库4").quantity == Decimal("99")


@pytest.mark.django_db
def test_dry_run_counts_with_bounded_existence_queries(enterprise, transport_officer, monkeypatch) -> None:
    rows = [track(enterprise, f"2026-11-03T09:0{i}:00+08:00") for i in range(4)]
    services.records_import(actor=transport_officer, dataset="transport-tracks", rows=enumerate(rows[:2], 1))
    monkeypatch.setattr(services, "EXISTING_PARAMETERS", 2)  # one key (two columns) per query
    rows[1]["speed_kmh"] = "60"
    dry = services.records_import(
        actor=transport_officer, dataset="transport-tracks", rows=enumerate(rows, 1), dry_run=True
    )
    assert (dry.created, dry.updated, dry.unchanged) == (2, 1, 1)
    assert TransportTrack.objects.count() == 2


@pytest.mark.django_db
def test_cycle_collection_is_resumed_after_an_import_and_after_a_failure(
    enterprise, transport_officer, monkeypatch
) -> None:
    import gc

    assert gc.isenabled()
    paused = []
    real = services._write_batch

    def write(**kwargs):
        paused.append(not gc.isenabled())
        return real(**kwargs)

    monkeypatch.setattr(services, "_write_batch", write)
    job = services.records_import(
        actor=transport_officer, dataset="dangerous-goods-waybills", rows=enumerate([waybill(enterprise)], 1)
    )
    assert job.created == 1
    assert paused == [True]
    assert gc.isenabled()

    def killed(**kwargs):
        raise RuntimeError("killed half-way")

    monkeypatch.setattr(services, "_write_batch", killed)
    with pytest.raises(RuntimeError):
        services.records_import(
            actor=transport_officer,
            dataset="dangerous-goods-waybills",
            rows=enumerate([waybill(enterprise, "WB-2")], 1),
        )
    assert gc.isenabled()
    monkeypatch.setattr(services, "_write_batch", real)
    gc.disable()  # an import leaves a paused collector paused
    try:
        services.records_import(
            actor=transport_officer,
            dataset="dangerous-goods-waybills",
            rows=enumerate([waybill(enterprise, "WB-3")], 1),
        )
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_sqlite_batches_hold_one_api_call() -> None:
    """On SQLite a batch holds as many rows as an API call may send (one call, one transaction)."""
    expected = services.MAX_API_ROWS if connection.vendor == "sqlite" else 5000
    assert expected == services.BATCH_SIZE
