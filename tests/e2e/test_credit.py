"""Credit in a real browser: the maritime officer records an ISM certificate and the firm becomes A; a false filing
established by filings makes another firm D; the enterprise objects to an event from its own page (Chinese); the
zone administration upholds it with reasons (English); the public list shows A and D without signing in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ftzsafety.credit.choices import ApplicationStatus, EventKind
from ftzsafety.credit.models import CreditApplication, CreditEvent
from ftzsafety.credit.services import credit_event_record
from tests.accounts.factories import PASSWORD, UserFactory, department
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(zone_admin_org, enterprise, other_enterprise):
    officer = UserFactory(username="maritime_officer", organisation=department("maritime"), roles=["officer"])
    commander = UserFactory(username="commander", organisation=zone_admin_org, roles=["commander"])
    firm = UserFactory(username="enterprise_admin", organisation=enterprise.organisation, roles=["enterprise_admin"])
    overdue = credit_event_record(
        actor=None,
        enterprise=enterprise,
        kind=EventKind.HAZARD_OVERDUE,
        occurred_on=timezone.localdate() - timedelta(days=3),
        source_module="hazards",
        source_ref="H-2026-0042",
    )
    credit_event_record(
        actor=None,
        enterprise=other_enterprise,
        kind=EventKind.FALSE_FILING,
        occurred_on=timezone.localdate() - timedelta(days=10),
        source_module="filings",
        source_ref="F-2026-0311",
    )
    return {"officer": officer, "commander": commander, "firm": firm, "overdue": overdue}


def test_certificate_objection_decision_and_publication(
    browser, page, page_en, live_server, setting, enterprise, other_enterprise
):
    # 1. The officer records a valid ISM document of compliance: the explanation shows grade A and adds up.
    sign_in(page_en, live_server, "maritime_officer", PASSWORD)
    page_en.goto(f"{live_server.url}/credit/enterprises/{enterprise.uscc}/")
    page_en.locator("#id_event-kind").select_option("certification")
    page_en.locator("#id_event-occurred_on").fill(timezone.localdate().isoformat())
    page_en.locator("#id_event-reference").fill("DOC-ISM-2026-118")
    page_en.locator("#id_event-certificate_type").select_option("ISM")
    page_en.locator("#id_event-expires_on").fill((timezone.localdate() + timedelta(days=900)).isoformat())
    page_en.locator("[data-testid=event-form] [type=submit]").click()
    page_en.locator("[data-testid=credit-summary] [data-testid=grade]").wait_for()
    assert page_en.locator("[data-testid=credit-summary] [data-testid=grade]").inner_text() == "A"
    assert (
        page_en.locator("[data-testid=factor-sum]").inner_text() == page_en.locator("[data-testid=score]").inner_text()
    )
    assert page_en.locator("[data-testid=overrides]").count() == 1

    # 2. The enterprise objects to the overdue-hazard event from its own page, in Chinese.
    sign_in(page, live_server, "enterprise_admin", PASSWORD)
    page.goto(f"{live_server.url}/credit/")
    page.wait_for_url(f"**/credit/enterprises/{enterprise.uscc}/")
    page.locator("#id_event_id").select_option(str(setting["overdue"].pk))
    page.locator("#id_kind").select_option("objection")
    page.locator("#id_reason").fill("该隐患已于期限内整改完毕，系统登记的验收日期有误。")
    page.locator("[data-testid=application-form] [type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    application = CreditApplication.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    # another firm's credit page is not there for this enterprise
    assert page.context.request.get(f"{live_server.url}/credit/enterprises/{other_enterprise.uscc}/").status == 404

    # 3. The zone administration upholds it with reasons.
    page_en.context.clear_cookies()
    sign_in(page_en, live_server, "commander", PASSWORD)
    page_en.goto(f"{live_server.url}/credit/applications/")
    page_en.locator("[data-testid=applications] a").first.click()
    page_en.locator("[data-testid=decision-form] input[value='1']").check()
    page_en.locator("#id_reasons").fill("验收记录已核实，整改按期完成，撤销该事件。")
    page_en.locator("[data-testid=decision-form] [type=submit]").click()
    page_en.locator("[data-testid=application-status]").wait_for()
    assert CreditEvent.objects.get(pk=setting["overdue"].pk).status == "annulled"

    # 4. The public list, without signing in: A and D firms, no scores.
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/credit/public/")
    text = public.locator("[data-testid=publication]").inner_text()
    assert enterprise.uscc in text
    assert other_enterprise.uscc in text
    public.context.close()
