"""The registry's Chinese search and the cross-border dangerous-goods filter in a real browser (issue 4, items 5, 7):
a synonym finds a firm by its business scope, the filter swaps in only the firms whose declared goods were carried,
with their chain, and a later period empties the list. htmx keeps the address bar in step."""

import re

import pytest

from ftzsafety.enterprises import services
from ftzsafety.exchange import services as exchange_services
from tests.accounts.factories import PASSWORD, UserFactory, department
from tests.e2e.conftest import sign_in
from tests.enterprises.factories import ZoneAreaFactory, make_uscc
from tests.exchange.conftest import declaration, waybill

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIRMS = [
    ("滨海能源储运有限公司", "Binhai Energy Storage Co., Ltd.", "液化石油气储存、装卸"),
    ("津港化工贸易有限公司", "Jingang Chemical Trading Co., Ltd.", "危险化学品经营（不含剧毒化学品）"),
    ("海河新能源科技有限公司", "Haihe New Energy Technology Co., Ltd.", "锂离子电池的研发和生产"),
]


@pytest.fixture
def zone(zone_admin_org) -> dict:
    ZoneAreaFactory()
    firms = {
        name_zh: services.enterprise_create(
            actor=None,
            uscc=make_uscc(),
            values={
                "name_zh": name_zh,
                "name_en": name_en,
                "organisation_form": "limited_liability",
                "industry_section": "F",
                "business_scope": scope,
                "area": "port",
            },
        )
        for name_zh, name_en, scope in FIRMS
    }
    customs = UserFactory(username="e2e_customs", organisation=department("customs"), roles=["officer"])
    transport = UserFactory(username="e2e_transport", organisation=department("transport"), roles=["officer"])
    trader = firms["津港化工贸易有限公司"]
    line = {"line_no": 1, "hs_code": "27101210", "goods_name": "车用汽油", "un_number": "UN1203", "quantity": "30",
            "unit": "t"}  # fmt: skip
    for actor, dataset, row in [
        (customs, "customs-declarations", declaration(trader, "020220261000000301", declared_on="2026-10-01",
                                                      goods=[line])),
        (transport, "dangerous-goods-waybills", waybill(trader, "WB-E2E-1", un_number="UN1203",
                                                        departs_on="2026-10-08")),
    ]:  # fmt: skip
        job = exchange_services.records_import(actor=actor, dataset=dataset, rows=[(1, row)])
        assert job.created == 1, job.rejected_rows
    return firms


def test_search_by_synonym_and_the_cross_border_filter(page, live_server, emergency_officer, zone, console):
    sign_in(page, live_server, emergency_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/enterprises/")
    links = page.locator("#enterprise-results a.enterprise-link")
    assert links.count() == 3

    # 液化气 is not written anywhere: its synonym 液化石油气 is in one firm's business scope.
    page.locator("#id_q").fill("液化气")
    page.wait_for_url(re.compile(r"/enterprises/\?q=%E6%B6%B2%E5%8C%96%E6%B0%94"))
    page.locator("#enterprise-results a.enterprise-link", has_text="滨海能源储运有限公司").wait_for()
    assert links.all_inner_texts() == ["滨海能源储运有限公司"]

    # The cross-border filter: only the firm whose declared UN1203 was carried, with its chain.
    page.locator("#id_q").fill("")
    page.locator("#id_cross_border_dangerous_goods").check()
    page.wait_for_url(re.compile(r"cross_border_dangerous_goods=on"))
    page.locator("[data-testid=chain-summary]").first.wait_for()
    assert links.all_inner_texts() == ["津港化工贸易有限公司"]
    chain = page.locator("[data-testid=chain-summary]").inner_text()
    assert "UN1203" in chain
    assert "30 t" in chain

    # A period after the waybill: nothing left, and the empty state says so.
    page.locator("#id_since").fill("2026-11-01")
    page.wait_for_url(re.compile(r"since=2026-11-01"))
    page.locator("[data-testid=empty-state]").wait_for()
    assert links.count() == 0

    # The pushed address is shareable: loading it afresh keeps the filter and the date.
    page.reload()
    assert page.locator("#id_cross_border_dangerous_goods").is_checked()
    assert page.locator("#id_since").input_value() == "2026-11-01"
    assert page.locator("[data-testid=empty-state]").is_visible()
    console.assert_clean()
