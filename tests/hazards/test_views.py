"""Hazard pages in both languages, the public form and its limits, the self-check, and the access table."""

import pytest
from django.test import Client

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import NotFound, PermissionDenied
from ftzsafety.hazards import services
from ftzsafety.hazards.models import ChecklistTemplate, Hazard, HazardPhoto, SelfCheck
from tests.hazards.conftest import jpeg_with_gps, photo

pytestmark = pytest.mark.django_db


def client_for(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


class TestPublicPage:
    def test_form_shows_categories_and_level_criteria(self, zone_admin_org):
        response = client_for(None).get("/hazards/report/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Special equipment" in html
        assert 'data-testid="level-criteria"' in html
        assert "安监总管三〔2017〕121号" in html

    def test_zh(self, zone_admin_org):
        html = client_for(None, "zh-hans").get("/hazards/report/").content.decode()
        assert 'lang="zh-hans"' in html

    def test_post_with_photo_gives_reference_and_reason(self, zone_admin_org, market_dept):
        response = client_for(None).post(
            "/hazards/report/",
            {
                "category": "special_equipment",
                "level": "general",
                "title": "电梯困人报警无响应",
                "description": "B栋电梯紧急报警按钮无响应。",
                "latitude": "38.97",
                "longitude": "117.75",
                "photos": photo(),
            },
        )
        assert response.status_code == 200
        hazard = Hazard.objects.get()
        html = response.content.decode()
        assert hazard.code in html
        assert "Routed to Market supervision: category Special equipment" in html

    def test_bad_post_shows_field_errors_422(self, zone_admin_org):
        response = client_for(None).post(
            "/hazards/report/", {"category": "", "title": "", "description": "", "photos": photo("x.jpg", b"GIF89a")}
        )
        assert response.status_code == 422
        html = response.content.decode()
        assert 'data-testid="errors-title"' in html
        assert 'data-testid="errors-photos"' in html
        assert Hazard.objects.count() == 0

    def test_flood_gets_429_page(self, zone_admin_org, settings):
        settings.HAZARDS_PUBLIC_REPORTS = 2
        client = client_for(None)
        data = {"category": "fire", "level": "general", "title": "t", "description": "d"}
        statuses = [client.post("/hazards/report/", data).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        assert Hazard.objects.count() == 2


class TestPages:
    def test_queue_detail_and_map_for_officer(self, reported, market_officer):
        client = client_for(market_officer)
        html = client.get("/hazards/").content.decode()
        assert reported.code in html
        assert 'data-testid="hazard-map"' in html
        assert 'data-testid="department-counts"' in html
        html = client.get(f"/hazards/{reported.pk}/").content.decode()
        assert "Routed to Market supervision" in html
        assert 'data-testid="take"' in html
        assert AuditRecord.objects.filter(action="hazards.hazard.read", target_id=str(reported.pk)).exists()

    def test_take_verify_via_forms(self, reported, market_officer):
        client = client_for(market_officer)
        assert client.post(f"/hazards/{reported.pk}/assign/").status_code == 302
        client.post(f"/hazards/{reported.pk}/verify/", {"decision": "confirm", "level": "general"})
        reported.refresh_from_db()
        assert reported.status == "rectifying"

    def test_dismiss_without_reason_shows_message_and_changes_nothing(self, reported, market_officer):
        client = client_for(market_officer)
        client.post(f"/hazards/{reported.pk}/assign/")
        response = client.post(f"/hazards/{reported.pk}/verify/", {"decision": "dismiss", "reason": ""}, follow=True)
        assert "reason: This field is required." in response.content.decode()
        reported.refresh_from_db()
        assert reported.status == "assigned"

    def test_photo_served_without_exif_to_viewers_only(self, zone_admin_org, market_officer, enterprise_admin):
        hazard = services.hazard_report(
            actor=None, category="fire", level="general", title="t", description="d", photos=[photo()]
        )
        stored = HazardPhoto.objects.get(hazard=hazard)
        response = client_for(market_officer).get(f"/hazards/{hazard.pk}/photos/{stored.pk}/")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert b"PhoneMaker" not in response.content
        assert b"PhoneMaker" in jpeg_with_gps()
        # the enterprise has nothing to do with this one: 404, not 403
        assert client_for(enterprise_admin).get(f"/hazards/{hazard.pk}/photos/{stored.pk}/").status_code == 404

    def test_home_counts(self, reported, market_officer):
        html = client_for(market_officer).get("/").content.decode()
        assert 'data-testid="home-hazards"' in html
        assert 'data-testid="hazards-open">1<' in html

    def test_enterprise_panel(self, reported, enterprise_admin, enterprise):
        html = client_for(enterprise_admin).get(f"/hazards/enterprise/{enterprise.uscc}/panel/").content.decode()
        assert reported.code in html

    def test_routing_page(self, commander, market_dept):
        client = client_for(commander)
        html = client.get("/hazards/routing/").content.decode()
        assert 'data-testid="rule-form"' in html
        assert "Special equipment" in html
        response = client.post("/hazards/routing/", {"category": "other", "department": "market", "is_active": "on"})
        assert response.status_code == 302
        assert AuditRecord.objects.filter(action="hazards.routing_rule.create").count() == 1

    def test_notifications_page_and_mark_read(self, reported, market_officer):
        services.hazard_report(actor=None, category="special_equipment", level="general", title="t", description="d")
        client = client_for(market_officer)
        html = client.get("/hazards/notifications/").content.decode()
        assert "was routed to your department" in html
        client.post("/hazards/notifications/")
        from ftzsafety.hazards.models import Notification

        assert not Notification.objects.filter(recipient=market_officer, read_at__isnull=True).exists()


class TestSelfCheck:
    def test_seeded_lists(self):
        codes = set(ChecklistTemplate.objects.values_list("code", flat=True))
        assert codes == {
            "hazchem-warehouse",
            "metal-workshop",
            "lithium-battery-storage",
            "logistics-warehouse",
            "port-dg-yard",
        }
        for template in ChecklistTemplate.objects.all():
            assert template.items.count() >= 8
            assert all(item.legal_basis for item in template.items.all())

    def test_run_on_phone_failed_items_become_hazards(self, enterprise_admin, zone_admin_org, fire_dept):
        template = ChecklistTemplate.objects.get(code="logistics-warehouse")
        items = list(template.items.all())
        client = client_for(enterprise_admin)
        page = client.get(f"/hazards/self-checks/run/{template.pk}/")
        assert page.status_code == 200
        assert 'name="viewport"' in page.content.decode()
        data = {f"item_{item.pk}": "pass" for item in items}
        data[f"item_{items[2].pk}"] = "fail"  # escape routes blocked — needs a photo
        response = client.post(f"/hazards/self-checks/run/{template.pk}/", data)
        assert response.status_code == 422
        assert "needs a photo" in response.content.decode()
        assert not SelfCheck.objects.exists()
        data[f"photo_{items[2].pk}"] = photo()
        data[f"item_{items[0].pk}"] = "na"
        response = client.post(f"/hazards/self-checks/run/{template.pk}/", data)
        assert response.status_code == 302
        check = SelfCheck.objects.get()
        hazard = check.answers.get(item=items[2]).hazard
        assert hazard.source == "self_check"
        assert hazard.category == "fire"
        assert hazard.department == fire_dept
        assert HazardPhoto.objects.filter(hazard=hazard, kind="self_check").count() == 1
        assert AuditRecord.objects.get(action="hazards.self_check.submit").after["failed"] == 1

    def test_unanswered_item_refused(self, enterprise_admin):
        template = ChecklistTemplate.objects.get(code="metal-workshop")
        response = client_for(enterprise_admin).post(f"/hazards/self-checks/run/{template.pk}/", {})
        assert response.status_code == 422
        assert not SelfCheck.objects.exists()

    def test_officer_cannot_run(self, market_officer):
        template = ChecklistTemplate.objects.get(code="metal-workshop")
        with pytest.raises(PermissionDenied):
            services.self_check_submit(actor=market_officer, template_id=template.pk, answers={})


# Who may do what to a hazard routed to market supervision (reported → assigned to market_officer first).
ACCESS = [
    ("market_officer", "verify", True),
    ("market_head", "verify", True),
    ("fire_officer", "verify", False),
    ("enterprise_admin", "verify", False),
    ("agency_staff", "verify", False),
    ("commander", "verify", False),
]


@pytest.mark.parametrize(("who", "action", "allowed"), ACCESS)
def test_access_table_verify(request, reported, market_officer, market_head, fire_officer, who, action, allowed):
    services.hazard_assign(actor=market_officer, hazard_id=reported.pk)
    actor = request.getfixturevalue(who)
    before = (reported.status, AuditRecord.objects.count())
    if allowed:
        services.hazard_verify(actor=actor, hazard_id=reported.pk, confirmed=True)
    else:
        # PermissionDenied (403), or NotFound (404) for those who cannot even see it
        with pytest.raises((PermissionDenied, NotFound)):
            services.hazard_verify(actor=actor, hazard_id=reported.pk, confirmed=True)
    reported.refresh_from_db()
    if not allowed:
        assert (reported.status, AuditRecord.objects.count()) == ("assigned", before[1])


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("market_officer", True),
        ("fire_officer", True),  # government reads across departments; acting is for the responsible one
        ("enterprise_admin", True),  # the enterprise concerned
        ("agency_staff", False),
        ("association_staff", False),
        ("system_admin", False),
    ],
)
def test_access_table_read(request, reported, market_officer, fire_officer, who, sees):
    actor = request.getfixturevalue(who)
    status = client_for(actor).get(f"/api/v1/hazards/{reported.pk}").status_code
    assert status == (200 if sees else 404)


def test_agency_sees_what_it_reported(agency_staff, zone_admin_org):
    hazard = services.hazard_report(actor=agency_staff, category="other", level="general", title="t", description="d")
    assert hazard.source == "agency"
    assert client_for(agency_staff).get(f"/api/v1/hazards/{hazard.pk}").status_code == 200


def test_enterprise_reports_through_the_signed_in_form(enterprise_admin, enterprise, market_dept):
    response = client_for(enterprise_admin).post(
        "/hazards/new/",
        {
            "category": "special_equipment",
            "level": "general",
            "title": "行车限位失效",
            "description": "2号行车上升限位失效。",
        },
        follow=True,
    )
    hazard = Hazard.objects.get()
    assert response.redirect_chain[-1][0] == f"/hazards/{hazard.pk}/"
    assert hazard.enterprise == enterprise
    assert hazard.source == "enterprise"
    assert "Routed to Market supervision: category Special equipment" in response.content.decode()


def test_listed_filter_and_default_queue(reported, market_officer, zone_admin_org):
    services.hazard_report(actor=None, category="special_equipment", level="major", title="重大", description="d")
    client = client_for(market_officer)
    assert 'data-testid="hazard-count">2 hazards' in client.get("/hazards/").content.decode()
    services.hazard_assign(actor=market_officer, hazard_id=reported.pk)
    services.hazard_verify(actor=market_officer, hazard_id=reported.pk, confirmed=True, level="major")
    html = client.get("/hazards/?listed=1").content.decode()
    assert 'data-testid="hazard-count">1 hazard<' in html
    assert reported.code in html


def test_profile_panel_registered(enterprise_admin, enterprise):
    from ftzsafety.enterprises.profile import profile_panels

    panel = next(p for p in profile_panels(enterprise_admin, enterprise) if p["key"] == "hazards")
    assert panel["url"] == f"/hazards/enterprise/{enterprise.uscc}/panel/"
