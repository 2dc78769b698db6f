"""The dangerous-goods pages: they render for each kind of user, in both languages, with no inline script or style."""

import re

import pytest

from ftzsafety.dangerous_goods import services
from ftzsafety.dangerous_goods.models import MajorHazardUnit

pytestmark = pytest.mark.django_db


def _assert_csp_clean(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html), "style attribute"


@pytest.fixture
def officer_client(client, emergency_officer):
    client.force_login(emergency_officer)
    return client


def test_lookup_page_searches(officer_client):
    response = officer_client.get("/dangerous-goods/", {"q": "液氯"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    _assert_csp_clean(html)
    assert 'data-testid="dg-link-UN1017"' in html
    assert "GB 12268-2025" in html  # the editions are shown
    assert "Content-Security-Policy" in response.headers


def test_lookup_fragment_for_htmx(officer_client):
    response = officer_client.get("/dangerous-goods/", {"q": "1203"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="dg-results"')
    assert "UN1203" in html


def test_lookup_without_a_match(officer_client):
    html = officer_client.get("/dangerous-goods/", {"q": "不存在的东西"}).content.decode()
    assert 'data-testid="dg-empty"' in html


def test_entry_page_in_chinese(officer_client):
    response = officer_client.get("/dangerous-goods/un/UN1017/")
    html = response.content.decode()
    _assert_csp_clean(html)
    assert 'data-testid="dg-name-zh">氯<' in html
    assert "5 t" in html
    assert "毒性气体" in html
    assert "GB 18218-2018" in html


def test_entry_page_normalises_the_number(officer_client):
    response = officer_client.get("/dangerous-goods/un/1017/")
    assert response.status_code == 302
    assert response.url == "/dangerous-goods/un/UN1017/"


def test_entry_page_errors(officer_client):
    assert officer_client.get("/dangerous-goods/un/UN9999/").status_code == 404
    assert officer_client.get("/dangerous-goods/un/abc/").status_code == 422


def test_lithium_entry_is_flagged(officer_client):
    html = officer_client.get("/dangerous-goods/un/UN3481/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="dg-lithium"' in html


def test_segregation_page(officer_client):
    response = officer_client.get(
        "/dangerous-goods/segregation/",
        {"ref_1": "A", "un_1": "1203", "ref_2": "B", "class_2": "5.1", "ref_3": "C", "un_3": "9999"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    _assert_csp_clean(html)
    assert 'data-testid="errors-row-3"' in html  # the unknown number is shown on its row
    ok = officer_client.get("/dangerous-goods/segregation/", {"un_1": "1203", "class_2": "5.1"}).content.decode()
    assert 'data-testid="pair-code">2<' in ok
    assert "dg-uncertain" in ok  # the disputed cells are marked in the table
    assert ok.count("†") >= 4


def test_reference_page_lists_editions(officer_client):
    html = officer_client.get("/dangerous-goods/reference/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    _assert_csp_clean(html)
    assert "GB 18218-2018" in html
    assert "IMDG Code 7.2.4" in html
    assert 'data-testid="catalogue-import"' not in html  # officers do not import


def test_pages_need_sign_in(client):
    response = client.get("/dangerous-goods/")
    assert response.status_code == 302


def _unit(actor, enterprise):
    return services.major_hazard_unit_create(
        actor=actor,
        uscc=enterprise.uscc,
        values={"code": "T-01", "name": "液氯储罐区", "kind": "storage", "exposed_population": 60},
        inventories=[{"substance": "氯", "quantity_t": 3}, {"substance": "氨", "quantity_t": 6}],
    )


def test_major_hazard_page_registers_and_assesses(client, enterprise_admin, enterprise):
    client.force_login(enterprise_admin)
    page = client.get(f"/dangerous-goods/major-hazards/{enterprise.uscc}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    _assert_csp_clean(page.content.decode())
    assert 'data-testid="no-units"' in page.content.decode()
    created = client.post(
        f"/dangerous-goods/major-hazards/{enterprise.uscc}/units/",
        {
            "code": "T-01",
            "name": "液氯储罐区",
            "kind": "storage",
            "exposed_population": "60",
            "inventory": "氯, 3\n7664-41-7, 6 t\nW5.3，120",
        },
    )
    assert created.status_code == 302, created.content.decode()[-3000:]
    unit = MajorHazardUnit.objects.get()
    assert unit.inventories.count() == 3
    assessed = client.post(f"/dangerous-goods/major-hazard-units/{unit.pk}/assess/")
    assert assessed.status_code == 302
    html = client.get(f"/dangerous-goods/major-hazards/{enterprise.uscc}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="result-s">1.32<' in html
    assert 'data-testid="result-grade"' in html


def test_major_hazard_form_shows_line_errors(client, enterprise_admin, enterprise):
    client.force_login(enterprise_admin)
    response = client.post(
        f"/dangerous-goods/major-hazards/{enterprise.uscc}/units/",
        {
            "code": "T-01",
            "name": "罐区",
            "kind": "storage",
            "exposed_population": "1",
            "inventory": "氯, 3\n未知物质, 2",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="errors-inventory"' in html
    assert "Line 2" in html
    assert not MajorHazardUnit.objects.exists()


def test_staff_see_units_but_no_forms(client, enterprise_admin, enterprise_staff, enterprise):
    _unit(enterprise_admin, enterprise)
    client.force_login(enterprise_staff)
    html = client.get(f"/dangerous-goods/major-hazards/{enterprise.uscc}/").content.decode()
    assert 'data-testid="unit-T-01"' in html
    assert 'data-testid="unit-form"' not in html
    unit = MajorHazardUnit.objects.get()
    assert client.post(f"/dangerous-goods/major-hazard-units/{unit.pk}/assess/").status_code == 403


def test_another_enterprise_is_404(client, enterprise_admin, other_enterprise):
    client.force_login(enterprise_admin)
    assert client.get(f"/dangerous-goods/major-hazards/{other_enterprise.uscc}/").status_code == 404


def test_the_profile_fragment_renders(rf, analyst, enterprise_admin, enterprise):
    from django.template.loader import render_to_string

    from ftzsafety.dangerous_goods.selectors import enterprise_major_hazard_summary

    unit = _unit(enterprise_admin, enterprise)
    services.major_hazard_unit_assess(actor=enterprise_admin, unit_id=unit.pk)
    html = render_to_string(
        "dangerous_goods/_enterprise_major_hazards.html",
        {"major_hazards": enterprise_major_hazard_summary(actor=analyst, enterprise=enterprise)},
    )
    assert 'data-testid="enterprise-major-hazards"' in html
    assert "T-01" in html
    assert f"/dangerous-goods/major-hazards/{enterprise.uscc}/" in html
