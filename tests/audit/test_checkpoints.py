"""Signed checkpoints: made and exported, verified offline with the public key, a tampered file refused, and a
rewritten chain caught by the signed head."""

import base64
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ftzsafety.audit import services
from ftzsafety.audit.chain import chain_hash
from ftzsafety.audit.models import AuditCheckpoint, AuditRecord
from ftzsafety.audit.tasks import make_checkpoint
from ftzsafety.core.errors import Conflict
from ftzsafety.security import crypto, keys
from tests.audit.conftest import raw, triggers_off

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(make_records, tmp_path: Path) -> tuple[Path, Path]:
    make_records(5)
    checkpoint_file, key_file = tmp_path / "checkpoint.json", tmp_path / "zone.pem"
    call_command("audit_checkpoint", "--export", str(checkpoint_file), "--public-key-out", str(key_file))
    return checkpoint_file, key_file


def verify_checkpoint(checkpoint_file: Path, key: Path | str, *extra: str) -> None:
    call_command("audit_verify", "--checkpoint", str(checkpoint_file), "--public-key", str(key), *extra)


def refused(checkpoint_file: Path, key: Path | str, *extra: str) -> str:
    with pytest.raises(CommandError) as failed:
        verify_checkpoint(checkpoint_file, key, *extra)
    assert failed.value.returncode == 1
    return str(failed.value)


class TestCheckpointCreate:
    def test_signs_the_head_with_the_zone_key_and_records_it(self, make_records) -> None:
        records = make_records(3)
        checkpoint = services.checkpoint_make()
        key_id, public_pem = keys.zone_public_key()
        assert (checkpoint.record_id, checkpoint.head_hash, checkpoint.count) == (records[-1].pk, records[-1].hash, 3)
        assert checkpoint.key_id == key_id
        payload = json.loads(checkpoint.payload)
        assert payload["head_hash"] == records[-1].hash
        assert crypto.sm2_verify(public_pem, checkpoint.payload.encode(), base64.b64decode(checkpoint.signature))
        logged = AuditRecord.objects.get(action="audit.checkpoint.create")
        assert logged.target_id == str(checkpoint.pk)

    def test_counts_continue_from_the_previous_checkpoint(self, make_records) -> None:
        make_records(2)
        services.checkpoint_make()
        make_records(3)
        second = services.checkpoint_make()
        assert second.count == 2 + 1 + 3  # the first checkpoint's own record is on the trail too

    def test_a_broken_chain_is_not_signed_and_the_refusal_recorded(self, make_records) -> None:
        records = make_records(3)
        with triggers_off():
            raw("UPDATE audit_auditrecord SET action = 'forged' WHERE id = %s", [records[1].pk])
        with pytest.raises(Conflict, match=f"Record #{records[1].pk}"):
            services.checkpoint_make()
        assert not AuditCheckpoint.objects.exists()
        assert AuditRecord.objects.filter(action="audit.checkpoint.create", outcome="failed").exists()

    def test_an_empty_trail_has_nothing_to_sign(self, db: None) -> None:
        with pytest.raises(CommandError, match="empty"):
            call_command("audit_checkpoint")

    def test_the_periodic_task_makes_one(self, make_records) -> None:
        make_records(2)
        result = make_checkpoint.enqueue()
        assert AuditCheckpoint.objects.filter(pk=result.return_value).exists()


class TestOfflineVerify:
    def test_the_exported_file_verifies_with_the_public_key(self, exported, capsys) -> None:
        checkpoint_file, key_file = exported
        document = json.loads(checkpoint_file.read_text())
        assert set(document) == {"format", "payload", "signature", "public_key"}
        assert document["public_key"] == key_file.read_text()
        verify_checkpoint(checkpoint_file, key_file)
        out = capsys.readouterr().out
        assert "signature valid" in out
        assert "still hashes to the signed head" in out

    def test_the_key_may_be_given_as_pem_text(self, exported) -> None:
        checkpoint_file, key_file = exported
        verify_checkpoint(checkpoint_file, key_file.read_text())

    @pytest.mark.parametrize(
        ("field", "value"), [("head_hash", "0" * 64), ("count", 999), ("record_id", 1)], ids=["head", "count", "id"]
    )
    def test_a_tampered_file_is_refused(self, exported, field: str, value: object) -> None:
        checkpoint_file, key_file = exported
        document = json.loads(checkpoint_file.read_text())
        document["payload"][field] = value
        checkpoint_file.write_text(json.dumps(document))
        assert "signature does not verify" in refused(checkpoint_file, key_file)

    def test_another_key_is_refused(self, exported, tmp_path: Path) -> None:
        checkpoint_file, _key_file = exported
        _private, other_public = crypto.sm2_generate_keypair()
        other = tmp_path / "other.pem"
        other.write_bytes(other_public)
        assert "signature does not verify" in refused(checkpoint_file, other)

    def test_a_file_that_is_not_a_checkpoint_is_refused(self, exported, tmp_path: Path) -> None:
        _checkpoint_file, key_file = exported
        junk = tmp_path / "junk.json"
        junk.write_text('{"hello": 1}')
        assert "not an audit checkpoint file" in refused(junk, key_file)

    def test_a_rewritten_chain_fails_against_the_signed_head(self, exported) -> None:
        """Someone changes record 2 and recomputes every later hash and the head: the chain alone verifies again,
        but no longer hashes to what the zone signed."""
        checkpoint_file, key_file = exported
        with triggers_off():
            records = list(AuditRecord.objects.order_by("pk"))
            raw("UPDATE audit_auditrecord SET actor_username = 'nobody' WHERE id = %s", [records[1].pk])
            prev = records[0].hash
            for entry in records[1:]:
                current = AuditRecord.objects.get(pk=entry.pk)
                new_hash = chain_hash(prev, current)
                raw("UPDATE audit_auditrecord SET prev_hash = %s, hash = %s WHERE id = %s", [prev, new_hash, entry.pk])
                prev = new_hash
            raw("UPDATE audit_auditchainhead SET last_hash = %s", [prev])
        call_command("audit_verify")  # the chain by itself looks intact …
        message = refused(checkpoint_file, key_file)  # … but not to the signed checkpoint
        assert "no longer hashes to the signed head" in message

    def test_signature_only_needs_no_trail(self, exported) -> None:
        checkpoint_file, key_file = exported
        with triggers_off():
            raw("DELETE FROM audit_auditrecord")
        verify_checkpoint(checkpoint_file, key_file, "--signature-only")
        assert "the signed head, is missing from the trail" in refused(checkpoint_file, key_file)
