"""Writes to the audit trail: `audit.record(...)` (the one way anything is appended), reads of classified
records, signed checkpoints, the purge, and the audited verification and export."""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ftzsafety.audit import checkpoints, db_guard
from ftzsafety.audit.chain import PURGE_ACTION, ChainStart, VerifyResult, chain_hash, chain_start, verify_segment
from ftzsafety.audit.models import AuditAnchor, AuditChainHead, AuditCheckpoint, AuditRecord, Outcome
from ftzsafety.core import request_context
from ftzsafety.core.codes import CodeProblem, resident_id_validate, uscc_validate
from ftzsafety.core.errors import Conflict, ValidationFailed
from ftzsafety.core.models import Classification
from ftzsafety.security import keys
from ftzsafety.security.masking import mask_text

SYSTEM_USERNAME = "system"
RETENTION_DAYS = 180  # GB/T 22239-2019 §8.1.4.3 c; 网络安全法 第二十一条: network logs kept at least six months


# --- masking of free text (hook) ------------------------------------------------------------------------------


def _is_credit_code(value: str) -> bool:
    """A value that is exactly a unified social credit code. Credit codes identify legal persons and are public
    registry data (企业信息公示暂行条例 第六条); the trail keeps them, as it keeps target ids. A value that is also a
    valid resident ID number is treated as personal data."""
    if len(value) != 18:
        return False
    try:
        uscc_validate(value)
    except CodeProblem:
        return False
    try:
        resident_id_validate(value)
    except CodeProblem:
        return True
    return False


_DIGEST = re.compile(r"^[0-9a-f]{32,}$")


