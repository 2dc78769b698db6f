"""`audit.record(...)`: the one way anything is written to the audit trail."""

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from ftzsafety.audit.chain import chain_hash
from ftzsafety.audit.models import AuditChainHead, AuditRecord, Outcome
from ftzsafety.core import request_context
from ftzsafety.core.models import Classification


def _target_fields(target: Any) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk), str(target)[:300]
    return type(target).__name__, "", str(target)[:300]


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
) -> AuditRecord:
    """Append one record, chained to the previous one. Call it inside the service's transaction so
    the record exists exactly when the change does. `username` names an actor that is not (yet) a
    user object, e.g. the name typed at a failed sign-in."""
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
        ip=(ctx.ip or "") if ctx else "",
        request_id=ctx.request_id if ctx else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        outcome=outcome,
        classification=classification,
        before=before,
        after=after,
        detail=detail or {},
        prev_hash=head.last_hash,
    )
    entry.hash = chain_hash(head.last_hash, entry)
    entry.save()
    head.last_hash = entry.hash
    head.last_record_id = entry.pk
    head.save(update_fields=["last_hash", "last_record_id"])
    return entry
