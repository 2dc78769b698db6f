"""The demo zone's hazards: every state of the loop, officers placed in the zone, urgent reports dispatched."""

from collections import Counter

import pytest

from ftzsafety.demo.seed import seed_demo
from ftzsafety.enforcement.geo import great_circle_m
from ftzsafety.enforcement.models import Dispatch, OfficerLocation
from ftzsafety.enforcement.selectors import nearest_available_officers_brute_force
from ftzsafety.hazards.models import Hazard


@pytest.mark.django_db
def test_demo_hazards():
    seed_demo()
    hazards = Hazard.objects.filter(is_demo=True)
    assert hazards.count() >= 30
    states = Counter(hazards.values_list("status", flat=True))
    assert set(states) == {"reported", "assigned", "dismissed", "rectifying", "submitted", "closed"}
    assert hazards.filter(listed_for_supervision=True).count() >= 2
    assert hazards.filter(escalation=1).count() == 3  # the overdue examples, found by the escalation service
    assert OfficerLocation.objects.filter(is_demo=True).count() >= 10
    urgent = hazards.filter(urgent=True)
    assert urgent.count() == 2
    for hazard in urgent:
        first = Dispatch.objects.filter(hazard=hazard).order_by("id").first()
        best = nearest_available_officers_brute_force(
            department_id=hazard.department_id, latitude=hazard.latitude, longitude=hazard.longitude
        )[0]
        assert first.officer_id == best.officer_id
        location = OfficerLocation.objects.get(officer_id=first.officer_id)
        expected = great_circle_m(hazard.latitude, hazard.longitude, location.latitude, location.longitude)
        assert first.distance_m == pytest.approx(expected, abs=0.1)
    # running it again changes nothing
    seed_demo(force=True)
    assert Hazard.objects.filter(is_demo=True).count() == hazards.count()
