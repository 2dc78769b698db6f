"""`ftzsafety audit_purge --before DATE`: never younger than 180 days; the remaining chain still verifies from the
anchor, the purge is recorded, and a forged anchor or a removed one is caught."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ftzsafety import audit
from ftzsafety.audit import services
from ftzsafety.audit.chain import ANCHOR_UNCONFIRMED, REMOVED, verify_trail
from ftzsafety.audit.models import AuditAnchor, AuditRecord
from ftzsafety.core.errors import Conflict
from tests.audit.conftest import raw, triggers_off

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


@pytest.fixture
def aged_trail(db: None) -> tuple[list[AuditRecord], list[AuditRecord]]:
    """Four records from about 400 days ago, then three recent ones."""
    old_time = timezone.now() - timedelta(days=400)
    with mock.patch("django.utils.timezone.now", return_value=old_time):
        old = [audit.record(actor=None, action=f"test.old.op{i}") for i in range(4)]
    recent = [audit.record(actor=None, action=f"test.new.op{i}") for i in range(3)]
    return old, recent


class TestRetention:
    @pytest.mark.parametrize("days", [0, 30, 179])
    def test_a_date_younger_than_180_days_is_refused(self, aged_trail, days: int) -> None:
        with pytest.raises(CommandError) as refused:
            call_command("audit_purge", "--before", days_ago(days))
        assert refused.value.returncode == 1
        assert "at least 180 days" in str(refused.value)
        assert AuditRecord.objects.exclude(action="audit.record.purge").count() == 7
        assert not AuditAnchor.objects.exists()
        refusal = AuditRecord.objects.get(action="audit.record.purge")
        assert (refusal.outcome, refusal.detail["before"]) == ("failed", days_ago(days))

    def test_a_malformed_date_is_refused(self, db: None) -> None:
        with pytest.raises(CommandError, match="is not a date"):
            call_command("audit_purge", "--before", "last year")


class TestPurge:
    def test_old_records_go_and_the_rest_still_verifies(self, aged_trail, capsys) -> None:
        old, recent = aged_trail
        call_command("audit_purge", "--before", days_ago(200))
        assert "purged 4 audit records" in capsys.readouterr().out
        assert not AuditRecord.objects.filter(pk__in=[r.pk for r in old]).exists()
        anchor = AuditAnchor.objects.get()
        assert (anchor.record_id, anchor.record_hash, anchor.count, anchor.purged_count) == (
            old[-1].pk,
            old[-1].hash,
            4,
            4,
        )
        assert anchor.actor_username == "system"
        purge = AuditRecord.objects.get(action="audit.record.purge")
        assert purge.detail["purged"] == 4
        assert purge.detail["anchor_hash"] == old[-1].hash
        result = verify_trail()
        assert result.ok, result.message()
        assert (result.count, result.total) == (len(recent) + 1, 8)
        call_command("audit_verify")
        assert "4 earlier records were purged" in capsys.readouterr().out

    def test_appending_after_a_purge_keeps_the_chain(self, aged_trail) -> None:
        services.trail_purge(actor=None, before=timezone.localdate() - timedelta(days=200))
        audit.record(actor=None, action="test.after.purge")
        assert verify_trail().ok

    def test_nothing_that_old_leaves_no_anchor_and_a_later_purge_still_works(self, aged_trail) -> None:
        services.trail_purge(actor=None, before=timezone.localdate() - timedelta(days=500))  # nothing that old
        assert not AuditAnchor.objects.exists()
        services.trail_purge(actor=None, before=timezone.localdate() - timedelta(days=200))
        assert verify_trail().ok

    def test_a_tampered_trail_is_not_purged(self, aged_trail) -> None:
        old, _recent = aged_trail
        with triggers_off():
            raw("UPDATE audit_auditrecord SET action = 'forged' WHERE id = %s", [old[1].pk])
        with pytest.raises(Conflict, match="kept as evidence"):
            services.trail_purge(actor=None, before=timezone.localdate() - timedelta(days=200))
        assert AuditRecord.objects.filter(pk=old[1].pk).exists()

    def test_a_deleted_anchor_is_detected(self, aged_trail) -> None:
        services.trail_purge(actor=None, before=timezone.localdate() - timedelta(days=200))
        with triggers_off("audit_auditanchor"):
            raw("DELETE FROM audit_auditanchor")
        result = verify_trail()
        assert result.problem == REMOVED

    def test_a_forged_anchor_is_not_confirmed(self, aged_trail) -> None:
        """Deleting old records and inserting an anchor by hand: no purge record confirms it."""
        old, _recent = aged_trail
        with triggers_off():
            raw("DELETE FROM audit_auditrecord WHERE id <= %s", [old[-1].pk])
        now = timezone.now()
        AuditAnchor.objects.create(
            record_id=old[-1].pk, record_hash=old[-1].hash, count=4, purged_count=4, purged_before=now, created_at=now
        )
        result = verify_trail()
        assert (result.problem, result.first_bad_id) == (ANCHOR_UNCONFIRMED, old[-1].pk)
        assert "not confirmed" in result.message()

    def test_a_checkpoint_of_purged_records_says_so(self, db: None, tmp_path) -> None:
        with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(days=400)):
            last_old = [audit.record(actor=None, action=f"test.old.op{i}") for i in range(3)][-1]
            call_command(
                "audit_checkpoint", "--export", str(tmp_path / "cp.json"), "--public-key-out", str(tmp_path / "key.pem")
            )
        audit.record(actor=None, action="test.new.op0")
        services.trail_purge(actor=None, before=timezone.localdate() - timedelta(days=200))
        with pytest.raises(CommandError, match=f"Record #{last_old.pk} was purged"):
            call_command(
                "audit_verify", "--checkpoint", str(tmp_path / "cp.json"), "--public-key", str(tmp_path / "key.pem")
            )
