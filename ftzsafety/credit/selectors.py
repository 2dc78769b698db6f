"""Reads of credit grading. The interface other modules call (announced in /tmp/coord/credit.md):

    from ftzsafety.credit.selectors import measures_for, grade_for, Measures
    measures_for(enterprise=enterprise) -> Measures   # grade, filing_priority (lower first), deadlines, fast lane …
    grade_for(enterprise=enterprise) -> str           # "A" | "B" | "C" | "D"

These two are system reads (no actor): the filing or hazard service that calls them has already scoped its own
records. Everything a person reads goes through the actor-scoped selectors below, which start from
`core.authz.visible_to`.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ftzsafety.core import authz
from ftzsafety.core.errors import NotFound
from ftzsafety.credit import policies
from ftzsafety.credit.choices import ApplicationStatus, Grade
from ftzsafety.credit.models import (
    CreditApplication,
    CreditEvent,
    CreditGrade,
    CreditGradeChange,
    CreditPolicy,
    PeerZone,
    RecognisedRecord,
)
from ftzsafety.credit.policies import Scorer


@dataclass(frozen=True)
class Measures:
    """Differentiated supervision for one enterprise, from its grade and the policy in force (PRODUCT.md P3.1)."""

    grade: str
    filing_priority: int  # lower goes first in review queues (A = 1)
    review_deadline_hours: int  # for every reviewing department
    review_deadline_factor: Decimal  # this grade's deadline ÷ grade B's (A 0.5, D 3 by default)
    fast_lane: bool
    extra_review_departments: tuple[str, ...]  # D: ("customs", "commerce") for cross-border filings
    inspection_sampling_weight: Decimal  # relative weight in double-random draws (B = 1)
    policy_version: int


def _policy() -> CreditPolicy | None:
    return CreditPolicy.objects.order_by("-version").first()


def rules_in_force() -> tuple[int, dict[str, Any]]:
    """(version, rules) of the policy in force; version 0 with the default rules before any is stored."""
    policy = _policy()
    return (policy.version, policy.rules) if policy else (0, policies.default_rules())


def _enterprise_id(enterprise: Any) -> int:
    return enterprise if isinstance(enterprise, int) else enterprise.pk


def grade_for(*, enterprise: Any) -> str:
    """The enterprise's grade in force: the stored grade, else (never graded yet) computed now from its events."""
    enterprise_id = _enterprise_id(enterprise)
    stored = CreditGrade.objects.filter(enterprise_id=enterprise_id).values_list("grade", flat=True).first()
    if stored:
        return stored
    from ftzsafety.credit.services import event_rows

    _version, rules = rules_in_force()
    return Scorer(rules).score(event_rows(enterprise_id), as_of=timezone.localdate()).grade


def measures_for(*, enterprise: Any) -> Measures:
    """The measures of the enterprise's grade under the policy in force."""
    grade = grade_for(enterprise=enterprise)
    return measures_for_grade(grade=grade)


def measures_for_grade(*, grade: str) -> Measures:
    version, rules = rules_in_force()
    spec = rules["measures"][grade]
    base = Decimal(rules["measures"]["B"]["review_deadline_hours"])
    hours = int(spec["review_deadline_hours"])
    return Measures(
        grade=grade,
        filing_priority=int(spec["filing_priority"]),
        review_deadline_hours=hours,
        review_deadline_factor=(Decimal(hours) / base).quantize(Decimal("0.01")),
        fast_lane=bool(spec["fast_lane"]),
        extra_review_departments=tuple(spec["extra_review_departments"]),
        inspection_sampling_weight=Decimal(str(spec["inspection_sampling_weight"])),
        policy_version=version,
    )


# --- reads by people ---------------------------------------------------------------------------------------


@authz.register_scope(CreditPolicy)
def _policy_scope(actor: Any, qs: QuerySet) -> QuerySet:
    """The scoring rules are published to everyone signed in: an enterprise can see how it is graded
    (国办发〔2020〕49号: credit rules are made public)."""
    return qs


