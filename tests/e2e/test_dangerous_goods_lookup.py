"""The dangerous-goods lookup in a real browser: an officer finds chlorine by its Chinese name, opens the entry and
reads its classes and GB 18218 critical quantity; in English the same entry shows its English name."""

import re

import pytest

from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_officer_looks_up_chlorine_in_chinese(page, live_server, emergency_officer, console):
    sign_in(page, live_server, emergency_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/dangerous-goods/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "GB 12268-2025" in page.locator("[data-testid=datasets]").inner_text()

    # Live search: htmx swaps the results in and puts the query in the address bar.
    page.locator("#id_q").fill("液氯")
    page.wait_for_url(re.compile(r"/dangerous-goods/\?q="))
    link = page.locator("[data-testid=dg-link-UN1017]")
    link.wait_for()
    link.click()

    page.wait_for_url(re.compile(r"/dangerous-goods/un/UN1017/$"))
    assert page.locator("[data-testid=dg-name-zh]").inner_text() == "氯"
    assert page.locator("[data-testid=dg-class]").inner_text().endswith("2.3")
    assert page.locator("[data-testid=dg-subsidiary]").inner_text().startswith("5.1")
    assert page.locator("[data-testid=dg-critical-quantity]").inner_text() == "5 t"
    assert "GB 18218-2018" in page.locator("[data-testid=dg-sources]").inner_text()
    console.assert_clean()


def test_officer_searches_in_english_and_checks_segregation(page_en, live_server, emergency_officer, console):
    page = page_en
    sign_in(page, live_server, emergency_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/dangerous-goods/?q=gasoline")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("[data-testid=dg-link-UN1203]").click()
    page.wait_for_url(re.compile(r"/un/UN1203/$"))
    assert page.locator("[data-testid=dg-name-en]").inner_text().startswith("Gasoline")
    assert page.locator("[data-testid=dg-packing-groups]").inner_text() == "II"

    # From the entry to the checker, with the entry filled in; add an oxidiser.
    page.get_by_role("link", name="Check segregation with other goods").click()
    page.locator("input[name=class_2]").fill("5.1")
    page.locator("[data-testid=segregation-submit]").click()
    page.locator("[data-testid=segregation-result]").wait_for()
    assert page.locator("[data-testid=pair-code]").inner_text() == "2"
    assert "Separated from" in page.locator("[data-testid=pair-1]").inner_text()
    console.assert_clean()
