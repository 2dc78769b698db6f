"""Writes for field enforcement: officers' positions, and dispatch offers (made, accepted, declined, expired).

The hazards app decides when a hazard is dispatched and what acceptance means for it; these services keep the
offers themselves and choose the officer.
"""

import math
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ftzsafety import audit
from ftzsafety.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from ftzsafety.enforcement import policies, selectors
from ftzsafety.enforcement.models import Dispatch, DispatchStatus, OfficerLocation


def _coordinate(errors: dict[str, list[str]], field: str, value: Any, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(_("Enter a number in decimal degrees."))
        return 0.0
    if not math.isfinite(number) or not low <= number <= high:
        errors.setdefault(field, []).append(
            _("Must be between %(low)d and %(high)d degrees.") % {"low": low, "high": high}
        )
    return number


@transaction.atomic
def officer_location_set(
    *, actor: Any, latitude: Any, longitude: Any, available: bool, is_demo: bool = False
) -> OfficerLocation:
    """Record where an officer is and whether they can take urgent work. Only the latest position is kept.

    The audit record holds the availability change, not the coordinates: a trail of positions would be a track of
    the person (个人信息保护法 第六条, minimum necessary)."""
    if not policies.can_report_location(actor):
        raise PermissionDenied(_("Only officers report a field location."))
    errors: dict[str, list[str]] = {}
    lat = _coordinate(errors, "latitude", latitude, -90, 90)
    lon = _coordinate(errors, "longitude", longitude, -180, 180)
    if errors:
        raise ValidationFailed.for_fields(errors)
    location = OfficerLocation.objects.select_for_update().filter(officer=actor).first()
    before = {"available": location.available} if location else None
    if location is None:
        location = OfficerLocation(officer=actor)
    location.department_id = actor.organisation_id
    location.latitude, location.longitude = lat, lon
    location.available = bool(available)
    location.is_demo = location.is_demo or is_demo
    location.reported_at = timezone.now()
    location.save()
    audit.record(
        actor=actor,
        action="enforcement.officer_location.set",
        target=location,
        before=before,
        after={"available": location.available},
    )
    return location


@transaction.atomic
def dispatch_offer(
    *,
    hazard: Any,
    latitude: float,
    longitude: float,
    accept_within: timedelta,
    workload: selectors.Workload | None = None,
) -> Dispatch | None:
    """Offer `hazard` to the nearest available officer of its department not yet asked (great-circle distance,
    ties by open workload). None when nobody is available. The distance and time are recorded on the offer."""
    asked = selectors.dispatch_offered_officer_ids(hazard_id=hazard.pk)
    found = selectors.nearest_available_officers(
        department_id=hazard.department_id,
        latitude=latitude,
        longitude=longitude,
        exclude_officer_ids=asked,
        workload=workload,
    )
    if not found:
        return None
    now = timezone.now()
    dispatch = Dispatch.objects.create(
        hazard=hazard,
        officer_id=found[0].officer_id,
        distance_m=round(found[0].distance_m, 1),
        offered_at=now,
        respond_by=now + accept_within,
    )
    audit.record(
        actor=None,
        username="system",
        action="enforcement.dispatch.offer",
        target=dispatch,
        after={"hazard": hazard.pk, "officer": found[0].officer_id, "distance_m": dispatch.distance_m},
    )
    return dispatch


@transaction.atomic
def dispatch_respond(*, actor: Any, dispatch_id: int, accept: bool) -> Dispatch:
    """The officer accepts or declines an open offer made to them."""
    dispatch = Dispatch.objects.select_for_update().get(pk=dispatch_id)
    if dispatch.officer_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("This dispatch was offered to another officer."))
    if dispatch.status != DispatchStatus.OFFERED:
        raise InvalidTransition(_("This dispatch is no longer open."), extra={"status": dispatch.status})
    dispatch.status = DispatchStatus.ACCEPTED if accept else DispatchStatus.DECLINED
    dispatch.responded_at = timezone.now()
    dispatch.save(update_fields=["status", "responded_at"])
    audit.record(
        actor=actor,
        action="enforcement.dispatch.accept" if accept else "enforcement.dispatch.decline",
        target=dispatch,
        after={"status": dispatch.status, "seconds": (dispatch.responded_at - dispatch.offered_at).total_seconds()},
    )
    return dispatch


@transaction.atomic
def dispatch_expire(*, dispatch_id: int) -> Dispatch | None:
    """Close an offer not accepted in time. Returns None if it was answered meanwhile (safe to run twice)."""
    dispatch = Dispatch.objects.select_for_update().get(pk=dispatch_id)
    if dispatch.status != DispatchStatus.OFFERED or dispatch.respond_by > timezone.now():
        return None
    dispatch.status = DispatchStatus.EXPIRED
    dispatch.responded_at = timezone.now()
    dispatch.save(update_fields=["status", "responded_at"])
    audit.record(actor=None, username="system", action="enforcement.dispatch.expire", target=dispatch)
    return dispatch


@transaction.atomic
def dispatch_withdraw(*, dispatch_id: int) -> Dispatch | None:
    """Close an open offer because the hazard was assigned or sent elsewhere by hand."""
    dispatch = Dispatch.objects.select_for_update().get(pk=dispatch_id)
    if dispatch.status != DispatchStatus.OFFERED:
        return None
    dispatch.status = DispatchStatus.WITHDRAWN
    dispatch.responded_at = timezone.now()
    dispatch.save(update_fields=["status", "responded_at"])
    audit.record(actor=None, username="system", action="enforcement.dispatch.withdraw", target=dispatch)
    return dispatch
