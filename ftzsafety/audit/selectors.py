"""Reads of the audit trail. Only the audit administrator sees any of it (`policies.can_read_trail`)."""

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ftzsafety.audit import policies
from ftzsafety.audit.models import AuditAnchor, AuditCheckpoint, AuditRecord
from ftzsafety.core import authz


def _trail_scope(actor: Any, qs: QuerySet) -> QuerySet:
    return qs if policies.can_read_trail(actor) else qs.none()


for _model in (AuditRecord, AuditCheckpoint, AuditAnchor):
    authz.register_scope(_model)(_trail_scope)


@dataclass(frozen=True)
class RecordFilters:
    person: str = ""  # part of the actor's user name
    action: str = ""  # an action or its prefix ("enterprises." for all of that app)
    target: str = ""  # a target id, type ("enterprises.enterprise") or part of its name
    outcome: str = ""
    since: date | None = None  # from the start of this day
    until: date | None = None  # to the end of this day

    def as_dict(self) -> dict[str, str]:
        return {
            key: value.isoformat() if isinstance(value, date) else value for key, value in asdict(self).items() if value
        }


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def record_list(*, actor: Any, filters: RecordFilters | None = None) -> QuerySet[AuditRecord]:
    """Records matching `filters`, newest first."""
    qs = authz.visible_to(actor, AuditRecord.objects.all())
    f = filters or RecordFilters()
    if f.person:
        qs = qs.filter(actor_username__icontains=f.person.strip())
    if f.action:
        qs = qs.filter(action__startswith=f.action.strip())
    if f.target:
        term = f.target.strip()
        qs = qs.filter(Q(target_id=term) | Q(target_type=term) | Q(target_repr__icontains=term))
    if f.outcome:
        qs = qs.filter(outcome=f.outcome)
    if f.since:
        qs = qs.filter(occurred_at__gte=_day_start(f.since))
    if f.until:
        qs = qs.filter(occurred_at__lt=_day_start(f.until + timedelta(days=1)))
    return qs.order_by("-id")


def checkpoint_list(*, actor: Any, limit: int = 10) -> list[AuditCheckpoint]:
    return list(authz.visible_to(actor, AuditCheckpoint.objects.all()).order_by("-record_id", "-id")[:limit])


def anchor_latest(*, actor: Any) -> AuditAnchor | None:
    return authz.visible_to(actor, AuditAnchor.objects.all()).order_by("-record_id").first()
