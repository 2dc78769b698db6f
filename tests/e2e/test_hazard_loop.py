"""The hazard loop in a real browser: a member of the public reports a hazard with a photo on a phone-sized screen
(no account); it is routed with its reason; the market-supervision officer takes and verifies it; the enterprise
submits its rectification with evidence; the officer accepts it. Each step is on the timeline and in the audit trail.
"""

import pytest

from ftzsafety.audit.models import AuditRecord
from ftzsafety.hazards.models import Hazard, HazardPhoto
from tests.accounts.factories import PASSWORD, UserFactory, department
from tests.e2e.conftest import sign_in
from tests.hazards.conftest import jpeg_with_gps

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(zone_admin_org, enterprise, tmp_path):
    market = department("market")
    officer = UserFactory(username="market_officer", organisation=market, roles=["officer"], full_name="郑雅琴")
    head = UserFactory(username="market_head", organisation=market, roles=["department_head"], full_name="冯国强")
    firm = UserFactory(username="enterprise_admin", organisation=enterprise.organisation, roles=["enterprise_admin"])
    picture = tmp_path / "forklift.jpg"
    picture.write_bytes(jpeg_with_gps())
    after = tmp_path / "after.jpg"
    after.write_bytes(jpeg_with_gps(lat=(38, 58, 13.0)))
    return {"officer": officer, "head": head, "firm": firm, "enterprise": enterprise, "photo": picture, "after": after}


def test_public_report_to_acceptance(browser, page_en, live_server, setting, console):
    # 1. The public, on a phone, without signing in.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    public = phone.new_page()
    public.on("console", console.on_console)
    public.on("pageerror", console.on_page_error)
    public.goto(f"{live_server.url}/hazards/report/")
    public.locator("[data-report-map][data-map-ready=true]").wait_for()
    public.locator("#id_category").select_option("special_equipment")
    public.locator("#id_title").fill("叉车制动失灵仍在使用")
    public.locator("#id_description").fill("仓库内3号叉车制动失灵，仍在装卸作业。")
    public.locator("#id_enterprise_uscc").fill(setting["enterprise"].uscc)
    box = public.locator("[data-testid=report-map]").bounding_box()
    public.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert public.locator("#id_latitude").input_value() != ""
    public.locator("#id_photos").set_input_files(str(setting["photo"]))
    public.locator("[data-testid=report-submit]").click()
    public.locator("[data-testid=report-received]").wait_for()
    code = public.locator("[data-testid=report-code]").inner_text()
    hazard = Hazard.objects.get(code=code)
    assert hazard.department.department_code == "market"
    assert hazard.source == "public"
    assert HazardPhoto.objects.filter(hazard=hazard, kind="report").count() == 1
    phone.close()

    # 2. The officer sees it in the department queue with its routing reason, takes it and confirms it.
    page = page_en
    sign_in(page, live_server, "market_officer", PASSWORD)
    page.goto(f"{live_server.url}/hazards/")
    page.locator("[data-testid=hazard-map][data-map-ready=true]").wait_for()
    page.locator("a", has_text=code).click()
    assert page.locator("[data-testid=routing-reason]").inner_text() == (
        "Routed to Market supervision: category Special equipment"
    )
    assert page.locator("img[data-testid=photo-report]").count() == 1
    page.locator("[data-testid=take]").click()
    page.locator("[data-testid=verify-confirm]").click()
    assert page.locator("[data-testid=status]").first.inner_text() == "Rectification required"
    page.locator("[data-testid=sign-out]").click()

    # 3. The enterprise submits its rectification with an evidence photo.
    sign_in(page, live_server, "enterprise_admin", PASSWORD)
    page.goto(f"{live_server.url}/hazards/{hazard.pk}/")
    page.locator("#id_note").fill("更换制动总泵，经检验合格。")
    page.locator("#id_evidence").set_input_files(str(setting["after"]))
    page.locator("[data-testid=rectify-submit]").click()
    assert page.locator("[data-testid=status]").first.inner_text() == "Rectification submitted"
    page.locator("[data-testid=sign-out]").click()

    # 4. The department head accepts (a second person; a TOTP code is good once, so not the officer again within
    # the same 30 s): closed. The timeline shows every step.
    sign_in(page, live_server, "market_head", PASSWORD)
    page.goto(f"{live_server.url}/hazards/{hazard.pk}/")
    page.locator("#id_opinion").fill("复查合格")
    page.locator("[data-testid=accept]").click()
    assert page.locator("[data-testid=status]").first.inner_text() == "Accepted and closed"
    kinds = page.locator("[data-testid=timeline] li").evaluate_all("items => items.map(i => i.dataset.testid)")
    assert kinds == [
        "event-reported",
        "event-routed",
        "event-assigned",
        "event-confirmed",
        "event-rectification_required",
        "event-rectification_submitted",
        "event-accepted",
    ]
    actions = list(
        AuditRecord.objects.filter(target_id=str(hazard.pk), action__startswith="hazards.hazard.")
        .exclude(action="hazards.hazard.read")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "hazards.hazard.report",
        "hazards.hazard.assign",
        "hazards.hazard.confirm",
        "hazards.hazard.rectification_submit",
        "hazards.hazard.rectification_accept",
    ]


def test_self_check_on_a_phone(browser, live_server, setting, console):
    """An enterprise runs the lithium-battery list on a 390 px screen; the failed item becomes a routed hazard."""
    from ftzsafety.hazards.models import ChecklistTemplate, SelfCheck

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", console.on_page_error)
    sign_in(page, live_server, "enterprise_admin", PASSWORD)
    page.goto(f"{live_server.url}/hazards/self-checks/")
    page.locator("[data-testid=run-lithium-battery-storage]").click()
    template = ChecklistTemplate.objects.get(code="lithium-battery-storage")
    count = template.items.count()
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for position in range(1, count + 1):
        answer = "fail" if position == 3 else "pass"
        page.locator(f"[data-testid=item-{position}-{answer}]").check()
    page.locator("[data-testid=self-check-submit]").click()
    # Item 3 (damaged batteries kept apart) needs a photo when it fails: refused, answers kept.
    assert page.locator("[data-testid=form-errors]").count() == 1
    assert page.locator("[data-testid=item-3-fail]").is_checked()
    item3 = template.items.get(position=3)
    page.locator(f"#photo_{item3.pk}").set_input_files(str(setting["photo"]))
    page.locator("[data-testid=self-check-submit]").click()
    page.locator("[data-testid=self-check-answers]").wait_for()
    check = SelfCheck.objects.get()
    hazard = check.answers.get(item=item3).hazard
    assert hazard.source == "self_check"
    assert page.locator(f"a:has-text('{hazard.code}')").count() == 1
    phone.close()