def mask_free_text(value: str) -> str:
    """The masking hook for strings in before/after/detail: resident ID numbers and mobile numbers are masked
    wherever they occur (`security.masking.mask_text`, GB/T 35273-2020 §6.2), except a value that is exactly a
    credit code (see `_is_credit_code`) or a hex digest (an SM3 hash may contain eleven digits that look like a
    mobile number; masking it would corrupt the anchor and checkpoint hashes the trail refers to)."""
    stripped = value.strip()
    if _DIGEST.match(stripped) or _is_credit_code(stripped):
        return value
    return mask_text(value)


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_free_text(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value


def _json_safe(value: Any) -> Any:
    """The value exactly as the JSON column will give it back, so that the hash computed now is the hash of
    what is stored (tuples become lists, dates strings, keys strings)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _target_fields(target: Any) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk), str(target)[:300]
    return type(target).__name__, "", str(target)[:300]


# --- appending ------------------------------------------------------------------------------------------------


@transaction.atomic
def record(
    *,
    actor: Any,
    action: str,
    target: Any = None,
    outcome: str = Outcome.OK,
    classification: str = Classification.INTERNAL,
    before: dict | None = None,
    after: dict | None = None,
    detail: dict | None = None,
    username: str = "",
    ip: str | None = None,
) -> AuditRecord:
    """Append one record, chained to the previous one. Call it inside the service's transaction so
    the record exists exactly when the change does. `username` names an actor that is not (yet) a
    user object, e.g. the name typed at a failed sign-in; `ip` overrides the request context's address.

    Strings in before/after/detail pass the masking hook (`mask_free_text`). The chain head row is locked
    while appending, so the chain never forks (GB/T 22239-2019 §8.1.4.3)."""
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    ctx = request_context.current()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    organisation = getattr(actor, "organisation", None) if authenticated else None
    target_type, target_id, target_repr = _target_fields(target)
    entry = AuditRecord(
        occurred_at=timezone.now(),
        actor_id=actor.pk if authenticated else None,
        actor_username=actor.get_username() if authenticated else username[:150],
        organisation_code=organisation.code if organisation else "",
        ip=(ip if ip is not None else (ctx.ip or "") if ctx else "")[:45],
        request_id=ctx.request_id if ctx else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        outcome=outcome,
        classification=classification,
        before=_masked(_json_safe(before)),
        after=_masked(_json_safe(after)),
        detail=_masked(_json_safe(detail or {})),
        prev_hash=head.last_hash,
    )
    entry.hash = chain_hash(head.last_hash, entry)
    entry.save()
    head.last_hash = entry.hash
    head.last_record_id = entry.pk
    head.save(update_fields=["last_hash", "last_record_id"])
    return entry


def record_access(
    *,
    actor: Any,
    target: models.Model,
    classification: str | None = None,
    grant: Any = None,
    detail: dict | None = None,
) -> AuditRecord | None:
    """Record a read of an internal or confidential record as `<app>.<model>.read` (GB/T 22239-2019 §8.1.4.3 a:
    audit covers important user behaviour; issue 3 item 5: a read of confidential data names its grant).

    `classification` defaults to the target's own; reads of public records are not recorded (returns None)."""
    level = classification or getattr(target, "classification", Classification.INTERNAL)
    if level == Classification.PUBLIC:
        return None
    extra = dict(detail or {})
    if grant is not None:
        extra["grant_id"] = getattr(grant, "pk", grant)
    return record(
        actor=actor,
        action=f"{target._meta.app_label}.{target._meta.model_name}.read",
        target=target,
        classification=level,
        detail=extra,
    )


def trail_access_refuse(*, actor: Any, action: str, detail: dict | None = None) -> AuditRecord:
    """Record a refused attempt to use the audit trail's pages or API (GB/T 22239-2019 §8.1.4.3: denied access
    is audited). The caller then raises PermissionDenied."""
    return record(actor=actor, action=action, outcome=Outcome.DENIED, detail=detail or {})


def _actor_args(actor: Any) -> dict[str, Any]:
    return {"actor": actor, "username": SYSTEM_USERNAME if actor is None else ""}


def _actor_name(actor: Any) -> str:
    return actor.get_username() if actor is not None else SYSTEM_USERNAME


# --- verification ------------------------------------------------------------------------------------------------


def trail_verify(*, actor: Any) -> VerifyResult:
    """Verify the whole trail and record that it was done, with the result (GB/T 22239-2019 §8.1.4.3 d).

    Runs synchronously: about a minute per million records. Outside a transaction on purpose: the walk reads
    in batches and must not hold the chain head's lock."""
    from ftzsafety.audit.chain import verify_trail

    result = verify_trail()
    record(
        **_actor_args(actor),
        action="audit.chain.verify",
        outcome=Outcome.OK if result.ok else Outcome.FAILED,
        detail={
            "ok": result.ok,
            "count": result.count,
            "problem": result.problem,
            "first_bad_id": result.first_bad_id,
            "reason": result.reason,
        },
    )
    return result


# --- checkpoints -----------------------------------------------------------------------------------------------


def _checkpoint_start() -> ChainStart:
    """Where the part not yet covered by a checkpoint begins: the latest checkpoint, or the anchor, or genesis."""
    start = chain_start()
    latest = AuditCheckpoint.objects.filter(record_id__gt=start.record_id).order_by("-record_id").first()
    if latest is not None and checkpoints.stored_signature_valid(latest):
        return ChainStart(record_id=latest.record_id, hash=latest.head_hash, count=latest.count)
    return start


class _CheckpointRefused(Conflict):
    code = "audit_chain_broken"

    def __init__(self, message: str, result: VerifyResult) -> None:
        super().__init__(message, extra={"first_bad_id": result.first_bad_id, "problem": result.problem})


@transaction.atomic
def checkpoint_create(*, actor: Any = None) -> AuditCheckpoint:
    """Sign the current chain head with the zone's SM2 key (GB/T 32918.2-2016, via `security.keys`).

    The records added since the last checkpoint are verified first; a broken chain is never signed (Conflict,
    and the refusal is recorded). The head stays locked while signing, so the signed head is the head."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None or head.last_record_id is None:
        raise Conflict(_("The audit trail is empty: there is nothing to sign."), code="audit_trail_empty")
    start = _checkpoint_start()
    result = verify_segment(start=start, up_to_id=head.last_record_id)
    if not result.ok or result.last_hash != head.last_hash:
        message = result.message() if not result.ok else _("The chain does not end at its head record.")
        raise _CheckpointRefused(message, result)
    key_id, private_pem = keys.zone_signing_key()
    signed_at = timezone.now()
    payload = checkpoints.payload(
        record_id=head.last_record_id, head_hash=head.last_hash, count=result.total, signed_at=signed_at, key_id=key_id
    )
    checkpoint = AuditCheckpoint.objects.create(
        record_id=head.last_record_id,
        head_hash=head.last_hash,
        count=result.total,
        signed_at=signed_at,
        key_id=key_id,
        payload=checkpoints.payload_text(payload),
        signature=checkpoints.sign(private_pem, payload),
        created_by=_actor_name(actor),
    )
    record(
        **_actor_args(actor),
        action="audit.checkpoint.create",
        target=checkpoint,
        detail={"record_id": checkpoint.record_id, "head_hash": checkpoint.head_hash, "key_id": key_id},
    )
    return checkpoint


def checkpoint_make(*, actor: Any = None) -> AuditCheckpoint:
    """`checkpoint_create`, recording a refusal (a broken chain) on the trail after the transaction rolled back."""
    try:
        return checkpoint_create(actor=actor)
    except _CheckpointRefused as refused:
        record(
            **_actor_args(actor),
            action="audit.checkpoint.create",
            outcome=Outcome.FAILED,
            detail={"reason": refused.message, **refused.extra},
        )
        raise


# --- purge ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeResult:
    purged: int
    anchor: AuditAnchor | None


def purge_cutoff(before: date) -> datetime:
    """The first instant kept: midnight at the start of `before` in the zone's time zone."""
    return timezone.make_aware(datetime.combine(before, time.min))


def _check_retention(before: date) -> None:
    latest_allowed = timezone.localdate() - timedelta(days=RETENTION_DAYS)
    if before > latest_allowed:
        raise ValidationFailed.for_fields(
            {
                "before": [
                    _(
                        "Audit records are kept for at least %(days)d days (GB/T 22239-2019, 等保 2.0 level 3: "
                        "six months). The latest date you may purge before is %(latest)s; %(given)s is too recent."
                    )
                    % {"days": RETENTION_DAYS, "latest": latest_allowed.isoformat(), "given": before.isoformat()}
                ]
            }
        )


def trail_purge(*, actor: Any = None, before: date) -> PurgeResult:
    """`_trail_purge`, recording a refused purge (too recent, or a trail that does not verify) after the
    transaction rolled back: attempts to delete audit records are themselves on the trail."""
    try:
        return _trail_purge(actor=actor, before=before)
    except (ValidationFailed, Conflict) as refused:
        record(
            **_actor_args(actor),
            action=PURGE_ACTION,
            outcome=Outcome.FAILED,
            detail={"before": before.isoformat(), "reason": refused.message},
        )
        raise


@transaction.atomic
def _trail_purge(*, actor: Any, before: date) -> PurgeResult:
    """Delete the records older than `before` (a date at least 180 days ago) and leave an anchor — the last
    purged record's id and hash — from which the remaining chain still verifies.

    Only a prefix of the chain is removed (everything before the first record at or after `before`), and only
    after that prefix verifies: a tampered trail is never purged, so the evidence stays. The delete passes the
    database triggers through `db_guard.purge_gate`; the purge itself is recorded, naming the anchor, and that
    record is what confirms the anchor when the trail is verified later."""
    _check_retention(before)
    cutoff = purge_cutoff(before)
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    start = chain_start()
    first_kept = AuditRecord.objects.filter(pk__gt=start.record_id, occurred_at__gte=cutoff).order_by("pk").first()
    last_purged = (
        (
            AuditRecord.objects.filter(pk__gt=start.record_id, pk__lt=first_kept.pk)
            if first_kept
            else AuditRecord.objects.filter(pk__gt=start.record_id)
        )
        .order_by("-pk")
        .first()
    )
    detail: dict[str, Any] = {"before": before.isoformat()}
    if head is None or last_purged is None:
        record(**_actor_args(actor), action=PURGE_ACTION, detail={**detail, "purged": 0})
        return PurgeResult(0, None)
    result = verify_segment(start=start, up_to_id=last_purged.pk)
    if not result.ok or result.last_id != last_purged.pk:
        raise Conflict(
            _("The records to be purged do not verify, so they are kept as evidence: %(problem)s")
            % {"problem": result.message()},
            code="audit_chain_broken",
            extra={"first_bad_id": result.first_bad_id, "problem": result.problem},
        )
    with db_guard.purge_gate(connection), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AuditRecord._meta.db_table} WHERE id > %s AND id <= %s",  # noqa: S608
            [start.record_id, last_purged.pk],
        )
        purged = cursor.rowcount
    now = timezone.now()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    anchor = AuditAnchor.objects.create(
        record_id=last_purged.pk,
        record_hash=last_purged.hash,
        count=result.total,
        purged_count=purged,
        purged_before=cutoff,
        created_at=now,
        actor_id=actor.pk if authenticated else None,
        actor_username=_actor_name(actor),
    )
    record(
        **_actor_args(actor),
        action=PURGE_ACTION,
        target=anchor,
        detail={
            **detail,
            "purged": purged,
            "anchor_record_id": anchor.record_id,
            "anchor_hash": anchor.record_hash,
            "anchor_count": anchor.count,
        },
    )
    return PurgeResult(purged, anchor)


