"""Reads for field enforcement: officer positions and the nearest available officer."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from ftzsafety.core import authz
from ftzsafety.enforcement.geo import bounding_box, great_circle_m
from ftzsafety.enforcement.models import Dispatch, DispatchStatus, OfficerLocation

Workload = Callable[[list[int]], dict[int, int]]
START_RADIUS_M = 2_000.0
# Beyond half the Earth's circumference every point is inside the box: the search has covered everything.
MAX_RADIUS_M = 20_040_000.0


@authz.register_scope(OfficerLocation)
def _location_scope(actor: Any, qs: QuerySet) -> QuerySet:
    """An officer's whereabouts are seen by their own department and by the zone administration's command centre
    (who dispatch across departments); nobody else."""
    if actor.is_platform_admin or not actor.is_government:
        return qs.none()
    if actor.organisation.kind == "zone_administration":
        return qs
    return qs.filter(department_id=actor.organisation_id)


@authz.register_scope(Dispatch)
def _dispatch_scope(actor: Any, qs: QuerySet) -> QuerySet:
    if actor.is_platform_admin or not actor.is_government:
        return qs.none()
    if actor.organisation.kind == "zone_administration":
        return qs
    return qs.filter(Q(officer=actor) | Q(hazard__department_id=actor.organisation_id))


@dataclass(frozen=True)
class Candidate:
    officer_id: int
    distance_m: float
    workload: int
    latitude: float
    longitude: float


def _rank(
    rows: Iterable[tuple[int, float, float]], lat: float, lon: float, workload: Workload | None
) -> list[Candidate]:
    measured = [(oid, great_circle_m(lat, lon, olat, olon), olat, olon) for oid, olat, olon in rows]
    loads = workload([m[0] for m in measured]) if workload and measured else {}
    ranked = [Candidate(oid, d, loads.get(oid, 0), olat, olon) for oid, d, olat, olon in measured]
    # Nearest first; equal distances go to the officer with less open work, then the lower id (stable, testable).
    ranked.sort(key=lambda c: (c.distance_m, c.workload, c.officer_id))
    return ranked


def _available(department_id: int, exclude: Iterable[int]) -> QuerySet:
    qs = OfficerLocation.objects.filter(department_id=department_id, available=True)
    exclude = list(exclude)
    return qs.exclude(officer_id__in=exclude) if exclude else qs


def nearest_available_officers(
    *,
    department_id: int,
    latitude: float,
    longitude: float,
    exclude_officer_ids: Iterable[int] = (),
    workload: Workload | None = None,
    limit: int = 1,
) -> list[Candidate]:
    """The `limit` nearest available officers of a department by great-circle distance (ties: least open work).

    A bounding box around a circle of radius r selects candidates by the (department, available, latitude,
    longitude) index; the ranking is exact once `limit` candidates lie inside the circle itself (a point outside the
    circle may be inside the box, but nothing outside the box is nearer than r). Otherwise r grows fourfold."""
    exclude = list(exclude_officer_ids)
    radius = START_RADIUS_M
    while True:
        box = bounding_box(latitude, longitude, radius)
        qs = _available(department_id, exclude).filter(latitude__gte=box.min_lat, latitude__lte=box.max_lat)
        if box.min_lon is not None:
            if box.wraps:
                qs = qs.filter(Q(longitude__gte=box.min_lon) | Q(longitude__lte=box.max_lon))
            else:
                qs = qs.filter(longitude__gte=box.min_lon, longitude__lte=box.max_lon)
        rows = list(qs.values_list("officer_id", "latitude", "longitude"))
        inside = [(oid, la, lo) for oid, la, lo in rows if great_circle_m(latitude, longitude, la, lo) <= radius]
        if len(inside) >= limit or radius >= MAX_RADIUS_M:
            return _rank(inside if radius < MAX_RADIUS_M else rows, latitude, longitude, workload)[:limit]
        radius = min(radius * 4, MAX_RADIUS_M)


def nearest_available_officers_brute_force(
    *,
    department_id: int,
    latitude: float,
    longitude: float,
    exclude_officer_ids: Iterable[int] = (),
    workload: Workload | None = None,
    limit: int = 1,
) -> list[Candidate]:
    """Every available officer of the department, measured and sorted: the reference the fast query must equal."""
    rows = _available(department_id, exclude_officer_ids).values_list("officer_id", "latitude", "longitude")
    return _rank(list(rows), latitude, longitude, workload)[:limit]


def officer_location_get(*, actor: Any) -> OfficerLocation | None:
    return OfficerLocation.objects.filter(officer=actor).first()


def officer_location_list(*, actor: Any, department_id: int | None = None) -> QuerySet[OfficerLocation]:
    qs = authz.visible_to(actor, OfficerLocation.objects.select_related("officer", "department"))
    return qs.filter(department_id=department_id) if department_id else qs


def dispatch_open_offer(*, hazard_id: int) -> Dispatch | None:
    return Dispatch.objects.filter(hazard_id=hazard_id, status=DispatchStatus.OFFERED).select_related("officer").first()


def dispatch_offered_officer_ids(*, hazard_id: int) -> list[int]:
    return list(Dispatch.objects.filter(hazard_id=hazard_id).values_list("officer_id", flat=True))


def dispatch_due_ids(*, now: Any) -> list[int]:
    """Offers whose time to accept has passed."""
    return list(
        Dispatch.objects.filter(status=DispatchStatus.OFFERED, respond_by__lte=now).values_list("pk", flat=True)
    )


def dispatch_list_for_hazard(*, hazard_id: int) -> list[Dispatch]:
    return list(Dispatch.objects.filter(hazard_id=hazard_id).select_related("officer"))


def dispatch_offers_for(*, actor: Any) -> QuerySet[Dispatch]:
    """Open offers made to this officer."""
    return Dispatch.objects.filter(officer=actor, status=DispatchStatus.OFFERED).select_related("hazard")
