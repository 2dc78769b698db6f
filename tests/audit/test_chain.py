"""Appending to the chain, verifying it, and what `audit.record` stores (masking, JSON, access reads)."""

from datetime import date

import pytest
from django.core.management import call_command

from ftzsafety import audit
from ftzsafety.audit.chain import chain_hash, verify_trail
from ftzsafety.audit.models import GENESIS_HASH, AppendOnlyError, AuditChainHead, AuditRecord

pytestmark = pytest.mark.django_db


class TestAppend:
    def test_each_record_links_to_the_previous_and_the_head_follows(self, make_records) -> None:
        first, second, third = make_records(3)
        assert first.prev_hash == GENESIS_HASH
        assert second.prev_hash == first.hash
        assert third.prev_hash == second.hash
        assert third.hash == chain_hash(second.hash, AuditRecord.objects.get(pk=third.pk))
        head = AuditChainHead.objects.get(pk=1)
        assert (head.last_record_id, head.last_hash) == (third.pk, third.hash)

    def test_the_model_refuses_update_and_delete(self, make_records) -> None:
        [entry] = make_records(1)
        entry.action = "test.thing.forged"
        with pytest.raises(AppendOnlyError):
            entry.save()
        with pytest.raises(AppendOnlyError):
            entry.delete()
        with pytest.raises(AppendOnlyError):
            AuditRecord.objects.filter(pk=entry.pk).update(action="x")
        with pytest.raises(AppendOnlyError):
            AuditRecord.objects.all().delete()

    def test_actor_organisation_and_target_are_snapshots(self, commander, enterprise) -> None:
        entry = audit.record(actor=commander, action="enterprises.enterprise.update", target=enterprise)
        assert (entry.actor_id, entry.actor_username) == (commander.pk, "commander")
        assert entry.organisation_code == commander.organisation.code
        assert (entry.target_type, entry.target_id) == ("enterprises.enterprise", str(enterprise.pk))


class TestVerify:
    def test_an_intact_chain_verifies_with_its_count(self, make_records) -> None:
        make_records(7)
        result = verify_trail(batch_size=3)  # several batches
        assert result.ok
        assert result.count == 7
        assert "7 records verified" in result.message()

    def test_an_empty_trail_verifies(self, db: None) -> None:
        result = verify_trail()
        assert (result.ok, result.count) == (True, 0)

    def test_the_command_exits_0_printing_the_count(self, make_records, capsys) -> None:
        make_records(4)
        call_command("audit_verify")
        assert "4 records verified" in capsys.readouterr().out

    def test_values_that_json_would_change_still_verify(self, db: None) -> None:
        audit.record(actor=None, action="test.thing.json", detail={"day": date(2026, 1, 2), "pair": (1, 2), 3: "x"})
        entry = AuditRecord.objects.get()
        assert entry.detail == {"day": "2026-01-02", "pair": [1, 2], "3": "x"}
        assert verify_trail().ok


class TestMasking:
    def test_id_and_mobile_numbers_in_before_after_detail_are_masked(self, db: None) -> None:
        entry = audit.record(
            actor=None,
            action="test.person.update",
            before={"note": "联系人身份证 11010519491231002X"},
            after={"contacts": [{"phone": "13812345678"}]},
            detail={"reason": "电话 13912345678 已核实"},
        )
        stored = AuditRecord.objects.get(pk=entry.pk)
        assert stored.before == {"note": "联系人身份证 110105********002X"}
        assert stored.after == {"contacts": [{"phone": "138****5678"}]}
        assert stored.detail == {"reason": "电话 139****5678 已核实"}
        assert verify_trail().ok

    def test_a_credit_code_value_and_the_username_stay_in_clear(self, db: None) -> None:
        entry = audit.record(
            actor=None, username="13812345678", action="test.thing.create", after={"uscc": "914403001922038217"}
        )
        assert entry.after == {"uscc": "914403001922038217"}
        assert entry.actor_username == "13812345678"

    def test_a_hash_that_contains_a_mobile_like_run_stays_whole(self, db: None) -> None:
        digest = "ab13812345678cd" + "e" * 49
        entry = audit.record(actor=None, action="test.thing.op", detail={"anchor_hash": digest})
        assert entry.detail == {"anchor_hash": digest}


class TestRecordAccess:
    def test_a_read_of_an_internal_or_confidential_record_is_recorded(self, commander, enterprise) -> None:
        entry = audit.record_access(actor=commander, target=enterprise, classification="confidential", grant=42)
        assert entry.action == "enterprises.enterprise.read"
        assert entry.classification == "confidential"
        assert entry.detail == {"grant_id": 42}
        assert entry.target_id == str(enterprise.pk)

    def test_a_read_of_a_public_record_is_not(self, commander, enterprise) -> None:
        assert audit.record_access(actor=commander, target=enterprise, classification="public") is None
        assert not AuditRecord.objects.filter(action="enterprises.enterprise.read").exists()
