"""Reads of filings. Filings and attachments are SupervisedModels (core.authz's rule: government people see them,
an enterprise sees its own); their events, findings and reviews are visible with their filing. Types, rules and
destinations are reference data for everyone signed in."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from ftzsafety.core import authz
from ftzsafety.core.errors import NotFound, PermissionDenied
from ftzsafety.filings import policies
from ftzsafety.filings.choices import OPEN_REVIEW_STATUSES, REVIEWING_STATUSES, FilingStatus, FilingTypeCode
from ftzsafety.filings.models import (
    DepartmentReview,
    Destination,
    Filing,
    FilingAttachment,
    FilingEvent,
    FilingType,
    PreReviewFinding,
    ReviewRule,
)


def _signed_in(actor: Any) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active)


@authz.register_scope(FilingType)
@authz.register_scope(ReviewRule)
@authz.register_scope(Destination)
def _reference_scope(actor: Any, qs: QuerySet) -> QuerySet:
    return qs if _signed_in(actor) and not actor.is_platform_admin else qs.none()


@authz.register_scope(FilingEvent)
@authz.register_scope(PreReviewFinding)
@authz.register_scope(DepartmentReview)
def _with_filing_scope(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(filing__in=authz.visible_to(actor, Filing.objects.all()).values("pk"))


# --- reference data --------------------------------------------------------------------------------------------


def filing_type_list(*, actor: Any) -> QuerySet[FilingType]:
    return authz.visible_to(actor, FilingType.objects.filter(is_active=True))


def filing_type_get(*, actor: Any, code: str) -> FilingType:
    return authz.get_visible(actor, FilingType.objects.filter(is_active=True), code=code)


def review_rule_list(*, actor: Any, filing_type: FilingType | None = None) -> QuerySet[ReviewRule]:
    qs = authz.visible_to(actor, ReviewRule.objects.select_related("filing_type"))
    return qs.filter(filing_type=filing_type) if filing_type else qs


def destination_list(*, actor: Any) -> QuerySet[Destination]:
    return authz.visible_to(actor, Destination.objects.filter(is_active=True))


def destination_by_code(code: str) -> Destination | None:
    """System read for validation and pre-review (reference data, no person's view involved)."""
    return Destination.objects.filter(code=code, is_active=True).first() if code else None


def destination_stock(*, destination: Destination, now: datetime, window_days: int) -> list[str]:
    """UN numbers in stock at a destination by the park storage inventories (exchange dataset
    `storage-inventories`): the latest report of each enterprise and UN number within `window_days`, quantity > 0.

    A system read for pre-review: the enterprise filing learns only the classes that conflict, not whose stock."""
    from ftzsafety.exchange.selectors import warehouse_stock

    if not destination.storage_name:
        return []
    return warehouse_stock(warehouse=destination.storage_name, since=now - timedelta(days=window_days), until=now)


def qualifications_of(*, enterprise: Any) -> list[dict[str, Any]]:
    """The enterprise's safety qualifications on record, each with `valid_from`/`valid_until` dates: the licences
    emergency management records in the exchange dataset `safety-licences` (enterprise licences, not personal
    certificates), and its approved safety qualification filings. A system read for pre-review."""
    from django.utils.dateparse import parse_date

    from ftzsafety.exchange.selectors import enterprise_licences

    records = [{"source": "exchange", **licence} for licence in enterprise_licences(enterprise=enterprise)]
    approved = Filing.objects.filter(
        enterprise=enterprise,
        filing_type__code=FilingTypeCode.SAFETY_QUALIFICATION,
        status=FilingStatus.APPROVED,
    ).only("form", "reference")
    for filing in approved:
        start, until = parse_date(filing.form.get("valid_from", "")), parse_date(filing.form.get("valid_until", ""))
        if start and until:
            records.append(
                {
                    "source": "filing",
                    "reference": filing.reference,
                    "kind": filing.form.get("qualification_kind", ""),
                    "valid_from": start,
                    "valid_until": until,
                }
            )
    return records


# --- filings ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilingFilters:
    status: str = ""
    filing_type: str = ""
    q: str = ""


def _filings(actor: Any) -> QuerySet[Filing]:
    return authz.visible_to(actor, Filing.objects.select_related("filing_type", "enterprise")).prefetch_related(
        Prefetch("reviews", queryset=DepartmentReview.objects.order_by("department"))
    )


def filing_list(*, actor: Any, filters: FilingFilters | None = None) -> QuerySet[Filing]:
    """Filings the actor may see: an enterprise its own, government people all (internal)."""
    filters = filters or FilingFilters()
    qs = _filings(actor)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.filing_type:
        qs = qs.filter(filing_type__code=filters.filing_type)
    if filters.q:
        q = filters.q.strip()
        qs = qs.filter(Q(reference__icontains=q) | Q(enterprise__name_zh__icontains=q) | Q(enterprise__uscc=q))
    return qs.order_by("-created_at", "-id")


def filing_get(*, actor: Any, filing_id: int, record_read: bool = True) -> Filing:
    """One filing with its attachments, findings, reviews and timeline. Reading it is audited (internal data);
    `record_read=False` only for the page's own status refresh, whose opening was recorded already."""
    from ftzsafety import audit

    filing = authz.get_visible(
        actor,
        _filings(actor).prefetch_related(
            Prefetch("attachments", queryset=FilingAttachment.objects.defer("content", "text")),
            "findings",
            Prefetch("events", queryset=FilingEvent.objects.select_related("actor").order_by("at", "id")),
        ),
        pk=filing_id,
    )
    if record_read:
        audit.record_access(actor=actor, target=filing)
    return filing


def latest_findings(filing: Filing) -> list[PreReviewFinding]:
    return [f for f in filing.findings.all() if f.round == filing.prereview_round]


def attachment_get(*, actor: Any, attachment_id: int) -> FilingAttachment:
    return authz.get_visible(actor, FilingAttachment.objects.select_related("filing"), pk=attachment_id)


# --- review queues ------------------------------------------------------------------------------------------------


def review_queue(*, actor: Any, department: str = "", open_only: bool = True) -> QuerySet[DepartmentReview]:
    """A department's reviews, most urgent first: priority (credit grade), then deadline (P3.2). A reviewer sees
    their own department's queue; the zone administration may look at any department's."""
    if not policies.can_review_anything(actor) and policies.department_of(actor) != "zone_admin":
        raise PermissionDenied("not a reviewer")
    own = policies.department_of(actor)
    department = department or own
    if department != own and own != "zone_admin":
        raise NotFound("no such queue")
    qs = authz.visible_to(
        actor, DepartmentReview.objects.select_related("filing", "filing__enterprise", "filing__filing_type")
    )
    qs = qs.filter(department=department)
    if open_only:
        qs = qs.filter(status__in=OPEN_REVIEW_STATUSES, filing__status__in=REVIEWING_STATUSES)
    return qs.order_by("priority", "deadline_at", "id")


def review_get(*, actor: Any, review_id: int) -> DepartmentReview:
    return authz.get_visible(actor, DepartmentReview.objects.select_related("filing"), pk=review_id)


# --- metrics ------------------------------------------------------------------------------------------------------


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 2)


