"""Signed checkpoints of the audit chain: the payload, its SM2 signature, the exported file and its offline check.

A checkpoint says "the trail up to record #N, the N-th… record since the genesis, hashes to H", signed with the
zone's SM2 key (GB/T 32918.2-2016, SM3 digest, signer ID 1234567812345678 per GM/T 0009-2012). The exported
file is JSON::

    {"format": "ftzsafety-audit-checkpoint/1",
     "payload": {"algorithm": "SM2-SM3", "count": …, "head_hash": "…", "key_id": "sm2-…", "record_id": …,
                 "signed_at": "2026-…Z", "signer_id": "1234567812345678", "version": 1},
     "signature": "<base64 of the DER signature over the canonical payload>",
     "public_key": "-----BEGIN PUBLIC KEY-----…"}

The canonical payload is its JSON with sorted keys, no spaces, UTF-8. A department that receives the file checks
the signature against the zone's public key it obtained through its own channel (`--public-key`), never against
the key inside the file, which is there for convenience only.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.utils.translation import gettext as _

from ftzsafety.audit.models import AuditCheckpoint
from ftzsafety.security import crypto, keys

FORMAT = "ftzsafety-audit-checkpoint/1"
ALGORITHM = "SM2-SM3"


def payload(*, record_id: int, head_hash: str, count: int, signed_at: datetime, key_id: str) -> dict[str, Any]:
    return {
        "version": 1,
        "algorithm": ALGORITHM,
        "signer_id": crypto.SM2_DEFAULT_SIGNER_ID.decode("ascii"),
        "record_id": record_id,
        "head_hash": head_hash,
        "count": count,
        "signed_at": signed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "key_id": key_id,
    }


def payload_text(data: dict[str, Any]) -> str:
    """The canonical form that is signed: sorted keys, no whitespace."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sign(private_pem: bytes, data: dict[str, Any]) -> str:
    signature = crypto.sm2_sign(private_pem, payload_text(data).encode("utf-8"))
    return base64.b64encode(signature).decode("ascii")


def signature_valid(public_pem: bytes | str, data: dict[str, Any], signature_b64: str) -> bool:
    try:
        signature = base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError, TypeError):
        return False
    return crypto.sm2_verify(public_pem, payload_text(data).encode("utf-8"), signature)


def stored_signature_valid(checkpoint: AuditCheckpoint) -> bool:
    """Whether a stored checkpoint's signature still verifies with the key that made it."""
    try:
        public_pem = keys.signing_public_key(checkpoint.key_id)
        data = json.loads(checkpoint.payload)
    except (keys.KeyStoreError, ValueError):
        return False
    return (
        data.get("record_id") == checkpoint.record_id
        and data.get("head_hash") == checkpoint.head_hash
        and signature_valid(public_pem, data, checkpoint.signature)
    )


def export(checkpoint: AuditCheckpoint) -> dict[str, Any]:
    """The file's content for one checkpoint."""
    return {
        "format": FORMAT,
        "payload": json.loads(checkpoint.payload),
        "signature": checkpoint.signature,
        "public_key": keys.signing_public_key(checkpoint.key_id).decode("ascii"),
    }


class CheckpointInvalid(Exception):
    """The file is not a checkpoint, or its signature does not verify with the given public key."""


@dataclass(frozen=True)
class CheckpointFile:
    record_id: int
    head_hash: str
    count: int
    signed_at: str
    key_id: str


def verify_file(content: str | bytes, public_pem: bytes | str) -> CheckpointFile:
    """Parse a checkpoint file and check its signature with `public_pem`; raise CheckpointInvalid otherwise."""
    try:
        document = json.loads(content)
        data = document["payload"]
        signature = document["signature"]
        if document.get("format") != FORMAT or not isinstance(data, dict) or not isinstance(signature, str):
            raise TypeError
        parsed = CheckpointFile(
            record_id=int(data["record_id"]),
            head_hash=str(data["head_hash"]),
            count=int(data["count"]),
            signed_at=str(data["signed_at"]),
            key_id=str(data["key_id"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointInvalid(_("This is not an audit checkpoint file (%(format)s).") % {"format": FORMAT}) from exc
    try:
        valid = signature_valid(public_pem, data, signature)
    except ValueError as exc:
        raise CheckpointInvalid(_("The public key is not an SM2 public key in PEM form.")) from exc
    if not valid:
        raise CheckpointInvalid(
            _(
                "The checkpoint's signature does not verify with the given public key: "
                "the file was altered, or it was signed with another key."
            )
        )
    return parsed


def check_against_trail(checkpoint: CheckpointFile) -> tuple[bool, str]:
    """Whether the local trail, from its start up to the checkpoint's record, still hashes to the signed head
    and holds the signed number of records. (ok, message for people)."""
    from ftzsafety.audit.chain import chain_start, verify_segment

    start = chain_start()
    named = {"id": checkpoint.record_id, "anchor": start.record_id}
    if checkpoint.record_id < start.record_id:
        return False, _(
            "Record #%(id)d was purged (the trail now starts after record #%(anchor)d): "
            "this checkpoint can no longer be compared with the trail."
        ) % named
    if checkpoint.record_id == start.record_id:
        same = checkpoint.head_hash == start.hash and checkpoint.count == start.count
        if same:
            return True, _("The purge anchor at record #%(id)d is the signed head.") % named
        return False, _("The purge anchor at record #%(id)d does not match the signed head.") % named
    result = verify_segment(start=start, up_to_id=checkpoint.record_id)
    if not result.ok:
        return False, result.message()
    if result.last_id != checkpoint.record_id:
        return False, _("Record #%(id)d, the signed head, is missing from the trail.") % named
    if result.last_hash != checkpoint.head_hash:
        return False, _("The trail up to record #%(id)d no longer hashes to the signed head: it was rewritten.") % named
    if result.total != checkpoint.count:
        return False, _("The trail up to record #%(id)d holds %(found)d records, the checkpoint signed %(signed)d.") % {
            **named,
            "found": result.total,
            "signed": checkpoint.count,
        }
    return True, _("The trail up to record #%(id)d (%(count)d records) still hashes to the signed head.") % {
        **named,
        "count": result.total,
    }
