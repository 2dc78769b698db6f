"""Hashing and verification of the audit chain."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC

from ftzsafety.audit.models import GENESIS_HASH, AuditRecord
from ftzsafety.security import crypto

HASHED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_username",
    "organisation_code",
    "ip",
    "request_id",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "outcome",
    "classification",
    "before",
    "after",
    "detail",
)


def canonical(record: AuditRecord) -> bytes:
    """Deterministic bytes of a record: sorted-key JSON, UTC timestamps with microseconds.

    The id is not hashed (it is assigned on insert); order is protected by each record's prev_hash.
    """
    data = {}
    for name in HASHED_FIELDS:
        value = getattr(record, name)
        if name == "occurred_at":
            value = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        data[name] = value
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def chain_hash(prev_hash: str, record: AuditRecord) -> str:
    return crypto.sm3_hex(prev_hash.encode("ascii") + canonical(record))


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    first_bad_id: int | None = None
    reason: str = ""


def verify(records: Iterable[AuditRecord], *, start_hash: str = GENESIS_HASH) -> VerifyResult:
    """Walk the chain in id order. A changed record breaks its own hash; a removed or reordered one
    breaks the next record's link to its predecessor."""
    prev = start_hash
    count = 0
    for record in records:
        if record.prev_hash != prev:
            return VerifyResult(False, count, record.pk, "link to the previous record is broken (removed or reordered)")
        if chain_hash(prev, record) != record.hash:
            return VerifyResult(False, count, record.pk, "record content does not match its hash (changed)")
        prev = record.hash
        count += 1
    return VerifyResult(True, count)
