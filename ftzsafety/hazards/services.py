"""Writes of the hazard closed loop (企业自查—政府核验—闭环整改, PRODUCT.md P2.2, P2.6, P6.3).

States (HazardStatus) and the services that move between them:

    reported ──assign/dispatch──▶ assigned ──verify(confirmed)──▶ rectifying ──submit──▶ submitted
        │                            │                              ▲                      │
        └──reroute (same state)      └──verify(dismissed)──▶ dismissed                     ├──accept──▶ closed
                                                                    └──────reopen──────────┘

Sources: 安全生产事故隐患排查治理暂行规定 (国家安全监管总局令第16号, 2007): 第三条 general/major hazards; 第十条 the
enterprise removes its hazards and keeps records; 第十四条 anyone may report a hazard; 第二十条 to 第二十三条 major
hazards get a rectification plan with a deadline, are listed for supervision and accepted by the supervising
department. Every change writes its HazardEvent and its audit record in the same transaction.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ftzsafety import audit
from ftzsafety.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ftzsafety.core.models import Classification
from ftzsafety.enforcement import selectors as enforcement_selectors
from ftzsafety.enforcement import services as enforcement_services
from ftzsafety.hazards import notifications, policies
from ftzsafety.hazards.choices import (
    OPEN_STATUSES,
    CheckResult,
    Escalation,
    HazardCategory,
    HazardEventKind,
    HazardLevel,
    HazardSource,
    HazardStatus,
    PhotoKind,
    SelfCheckStatus,
)
from ftzsafety.hazards.models import (
    ChecklistTemplate,
    Hazard,
    HazardEvent,
    HazardPhoto,
    Notification,
    RectificationPeriod,
    RoutingRule,
    SelfCheck,
    SelfCheckAnswer,
)
from ftzsafety.hazards.routing import point_in_boundary, route, routing_reason

# The zone's own defaults when the RectificationPeriod table has no row (the data migration seeds these).
DEFAULT_PERIOD_DAYS = {HazardLevel.GENERAL: 15, HazardLevel.MAJOR: 90}
DEFAULT_ZONE_ESCALATION_DAYS = 3
MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_TITLE = 200
MAX_DESCRIPTION = 4000


def dispatch_accept_within() -> timedelta:
    """How long the nearest officer has to accept an urgent hazard before it goes to the next one."""
    return timedelta(minutes=getattr(settings, "HAZARDS_DISPATCH_ACCEPT_MINUTES", 10))


# --- helpers ---------------------------------------------------------------------------------------------------


def _actor_name(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    return actor.full_name or actor.get_username()


def _event(hazard: Hazard, kind: str, actor: Any = None, note: str = "", **data: Any) -> HazardEvent:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return HazardEvent.objects.create(
        hazard=hazard,
        kind=kind,
        actor=actor if authenticated else None,
        actor_name=_actor_name(actor),
        note=note,
        data=data,
    )


def _audit(actor: Any, action: str, hazard: Hazard, *, public: bool = False, **kwargs: Any) -> None:
    """`actor=None` is the system (scheduled tasks), or with `public=True` a member of the public."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    audit.record(
        actor=actor if authenticated else None,
        username="" if authenticated else ("public" if public else "system"),
        action=action,
        target=hazard,
        classification=hazard.classification,
        **kwargs,
    )


def _lock(hazard_id: int) -> Hazard:
    try:
        return (
            Hazard.objects.select_for_update(of=("self",)).select_related("enterprise", "department").get(pk=hazard_id)
        )
    except Hazard.DoesNotExist:
        raise NotFound(_("Hazard not found.")) from None


def _visible_or_404(actor: Any, hazard: Hazard) -> None:
    """A hazard the actor cannot see does not exist for them: 404, never a 403 that leaks it."""
    from ftzsafety.hazards.selectors import hazard_is_visible

    if not hazard_is_visible(actor, hazard.pk):
        raise NotFound(_("Hazard not found."))