# --- export ----------------------------------------------------------------------------------------------------


def trail_export(*, actor: Any, records: models.QuerySet, filters: dict[str, Any]) -> Iterator[list[str]]:
    """Rows for a CSV export of `records`, recorded first (GB/T 22239-2019 §8.1.4.3: exports are audited).

    Values are masked again on the way out (older records, and target names), and a cell that a spreadsheet
    would run as a formula is prefixed with an apostrophe (OWASP CSV injection)."""
    count = records.count()
    record(actor=actor, action="audit.record.export", detail={"filters": filters, "rows": count})
    return _export_rows(records)


EXPORT_COLUMNS = (
    "id",
    "occurred_at",
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
    "hash",
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = value.astimezone(timezone.get_current_timezone()).isoformat()
    elif isinstance(value, dict | list):
        text = mask_free_text(json.dumps(_masked(value), ensure_ascii=False, sort_keys=True))
    else:
        text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def _export_rows(records: models.QuerySet) -> Iterator[list[str]]:
    yield list(EXPORT_COLUMNS)
    for row in records.iterator(chunk_size=2000):
        values = [getattr(row, name) for name in EXPORT_COLUMNS]
        values[EXPORT_COLUMNS.index("target_repr")] = mask_free_text(row.target_repr)
        yield [_cell(value) for value in values]


def record_denials(action: str) -> Any:
    """Decorate a service so that a PermissionDenied it raises is audited as a denied `action`.

    Put it above `@transaction.atomic`: the denial is recorded after the service's transaction has rolled back,
    so the record stays while nothing else is written (GB/T 22239-2019 §8.1.4.3: denied access is audited).
    """
    import functools

    from ftzsafety.core.errors import PermissionDenied

    def decorator(service: Any) -> Any:
        @functools.wraps(service)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return service(*args, **kwargs)
            except PermissionDenied as denied:
                ids = {k: v for k, v in kwargs.items() if k.endswith("_id") and isinstance(v, int | str)}
                record(
                    actor=kwargs.get("actor"),
                    action=action,
                    outcome=Outcome.DENIED,
                    detail={**ids, "code": denied.code},
                )
                raise

        return wrapper

    return decorator
