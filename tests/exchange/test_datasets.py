"""Port operations, special equipment, safety licences, transport tracks: validation per field with row numbers,
idempotent re-import, ownership, classification and the catalogue."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import PermissionDenied
from ftzsafety.exchange import selectors, services
from ftzsafety.exchange.models import ImportJob, PortOperation, SafetyLicence, SpecialEquipment, TransportTrack
from ftzsafety.security.models import AccessRequest, Grant
from tests.exchange.conftest import port_operation


def _run(actor, dataset, rows):
    return services.records_import(actor=actor, dataset=dataset, rows=enumerate(rows, start=1))


def _problems(job):
    return {(p["row"], p["field"]) for p in job.rejected_rows}


def equipment(enterprise, number="TSG-ZC-2026-0001", **overrides):
    row = {
        "registration_no": number,
        "category": "pressure_vessel",
        "equipment_name": "液化石油气储罐 50m³",
        "enterprise_code": enterprise.uscc,
        "enterprise_name": enterprise.name_zh,
        "location": "罐区 T-101",
        "last_inspected_on": "2025-12-01",
        "next_inspection_on": "2028-12-01",
    }
    row.update(overrides)
    return row


def licence(enterprise, number="(津)WH安许证字[2026]0001", **overrides):
    row = {
        "licence_type": "hazchem_operation",
        "licence_no": number,
        "enterprise_code": enterprise.uscc,
        "enterprise_name": enterprise.name_zh,
        "holder_name": "",
        "scope": "汽油、甲醇、乙醇 (仓储经营)",
        "valid_from": "2024-03-01",
        "valid_until": "2027-02-28",
    }
    row.update(overrides)
    return row


def track(enterprise, when="2026-11-03T09:00:00+08:00", **overrides):
    row = {
        "vehicle": "津A12345",
        "recorded_at": when,
        "enterprise_code": enterprise.uscc,
        "enterprise_name": enterprise.name_zh,
        "latitude": "39.003412",
        "longitude": "117.712345",
        "speed_kmh": "42.5",
    }
    row.update(overrides)
    return row


class TestPortOperations:
    def test_valid_rows_and_per_field_problems(self, maritime_officer, enterprise) -> None:
        rows = [
            port_operation(enterprise, "PO-1"),
            port_operation(enterprise, "PO-2", kind="yard_storage", yard_position=""),
            port_operation(enterprise, "PO-3", ended_at="2026-11-02T08:00:00+08:00"),
            port_operation(enterprise, "PO-4", kind="bunkering", un_number="UN9999", unit="barrel"),
            port_operation(enterprise, "PO-5", started_at="yesterday"),
        ]
        job = _run(maritime_officer, "port-operations", rows)
        assert (job.created, job.rejected) == (1, 4)
        assert _problems(job) == {
            (2, "yard_position"),
            (3, "ended_at"),
            (4, "kind"),
            (4, "un_number"),
            (4, "unit"),
            (5, "started_at"),
        }
        reason = next(p["reason"] for p in job.rejected_rows if p["field"] == "ended_at")
        assert "started_at" in reason
        op = PortOperation.objects.get()
        assert (op.operation_no, op.un_number, op.quantity) == ("PO-1", "UN1203", Decimal("30.000"))
        assert op.owner.department_code == "maritime"
        assert op.enterprise_id == enterprise.pk
        assert op.import_job_id == job.pk

    def test_reimport_unchanged_and_other_department_refused(
        self, maritime_officer, customs_officer, enterprise
    ) -> None:
        _run(maritime_officer, "port-operations", [port_operation(enterprise)])
        again = _run(maritime_officer, "port-operations", [port_operation(enterprise)])
        assert (again.created, again.unchanged) == (0, 1)
        jobs = ImportJob.objects.count()
        with pytest.raises(PermissionDenied):
            _run(customs_officer, "port-operations", [port_operation(enterprise, "PO-X")])
        assert ImportJob.objects.count() == jobs
        assert PortOperation.objects.count() == 1


class TestSpecialEquipment:
    def test_rows_and_problems(self, market_officer, enterprise) -> None:
        rows = [
            equipment(enterprise),
            equipment(enterprise, "TSG-2", category="spaceship"),
            equipment(enterprise, "TSG-3", last_inspected_on="2026-05-01", next_inspection_on="2026-04-01"),
            equipment(enterprise, "TSG-4", next_inspection_on=""),
            equipment(enterprise, "TSG-5", last_inspected_on="", location="1号码头门机"),
        ]
        job = _run(market_officer, "special-equipment", rows)
        assert (job.created, job.rejected) == (2, 3)
        assert _problems(job) == {(2, "category"), (3, "next_inspection_on"), (4, "next_inspection_on")}
        row = SpecialEquipment.objects.get(registration_no="TSG-ZC-2026-0001")
        assert row.next_inspection_on == dt.date(2028, 12, 1)
        assert SpecialEquipment.objects.get(registration_no="TSG-5").last_inspected_on is None


class TestSafetyLicences:
    def test_confidential_readable_by_emergency_and_under_grant(
        self, emergency_officer, customs_reviewer, association_staff, enterprise_admin, enterprise
    ) -> None:
        job = _run(
            emergency_officer,
            "safety-licences",
            [
                licence(enterprise),
                licence(enterprise, "TJ-SO-001", licence_type="special_operation", holder_name="王建国"),
                licence(enterprise, "TJ-SO-002", licence_type="special_operation"),
                licence(enterprise, "TJ-X", valid_from="2027-01-01", valid_until="2026-01-01"),
            ],
        )
        assert (job.created, job.rejected) == (2, 2)
        assert _problems(job) == {(3, "holder_name"), (4, "valid_until")}
        assert set(SafetyLicence.objects.values_list("classification", flat=True)) == {"confidential"}

        def visible(user):
            return selectors.dataset_records(actor=user, dataset="safety-licences").count()

        assert visible(emergency_officer) == 2
        assert visible(enterprise_admin) == 2  # the enterprise sees its own
        assert visible(customs_reviewer) == 0
        assert visible(association_staff) == 0
        row = SafetyLicence.objects.get(licence_no="TJ-SO-001")
        scope = {
            "content_type": ContentType.objects.get_for_model(SafetyLicence),
            "object_id": None,
            "owner": row.owner,
            "fields": [],
            "purpose": "进口危险货物核查经营资质",
            "valid_until": timezone.localdate() + dt.timedelta(days=30),
        }
        request = AccessRequest.objects.create(
            requester=customs_reviewer, requester_organisation=customs_reviewer.organisation, status="approved", **scope
        )
        Grant.objects.create(request=request, user=customs_reviewer, valid_from=timezone.now(), **scope)
        assert visible(customs_reviewer) == 2

    def test_api_masks_holder_for_grantee_without_field(self, api_client, emergency_officer, enterprise) -> None:
        _run(
            emergency_officer,
            "safety-licences",
            [licence(enterprise, "TJ-SO-001", licence_type="special_operation", holder_name="王建国")],
        )
        body = api_client(emergency_officer).get("/api/v1/exchange/safety-licences/records").json()
        assert body["count"] == 1
        assert body["items"][0]["holder_name"] == "王建国"  # the owning department reads it in clear


class TestTransportTracks:
    def test_points_ranges_duplicates_and_reimport(self, transport_officer, enterprise) -> None:
        rows = [
            track(enterprise),
            track(enterprise, "2026-11-03T09:00:30+08:00"),
            track(enterprise, "2026-11-03T09:01:00+08:00", latitude="95"),
            track(enterprise, "2026-11-03T09:01:30+08:00", longitude="east"),
            track(enterprise, "2026-11-03T01:00:00Z"),  # the same instant as row 1
        ]
        job = _run(transport_officer, "transport-tracks", rows)
        assert (job.created, job.rejected) == (2, 3)
        assert _problems(job) == {(3, "latitude"), (4, "longitude"), (5, "vehicle")}
        reason = next(p["reason"] for p in job.rejected_rows if p["field"] == "latitude")
        assert "-90" in reason
        point = TransportTrack.objects.order_by("recorded_at").first()
        assert point.latitude == Decimal("39.003412")
        assert point.speed_kmh == Decimal("42.5")
        again = _run(transport_officer, "transport-tracks", rows[:2])
        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    def test_a_blank_optional_speed_is_stored_as_null(self, transport_officer, enterprise) -> None:
        rows = [track(enterprise, speed_kmh=""), track(enterprise, "2026-11-03T09:00:30+08:00", speed_kmh=None)]
        job = _run(transport_officer, "transport-tracks", rows)
        assert (job.status, job.created, job.rejected) == ("completed", 2, 0)
        assert list(TransportTrack.objects.values_list("speed_kmh", flat=True)) == [None, None]
        again = _run(transport_officer, "transport-tracks", rows)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    def test_api_post_and_403_body(self, api_client, transport_officer, customs_officer, enterprise) -> None:
        url = "/api/v1/exchange/transport-tracks/records"
        payload = json.dumps([track(enterprise), track(enterprise, "2026-11-03T09:00:30+08:00", latitude="")])
        response = api_client(transport_officer).post(url, data=payload, content_type="application/json")
        assert response.status_code == 200
        body = response.json()
        assert body["counts"]["created"] == 1
        assert body["rejected_rows"] == [{"row": 2, "field": "latitude", "reason": "is required."}]
        refused = api_client(customs_officer).post(url, data=payload, content_type="application/json")
        assert refused.status_code == 403
        assert refused.json()["code"] == "permission_denied"
        assert "transport" in refused.json()["message"]
        assert TransportTrack.objects.count() == 1
        assert AuditRecord.objects.filter(action="exchange.import.run").count() == 1


class TestCatalogue:
    def test_seven_datasets_with_owners_and_classification(self, api_client, commander) -> None:
        body = api_client(commander).get("/api/v1/exchange/catalogue").json()
        by_slug = {d["slug"]: d for d in body["items"]}
        assert set(by_slug) == {
            "customs-declarations",
            "dangerous-goods-waybills",
            "storage-inventories",
            "port-operations",
            "special-equipment",
            "safety-licences",
            "transport-tracks",
        }
        assert by_slug["safety-licences"]["classification"] == "confidential"
        assert by_slug["port-operations"]["owners"][0]["code"] == "maritime"
        assert by_slug["special-equipment"]["owners"][0]["code"] == "market"
        assert by_slug["transport-tracks"]["natural_key"] == ["vehicle", "recorded_at"]
        holder = next(f for f in by_slug["safety-licences"]["fields"] if f["name"] == "holder_name")
        assert holder["sensitive"] == "person_name"


class TestCli:
    def test_tracks_csv_through_the_cli(self, tmp_path, transport_officer, enterprise, capsys) -> None:
        from django.core.management import call_command

        header = "vehicle,recorded_at,enterprise_code,enterprise_name,latitude,longitude,speed_kmh"
        lines = [
            f"津A12345,2026-11-03T09:00:{s:02d}+08:00,{enterprise.uscc},,39.0{s:02d},117.7{s:02d},40" for s in (0, 30)
        ]
        lines.append(f"津A12345,2026-11-03T09:01:00+08:00,{enterprise.uscc},,39.1,181,40")
        path = tmp_path / "tracks.csv"
        path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
        call_command("import_records", "transport-tracks", str(path), "--user", "transport_officer")
        out = capsys.readouterr().out
        assert "created 2, updated 0, unchanged 0, rejected 1" in out
        assert "row 4 longitude" in out
        call_command("import_records", "transport-tracks", str(path), "--user", "transport_officer")
        assert "created 0, updated 0, unchanged 2, rejected 1" in capsys.readouterr().out
        assert TransportTrack.objects.count() == 2