def filing_metrics(*, actor: Any, date_from: date | None = None, date_to: date | None = None) -> dict[str, Any]:
    """For each decided filing whose review started in [date_from, date_to]: time from the start of review to each
    department's decision, the actual (parallel) elapsed time, and the sequential equivalent — the sum of the
    department review times, what one department after another would have taken (P3.2: at least half)."""
    from django.utils import timezone

    if not policies.can_view_metrics(actor):
        raise PermissionDenied("metrics are for government users")
    qs = authz.visible_to(actor, Filing.objects.select_related("filing_type", "enterprise")).filter(
        status__in=[FilingStatus.APPROVED, FilingStatus.REJECTED, FilingStatus.REVOKED],
        review_started_at__isnull=False,
        decided_at__isnull=False,
    )
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(review_started_at__gte=datetime.combine(date_from, datetime.min.time(), tzinfo=tz))
    if date_to:
        qs = qs.filter(
            review_started_at__lt=datetime.combine(date_to + timedelta(days=1), datetime.min.time(), tzinfo=tz)
        )
    qs = qs.prefetch_related(Prefetch("reviews", queryset=DepartmentReview.objects.order_by("department")))
    items = []
    total_parallel = total_sequential = 0.0
    for filing in qs.order_by("review_started_at", "id"):
        reviews = [r for r in filing.reviews.all() if r.decided_at is not None]
        if not reviews:
            continue
        departments = {r.department: _hours(r.review_seconds) for r in reviews}
        sequential = sum(r.review_seconds or 0 for r in reviews)
        paused = max((r.paused_seconds for r in reviews), default=0)
        last = max(r.decided_at for r in reviews)
        parallel = max(0.0, (last - filing.review_started_at).total_seconds() - paused)
        total_parallel += parallel
        total_sequential += sequential
        items.append(
            {
                "filing_id": filing.pk,
                "reference": filing.reference,
                "filing_type": filing.filing_type.code,
                "status": filing.status,
                "is_demo": filing.is_demo,
                "review_started_at": filing.review_started_at,
                "decided_at": filing.decided_at,
                "departments": departments,
                "parallel_hours": _hours(parallel),
                "sequential_hours": _hours(sequential),
            }
        )
    count = len(items)
    return {
        "from": date_from,
        "to": date_to,
        "count": count,
        "mean_parallel_hours": _hours(total_parallel / count) if count else None,
        "mean_sequential_hours": _hours(total_sequential / count) if count else None,
        "reduction": round(1 - total_parallel / total_sequential, 3) if total_sequential else None,
        "items": items,
    }
