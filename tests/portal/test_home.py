"""The shell and the home page of each role: what each sees, and what the CSP needs from every page."""

import json
import re

import pytest
from django.urls import reverse

from ftzsafety.accounts.choices import OrganisationKind
from ftzsafety.core.models import Classification
from tests.accounts.factories import OrganisationFactory
from tests.enterprises.factories import EnterpriseFactory, ZoneAreaFactory
from tests.portal.html_checks import assert_csp_clean

HOME = "/"


def _json_script(html: str, element_id: str) -> object:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.DOTALL)
    assert match, f"no json_script #{element_id}"
    return json.loads(match.group(1))


@pytest.fixture
def zone(db, zone_admin_org):
    """Two areas and three enterprises: one foreign-invested, one classified internal."""
    port = ZoneAreaFactory()
    park = ZoneAreaFactory(
        code="bonded",
        name_zh="保税物流园区",
        name_en="Bonded logistics park",
        kind="bonded_logistics",
        boundary={
            "type": "Polygon",
            "coordinates": [[[117.60, 38.90], [117.65, 38.90], [117.65, 38.93], [117.60, 38.93], [117.60, 38.90]]],
        },
    )
    EnterpriseFactory(area=port, name_zh="滨海港务有限公司")
    EnterpriseFactory(
        area=park,
        name_zh="德泰物流（天津）有限公司",
        foreign_invested=True,
        investor_country="DE",
        organisation_form="wfoe",
        latitude=38.915,
        longitude=117.62,
    )
    EnterpriseFactory(area=park, name_zh="内部登记企业", classification=Classification.INTERNAL)
    return {"port": port, "park": park}


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


def test_sign_in_page_renders_and_satisfies_the_csp(client, db):
    response = client.get(reverse("portal:login"))
    assert response.status_code == 200
    html = assert_csp_clean(response)
    assert 'name="username"' in html
    assert "/i18n/setlang/" in html  # the language switch is there before signing in too


class TestGovernmentHome:
    def test_figures_charts_and_map(self, api_client, emergency_officer, zone):
        response = api_client(emergency_officer).get(HOME)
        assert response.status_code == 200
        html = assert_csp_clean(response)
        # Public and internal enterprises alike: an officer sees all three.
        assert re.search(r'data-testid="figure-total">3<', html)
        assert re.search(r'data-testid="figure-foreign">1<', html)
        by_area = _json_script(html, "chart-by-area-data")
        assert dict(zip(by_area["labels"], by_area["values"], strict=True)) == {
            "Bonded logistics park": 2,
            "Port area": 1,
        }
        assert "/enterprises/?area=bonded" in by_area["links"]
        by_industry = _json_script(html, "chart-by-industry-data")
        assert by_industry["kind"] == "pie"
        assert sum(by_industry["values"]) == 3
        zone_map = _json_script(html, "zone-map-data")
        assert {a["code"] for a in zone_map["areas"]} == {"port", "bonded"}
        assert zone_map["areas"][0]["boundary"]["type"] == "Polygon"
        assert len(zone_map["points"]) == 3
        assert zone_map["tiles"]["url"] == ""
        assert 'data-chart="chart-by-area-data"' in html
        assert 'data-map="zone-map-data"' in html
        assert "echarts.min.js" in html
        assert "leaflet.js" in html

    def test_tile_layer_only_when_configured(self, api_client, emergency_officer, zone, settings):
        settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
        settings.MAP_TILE_ATTRIBUTION = "© Example"
        html = api_client(emergency_officer).get(HOME).content.decode()
        tiles = _json_script(html, "zone-map-data")["tiles"]
        assert tiles == {"url": "https://tiles.example.org/{z}/{x}/{y}.png", "attribution": "© Example"}

    def test_navigation_lists_the_registry(self, api_client, commander, zone):
        html = api_client(commander).get(HOME).content.decode()
        nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.DOTALL).group(0)
        assert 'href="/enterprises/"' in nav
        assert 'aria-current="page"' in nav  # Home is the active entry
        assert "/admin/" not in nav  # not staff

    def test_query_count_does_not_grow_with_the_registry(self, api_client, emergency_officer, zone):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = api_client(emergency_officer)
        client.get(HOME)
        with CaptureQueriesContext(connection) as few:
            client.get(HOME)
        EnterpriseFactory.create_batch(20, area=zone["port"])
        with CaptureQueriesContext(connection) as many:
            client.get(HOME)
        assert len(many) == len(few)