@authz.register_scope(PeerZone)
def _peer_zone_scope(actor: Any, qs: QuerySet) -> QuerySet:
    """Peer zones are managed by the zone administration and seen by government people."""
    return qs if actor.is_government else qs.none()


def policy_list(*, actor: Any) -> QuerySet[CreditPolicy]:
    return authz.visible_to(actor, CreditPolicy.objects.order_by("-version"))


def policy_get(*, actor: Any, version: int | None = None) -> CreditPolicy:
    qs = policy_list(actor=actor)
    policy = qs.filter(version=version).first() if version is not None else qs.first()
    if policy is None:
        raise NotFound(_("Credit policy not found."))
    return policy


def peer_zone_list(*, actor: Any) -> QuerySet[PeerZone]:
    return authz.visible_to(actor, PeerZone.objects.order_by("zone_id"))


@dataclass(frozen=True)
class GradeFilters:
    grade: str = ""
    q: str = ""


def grade_list(*, actor: Any, filters: GradeFilters | None = None) -> QuerySet[CreditGrade]:
    f = filters or GradeFilters()
    qs = authz.visible_to(actor, CreditGrade.objects.select_related("enterprise", "policy"))
    if f.grade in Grade.values:
        qs = qs.filter(grade=f.grade)
    q = f.q.strip()
    if q:
        qs = qs.filter(
            Q(enterprise__name_zh__icontains=q)
            | Q(enterprise__name_en__icontains=q)
            | Q(enterprise__uscc__startswith=q.upper())
        )
    return qs.order_by("grade", "-score", "enterprise__name_zh")


def grade_counts(*, actor: Any) -> dict[str, int]:
    from django.db.models import Count

    qs = authz.visible_to(actor, CreditGrade.objects.all())
    counts = {g: 0 for g in Grade.values}
    for row in qs.values("grade").annotate(n=Count("id")):
        counts[row["grade"]] = row["n"]
    return counts


def event_list(*, actor: Any, uscc: str) -> QuerySet[CreditEvent]:
    from ftzsafety.enterprises.selectors import enterprise_get

    enterprise = enterprise_get(actor=actor, uscc=uscc)
    return (
        authz.visible_to(actor, CreditEvent.objects.filter(enterprise=enterprise))
        .select_related("recognised_from")
        .order_by("-occurred_on", "-id")
    )


@dataclass(frozen=True)
class ApplicationFilters:
    status: str = ""
    kind: str = ""


def application_list(*, actor: Any, filters: ApplicationFilters | None = None) -> QuerySet[CreditApplication]:
    f = filters or ApplicationFilters()
    qs = authz.visible_to(actor, CreditApplication.objects.select_related("enterprise", "event"))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    return qs.order_by("status", "due_on", "-id")


def application_get(*, actor: Any, application_id: int) -> CreditApplication:
    return authz.get_visible(actor, CreditApplication.objects.select_related("enterprise", "event"), pk=application_id)


def application_open_count(*, actor: Any) -> int:
    return application_list(actor=actor, filters=ApplicationFilters(status=ApplicationStatus.SUBMITTED)).count()


# --- the explanation ---------------------------------------------------------------------------------------


@dataclass
class Explanation:
    uscc: str
    name: str
    grade: str
    grade_label: str
    score: Decimal
    score_grade: str
    as_of: date
    computed_at: Any
    policy_version: int
    factors: list[dict[str, Any]]
    overrides: list[dict[str, Any]]
    not_counted: list[dict[str, Any]]
    history: list[dict[str, Any]]
    recognised: list[dict[str, Any]]
    measures: Measures


