"""Reads of hazards. Every one starts from core.authz.visible_to.

Who sees a hazard: government people see internal hazards (every department, so that a report can be followed
across departments; acting on it is for the responsible department, see policies); the enterprise concerned sees
its own; whoever reported it (an agency, an association, an enterprise about a neighbour) sees what they reported;
the public sees none (a public reporter keeps the reference number only).
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ftzsafety import audit
from ftzsafety.core import authz
from ftzsafety.hazards.choices import OPEN_STATUSES, HazardLevel, HazardStatus
from ftzsafety.hazards.models import (
    ChecklistItem,
    ChecklistTemplate,
    Hazard,
    HazardEvent,
    HazardPhoto,
    Notification,
    RectificationPeriod,
    RoutingRule,
    SelfCheck,
)


@authz.register_scope(Hazard)
def _hazard_scope(actor: Any, qs: QuerySet) -> QuerySet:
    if actor.is_platform_admin or actor.organisation_id is None:
        return qs.none()
    own = Q(reported_by_id=actor.pk) | Q(reporter_organisation_id=actor.organisation_id)
    if actor.is_government:
        return qs.filter(Q(classification__in=["public", "internal"]) | Q(owner_id=actor.organisation_id) | own)
    if actor.is_enterprise_user:
        return qs.filter(Q(enterprise__organisation_id=actor.organisation_id) | own)
    if actor.role_names:
        return qs.filter(Q(classification="public") | own)
    return qs.none()


@authz.register_scope(SelfCheck)
def _self_check_scope(actor: Any, qs: QuerySet) -> QuerySet:
    if actor.is_platform_admin or actor.organisation_id is None:
        return qs.none()
    if actor.is_government:
        return qs
    if actor.is_enterprise_user:
        return qs.filter(enterprise__organisation_id=actor.organisation_id)
    return qs.none()


@authz.register_scope(ChecklistTemplate)
@authz.register_scope(ChecklistItem)
@authz.register_scope(RoutingRule)
@authz.register_scope(RectificationPeriod)
def _reference_scope(actor: Any, qs: QuerySet) -> QuerySet:
    """Self-check lists, the routing table and the periods are public reference data for everyone signed in."""
    return qs


@authz.register_scope(Notification)
def _notification_scope(actor: Any, qs: QuerySet) -> QuerySet:
    return qs.filter(recipient_id=actor.pk)


@dataclass(frozen=True)
class HazardFilters:
    q: str = ""
    status: str = ""  # a HazardStatus, or "open"
    category: str = ""
    level: str = ""
    department: str = ""  # department code
    enterprise: str = ""  # credit code
    overdue: bool | None = None
    listed: bool | None = None
    mine: bool = False  # assigned to the viewer


def hazard_list(*, actor: Any, filters: HazardFilters | None = None) -> QuerySet[Hazard]:
    f = filters or HazardFilters()
    qs = authz.visible_to(actor, Hazard.objects.all()).select_related("department", "enterprise", "officer", "area")
    q = f.q.strip()
    if q:
        qs = qs.filter(
            Q(code__icontains=q)
            | Q(title__icontains=q)
            | Q(description__icontains=q)
            | Q(enterprise__name_zh__icontains=q)
        )
    if f.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.level:
        qs = qs.filter(level=f.level)
    if f.department:
        qs = qs.filter(department__department_code=f.department)
    if f.enterprise:
        qs = qs.filter(enterprise__uscc=f.enterprise.strip().upper())
    if f.overdue is True:
        qs = qs.filter(status=HazardStatus.RECTIFYING, deadline__lt=timezone.now())
    elif f.overdue is False:
        qs = qs.exclude(status=HazardStatus.RECTIFYING, deadline__lt=timezone.now())
    if f.listed is not None:
        qs = qs.filter(listed_for_supervision=f.listed)
    if f.mine:
        qs = qs.filter(officer_id=actor.pk)
    return qs.order_by("-created_at", "-id")


def hazard_is_visible(actor: Any, hazard_id: int) -> bool:
    return authz.visible_to(actor, Hazard.objects.filter(pk=hazard_id)).exists()


def hazard_get(*, actor: Any, hazard_id: int, record_read: bool = True) -> Hazard:
    """One visible hazard (404 otherwise); the read of an internal record is audited."""
    qs = Hazard.objects.select_related("department", "enterprise", "officer", "area", "routing_rule", "reported_by")
    hazard = authz.get_visible(actor, qs, pk=hazard_id)
    if record_read:
        audit.record_access(actor=actor, target=hazard)
    return hazard


def hazard_events(*, actor: Any, hazard: Hazard) -> list[HazardEvent]:
    """The timeline of a hazard the actor may see (call hazard_get first)."""
    return list(HazardEvent.objects.filter(hazard=hazard).select_related("actor").order_by("at", "id"))


def hazard_photos(*, actor: Any, hazard: Hazard) -> list[HazardPhoto]:
    return list(HazardPhoto.objects.filter(hazard=hazard).defer("content").order_by("id"))


def hazard_photo_get(*, actor: Any, photo_id: int) -> HazardPhoto:
    """A photo of a hazard the actor may see (the stored image carries no metadata)."""
    photo = HazardPhoto.objects.filter(pk=photo_id).first()
    if photo is None or not hazard_is_visible(actor, photo.hazard_id):
        from django.utils.translation import gettext as _

        from ftzsafety.core.errors import NotFound

        raise NotFound(_("Photo not found."))
    return photo


@dataclass(frozen=True)
class DepartmentCounts:
    department_code: str
    department: str
    open: int
    overdue: int
    major: int


def hazard_counts_by_department(*, actor: Any) -> list[DepartmentCounts]:
    """Open, overdue and major (open) hazards per responsible department, over the hazards the actor may see."""
    from ftzsafety.core.language import localised

    now = timezone.now()
    open_q = Q(status__in=OPEN_STATUSES)
    rows = (
        authz.visible_to(actor, Hazard.objects.all())
        .values("department__department_code", "department__name_zh", "department__name_en")
        .annotate(
            open=Count("id", filter=open_q),
            overdue=Count("id", filter=Q(status=HazardStatus.RECTIFYING, deadline__lt=now)),
            major=Count("id", filter=open_q & Q(level=HazardLevel.MAJOR)),
        )
        .order_by("-open", "department__department_code")
    )
    return [
        DepartmentCounts(
            r["department__department_code"],
            localised(r["department__name_zh"], r["department__name_en"]),
            r["open"],
            r["overdue"],
            r["major"],
        )
        for r in rows
        if r["open"] or r["overdue"]
    ]


def hazard_map_points(*, actor: Any, filters: HazardFilters | None = None, limit: int = 2000) -> list[dict[str, Any]]:
    """Open hazards with a position, for the department map."""
    from django.urls import reverse

    qs = hazard_list(actor=actor, filters=filters or HazardFilters(status="open")).filter(
        latitude__isnull=False, longitude__isnull=False
    )
    url = reverse("hazards:detail", kwargs={"hazard_id": 0})
    return [
        {
            "uscc": str(h.pk),
            "name": f"{h.code} {h.title}",
            "lat": h.latitude,
            "lng": h.longitude,
            "foreign": h.level == HazardLevel.MAJOR,  # map.js colours this flag red: major hazards stand out
            "url": url.replace("/0/", f"/{h.pk}/"),
        }
        for h in qs[:limit]
    ]


def routing_rule_list(*, actor: Any) -> QuerySet[RoutingRule]:
    return authz.visible_to(actor, RoutingRule.objects.select_related("area")).order_by("category", "id")


def checklist_template_list(*, actor: Any, section: str = "") -> QuerySet[ChecklistTemplate]:
    qs = authz.visible_to(actor, ChecklistTemplate.objects.filter(is_active=True)).annotate(item_count=Count("items"))
    if section:
        qs = qs.filter(Q(industry_sections="") | Q(industry_sections__contains=section))
    return qs.order_by("code")


def checklist_template_get(*, actor: Any, template_id: int) -> ChecklistTemplate:
    return authz.get_visible(actor, ChecklistTemplate.objects.prefetch_related("items"), pk=template_id)


def self_check_list(*, actor: Any) -> QuerySet[SelfCheck]:
    return (
        authz.visible_to(actor, SelfCheck.objects.all())
        .select_related("template", "enterprise")
        .annotate(
            failed=Count("answers", filter=Q(answers__result="fail")),
            answered=Count("answers"),
        )
        .order_by("-created_at", "-id")
    )


def self_check_get(*, actor: Any, self_check_id: int) -> SelfCheck:
    qs = SelfCheck.objects.select_related("template", "enterprise").prefetch_related("answers__item", "answers__hazard")
    return authz.get_visible(actor, qs, pk=self_check_id)


def notification_list(*, actor: Any, unread_only: bool = False) -> QuerySet[Notification]:
    qs = authz.visible_to(actor, Notification.objects.select_related("hazard"))
    return qs.filter(read_at__isnull=True) if unread_only else qs


def notification_unread_count(*, actor: Any) -> int:
    if not getattr(actor, "is_authenticated", False):
        return 0
    return notification_list(actor=actor, unread_only=True).count()


def rectification_periods(*, actor: Any) -> dict[str, RectificationPeriod]:
    return {p.level: p for p in authz.visible_to(actor, RectificationPeriod.objects.all())}


def zone_outline() -> dict[str, Any]:
    """The zone's areas and the optional tile layer, for placing a report on the map. Zone geography is public
    (it is on the public report page, for people without an account), hence a system read."""
    from django.conf import settings

    from ftzsafety.enterprises.models import ZoneArea

    return {
        "areas": [
            {"code": a.code, "name": a.name, "kind": a.kind, "boundary": a.boundary} for a in ZoneArea.objects.all()
        ],
        "points": [],
        "detail_url": "",
        "tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
    }
