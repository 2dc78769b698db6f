"""Tampering by someone with database access (the triggers switched off first, as such a person would):
`ftzsafety audit_verify` exits 1 and names the first record that was changed, removed or reordered."""

import json

import pytest
from django.core.management import CommandError, call_command

from ftzsafety.audit.chain import CHANGED, REMOVED, REORDERED, verify_trail
from tests.audit.conftest import raw, row, triggers_off, write_row

pytestmark = pytest.mark.django_db


def verify_fails() -> str:
    with pytest.raises(CommandError) as failed:
        call_command("audit_verify")
    assert failed.value.returncode == 1
    return str(failed.value)


class TestTamper:
    def test_a_changed_field_is_detected_and_the_record_named(self, make_records) -> None:
        records = make_records(5)
        call_command("audit_verify")  # intact before
        victim = records[2]
        with triggers_off():
            raw("UPDATE audit_auditrecord SET actor_username = %s WHERE id = %s", ["someone_else", victim.pk])
        message = verify_fails()
        assert f"Record #{victim.pk} (test.thing.op2, " in message
        assert "was changed" in message
        result = verify_trail()
        assert (result.problem, result.first_bad_id, result.count) == (CHANGED, victim.pk, 2)

    def test_a_changed_json_value_is_detected(self, make_records) -> None:
        records = make_records(3)
        with triggers_off():
            raw("UPDATE audit_auditrecord SET detail = %s WHERE id = %s", [json.dumps({"i": 99}), records[1].pk])
        assert verify_trail().first_bad_id == records[1].pk

    def test_a_recomputed_hash_does_not_hide_a_change(self, make_records) -> None:
        """Changing a record and its own hash breaks the next record's link."""
        records = make_records(3)
        from ftzsafety.audit.chain import chain_hash
        from ftzsafety.audit.models import AuditRecord

        with triggers_off():
            raw("UPDATE audit_auditrecord SET outcome = 'denied' WHERE id = %s", [records[1].pk])
            forged = AuditRecord.objects.get(pk=records[1].pk)
            raw(
                "UPDATE audit_auditrecord SET hash = %s WHERE id = %s", [chain_hash(records[0].hash, forged), forged.pk]
            )
        result = verify_trail()
        assert not result.ok
        assert result.first_bad_id == records[2].pk

    def test_a_removed_record_is_detected_naming_where(self, make_records) -> None:
        records = make_records(5)
        with triggers_off():
            raw("DELETE FROM audit_auditrecord WHERE id = %s", [records[2].pk])
        message = verify_fails()
        assert f"Records were removed before record #{records[3].pk} (test.thing.op3" in message
        assert f"record #{records[1].pk}" in message
        result = verify_trail()
        assert (result.problem, result.first_bad_id) == (REMOVED, records[3].pk)

    def test_records_removed_from_the_end_are_detected(self, make_records) -> None:
        records = make_records(4)
        with triggers_off():
            raw("DELETE FROM audit_auditrecord WHERE id >= %s", [records[2].pk])
        message = verify_fails()
        assert "removed from the end" in message
        assert f"names record #{records[3].pk}" in message

    def test_the_first_record_removed_is_detected(self, make_records) -> None:
        records = make_records(3)
        with triggers_off():
            raw("DELETE FROM audit_auditrecord WHERE id = %s", [records[0].pk])
        result = verify_trail()
        assert (result.problem, result.first_bad_id) == (REMOVED, records[1].pk)

    @pytest.mark.parametrize("gap", [1, 3], ids=["neighbours", "apart"])
    def test_two_swapped_records_are_detected_as_reordered(self, make_records, gap: int) -> None:
        records = make_records(6)
        a, b = records[1], records[1 + gap]
        row_a, row_b = row(a.pk), row(b.pk)
        with triggers_off():
            # hash is unique: move a's row aside first, then write each row's content into the other
            write_row(a.pk, {**row_b, "hash": "swap-in-progress"})
            write_row(b.pk, row_a)
            write_row(a.pk, {"hash": row_b["hash"]})
        message = verify_fails()
        assert f"Record #{a.pk} (test.thing.op{1 + gap}, " in message
        assert "is out of order" in message
        result = verify_trail()
        assert (result.problem, result.first_bad_id) == (REORDERED, a.pk)

    def test_an_altered_link_field_is_a_change(self, make_records) -> None:
        records = make_records(3)
        with triggers_off():
            raw("UPDATE audit_auditrecord SET prev_hash = %s WHERE id = %s", ["f" * 64, records[1].pk])
        result = verify_trail()
        assert (result.problem, result.first_bad_id) == (CHANGED, records[1].pk)

    def test_a_deleted_chain_head_is_detected(self, make_records) -> None:
        make_records(2)
        raw("DELETE FROM audit_auditchainhead")
        assert "chain head is missing" in verify_fails()