def credit_explain(*, actor: Any, uscc: str) -> Explanation:
    """The grade of a visible enterprise with every factor and its contribution (they add up to the score), the
    overrides applied, the policy version and the history. Recomputed from the stored grade's own inputs (its
    events, policy version and date), so it agrees with the stored score exactly. A viewer who may not see the
    enterprise's grade (another enterprise, an association) gets NotFound."""
    from ftzsafety.credit.services import event_rows
    from ftzsafety.enterprises.selectors import enterprise_get

    enterprise = enterprise_get(actor=actor, uscc=uscc)
    grade = CreditGrade.objects.select_related("policy").filter(enterprise=enterprise).first()
    rows = event_rows(enterprise.pk)
    if grade is not None:
        grade = authz.get_visible(actor, CreditGrade.objects.select_related("policy"), pk=grade.pk)
        version, rules, as_of, computed_at = grade.policy.version, grade.policy.rules, grade.as_of, grade.computed_at
    else:
        # Never graded yet (a new registration before its first event or re-grade): computed now, not stored.
        own = actor.is_enterprise_user and enterprise.organisation_id == actor.organisation_id
        if not (actor.is_government or own):
            raise NotFound(_("Credit grade not found."))
        version, rules = rules_in_force()
        as_of, computed_at = timezone.localdate(), None
    result = Scorer(rules).score(rows, as_of=as_of, explain=True)
    events = {e.pk: e for e in CreditEvent.objects.filter(enterprise=enterprise).select_related("recognised_from")}
    labels = dict(CreditEvent._meta.get_field("kind").flatchoices)
    factors = []
    for factor in result.factors:
        item: dict[str, Any] = {"label": factor.label, "contribution": factor.contribution}
        if factor.event_id is not None:
            event = events[factor.event_id]
            item.update(
                event_id=factor.event_id,
                kind=factor.kind,
                kind_label=str(labels.get(factor.kind, factor.kind)),
                occurred_on=factor.occurred_on,
                source_module=event.source_module,
                source_ref=event.source_ref,
                evidence_url=event.evidence_url,
                certificate_type=factor.certificate_type,
                valid_until=event.valid_until,
                status=event.status,
                weight=factor.weight,
                decay=factor.decay,
                status_factor=factor.status_factor,
                recognised_from=event.recognised_from.name if event.recognised_from else "",
            )
        factors.append(item)
    history = [
        {
            "grade": c.grade,
            "previous_grade": c.previous_grade,
            "score": c.score,
            "policy_version": c.policy_version,
            "reason": c.reason,
            "changed_at": c.changed_at,
        }
        for c in authz.visible_to(actor, CreditGradeChange.objects.filter(enterprise=enterprise)).order_by(
            "-changed_at", "-id"
        )[:50]
    ]
    recognised = [
        {
            "zone_id": r.peer_zone.zone_id,
            "zone": r.peer_zone.name,
            "grade": r.peer_grade,
            "score": r.peer_score,
            "policy_version": r.peer_policy_version,
            "exported_at": r.exported_at,
            "imported_at": r.created_at,
        }
        for r in authz.visible_to(actor, RecognisedRecord.objects.filter(enterprise=enterprise)).select_related(
            "peer_zone"
        )
    ]
    return Explanation(
        uscc=enterprise.uscc,
        name=enterprise.name,
        grade=result.grade,
        grade_label=str(Grade(result.grade).label),
        score=result.score,
        score_grade=result.score_grade,
        as_of=as_of,
        computed_at=computed_at,
        policy_version=version,
        factors=factors,
        overrides=result.overrides,
        not_counted=result.not_counted,
        history=history,
        recognised=recognised,
        measures=measures_for_grade(grade=result.grade),
    )


def publication_list(*, grade: str = "", q: str = "") -> QuerySet[CreditGrade]:
    """The public list (no sign-in): enterprises whose grade the policy publishes (A and D by default), with
    registry facts that are public anyway (name, credit code; 企业信息公示暂行条例) and nothing else."""
    _version, rules = rules_in_force()
    published = [g for g in rules["publication"]["grades"] if g in Grade.values]
    if grade:
        published = [g for g in published if g == grade]
    qs = CreditGrade.objects.filter(grade__in=published).select_related("enterprise")
    if q.strip():
        qs = qs.filter(Q(enterprise__name_zh__icontains=q.strip()) | Q(enterprise__uscc__startswith=q.strip().upper()))
    return qs.order_by("grade", "enterprise__name_zh")
