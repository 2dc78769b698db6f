"""The database itself refuses UPDATE and DELETE on the audit tables (SQLite and PostgreSQL triggers); only the
purge gate lets a DELETE through, inside its own transaction."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ftzsafety.audit import db_guard
from ftzsafety.audit.models import AuditAnchor, AuditCheckpoint, AuditRecord
from tests.audit.conftest import raw

pytestmark = pytest.mark.django_db


def refused(sql: str, params: list | None = None) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        raw(sql, params)
    return str(error.value)


class TestTriggers:
    def test_a_raw_update_is_refused(self, make_records) -> None:
        [entry] = make_records(1)
        message = refused("UPDATE audit_auditrecord SET action = %s WHERE id = %s", ["forged", entry.pk])
        assert "append-only" in message
        assert AuditRecord.objects.get(pk=entry.pk).action == "test.thing.op0"

    def test_a_raw_delete_is_refused(self, make_records) -> None:
        make_records(2)
        assert "append-only" in refused("DELETE FROM audit_auditrecord")
        assert AuditRecord.objects.count() == 2

    def test_anchors_and_checkpoints_are_append_only_too(self, db: None) -> None:
        now = timezone.now()
        AuditAnchor.objects.create(
            record_id=1, record_hash="a" * 64, count=1, purged_count=1, purged_before=now, created_at=now
        )
        AuditCheckpoint.objects.create(
            record_id=1, head_hash="a" * 64, count=1, signed_at=now, key_id="k", payload="{}", signature="s"
        )
        for table in ("audit_auditanchor", "audit_auditcheckpoint"):
            assert "append-only" in refused(f"UPDATE {table} SET record_id = 2")  # noqa: S608
            assert "append-only" in refused(f"DELETE FROM {table}")  # noqa: S608

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
    def test_truncate_is_refused_on_postgresql(self, make_records) -> None:
        make_records(1)
        assert "append-only" in refused("TRUNCATE audit_auditrecord")

    def test_the_purge_gate_lets_a_delete_through_and_closes_again(self, make_records) -> None:
        first, _second = make_records(2)
        with transaction.atomic(), db_guard.purge_gate(connection):
            assert raw("DELETE FROM audit_auditrecord WHERE id = %s", [first.pk]) == 1
        assert list(AuditRecord.objects.values_list("action", flat=True)) == ["test.thing.op1"]
        assert "append-only" in refused("DELETE FROM audit_auditrecord")

    def test_the_gate_never_allows_an_update(self, make_records) -> None:
        [entry] = make_records(1)
        with transaction.atomic(), db_guard.purge_gate(connection):
            assert "append-only" in refused("UPDATE audit_auditrecord SET action = 'x' WHERE id = %s", [entry.pk])
