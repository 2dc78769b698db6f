"""/api/v1/hazards and /api/v1/officers: status codes, error bodies, pagination, the public endpoint and its abuse."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ftzsafety.audit.models import AuditRecord
from ftzsafety.hazards.models import Hazard, HazardPhoto
from tests.hazards.conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/hazards/public"


def public_form(**extra):
    data = {
        "category": "special_equipment",
        "level": "general",
        "title": "升降机安全门失效",
        "description": "园区3号楼货用升降机安全门开着也能运行。",
        "latitude": "38.9701",
        "longitude": "117.7502",
    }
    data.update(extra)
    return data


class TestPublicReport:
    def test_anonymous_report_with_photo(self, api_client, zone_admin_org, market_officer):
        data = public_form(photos=SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg"))
        response = api_client().post(PUBLIC, data)
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["code"].startswith("YH")
        assert body["routing_reason"] == "Routed to Market supervision: category Special equipment"
        hazard = Hazard.objects.get(code=body["code"])
        assert hazard.source == "public"
        assert hazard.reported_by is None
        assert HazardPhoto.objects.filter(hazard=hazard).count() == 1

    def test_wrong_type_upload_is_422_with_field_and_nothing_stored(self, api_client, zone_admin_org):
        data = public_form(photos=SimpleUploadedFile("p.png", b"MZ\x90\x00 this is an exe", content_type="image/png"))
        response = api_client().post(PUBLIC, data)
        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "validation_failed"
        assert "photos" in body["detail"]["fields"]
        assert Hazard.objects.count() == 0

    def test_oversized_upload_is_refused(self, api_client, zone_admin_org, monkeypatch):
        from ftzsafety.hazards import services

        monkeypatch.setattr(services, "MAX_PHOTO_BYTES", 1024)
        big = jpeg_with_gps() + b"\x00" * 2048
        response = api_client().post(PUBLIC, public_form(photos=SimpleUploadedFile("big.jpg", big)))
        assert response.status_code == 422
        assert "photos" in response.json()["detail"]["fields"]
        assert Hazard.objects.count() == 0

    def test_flood_is_429(self, api_client, zone_admin_org, settings):
        settings.HAZARDS_PUBLIC_REPORTS = 3
        client = api_client()
        codes = [client.post(PUBLIC, public_form(title=f"隐患{i}")).status_code for i in range(5)]
        assert codes == [201, 201, 201, 429, 429]
        assert Hazard.objects.count() == 3
        assert client.post(PUBLIC, public_form()).json()["code"] == "rate_limited"

    def test_other_address_is_not_limited(self, api_client, zone_admin_org, settings):
        settings.HAZARDS_PUBLIC_REPORTS = 1
        client = api_client()
        assert client.post(PUBLIC, public_form(), REMOTE_ADDR="10.0.0.1").status_code == 201
        assert client.post(PUBLIC, public_form(), REMOTE_ADDR="10.0.0.1").status_code == 429
        assert client.post(PUBLIC, public_form(), REMOTE_ADDR="10.0.0.2").status_code == 201

    def test_public_cannot_read_reports(self, api_client, reported):
        client = api_client()
        assert client.get("/api/v1/hazards").status_code == 401
        assert client.get(f"/api/v1/hazards/{reported.pk}").status_code == 401
        assert client.get(f"/hazards/{reported.pk}/").status_code == 302  # to sign-in


class TestLoopOverApi:
    def test_whole_loop(self, api_client, reported, market_officer, enterprise_admin):
        officer = api_client(market_officer)
        assert (
            officer.post(f"/api/v1/hazards/{reported.pk}/assign", {}, content_type="application/json").status_code
            == 200
        )
        response = officer.post(
            f"/api/v1/hazards/{reported.pk}/verify", {"confirmed": True}, content_type="application/json"
        )
        assert response.status_code == 200
        assert response.json()["status"] == "rectifying"
        firm = api_client(enterprise_admin)
        response = firm.post(
            f"/api/v1/hazards/{reported.pk}/rectification",
            {"note": "已更换制动系统", "photos": SimpleUploadedFile("a.jpg", jpeg_with_gps())},
        )
        assert response.status_code == 200, response.content
        response = officer.post(
            f"/api/v1/hazards/{reported.pk}/acceptance",
            {"passed": True, "opinion": "合格"},
            content_type="application/json",
        )
        assert response.json()["status"] == "closed"
        events = officer.get(f"/api/v1/hazards/{reported.pk}/events").json()
        assert [e["kind"] for e in events] == [
            "reported",
            "routed",
            "assigned",
            "confirmed",
            "rectification_required",
            "rectification_submitted",
            "accepted",
        ]

    def test_list_paginated_and_filtered(self, api_client, reported, market_officer, zone_admin_org):
        from ftzsafety.hazards import services

        services.hazard_report(actor=None, category="other", level="major", title="t", description="d")
        client = api_client(market_officer)
        body = client.get("/api/v1/hazards?limit=1").json()
        assert body["count"] == 2
        assert len(body["items"]) == 1
        assert client.get("/api/v1/hazards?department=market").json()["count"] == 1
        assert client.get("/api/v1/hazards?level=major").json()["count"] == 1

    def test_other_department_verify_is_403_and_changes_nothing(
        self, api_client, reported, market_officer, fire_officer
    ):
        api_client(market_officer).post(f"/api/v1/hazards/{reported.pk}/assign", {}, content_type="application/json")
        response = api_client(fire_officer).post(
            f"/api/v1/hazards/{reported.pk}/verify", {"confirmed": True}, content_type="application/json"
        )
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        reported.refresh_from_db()
        assert reported.status == "assigned"
        assert not AuditRecord.objects.filter(action="hazards.hazard.confirm").exists()

    def test_bad_transition_is_409(self, api_client, reported, market_officer):
        response = api_client(market_officer).post(
            f"/api/v1/hazards/{reported.pk}/acceptance", {"passed": True}, content_type="application/json"
        )
        assert response.status_code == 409
        assert response.json()["code"] == "invalid_transition"

    def test_counts(self, api_client, reported, market_officer):
        rows = api_client(market_officer).get("/api/v1/hazards/counts").json()
        assert rows == [
            {"department_code": "market", "department": "Market supervision", "open": 1, "overdue": 0, "major": 0}
        ]


class TestRoutingRulesApi:
    def test_commander_edits_audited(self, api_client, commander, market_dept, fire_dept):
        client = api_client(commander)
        rules = client.get("/api/v1/hazards/routing-rules").json()
        fire = next(r for r in rules if r["category"] == "fire" and r["area"] is None)
        response = client.put(
            f"/api/v1/hazards/routing-rules/{fire['id']}",
            {"category": "fire", "department": "market", "note": "测试"},
            content_type="application/json",
        )
        assert response.status_code == 200
        assert response.json()["department"] == "market"
        record = AuditRecord.objects.get(action="hazards.routing_rule.update")
        assert record.before["department"] == "fire"
        assert record.after["department"] == "market"

    def test_area_and_industry_rule_wins(
        self, api_client, commander, market_dept, fire_dept, enterprise, zone_admin_org
    ):
        from ftzsafety.hazards import services

        client = api_client(commander)
        response = client.post(
            "/api/v1/hazards/routing-rules",
            {"category": "fire", "department": "market", "area": enterprise.area.code, "industry_section": "G"},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        hazard = services.hazard_report(
            actor=None, category="fire", level="general", title="t", description="d", enterprise_uscc=enterprise.uscc
        )
        assert hazard.department == market_dept
        elsewhere = services.hazard_report(
            actor=None, category="fire", level="general", title="t", description="d", latitude=30, longitude=120
        )
        assert elsewhere.department == fire_dept

    def test_duplicate_rule_and_unknown_department(self, api_client, commander, fire_dept):
        client = api_client(commander)
        response = client.post(
            "/api/v1/hazards/routing-rules",
            {"category": "fire", "department": "nowhere"},
            content_type="application/json",
        )
        assert response.status_code == 422
        assert "department" in response.json()["detail"]["fields"]
        response = client.post(
            "/api/v1/hazards/routing-rules", {"category": "fire", "department": "fire"}, content_type="application/json"
        )
        assert response.status_code == 422
        assert "category" in response.json()["detail"]["fields"]

    def test_officer_may_not_edit(self, api_client, market_officer, market_dept):
        response = api_client(market_officer).post(
            "/api/v1/hazards/routing-rules",
            {"category": "other", "department": "market"},
            content_type="application/json",
        )
        assert response.status_code == 403
        assert not AuditRecord.objects.filter(action__startswith="hazards.routing_rule").exists()


class TestOfficerLocationApi:
    def test_post_location(self, api_client, market_officer):
        response = api_client(market_officer).post(
            "/api/v1/officers/me/location",
            {"lat": 38.97, "lon": 117.75, "available": True},
            content_type="application/json",
        )
        assert response.status_code == 200
        assert response.json() | {"reported_at": None} == {
            "officer": "market_officer",
            "department": "market",
            "lat": 38.97,
            "lon": 117.75,
            "available": True,
            "reported_at": None,
        }

    def test_out_of_range(self, api_client, market_officer):
        response = api_client(market_officer).post(
            "/api/v1/officers/me/location", {"lat": 138.97, "lon": 117.75}, content_type="application/json"
        )
        assert response.status_code == 422
        assert "latitude" in response.json()["detail"]["fields"]

    def test_enterprise_user_403(self, api_client, enterprise_admin):
        response = api_client(enterprise_admin).post(
            "/api/v1/officers/me/location", {"lat": 38.97, "lon": 117.75}, content_type="application/json"
        )
        assert response.status_code == 403

    def test_locations_seen_by_own_department_only(self, api_client, market_officer, fire_officer):
        from ftzsafety.enforcement.services import officer_location_set

        officer_location_set(actor=market_officer, latitude=38.9, longitude=117.7, available=True)
        assert [r["officer"] for r in api_client(market_officer).get("/api/v1/officers/locations").json()] == [
            "market_officer"
        ]
        assert api_client(fire_officer).get("/api/v1/officers/locations").json() == []


def test_list_costs_a_fixed_number_of_queries(
    api_client, zone_admin_org, market_officer, enterprise, django_assert_max_num_queries
):
    from ftzsafety.hazards import services

    for i in range(30):
        hazard = services.hazard_report(
            actor=None,
            category="special_equipment",
            level="general",
            title=f"t{i}",
            description="d",
            enterprise_uscc=enterprise.uscc,
        )
        services.hazard_assign(actor=market_officer, hazard_id=hazard.pk)
    client = api_client(market_officer)
    with django_assert_max_num_queries(10):  # session, user, roles, organisation, count, page + session save
        body = client.get("/api/v1/hazards?limit=50").json()
    assert body["count"] == 30
    assert len(body["items"]) == 30
    assert body["items"][0]["officer"] == "market_officer"


def test_deadline_without_time_zone_is_zone_time(api_client, reported, market_officer):
    client = api_client(market_officer)
    client.post(f"/api/v1/hazards/{reported.pk}/assign", {}, content_type="application/json")
    response = client.post(
        f"/api/v1/hazards/{reported.pk}/verify",
        {"confirmed": True, "deadline": "2099-01-31T18:00:00"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["deadline"] == "2099-01-31T18:00:00+08:00"  # read in the zone's time (Asia/Shanghai)


def test_deadline_in_the_past_is_422(api_client, reported, market_officer):
    client = api_client(market_officer)
    client.post(f"/api/v1/hazards/{reported.pk}/assign", {}, content_type="application/json")
    response = client.post(
        f"/api/v1/hazards/{reported.pk}/verify",
        {"confirmed": True, "deadline": "2001-01-01T00:00:00+08:00"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "deadline" in response.json()["detail"]["fields"]
