"""The officer's first flow in a real browser, and an enterprise keeping its own entry up to date.

An officer signs in (Chinese by default), sees the zone's figures as charts and the zone map, switches to English,
finds an enterprise by part of its name and opens it. An enterprise administrator corrects its address in Chinese.
"""

import re

import pytest

from ftzsafety.accounts.choices import OrganisationKind
from tests.accounts.factories import PASSWORD, OrganisationFactory
from tests.e2e.conftest import sign_in
from tests.enterprises.factories import EnterpriseFactory, ZoneAreaFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _square(lng: float, lat: float, size: float = 0.03) -> dict:
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


# (name_zh, name_en, area code, foreign investor country or "")
ENTERPRISES = [
    ("滨海港务集团有限公司", "Binhai Port Group Co., Ltd.", "port", ""),
    ("海晶锂电科技有限公司", "Haijing Lithium Battery Technology Co., Ltd.", "manufacturing", ""),
    ("德泰物流（天津）有限公司", "Detai Logistics (Tianjin) Co., Ltd.", "bonded", "DE"),
    ("滨海危化品储运有限公司", "Binhai Hazardous Chemicals Storage Co., Ltd.", "port", ""),
    ("远航船舶代理有限公司", "Yuanhang Shipping Agency Co., Ltd.", "port", ""),
    ("新峰金属制品有限公司", "Xinfeng Metal Products Co., Ltd.", "manufacturing", ""),
    ("韩新电子（天津）有限公司", "Hanxin Electronics (Tianjin) Co., Ltd.", "manufacturing", "KR"),
    ("跨境优选电子商务有限公司", "Kuajing Youxuan E-commerce Co., Ltd.", "bonded", ""),
    ("康泰生物医药有限公司", "Kangtai Biomedicine Co., Ltd.", "manufacturing", "US"),
    ("保税冷链仓储有限公司", "Bonded Cold Chain Storage Co., Ltd.", "bonded", ""),
]


@pytest.fixture
def zone(zone_admin_org) -> dict:
    areas = {
        "port": ZoneAreaFactory(code="port", boundary=_square(117.70, 38.95)),
        "bonded": ZoneAreaFactory(
            code="bonded",
            name_zh="保税物流园区",
            name_en="Bonded logistics park",
            kind="bonded_logistics",
            boundary=_square(117.74, 38.95),
        ),
        "manufacturing": ZoneAreaFactory(
            code="manufacturing",
            name_zh="先进制造园区",
            name_en="Manufacturing park",
            kind="manufacturing",
            boundary=_square(117.70, 38.99),
        ),
    }
    enterprises = []
    for n, (name_zh, name_en, area, country) in enumerate(ENTERPRISES):
        boundary = areas[area].boundary["coordinates"][0][0]
        enterprises.append(
            EnterpriseFactory(
                name_zh=name_zh,
                name_en=name_en,
                area=areas[area],
                foreign_invested=bool(country),
                investor_country=country,
                organisation_form="wfoe" if country else "limited_liability",
                longitude=boundary[0] + 0.003 + 0.0025 * n,
                latitude=boundary[1] + 0.004 + 0.002 * n,
            )
        )
    return {"areas": areas, "enterprises": enterprises}


