"""Hashing and verification of the audit chain: the one place that knows how a record is hashed and how the
chain is checked (GB/T 22239-2019 §8.1.4.3 d: audit records protected from modification; GB/T 39786-2021 §8.4:
integrity of audit records by a cryptographic means — here SM3, GB/T 32905-2016).

Each record's hash = SM3(previous record's hash ‖ canonical JSON of the record). Walking the chain in id order:

- a *changed* record no longer hashes to its stored hash;
- a *removed* record leaves its successor linked to a hash that no remaining record has;
- a *reordered* record is internally consistent but links to a record that is not the one before it;
- records removed from the end leave the walk short of the chain head (`AuditChainHead`).

After a purge the chain starts at the latest `AuditAnchor` (the last purged record's id and hash) instead of the
genesis hash; the anchor itself is confirmed by the purge's own audit record in the remaining chain.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from django.utils.translation import gettext as _

from ftzsafety.audit.models import GENESIS_HASH, AuditAnchor, AuditChainHead, AuditRecord
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
PURGE_ACTION = "audit.record.purge"
BATCH_SIZE = 1000


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


# --- the result of a walk ---------------------------------------------------------------------------------------

CHANGED = "changed"
REMOVED = "removed"
REORDERED = "reordered"
HEAD_MISSING = "head_missing"
ANCHOR_UNCONFIRMED = "anchor_unconfirmed"


@dataclass(frozen=True)
class ChainStart:
    """Where a walk starts: the genesis, or an anchor left by a purge (records up to `record_id` are gone)."""

    record_id: int = 0
    hash: str = GENESIS_HASH
    count: int = 0  # records from the genesis up to and including record_id


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int  # records verified in this walk
    first_bad_id: int | None = None
    reason: str = ""  # short English statement of what is wrong
    problem: str = ""  # CHANGED, REMOVED, REORDERED, HEAD_MISSING, ANCHOR_UNCONFIRMED
    action: str = ""  # of the named record
    occurred_at: datetime | None = None  # of the named record
    related_id: int | None = None  # removed: the last intact record before the gap; reordered: where it belongs
    last_id: int | None = None  # last record that verified
    last_hash: str = GENESIS_HASH
    start: ChainStart = ChainStart()

    @property
    def total(self) -> int:
        """Records from the genesis to the last verified one, purged ones included."""
        return self.start.count + self.count

    def message(self) -> str:
        """One sentence for people (translated): the count when intact, else the named record and what is wrong."""
        if self.ok:
            text = _("The audit trail is intact: %(count)d records verified.") % {"count": self.count}
            if self.start.record_id:
                text += " " + _(
                    "It starts after record #%(anchor)d; %(purged)d earlier records were purged under an anchor."
                ) % {"anchor": self.start.record_id, "purged": self.start.count}
            return text
        named = {"id": self.first_bad_id, "action": self.action, "time": _format_time(self.occurred_at)}
        if self.problem == CHANGED:
            text = _("Record #%(id)d (%(action)s, %(time)s) was changed: its content does not match its hash.")
        elif self.problem == REMOVED and self.action:
            text = _(
                "Records were removed before record #%(id)d (%(action)s, %(time)s): "
                "it does not link to record #%(prev)s, the last intact record before it."
            )
        elif self.problem == REMOVED:
            text = _(
                "Records were removed from the end of the trail: the chain head names record #%(id)d, "
                "the trail ends at record #%(prev)s."
            )
        elif self.problem == REORDERED:
            text = _(
                "Record #%(id)d (%(action)s, %(time)s) is out of order: "
                "it continues from record #%(other)s, not from record #%(prev)s."
            )
        elif self.problem == HEAD_MISSING:
            text = _("The chain head is missing although the trail has records: it was deleted.")
        elif self.problem == ANCHOR_UNCONFIRMED:
            text = _(
                "The purge anchor at record #%(id)d is not confirmed by a purge record in the trail: "
                "the anchor was forged or the purge record removed."
            )
        else:
            text = _("The audit trail is broken at record #%(id)s.")
        named.update(prev=self.last_id or 0, other=self.related_id or 0)
        return text % named


def _format_time(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if value else "?"


def _broken(record: AuditRecord, problem: str, reason: str, **fields: Any) -> dict[str, Any]:
    return {
        "ok": False,
        "first_bad_id": record.pk,
        "problem": problem,
        "reason": reason,
        "action": record.action,
        "occurred_at": record.occurred_at,
        **fields,
    }


def verify(
    records: Iterable[AuditRecord],
    *,
    start_hash: str = GENESIS_HASH,
    locate: Callable[[str], AuditRecord | None] | None = None,
    start: ChainStart | None = None,
) -> VerifyResult:
    """Walk `records` (in id order) from `start_hash`; stop at the first record that is changed, or whose
    predecessor was removed, or that is out of order. `locate(hash)` finds the record holding a hash, so that a
    reordered record can be told from a removed one (without it a broken link is reported as removed)."""
    start = start or ChainStart(hash=start_hash)
    prev, prev_id, count = start.hash, start.record_id or None, 0
    for record in records:
        expected = chain_hash(prev, record)
        if record.prev_hash != prev or expected != record.hash:
            if expected == record.hash or record.prev_hash == prev:
                # Linked correctly but the content (or only its copy of the previous hash) was altered.
                fields = _broken(record, CHANGED, "record content does not match its hash (changed)")
            elif chain_hash(record.prev_hash, record) != record.hash:
                fields = _broken(record, CHANGED, "record content does not match its hash (changed)")
            else:
                # Intact in itself, but it follows some other record: reordered, or its predecessor removed.
                holder = locate(record.prev_hash) if locate else None
                if holder is not None and holder.pk != prev_id:
                    fields = _broken(
                        record,
                        REORDERED,
                        f"record is out of order: it continues from #{holder.pk}",
                        related_id=holder.pk,
                    )
                else:
                    fields = _broken(record, REMOVED, f"a record before it was removed (after #{prev_id or 0})")
            return VerifyResult(count=count, last_id=prev_id, last_hash=prev, start=start, **fields)
        prev, prev_id = record.hash, record.pk
        count += 1
    return VerifyResult(True, count, last_id=prev_id, last_hash=prev, start=start)


# --- walking the stored chain -------------------------------------------------------------------------------------


def chain_start() -> ChainStart:
    """The genesis, or the latest purge anchor."""
    anchor = AuditAnchor.objects.order_by("-record_id").first()
    if anchor is None:
        return ChainStart()
    return ChainStart(record_id=anchor.record_id, hash=anchor.record_hash, count=anchor.count)


def iter_records(
    *, after_id: int = 0, up_to_id: int | None = None, batch_size: int = BATCH_SIZE
) -> Iterator[AuditRecord]:
    """Records with after_id < id ≤ up_to_id in id order, fetched in batches by key (constant memory, and no
    long-lived cursor: each batch is one short query)."""
    last = after_id
    while True:
        qs = AuditRecord.objects.filter(pk__gt=last).order_by("pk")
        if up_to_id is not None:
            qs = qs.filter(pk__lte=up_to_id)
        batch = list(qs[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].pk
        if len(batch) < batch_size:
            return


def _locate(hash_value: str) -> AuditRecord | None:
    return AuditRecord.objects.filter(hash=hash_value).only("pk").first()


def verify_trail(*, batch_size: int = BATCH_SIZE) -> VerifyResult:
    """Verify the whole stored trail: from the anchor (or genesis) to the chain head, in batches.

    The head is read first and the walk stops there, so records appended meanwhile do not disturb the check.
    """
    start = chain_start()
    head = AuditChainHead.objects.filter(pk=1).first()
    end_id = head.last_record_id if head else None
    confirmed = {"anchor": start.record_id == 0}

    def watched() -> Iterator[AuditRecord]:
        for record in iter_records(after_id=start.record_id, up_to_id=end_id, batch_size=batch_size):
            if record.action == PURGE_ACTION and (record.detail or {}).get("anchor_hash") == start.hash:
                confirmed["anchor"] = True
            yield record

    result = verify(watched(), locate=_locate, start=start)
    if not result.ok:
        return result
    if head is None:
        if result.count:
            return replace(result, ok=False, problem=HEAD_MISSING, reason="the chain head row is missing")
        return result
    if end_id is not None and result.last_hash != head.last_hash:
        return replace(
            result,
            ok=False,
            problem=REMOVED,
            first_bad_id=end_id,
            reason=f"records after #{result.last_id or 0} were removed (the chain head names #{end_id})",
        )
    if not confirmed["anchor"]:
        return replace(
            result,
            ok=False,
            problem=ANCHOR_UNCONFIRMED,
            first_bad_id=start.record_id,
            reason="the purge anchor is not confirmed by a purge record",
        )
    return result


def verify_segment(*, start: ChainStart, up_to_id: int, batch_size: int = BATCH_SIZE) -> VerifyResult:
    """Verify records after `start` up to and including `up_to_id` (checkpoints and purges check only the part
    they sign or remove). The caller compares `last_id`/`last_hash` with what it expects."""
    return verify(
        iter_records(after_id=start.record_id, up_to_id=up_to_id, batch_size=batch_size), locate=_locate, start=start
    )