def test_enterprise_user_sees_own_enterprise_card(api_client, enterprise_admin, enterprise, other_enterprise, zone):
    response = api_client(enterprise_admin).get(HOME)
    html = assert_csp_clean(response)
    assert 'data-testid="own-enterprise"' in html
    assert enterprise.uscc in html
    assert reverse("enterprises:detail", args=[enterprise.uscc]) in html
    assert other_enterprise.uscc not in html
    assert "zone-map-data" not in html
    assert "figure-total" not in html


def test_association_sees_public_figures_only(api_client, association_staff, zone):
    response = api_client(association_staff).get(HOME)
    html = assert_csp_clean(response)
    # The internal-only enterprise is not counted: 2 public enterprises.
    assert re.search(r'data-testid="figure-total">2<', html)
    assert "zone-map-data" not in html
    assert "chart-by-area-data" in html


def test_agency_sees_public_figures(api_client, agency_staff, zone):
    html = api_client(agency_staff).get(HOME).content.decode()
    assert re.search(r'data-testid="figure-total">2<', html)


@pytest.mark.parametrize("role", ["system_admin", "security_admin", "audit_admin"])
def test_platform_admins_see_account_figures_and_no_business_data(api_client, request, role, zone):
    admin = request.getfixturevalue(role)
    response = api_client(admin).get(HOME)
    html = assert_csp_clean(response)
    assert 'data-testid="account-figures"' in html
    assert "figure-total" not in html
    assert "chart-by-area-data" not in html
    assert "zone-map-data" not in html
    assert "滨海港务有限公司" not in html
    assert 'href="/enterprises/"' not in html
    if role == "audit_admin":
        assert 'data-testid="figure-users"' not in html  # the audit administrator does not manage accounts
    else:
        assert 'data-testid="figure-users"' in html


def test_user_without_role(api_client, db):
    from tests.accounts.factories import UserFactory

    user = UserFactory(organisation=OrganisationFactory(kind=OrganisationKind.ASSOCIATION))
    html = api_client(user).get(HOME).content.decode()
    assert 'data-testid="no-role"' in html


def test_demo_banner_only_with_demo_data(api_client, emergency_officer):
    client = api_client(emergency_officer)
    assert 'id="demo-banner"' not in client.get(HOME).content.decode()
    OrganisationFactory(code="demo-org", is_demo=True)
    html = client.get(HOME).content.decode()
    assert 'id="demo-banner"' in html
    assert "演示数据 / demo data" in html


def test_shell_shows_user_organisation_sign_out_and_language_switch(api_client, emergency_officer):
    html = api_client(emergency_officer).get(HOME).content.decode()
    assert emergency_officer.full_name in html
    assert emergency_officer.organisation.display_name("en") in html
    assert re.search(r'<form action="/accounts/logout/" method="post"', html)
    assert 'action="/i18n/setlang/" method="post"' in html
    assert 'name="language" value="en"' in html
    assert 'name="language" value="zh-hans"' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert '"includeIndicatorStyles": false' in html


def test_language_switch_changes_the_interface(client, emergency_officer):
    client.force_login(emergency_officer)
    response = client.post("/i18n/setlang/", {"language": "en", "next": HOME})
    assert response.status_code == 302
    html = client.get(HOME).content.decode()
    assert '<html lang="en">' in html
    assert ">Enterprises</a>" in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": HOME})
    html = client.get(HOME).content.decode()
    assert '<html lang="zh-hans">' in html


def test_sign_out_is_a_post(client, emergency_officer):
    client.force_login(emergency_officer)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get(HOME).status_code == 302


def test_unknown_page_is_the_404_page(api_client, emergency_officer):
    response = api_client(emergency_officer).get("/no-such-page/")
    assert response.status_code == 404
    assert 'data-testid="error-404"' in assert_csp_clean(response)


def test_unknown_api_path_answers_json(api_client, emergency_officer):
    response = api_client(emergency_officer).get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_enterprise_navigation_leads_to_its_filings_documents_and_hazards(api_client, enterprise_admin, enterprise):
    html = api_client(enterprise_admin).get(HOME).content.decode()
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.DOTALL).group(0)
    hrefs = re.findall(r'href="([^"]+)"', nav)
    assert {"/filings/", "/documents/", "/hazards/", "/certificates/"} <= set(hrefs)
    assert "/exchange/" not in hrefs  # department data is for government users
    assert "/accounts/users/" not in hrefs


def test_officer_navigation_has_no_documents_entry(api_client, emergency_officer):
    """Officers read documents on each enterprise's profile, scoped by their grants."""
    html = api_client(emergency_officer).get(HOME).content.decode()
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.DOTALL).group(0)
    assert 'href="/documents/"' not in nav