def test_officer_sees_the_zone_switches_to_english_and_finds_an_enterprise(
    page, live_server, emergency_officer, zone, console
):
    sign_in(page, live_server, emergency_officer.username, PASSWORD)

    # Home, in Chinese: the figures, both charts drawn, the areas and enterprises on the map.
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator(".main-nav").inner_text().split() == [
        "首页",
        "企业名录",
        "危险货物",
        "备案",
        "电子证照",
        "隐患",
        "数据交换",
        "信用",
        "数据访问",
        "接口",
    ]
    assert page.locator("[data-testid=figure-total]").inner_text() == "10"
    assert page.locator("[data-testid=figure-foreign]").inner_text() == "3"
    page.locator("#chart-by-area canvas, #chart-by-area svg").first.wait_for()
    page.locator("#chart-by-industry canvas, #chart-by-industry svg").first.wait_for()
    page.locator("#zone-map[data-map-ready=true]").wait_for()
    assert page.locator("#zone-map path.leaflet-interactive").count() == 3 + 10
    assert sorted(page.locator("#zone-map .map-label").all_inner_texts()) == [
        "保税物流园区",
        "先进制造园区",
        "港口作业区",
    ]

    # Switch to English: the interface follows, and the choice sticks.
    page.locator("[data-testid=lang-en]").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".main-nav").inner_text().split() == [
        "Home",
        "Enterprises",
        "Dangerous",
        "goods",
        "Filings",
        "E-certificates",
        "Hazards",
        "Data",
        "exchange",
        "Credit",
        "Data",
        "access",
        "API",
    ]
    page.locator("#zone-map[data-map-ready=true]").wait_for()
    assert "Bonded logistics park" in page.locator("#zone-map").inner_text()

    # Search by part of a name: htmx swaps the results in and puts the search in the address bar.
    page.locator(".main-nav a", has_text="Enterprises").click()
    page.wait_for_url(re.compile(r"/enterprises/$"))
    assert page.locator("[data-testid=result-count]").inner_text().startswith("10 enterprises")
    page.locator("#id_area").select_option("manufacturing")
    page.wait_for_url(re.compile(r"area=manufacturing"))
    page.locator("[data-testid=result-count]", has_text="4 enterprises").wait_for()
    page.locator("#id_q").fill("haijing")
    page.wait_for_url(re.compile(r"/enterprises/\?q=haijing&area=manufacturing"))
    page.locator("[data-testid=result-count]", has_text="1 enterprise").wait_for()
    links = page.locator("#enterprise-results a.enterprise-link")
    assert links.all_inner_texts() == ["Haijing Lithium Battery Technology Co., Ltd."]

    # The pushed URL is shareable: loading it afresh (no htmx) shows the same result.
    page.reload()
    assert page.locator("#id_q").input_value() == "haijing"
    assert page.locator("#id_area").input_value() == "manufacturing"
    assert page.locator("#enterprise-results a.enterprise-link").all_inner_texts() == [
        "Haijing Lithium Battery Technology Co., Ltd."
    ]

    # Open it: the credit code and the registry entry, with the location on a small map.
    target = zone["enterprises"][1]
    page.locator("#enterprise-results a.enterprise-link").click()
    page.wait_for_url(re.compile(rf"/enterprises/{target.uscc}/$"))
    assert page.locator("[data-testid=uscc]").inner_text().startswith(target.uscc)
    assert "Manufacturing park" in page.locator(".facts").inner_text()
    page.locator("#enterprise-map[data-map-ready=true]").wait_for()
    assert page.locator("#enterprise-map path.leaflet-interactive").count() == 2  # its area and its point
    console.assert_clean()


def assert_fits_the_screen(page) -> None:
    """Nothing wider than the viewport: the page needs no sideways scrolling on a phone."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


@pytest.fixture
def own_enterprise(zone_admin_org):
    area = ZoneAreaFactory(code="port", boundary=_square(117.70, 38.95))
    org = OrganisationFactory(kind=OrganisationKind.ENTERPRISE, code="ent-haijing", name_zh="海晶锂电科技有限公司")
    return EnterpriseFactory(
        organisation=org,
        name_zh="海晶锂电科技有限公司",
        name_en="Haijing Lithium Battery Technology Co., Ltd.",
        area=area,
        address="滨海自贸试验区港口大道1号",
        latitude=38.96,
        longitude=117.71,
    )


def test_enterprise_admin_corrects_its_address_in_chinese(page, live_server, own_enterprise, console):
    from tests.accounts.factories import UserFactory

    admin = UserFactory(username="haijing_admin", organisation=own_enterprise.organisation, roles=["enterprise_admin"])
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    sign_in(page, live_server, admin.username, PASSWORD)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert_fits_the_screen(page)

    card = page.locator("[data-testid=own-enterprise]")
    assert own_enterprise.uscc in card.inner_text()
    card.locator("[data-testid=own-enterprise-link]").click()
    page.wait_for_url(re.compile(rf"/enterprises/{own_enterprise.uscc}/$"))
    page.locator("[data-testid=enterprise-edit]").click()
    page.wait_for_url(re.compile(r"/edit/$"))
    assert_fits_the_screen(page)

    # Only what an enterprise may correct is on the form: no name, no industry.
    assert page.locator("[name=name_zh]").count() == 0
    assert page.locator("[name=industry_section]").count() == 0
    page.get_by_label("地址").fill("滨海自贸试验区港口大道88号")
    page.locator("[data-testid=save]").click()

    page.wait_for_url(re.compile(rf"/enterprises/{own_enterprise.uscc}/$"))
    assert "已保存" in page.locator(".message--success").inner_text()
    assert page.locator("[data-testid=address]").inner_text() == "滨海自贸试验区港口大道88号"
    own_enterprise.refresh_from_db()
    assert own_enterprise.address == "滨海自贸试验区港口大道88号"
    console.assert_clean()