def _aware(moment: datetime | None) -> datetime | None:
    """A deadline without a time zone is read in the zone's own (settings.TIME_ZONE)."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _zone_administration() -> Any:
    from ftzsafety.accounts.selectors import zone_administration

    return zone_administration()


def _period(level: str) -> RectificationPeriod:
    found = RectificationPeriod.objects.filter(level=level).first()
    return found or RectificationPeriod(
        level=level, days=DEFAULT_PERIOD_DAYS[level], zone_escalation_days=DEFAULT_ZONE_ESCALATION_DAYS
    )


def _text(errors: dict[str, list[str]], field_name: str, value: Any, *, required: bool, limit: int) -> str:
    text = (value or "").strip()
    if required and not text:
        errors.setdefault(field_name, []).append(_("This field is required."))
    elif len(text) > limit:
        errors.setdefault(field_name, []).append(_("At most %(n)d characters.") % {"n": limit})
    return text


def _coordinate(errors: dict[str, list[str]], field_name: str, value: Any, low: int, high: int) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors.setdefault(field_name, []).append(_("Enter a number in decimal degrees."))
        return None
    if not math.isfinite(number) or not low <= number <= high:
        errors.setdefault(field_name, []).append(
            _("Must be between %(low)d and %(high)d degrees.") % {"low": low, "high": high}
        )
        return None
    return number


def _check_photos(errors: dict[str, list[str]], field_name: str, photos: list[Any]) -> list[Any]:
    """Type and size of each photo (core.uploads); the stored image has its metadata stripped and the GPS kept."""
    from ftzsafety.core.uploads import IMAGE_KINDS, check_upload, image_strip_metadata

    if len(photos) > MAX_PHOTOS:
        errors.setdefault(field_name, []).append(_("At most %(n)d photos.") % {"n": MAX_PHOTOS})
        return []
    stripped = []
    for upload in photos:
        try:
            checked = check_upload(upload, field=field_name, allowed_kinds=IMAGE_KINDS, max_bytes=MAX_PHOTO_BYTES)
            stripped.append((checked, image_strip_metadata(checked, field=field_name)))
        except ValidationFailed as failed:
            for key, messages in failed.fields.items():
                errors.setdefault(key, []).extend(messages)
    return stripped


def _store_photos(hazard: Hazard, kind: str, stripped: list[Any], actor: Any) -> list[HazardPhoto]:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    rows = []
    for checked, image in stripped:
        rows.append(
            HazardPhoto.objects.create(
                hazard=hazard,
                kind=kind,
                content=image.content,
                content_type=f"image/{image.kind}",
                size=image.size,
                sm3=image.sm3,
                original_name=checked.name,
                gps_latitude=image.gps.latitude if image.gps else None,
                gps_longitude=image.gps.longitude if image.gps else None,
                uploaded_by=actor if authenticated else None,
            )
        )
    return rows


def _area_at(latitude: float | None, longitude: float | None) -> Any:
    if latitude is None or longitude is None:
        return None
    from ftzsafety.enterprises.models import ZoneArea

    for area in ZoneArea.objects.all():
        if point_in_boundary(longitude, latitude, area.boundary):
            return area
    return None


def _workload(officer_ids: list[int]) -> dict[int, int]:
    """Open hazards each officer holds: the tie-break between officers at the same distance."""
    from django.db.models import Count

    rows = (
        Hazard.objects.filter(officer_id__in=officer_ids, status__in=OPEN_STATUSES)
        .values("officer_id")
        .annotate(n=Count("id"))
    )
    return {row["officer_id"]: row["n"] for row in rows}


def _credit_event(kind: str, hazard: Hazard, actor: Any = None) -> None:
    """Tell credit grading about a hazard outcome (rectified on time, overdue, major hazard found)."""
    from ftzsafety.hazards import credit_events

    credit_events.emit(kind=kind, hazard=hazard, actor=actor)


def _source_for(actor: Any) -> str:
    if actor is None:
        return HazardSource.PUBLIC
    if actor.is_enterprise_user:
        return HazardSource.ENTERPRISE
    if actor.is_government:
        return HazardSource.OFFICER
    return HazardSource.AGENCY


# --- reporting and routing -------------------------------------------------------------------------------------


@transaction.atomic
def hazard_report(
    *,
    actor: Any,
    category: str,
    level: str,
    title: str,
    description: str,
    latitude: Any = None,
    longitude: Any = None,
    location_text: str = "",
    enterprise_uscc: str = "",
    urgent: bool = False,
    photos: list[Any] | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    source: str | None = None,
    is_demo: bool = False,
) -> Hazard:
    """Record a hazard from an enterprise, an officer (inspection finding), a third party or — `actor=None` — a
    member of the public (第16号令 第十四条), route it, and offer an urgent or major one to the nearest officer.

    Nothing is written when any field is wrong; the error names every bad field."""
    from ftzsafety.enterprises.models import Enterprise

    if actor is not None and not policies.can_report(actor):
        raise PermissionDenied(_("You may not report hazards."))
    errors: dict[str, list[str]] = {}
    if category not in HazardCategory.values:
        errors.setdefault("category", []).append(_("Choose one of the listed categories."))
    if level not in HazardLevel.values:
        errors.setdefault("level", []).append(_("Choose general or major."))
    title = _text(errors, "title", title, required=True, limit=MAX_TITLE)
    description = _text(errors, "description", description, required=True, limit=MAX_DESCRIPTION)
    location_text = _text(errors, "location_text", location_text, required=False, limit=300)
    lat = _coordinate(errors, "latitude", latitude, -90, 90)
    lon = _coordinate(errors, "longitude", longitude, -180, 180)
    if (lat is None) != (lon is None) and "latitude" not in errors and "longitude" not in errors:
        errors.setdefault("latitude", []).append(_("Give both latitude and longitude, or neither."))
    reporter_name = _text(errors, "reporter_name", reporter_name, required=False, limit=100)
    reporter_phone = _text(errors, "reporter_phone", reporter_phone, required=False, limit=20)
    if reporter_phone and not all(ch.isdigit() or ch in "+- " for ch in reporter_phone):
        errors.setdefault("reporter_phone", []).append(_("A phone number has digits, spaces, + and - only."))

    enterprise = None
    if actor is not None and actor.is_enterprise_user:
        # An enterprise reports about itself (第十条); it cannot file a hazard against another firm in its name.
        enterprise = Enterprise.objects.filter(organisation_id=actor.organisation_id).first()
    elif enterprise_uscc:
        enterprise = Enterprise.objects.filter(uscc=enterprise_uscc.strip().upper()).first()
        if enterprise is None:
            errors.setdefault("enterprise_uscc", []).append(_("No enterprise in the registry has this credit code."))
    if lat is None and enterprise is not None and enterprise.latitude is not None:
        lat, lon = enterprise.latitude, enterprise.longitude
    if source is not None and source not in HazardSource.values:
        errors.setdefault("source", []).append(_("Unknown source."))
    stripped = _check_photos(errors, "photos", list(photos or []))
    if errors:
        raise ValidationFailed.for_fields(errors)

    area = enterprise.area if enterprise is not None and enterprise.area_id else _area_at(lat, lon)
    found = route(
        category=category,
        area=area,
        industry_section=enterprise.industry_section if enterprise else "",
        fallback=_zone_administration(),
    )
    authenticated = actor is not None
    hazard = Hazard.objects.create(
        owner=found.department,
        classification=Classification.INTERNAL,
        created_by=actor if authenticated else None,
        source=source or _source_for(actor),
        category=category,
        level=level,
        urgent=bool(urgent),
        title=title,
        description=description,
        enterprise=enterprise,
        area=area,
        location_text=location_text,
        latitude=lat,
        longitude=lon,
        department=found.department,
        routing_rule=found.rule,
        routing_basis=found.basis,
        reported_by=actor if authenticated else None,
        reporter_organisation=actor.organisation if authenticated else None,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        is_demo=is_demo,
    )
    hazard.code = f"YH{timezone.localdate():%Y}{hazard.pk:06d}"
    hazard.save(update_fields=["code"])
    _store_photos(hazard, PhotoKind.REPORT, stripped, actor)
    _event(hazard, HazardEventKind.REPORTED, actor, source=hazard.source, photos=len(stripped))
    _event(
        hazard,
        HazardEventKind.ROUTED,
        None,
        note=routing_reason(found.basis, found.department),
        department=found.department.department_code,
        rule=found.rule.pk if found.rule else None,
        **found.basis,
    )
    _audit(
        actor,
        "hazards.hazard.report",
        hazard,
        public=actor is None,
        after={
            "code": hazard.code,
            "source": hazard.source,
            "category": category,
            "level": level,
            "urgent": hazard.urgent,
            "department": found.department.department_code,
            "rule": found.rule.pk if found.rule else None,
            "photos": len(stripped),
        },
    )
    notifications.notify(
        hazard=hazard,
        kind=HazardEventKind.ROUTED,
        recipients=notifications.department_people(found.department.pk, ["officer", "department_head", "commander"]),
    )
    if hazard.urgent or hazard.level == HazardLevel.MAJOR:
        _dispatch_next(hazard)
    return hazard


def _dispatch_next(hazard: Hazard) -> Any:
    """Offer the hazard to the nearest available officer of its department not yet asked (issue 7 item 6)."""
    if hazard.latitude is None or hazard.longitude is None:
        _event(hazard, HazardEventKind.DISPATCH_NONE, None, note=_("No location: dispatch by hand."))
        return None
    offer = enforcement_services.dispatch_offer(
        hazard=hazard,
        latitude=hazard.latitude,
        longitude=hazard.longitude,
        accept_within=dispatch_accept_within(),
        workload=_workload,
    )
    if offer is None:
        _event(hazard, HazardEventKind.DISPATCH_NONE, None)
        notifications.notify(
            hazard=hazard,
            kind=HazardEventKind.DISPATCH_NONE,
            recipients=notifications.department_people(hazard.department_id, ["department_head"]),
        )
        return None
    _event(
        hazard,
        HazardEventKind.DISPATCH_OFFERED,
        None,
        officer=offer.officer_id,
        officer_name=offer.officer.full_name or offer.officer.username,
        distance_m=offer.distance_m,
        respond_by=offer.respond_by.isoformat(),
        dispatch=offer.pk,
    )
    notifications.notify(hazard=hazard, kind=HazardEventKind.DISPATCH_OFFERED, recipients=[offer.officer])
    return offer


@transaction.atomic
def hazard_reroute(*, actor: Any, hazard_id: int, department_code: str, reason: str) -> Hazard:
    """Send an open hazard to another department (the zone administration's queue, or a department head who finds
    it is not theirs). The state stays; the officer and any open dispatch are cleared."""
    from ftzsafety.accounts.selectors import department_organisation

    hazard = _lock(hazard_id)
    _visible_or_404(actor, hazard)
    _require(
        policies.can_reroute(actor, hazard),
        _("Only the zone administration or the department head may send a hazard on."),
    )
    if hazard.status not in (HazardStatus.REPORTED, HazardStatus.ASSIGNED):
        raise InvalidTransition(_("Only a hazard not yet verified can be sent to another department."))
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, required=True, limit=500)
    target = department_organisation(department_code) if department_code else None
    if target is None:
        errors.setdefault("department", []).append(_("Choose a department by its code."))
    elif target.pk == hazard.department_id:
        errors.setdefault("department", []).append(_("The hazard is already with this department."))
    if errors:
        raise ValidationFailed.for_fields(errors)
    before = {"department": hazard.department.department_code, "status": hazard.status}
    _withdraw_offer(hazard)
    hazard.department = target
    hazard.owner = target
    hazard.officer = None
    hazard.status = HazardStatus.REPORTED
    hazard.save(update_fields=["department", "owner", "officer", "status", "updated_at"])
    _event(hazard, HazardEventKind.REROUTED, actor, note=reason, department=target.department_code)
    _audit(
        actor,
        "hazards.hazard.reroute",
        hazard,
        before=before,
        after={"department": target.department_code},
        detail={"reason": reason},
    )
    notifications.notify(
        hazard=hazard,
        kind=HazardEventKind.REROUTED,
        recipients=notifications.department_people(target.pk, ["officer", "department_head", "commander"]),
    )
    return hazard


def _withdraw_offer(hazard: Hazard) -> None:
    offer = enforcement_selectors.dispatch_open_offer(hazard_id=hazard.pk)
    if offer is not None:
        enforcement_services.dispatch_withdraw(dispatch_id=offer.pk)


@transaction.atomic
def hazard_assign(*, actor: Any, hazard_id: int, officer_id: int | None = None) -> Hazard:
    """reported|assigned → assigned: the department head assigns an officer, or an officer takes it."""
    hazard = _lock(hazard_id)
    _visible_or_404(actor, hazard)
    _require(policies.can_assign(actor, hazard), _("Only the responsible department may assign this hazard."))
    if hazard.status not in (HazardStatus.REPORTED, HazardStatus.ASSIGNED):
        raise InvalidTransition(_("This hazard is past assignment."), extra={"status": hazard.status})
    target_id = officer_id or actor.pk
    if target_id != actor.pk:
        _require(policies.can_assign_others(actor, hazard), _("Only the department head assigns other officers."))
    officer = get_user_model().objects.filter(pk=target_id, is_active=True).first()
    if (
        officer is None
        or officer.organisation_id != hazard.department_id
        or not officer.has_role("officer", "department_head")
    ):
        raise ValidationFailed.for_fields({"officer": [_("Choose an officer of the responsible department.")]})
    before = {"status": hazard.status, "officer": hazard.officer_id}
    _withdraw_offer(hazard)
    hazard.officer = officer
    hazard.status = HazardStatus.ASSIGNED
    hazard.save(update_fields=["officer", "status", "updated_at"])
    _event(hazard, HazardEventKind.ASSIGNED, actor, officer=officer.pk, officer_name=str(officer))
    _audit(
        actor, "hazards.hazard.assign", hazard, before=before, after={"status": hazard.status, "officer": officer.pk}
    )
    if officer.pk != actor.pk:
        notifications.notify(hazard=hazard, kind=HazardEventKind.ASSIGNED, recipients=[officer])
    return hazard


@transaction.atomic
def hazard_dispatch_respond(*, actor: Any, hazard_id: int, accept: bool) -> Hazard:
    """The officer offered an urgent hazard accepts it (→ assigned, to them) or declines it (→ next officer)."""
    hazard = _lock(hazard_id)
    _visible_or_404(actor, hazard)
    offer = enforcement_selectors.dispatch_open_offer(hazard_id=hazard.pk)
    if offer is None or offer.officer_id != actor.pk:
        raise InvalidTransition(_("There is no open dispatch of this hazard to you."))
    offer = enforcement_services.dispatch_respond(actor=actor, dispatch_id=offer.pk, accept=accept)
    seconds = (offer.responded_at - offer.offered_at).total_seconds()
    if not accept:
        _event(hazard, HazardEventKind.DISPATCH_DECLINED, actor, distance_m=offer.distance_m)
        _audit(actor, "hazards.hazard.dispatch_decline", hazard, detail={"dispatch": offer.pk})
        _dispatch_next(hazard)
        return hazard
    if hazard.status not in (HazardStatus.REPORTED, HazardStatus.ASSIGNED):
        raise InvalidTransition(_("This hazard is past assignment."), extra={"status": hazard.status})
    before = {"status": hazard.status, "officer": hazard.officer_id}
    hazard.officer = actor
    hazard.status = HazardStatus.ASSIGNED
    hazard.save(update_fields=["officer", "status", "updated_at"])
    _event(
        hazard,
        HazardEventKind.DISPATCH_ACCEPTED,
        actor,
        officer=actor.pk,
        distance_m=offer.distance_m,
        seconds_to_accept=round(seconds, 1),
    )
    _audit(
        actor,
        "hazards.hazard.dispatch_accept",
        hazard,
        before=before,
        after={"status": hazard.status, "officer": actor.pk},
        detail={"dispatch": offer.pk, "distance_m": offer.distance_m, "seconds_to_accept": round(seconds, 1)},
    )
    return hazard


def dispatch_expire_due(*, now: datetime | None = None) -> int:
    """Offers not accepted in time go to the next-nearest officer (the scheduled task). Safe to run twice."""
    count = 0
    for dispatch_id in enforcement_selectors.dispatch_due_ids(now=now or timezone.now()):
        with transaction.atomic():
            expired = enforcement_services.dispatch_expire(dispatch_id=dispatch_id)
            if expired is None:
                continue
            hazard = _lock(expired.hazard_id)
            _event(hazard, HazardEventKind.DISPATCH_EXPIRED, None, officer=expired.officer_id)
            _audit(None, "hazards.hazard.dispatch_expire", hazard, detail={"dispatch": expired.pk})
            if hazard.status == HazardStatus.REPORTED:
                _dispatch_next(hazard)
            count += 1
    return count


# --- verification and rectification ---------------------------------------------------------------------------


@transaction.atomic
def hazard_verify(
    *,
    actor: Any,
    hazard_id: int,
    confirmed: bool,
    reason: str = "",
    level: str | None = None,
    deadline: datetime | None = None,
) -> Hazard:
    """assigned → rectifying (confirmed: rectification required by a deadline set by level, a major hazard listed
    for supervision, 第二十条/第二十一条) or → dismissed (with the reason, shown to the reporter)."""
    hazard = _lock(hazard_id)
    _visible_or_404(actor, hazard)
    _require(
        policies.can_verify(actor, hazard),
        _("Only the assigned officer or the head of the responsible department may verify this hazard."),
    )
    if hazard.status != HazardStatus.ASSIGNED:
        raise InvalidTransition(_("Only an assigned hazard can be verified."), extra={"status": hazard.status})
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, required=not confirmed, limit=1000)
    if level is not None and level not in HazardLevel.values:
        errors.setdefault("level", []).append(_("Choose general or major."))
    now = timezone.now()
    deadline = _aware(deadline)
    if deadline is not None and deadline <= now:
        errors.setdefault("deadline", []).append(_("The deadline must be in the future."))
    if errors:
        raise ValidationFailed.for_fields(errors)
    before = {"status": hazard.status, "level": hazard.level}
    if not confirmed:
        hazard.status = HazardStatus.DISMISSED
        hazard.closed_at = now
        hazard.save(update_fields=["status", "closed_at", "updated_at"])
        _event(hazard, HazardEventKind.DISMISSED, actor, note=reason)
        _audit(
            actor,
            "hazards.hazard.dismiss",
            hazard,
            before=before,
            after={"status": hazard.status},
            detail={"reason": reason},
        )
        notifications.notify(
            hazard=hazard,
            kind=HazardEventKind.DISMISSED,
            recipients=[hazard.reported_by, *notifications.enterprise_people(hazard)],
        )
        return hazard
    if level:
        hazard.level = level
    hazard.deadline = deadline or now + timedelta(days=_period(hazard.level).days)
    hazard.status = HazardStatus.RECTIFYING
    hazard.listed_for_supervision = hazard.level == HazardLevel.MAJOR
    hazard.save(update_fields=["level", "deadline", "status", "listed_for_supervision", "updated_at"])
    _event(hazard, HazardEventKind.CONFIRMED, actor, note=reason, level=hazard.level)
    _event(hazard, HazardEventKind.RECTIFICATION_REQUIRED, actor, deadline=hazard.deadline.isoformat())
    recipients = [hazard.reported_by, *notifications.enterprise_people(hazard)]
    notifications.notify(hazard=hazard, kind=HazardEventKind.CONFIRMED, recipients=recipients)
    if hazard.listed_for_supervision:
        _event(hazard, HazardEventKind.LISTED, actor)
        notifications.notify(
            hazard=hazard,
            kind=HazardEventKind.LISTED,
            recipients=[*notifications.department_people(hazard.department_id, ["department_head"]), *recipients],
        )
        _credit_event("major_hazard_found", hazard, actor)
    _audit(
        actor,
        "hazards.hazard.confirm",
        hazard,
        before=before,
        after={
            "status": hazard.status,
            "level": hazard.level,
            "deadline": hazard.deadline.isoformat(),
            "listed_for_supervision": hazard.listed_for_supervision,
        },
    )
    return hazard


@transaction.atomic
def rectification_submit(*, actor: Any, hazard_id: int, note: str, photos: list[Any] | None = None) -> Hazard:
    """rectifying → submitted: the enterprise describes what it did, with evidence photos (第十条, 第二十二条)."""
    hazard = _lock(hazard_id)
    _visible_or_404(actor, hazard)
    _require(policies.can_rectify(actor, hazard), _("Only the enterprise concerned may submit this rectification."))
    if hazard.status != HazardStatus.RECTIFYING:
        raise InvalidTransition(_("No rectification is required of this hazard now."), extra={"status": hazard.status})
    errors: dict[str, list[str]] = {}
    note = _text(errors, "note", note, required=True, limit=MAX_DESCRIPTION)
    stripped = _check_photos(errors, "photos", list(photos or []))
    if errors:
        raise ValidationFailed.for_fields(errors)
    hazard.status = HazardStatus.SUBMITTED
    hazard.submitted_at = timezone.now()
    hazard.save(update_fields=["status", "submitted_at", "updated_at"])
    stored = _store_photos(hazard, PhotoKind.EVIDENCE, stripped, actor)
    _event(
        hazard,
        HazardEventKind.RECTIFICATION_SUBMITTED,
        actor,
        note=note,
        photos=[p.pk for p in stored],
        on_time=bool(hazard.deadline and hazard.submitted_at <= hazard.deadline),
    )
    _audit(
        actor,
        "hazards.hazard.rectification_submit",
        hazard,
        before={"status": HazardStatus.RECTIFYING},
        after={"status": hazard.status, "photos": len(stored)},
    )
    heads = notifications.department_people(hazard.department_id, ["department_head"])
    notifications.notify(
        hazard=hazard,
        kind=HazardEventKind.RECTIFICATION_SUBMITTED,
        recipients=[hazard.officer, *(heads if hazard.level == HazardLevel.MAJOR else [])],
    )
    return hazard


@transaction.atomic
def rectification_accept(
    *, actor: Any, hazard_id: int, passed: bool, opinion: str = "", deadline: datetime | None = None
) -> Hazard:
    """submitted → closed (accepted) or → rectifying (reopened, with the reason and, if given, a new deadline).

    Only the responsible department accepts; a major hazard needs the department head (第二十三条)."""
    hazard = _lock(hazard_id)
    _visible_or_404(actor, hazard)
    _require(
        policies.can_accept(actor, hazard),
        _("Only the department head accepts the rectification of a major hazard.")
        if hazard.level == HazardLevel.MAJOR
        else _("Only the responsible department may accept this rectification."),
    )
    if hazard.status != HazardStatus.SUBMITTED:
        raise InvalidTransition(_("There is no submitted rectification to accept."), extra={"status": hazard.status})
    errors: dict[str, list[str]] = {}
    opinion = _text(errors, "opinion", opinion, required=not passed, limit=1000)
    now = timezone.now()
    deadline = _aware(deadline)
    if deadline is not None and deadline <= now:
        errors.setdefault("deadline", []).append(_("The deadline must be in the future."))
    if errors:
        raise ValidationFailed.for_fields(errors)
    before = {"status": hazard.status}
    recipients = [hazard.reported_by, *notifications.enterprise_people(hazard)]
    if passed:
        on_time = bool(hazard.deadline and hazard.submitted_at and hazard.submitted_at <= hazard.deadline)
        hazard.status = HazardStatus.CLOSED
        hazard.closed_at = now
        hazard.save(update_fields=["status", "closed_at", "updated_at"])
        _event(hazard, HazardEventKind.ACCEPTED, actor, note=opinion, on_time=on_time)
        notifications.notify(hazard=hazard, kind=HazardEventKind.ACCEPTED, recipients=recipients)
        if on_time:
            _credit_event("rectified_on_time", hazard, actor)
    else:
        hazard.status = HazardStatus.RECTIFYING
        if deadline is not None or (hazard.deadline and hazard.deadline <= now):
            hazard.deadline = deadline or now + timedelta(days=_period(hazard.level).days)
            hazard.escalation = Escalation.NONE
            hazard.overdue_since = None
        hazard.save(update_fields=["status", "deadline", "escalation", "overdue_since", "updated_at"])
        _event(
            hazard,
            HazardEventKind.REOPENED,
            actor,
            note=opinion,
            deadline=hazard.deadline.isoformat() if hazard.deadline else None,
        )
        notifications.notify(hazard=hazard, kind=HazardEventKind.REOPENED, recipients=recipients)
    _audit(
        actor,
        "hazards.hazard.rectification_accept" if passed else "hazards.hazard.reopen",
        hazard,
        before=before,
        after={"status": hazard.status},
        detail={"opinion": opinion},
    )
    return hazard


# --- deadlines and escalation ----------------------------------------------------------------------------------


@dataclass
class EscalationReport:
    overdue: list[str] = field(default_factory=list)
    escalated_to_zone: list[str] = field(default_factory=list)


def hazards_escalate(*, now: datetime | None = None) -> EscalationReport:
    """Find rectifications past their deadline: the first run marks each overdue, records the overdue event for
    credit grading and escalates to the department head; once `zone_escalation_days` more have passed, to the zone
    administration. Safe to run twice: a hazard moves up one step at most once."""
    now = now or timezone.now()
    report = EscalationReport()
    due = Hazard.objects.filter(
        status=HazardStatus.RECTIFYING, deadline__lt=now, escalation__lt=Escalation.ZONE_ADMINISTRATION
    )
    for hazard_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            hazard = _lock(hazard_id)
            if hazard.status != HazardStatus.RECTIFYING or hazard.deadline is None or hazard.deadline >= now:
                continue
            if hazard.escalation == Escalation.NONE:
                hazard.escalation = Escalation.DEPARTMENT_HEAD
                hazard.overdue_since = hazard.deadline
                hazard.save(update_fields=["escalation", "overdue_since", "updated_at"])
                _event(hazard, HazardEventKind.OVERDUE, None, deadline=hazard.deadline.isoformat())
                _event(hazard, HazardEventKind.ESCALATED_HEAD, None)
                heads = notifications.department_people(hazard.department_id, ["department_head"])
                notifications.notify(
                    hazard=hazard,
                    kind=HazardEventKind.OVERDUE,
                    recipients=[hazard.officer, *notifications.enterprise_people(hazard)],
                )
                notifications.notify(hazard=hazard, kind=HazardEventKind.ESCALATED_HEAD, recipients=heads)
                _credit_event("rectification_overdue", hazard)
                _audit(None, "hazards.hazard.escalate", hazard, after={"escalation": "department_head"})
                report.overdue.append(hazard.code)
            elif hazard.escalation == Escalation.DEPARTMENT_HEAD:
                zone_after = hazard.deadline + timedelta(days=_period(hazard.level).zone_escalation_days)
                if now < zone_after:
                    continue
                hazard.escalation = Escalation.ZONE_ADMINISTRATION
                hazard.save(update_fields=["escalation", "updated_at"])
                _event(hazard, HazardEventKind.ESCALATED_ZONE, None)
                notifications.notify(
                    hazard=hazard, kind=HazardEventKind.ESCALATED_ZONE, recipients=notifications.zone_coordinators()
                )
                _audit(None, "hazards.hazard.escalate", hazard, after={"escalation": "zone_administration"})
                report.escalated_to_zone.append(hazard.code)
    return report


# --- routing rules ---------------------------------------------------------------------------------------------


def _rule_snapshot(rule: RoutingRule) -> dict[str, Any]:
    return {
        "category": rule.category,
        "area": rule.area.code if rule.area_id else "",
        "industry_section": rule.industry_section,
        "department": rule.department_code,
        "is_active": rule.is_active,
        "note": rule.note,
    }


@transaction.atomic
def routing_rule_save(
    *,
    actor: Any,
    rule_id: int | None = None,
    category: str,
    department_code: str,
    area_code: str = "",
    industry_section: str = "",
    is_active: bool = True,
    note: str = "",
) -> RoutingRule:
    """Create or change a routing rule. The zone administration keeps the table; each change is audited with its
    before and after."""
    from ftzsafety.accounts.selectors import department_organisation
    from ftzsafety.enterprises.choices import IndustrySection
    from ftzsafety.enterprises.models import ZoneArea

    _require(policies.can_manage_routing(actor), _("Only the zone administration edits the routing rules."))
    errors: dict[str, list[str]] = {}
    if category not in HazardCategory.values:
        errors.setdefault("category", []).append(_("Choose one of the listed categories."))
    department = department_organisation(department_code) if department_code else None
    if department is None:
        errors.setdefault("department", []).append(_("Choose a department by its code."))
    area = ZoneArea.objects.filter(code=area_code).first() if area_code else None
    if area_code and area is None:
        errors.setdefault("area", []).append(_("“%(code)s” is not an area of this zone.") % {"code": area_code})
    if industry_section and industry_section not in IndustrySection.values:
        errors.setdefault("industry_section", []).append(_("Choose a GB/T 4754-2017 section (A–T)."))
    note = _text(errors, "note", note, required=False, limit=300)
    rule = None
    if rule_id is not None:
        rule = RoutingRule.objects.select_for_update(of=("self",)).select_related("area").filter(pk=rule_id).first()
        if rule is None:
            raise NotFound(_("Routing rule not found."))
    clash = RoutingRule.objects.filter(category=category, area=area, industry_section=industry_section or "")
    if rule is not None:
        clash = clash.exclude(pk=rule.pk)
    if not errors and clash.exists():
        errors.setdefault("category", []).append(_("A rule for this category, area and industry exists already."))
    if errors:
        raise ValidationFailed.for_fields(errors)
    before = _rule_snapshot(rule) if rule else None
    rule = rule or RoutingRule()
    rule.category, rule.area, rule.industry_section = category, area, industry_section or ""
    rule.department_code, rule.is_active, rule.note = department.department_code, bool(is_active), note
    rule.save()
    audit.record(
        actor=actor,
        action="hazards.routing_rule.update" if before else "hazards.routing_rule.create",
        target=rule,
        classification=Classification.PUBLIC,
        before=before,
        after=_rule_snapshot(rule),
    )
    return rule


# --- self-checks -----------------------------------------------------------------------------------------------


@transaction.atomic
def self_check_submit(
    *,
    actor: Any,
    template_id: int,
    answers: dict[int, dict[str, Any]],
    photos: dict[int, list[Any]] | None = None,
    is_demo: bool = False,
) -> SelfCheck:
    """An enterprise runs a self-check list: every item answered pass, fail or not applicable; each failed item
    becomes a hazard of the enterprise (source: self-check), routed like any other (第十条, 第十一条).

    `answers`: item id → {"result": "pass"|"fail"|"na", "note": str}; `photos`: item id → uploaded photos. An item
    that needs a photo must have one when it fails (the hazard's evidence)."""
    from ftzsafety.enterprises.models import Enterprise

    enterprise = Enterprise.objects.filter(organisation_id=getattr(actor, "organisation_id", None)).first()
    if enterprise is None or not policies.can_run_self_check(actor, enterprise):
        raise PermissionDenied(_("Only an enterprise's own people run its self-checks."))
    template = ChecklistTemplate.objects.filter(pk=template_id, is_active=True).first()
    if template is None:
        raise NotFound(_("Self-check list not found."))
    photos = photos or {}
    items = list(template.items.all())
    errors: dict[str, list[str]] = {}
    checked_photos: dict[int, list[Any]] = {}
    for item in items:
        answer = answers.get(item.pk) or {}
        result = answer.get("result")
        key = f"item_{item.pk}"
        if result not in CheckResult.values:
            errors.setdefault(key, []).append(_("Answer pass, fail or not applicable."))
            continue
        if len((answer.get("note") or "").strip()) > 1000:
            errors.setdefault(key, []).append(_("At most %(n)d characters.") % {"n": 1000})
        if result == CheckResult.FAIL and item.photo_required and not photos.get(item.pk):
            errors.setdefault(key, []).append(_("This item needs a photo when it fails."))
        if photos.get(item.pk):
            checked_photos[item.pk] = _check_photos(errors, key, list(photos[item.pk]))
    unknown = set(answers) - {item.pk for item in items}
    if unknown:
        errors.setdefault("answers", []).append(_("Answers name items that are not on this list."))
    if errors:
        raise ValidationFailed.for_fields(errors)

    self_check = SelfCheck.objects.create(
        owner=enterprise.organisation,
        classification=Classification.INTERNAL,
        created_by=actor,
        enterprise=enterprise,
        template=template,
        status=SelfCheckStatus.SUBMITTED,
        submitted_at=timezone.now(),
        is_demo=is_demo,
    )
    failed = 0
    for item in items:
        answer = answers[item.pk]
        note = (answer.get("note") or "").strip()
        hazard = None
        if answer["result"] == CheckResult.FAIL:
            failed += 1
            hazard = hazard_report(
                actor=actor,
                source=HazardSource.SELF_CHECK,
                category=item.category,
                level=item.level_if_failed,
                title=item.text_zh[:MAX_TITLE],
                description=f"{item.text_zh}\n{_('Legal basis')}: {item.legal_basis}" + (f"\n{note}" if note else ""),
                is_demo=is_demo,
            )
            _store_photos(hazard, PhotoKind.SELF_CHECK, checked_photos.get(item.pk, []), actor)
        SelfCheckAnswer.objects.create(
            self_check=self_check, item=item, result=answer["result"], note=note, hazard=hazard
        )
    audit.record(
        actor=actor,
        action="hazards.self_check.submit",
        target=self_check,
        classification=self_check.classification,
        after={"template": template.code, "version": template.version, "items": len(items), "failed": failed},
    )
    return self_check


# --- notifications ---------------------------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, actor: Any, notification_id: int | None = None) -> int:
    """Mark one notice (or, with no id, all) of the actor's as read. Returns how many changed."""
    qs = Notification.objects.filter(recipient_id=getattr(actor, "pk", None), read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def rectification_period_set(*, actor: Any, level: str, days: int, zone_escalation_days: int) -> RectificationPeriod:
    """Change the zone's rectification period for a level (the zone administration; audited with before/after)."""
    _require(policies.can_manage_routing(actor), _("Only the zone administration sets the rectification periods."))
    errors: dict[str, list[str]] = {}
    if level not in HazardLevel.values:
        errors.setdefault("level", []).append(_("Choose general or major."))
    if not isinstance(days, int) or not 1 <= days <= 365:
        errors.setdefault("days", []).append(_("Between 1 and 365 days."))
    if not isinstance(zone_escalation_days, int) or not 0 <= zone_escalation_days <= 90:
        errors.setdefault("zone_escalation_days", []).append(_("Between 0 and 90 days."))
    if errors:
        raise ValidationFailed.for_fields(errors)
    period = RectificationPeriod.objects.select_for_update().filter(level=level).first()
    before = {"days": period.days, "zone_escalation_days": period.zone_escalation_days} if period else None
    period = period or RectificationPeriod(level=level)
    period.days, period.zone_escalation_days = days, zone_escalation_days
    period.save()
    audit.record(
        actor=actor,
        action="hazards.rectification_period.set",
        target=period,
        classification=Classification.PUBLIC,
        before=before,
        after={"days": days, "zone_escalation_days": zone_escalation_days},
    )
    return period
