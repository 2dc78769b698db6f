"""Nearest-officer dispatch: the indexed bounding-box query equals a brute-force scan; urgent and major hazards are
offered to the nearest available officer of the responsible department, then the next one."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from ftzsafety.enforcement import selectors, services
from ftzsafety.enforcement.geo import bounding_box, great_circle_m
from ftzsafety.enforcement.models import Dispatch, OfficerLocation
from ftzsafety.hazards import services as hazard_services
from ftzsafety.hazards.models import Hazard, HazardEvent
from tests.accounts.factories import UserFactory, department

pytestmark = pytest.mark.django_db


def place(user, lat, lon, available=True):
    return services.officer_location_set(actor=user, latitude=lat, longitude=lon, available=available)


class TestGeo:
    def test_known_distance(self):
        # Tianjin Binhai (38.97, 117.75) to Beijing Tiananmen (39.9087, 116.3975): about 155 km.
        assert great_circle_m(38.97, 117.75, 39.9087, 116.3975) == pytest.approx(155_000, rel=0.02)
        assert great_circle_m(10, 20, 10, 20) == 0

    @given(
        lat=st.floats(-89, 89),
        lon=st.floats(-180, 180),
        radius=st.floats(1, 5_000_000),
        bearing=st.floats(0, 360),
        fraction=st.floats(0, 1),
    )
    def test_every_point_in_the_circle_is_in_the_box(self, lat, lon, radius, bearing, fraction):
        import math

        d = radius * fraction / 6_371_008.8
        b = math.radians(bearing)
        phi1, l1 = math.radians(lat), math.radians(lon)
        phi2 = math.asin(math.sin(phi1) * math.cos(d) + math.cos(phi1) * math.sin(d) * math.cos(b))
        l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(phi1), math.cos(d) - math.sin(phi1) * math.sin(phi2))
        plat, plon = math.degrees(phi2), (math.degrees(l2) + 540) % 360 - 180
        box = bounding_box(lat, lon, radius)
        assert box.min_lat <= plat <= box.max_lat
        if box.min_lon is not None:
            inside = plon >= box.min_lon or plon <= box.max_lon if box.wraps else box.min_lon <= plon <= box.max_lon
            assert inside


@pytest.fixture
def market(db):
    return department("market")


def officers(dept, count, prefix):
    return [UserFactory(username=f"{prefix}{i}", organisation=dept, roles=["officer"]) for i in range(count)]


class TestNearestEqualsBruteForce:
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        points=st.lists(
            st.tuples(st.floats(38.80, 39.15), st.floats(117.50, 118.00), st.booleans()), min_size=0, max_size=25
        ),
        query=st.tuples(st.floats(38.5, 39.5), st.floats(117.0, 118.5)),
        limit=st.integers(1, 4),
        exclude_first=st.booleans(),
    )
    def test_random_zone(self, market, points, query, limit, exclude_first):
        OfficerLocation.objects.all().delete()
        people = officers(market, len(points), "h")
        now = timezone.now()
        OfficerLocation.objects.bulk_create(
            OfficerLocation(officer=u, department=market, latitude=la, longitude=lo, available=av, reported_at=now)
            for u, (la, lo, av) in zip(people, points, strict=True)
        )
        exclude = [people[0].pk] if exclude_first and people else []
        workload = {u.pk: (u.pk * 7) % 3 for u in people}

        def load(ids):
            return {i: workload[i] for i in ids}

        args = {"department_id": market.pk, "latitude": query[0], "longitude": query[1], "limit": limit}
        fast = selectors.nearest_available_officers(**args, exclude_officer_ids=exclude, workload=load)
        slow = selectors.nearest_available_officers_brute_force(**args, exclude_officer_ids=exclude, workload=load)
        assert [c.officer_id for c in fast] == [c.officer_id for c in slow]
        available = sum(1 for u, p in zip(people, points, strict=True) if p[2] and u.pk not in exclude)
        assert len(fast) == min(limit, available)

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        points=st.lists(st.tuples(st.floats(-89.9, 89.9), st.floats(-180, 180)), min_size=1, max_size=12),
        query=st.tuples(st.floats(-89.9, 89.9), st.floats(-180, 180)),
    )
    def test_whole_globe_incl_antimeridian_and_poles(self, market, points, query):
        OfficerLocation.objects.all().delete()
        people = officers(market, len(points), "g")
        now = timezone.now()
        OfficerLocation.objects.bulk_create(
            OfficerLocation(officer=u, department=market, latitude=la, longitude=lo, available=True, reported_at=now)
            for u, (la, lo) in zip(people, points, strict=True)
        )
        args = {"department_id": market.pk, "latitude": query[0], "longitude": query[1], "limit": 3}
        fast = selectors.nearest_available_officers(**args)
        slow = selectors.nearest_available_officers_brute_force(**args)
        assert [c.officer_id for c in fast] == [c.officer_id for c in slow]

    def test_ties_go_to_lighter_workload(self, market):
        a, b = officers(market, 2, "t")
        place(a, 38.97, 117.75)
        place(b, 38.97, 117.75)
        found = selectors.nearest_available_officers(
            department_id=market.pk, latitude=38.98, longitude=117.76, workload=lambda ids: {a.pk: 3, b.pk: 1}
        )
        assert found[0].officer_id == b.pk


class TestLocation:
    def test_officer_sets_location_audited_without_coordinates(self, market):
        (officer,) = officers(market, 1, "loc")
        location = place(officer, 38.97, 117.75, available=False)
        assert location.department == market
        assert location.available is False
        record = AuditRecord.objects.get(action="enforcement.officer_location.set")
        assert record.after == {"available": False}
        assert "117.75" not in str(record.after) + str(record.detail)

    def test_bad_coordinates(self, market):
        (officer,) = officers(market, 1, "bad")
        with pytest.raises(ValidationFailed) as caught:
            services.officer_location_set(actor=officer, latitude=91, longitude="east", available=True)
        assert set(caught.value.fields) == {"latitude", "longitude"}
        assert not OfficerLocation.objects.exists()

    def test_enterprise_user_cannot(self, enterprise_admin):
        with pytest.raises(PermissionDenied):
            services.officer_location_set(actor=enterprise_admin, latitude=38.9, longitude=117.7, available=True)


@pytest.fixture
def zone(zone_admin_org, market):
    near, far, busy_twin = officers(market, 3, "m")
    place(near, 38.9700, 117.7500)  # ~0 m from the report
    place(far, 38.9900, 117.7800)  # ~3.3 km
    place(busy_twin, 39.0500, 117.9000, available=False)  # not available
    fire = department("fire")
    (fire_officer,) = officers(fire, 1, "f")
    place(fire_officer, 38.9701, 117.7501)  # nearest of all, but the wrong department
    return {"near": near, "far": far, "unavailable": busy_twin, "fire": fire_officer}


def urgent_report(**kwargs):
    values = {
        "actor": None,
        "category": "special_equipment",
        "level": "general",
        "urgent": True,
        "title": "塔吊钢丝绳断股",
        "description": "码头3号塔吊钢丝绳断股，仍在作业。",
        "latitude": 38.9702,
        "longitude": 117.7503,
    }
    values.update(kwargs)
    return hazard_services.hazard_report(**values)


class TestHazardDispatch:
    def test_urgent_report_offered_to_nearest_available_officer_of_department(self, zone):
        hazard = urgent_report()
        offer = Dispatch.objects.get(hazard=hazard)
        assert offer.officer == zone["near"]
        assert offer.status == "offered"
        assert offer.distance_m == pytest.approx(great_circle_m(38.9702, 117.7503, 38.97, 117.75), abs=0.1)
        event = HazardEvent.objects.get(hazard=hazard, kind="dispatch_offered")
        assert event.data["officer"] == zone["near"].pk
        assert event.data["distance_m"] == offer.distance_m

    def test_major_report_dispatched_even_if_not_urgent(self, zone):
        hazard = urgent_report(urgent=False, level="major")
        assert Dispatch.objects.get(hazard=hazard).officer == zone["near"]

    def test_general_not_urgent_is_not_dispatched(self, zone):
        hazard = urgent_report(urgent=False)
        assert not Dispatch.objects.filter(hazard=hazard).exists()

    def test_accept_assigns_and_records_time_and_distance(self, zone):
        hazard = urgent_report()
        hazard = hazard_services.hazard_dispatch_respond(actor=zone["near"], hazard_id=hazard.pk, accept=True)
        assert hazard.status == "assigned"
        assert hazard.officer == zone["near"]
        event = HazardEvent.objects.get(hazard=hazard, kind="dispatch_accepted")
        assert event.data["seconds_to_accept"] >= 0
        assert event.data["distance_m"] < 50
        record = AuditRecord.objects.get(action="hazards.hazard.dispatch_accept")
        assert record.detail["distance_m"] == event.data["distance_m"]

    def test_decline_moves_to_next(self, zone):
        hazard = urgent_report()
        hazard_services.hazard_dispatch_respond(actor=zone["near"], hazard_id=hazard.pk, accept=False)
        offers = list(Dispatch.objects.filter(hazard=hazard).order_by("id").values_list("officer_id", "status"))
        assert offers == [(zone["near"].pk, "declined"), (zone["far"].pk, "offered")]

    def test_someone_else_cannot_accept(self, zone):
        hazard = urgent_report()
        with pytest.raises(InvalidTransition):
            hazard_services.hazard_dispatch_respond(actor=zone["far"], hazard_id=hazard.pk, accept=True)
        assert Hazard.objects.get(pk=hazard.pk).officer is None

    def test_not_accepted_in_time_moves_to_next_then_none(self, zone):
        hazard = urgent_report()
        later = timezone.now() + timedelta(minutes=11)
        assert hazard_services.dispatch_expire_due(now=timezone.now()) == 0
        Dispatch.objects.filter(hazard=hazard).update(respond_by=timezone.now() - timedelta(seconds=1))
        assert hazard_services.dispatch_expire_due(now=later) == 1
        offers = list(Dispatch.objects.filter(hazard=hazard).order_by("id").values_list("officer_id", "status"))
        assert offers == [(zone["near"].pk, "expired"), (zone["far"].pk, "offered")]
        Dispatch.objects.filter(hazard=hazard, status="offered").update(
            respond_by=timezone.now() - timedelta(seconds=1)
        )
        hazard_services.dispatch_expire_due(now=later)
        assert HazardEvent.objects.filter(hazard=hazard, kind="dispatch_none").count() == 1
        assert HazardEvent.objects.filter(hazard=hazard, kind="dispatch_expired").count() == 2

    def test_manual_assignment_withdraws_offer(self, zone):
        hazard = urgent_report()
        hazard_services.hazard_assign(actor=zone["far"], hazard_id=hazard.pk)
        assert Dispatch.objects.get(hazard=hazard).status == "withdrawn"

    def test_no_one_available(self, zone_admin_org, market):
        hazard = urgent_report()
        assert not Dispatch.objects.filter(hazard=hazard).exists()
        assert HazardEvent.objects.filter(hazard=hazard, kind="dispatch_none").exists()
