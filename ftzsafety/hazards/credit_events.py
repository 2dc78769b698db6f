"""Hazard outcomes that count for the enterprise's credit grade (PRODUCT.md P3: A/B/C/D grading): a hazard
rectified on time, a rectification overdue, a major hazard found. Recorded through `credit.services` in the same
transaction as the hazard change; idempotent on (hazards, hazard id, kind), so a rerun records nothing twice."""

from typing import Any

from django.urls import reverse
from django.utils import timezone

KINDS = {
    "rectified_on_time": "hazard_rectified_on_time",
    "rectification_overdue": "hazard_overdue",
    "major_hazard_found": "major_hazard_found",
}


def emit(*, kind: str, hazard: Any, actor: Any = None) -> Any:
    """Record the credit event for `hazard` (None when the hazard concerns no known enterprise)."""
    if hazard.enterprise_id is None:
        return None
    from ftzsafety.credit.choices import EventKind
    from ftzsafety.credit.services import credit_event_record

    return credit_event_record(
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        enterprise=hazard.enterprise_id,
        kind=EventKind(KINDS[kind]),
        occurred_on=timezone.localdate(),
        source_module="hazards",
        source_ref=hazard.code or str(hazard.pk),
        evidence_url=reverse("hazards:detail", kwargs={"hazard_id": hazard.pk}),
        detail={"level": hazard.level, "category": hazard.category},
    )
