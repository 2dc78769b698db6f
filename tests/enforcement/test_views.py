"""The officer's position page."""

import pytest
from django.test import Client

from ftzsafety.audit.models import AuditRecord
from ftzsafety.enforcement.models import OfficerLocation
from tests.accounts.factories import UserFactory, department

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def officer(db):
    return UserFactory(username="market_officer", organisation=department("market"), roles=["officer"])


def test_officer_saves_position_and_availability(officer):
    client = client_for(officer)
    assert client.get("/officers/me/location/").status_code == 200
    response = client.post("/officers/me/location/", {"latitude": "38.97", "longitude": "117.75"})
    assert response.status_code == 302
    location = OfficerLocation.objects.get(officer=officer)
    assert (location.latitude, location.longitude, location.available) == (38.97, 117.75, False)
    assert AuditRecord.objects.filter(action="enforcement.officer_location.set").count() == 1
    html = client.get("/officers/me/location/").content.decode()
    assert 'data-testid="current-location">38.97000, 117.75000 · busy' in html
    assert 'data-testid="officer-map"' in html


def test_bad_position_422_nothing_saved(officer):
    response = client_for(officer).post("/officers/me/location/", {"latitude": "north", "longitude": "200"})
    assert response.status_code == 422
    assert not OfficerLocation.objects.exists()


def test_offers_listed(officer, zone_admin_org):
    from ftzsafety.enforcement.services import officer_location_set
    from ftzsafety.hazards.services import hazard_report

    officer_location_set(actor=officer, latitude=38.97, longitude=117.75, available=True)
    hazard = hazard_report(
        actor=None,
        category="special_equipment",
        level="general",
        urgent=True,
        title="电梯困人",
        description="d",
        latitude=38.971,
        longitude=117.751,
    )
    html = client_for(officer).get("/officers/me/location/").content.decode()
    assert 'data-testid="my-offers"' in html
    assert hazard.code in html


def test_enterprise_user_refused(enterprise_admin):
    assert client_for(enterprise_admin).get("/officers/me/location/").status_code == 403
