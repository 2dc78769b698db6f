"""The enterprise's filing flow in a real browser: a pre-arrival dangerous-goods filing is drafted, its SDSs are
uploaded, pre-review blocks it (ETA 23 hours ahead; class 3 co-loaded with class 5.1), the enterprise corrects it
and resubmits; the departments approve in parallel and the enterprise prints its e-certificate."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.accounts.factories import PASSWORD, UserFactory, department
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _reference_data() -> None:
    """The reference data comes back through tests/e2e/conftest.py; this flow also needs a destination."""
    from ftzsafety.filings.models import Destination

    Destination.objects.get_or_create(
        code="port-yard-3",
        defaults={
            "name_zh": "港区3号危险货物堆场",
            "name_en": "Port DG Yard No. 3",
            "kind": "yard",
            "area_code": "port-area",
            "accepted_classes": ["3", "5.1", "8", "9"],
            "storage_name": "港区3号堆场",
        },
    )


def _sds(number: str) -> dict:
    from ftzsafety.filings.sds import SECTION_TITLES

    lines = [f"SDS {number}"] + [f"{n} {zh} / Section {n}: {en}" for n, (zh, en) in SECTION_TITLES.items()]
    return {"name": f"SDS-{number}.txt", "mimeType": "text/plain", "buffer": "\n".join(lines).encode("utf-8")}


def _eta(hours: float) -> str:
    return timezone.localtime(timezone.now() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def _line(page, index: int, un: str, name: str, hazard_class: str, group: str, quantity: str, unit: str, pack: str):
    page.locator(f"#id_goods-{index}-un_number").fill(un)
    page.locator(f"#id_goods-{index}-proper_shipping_name").fill(name)
    page.locator(f"#id_goods-{index}-hazard_class").fill(hazard_class)
    page.locator(f"#id_goods-{index}-packing_group").select_option(group)
    page.locator(f"#id_goods-{index}-quantity").fill(quantity)
    page.locator(f"#id_goods-{index}-unit").select_option(unit)
    page.locator(f"#id_goods-{index}-packaging").fill(pack)


def _upload(page, number: str) -> None:
    page.locator(f"[data-testid=sds-file-{number}]").set_input_files(_sds(number))
    page.locator(f"[data-testid=sds-upload-{number}]").click()
    page.wait_for_load_state("domcontentloaded")
    assert "16 / 16" in page.locator(f"[data-testid=sds-{number}]").inner_text()


def test_enterprise_files_corrects_and_gets_its_certificate(page, live_server, enterprise_admin, console):
    from ftzsafety.filings import services
    from ftzsafety.filings.models import DepartmentReview, Filing

    sign_in(page, live_server, enterprise_admin.username, PASSWORD)
    page.locator(".main-nav a[href='/filings/']").click()
    page.locator("[data-testid=new-dg_pre_arrival]").click()

    page.locator("#id_conveyance_mode").select_option("vessel")
    page.locator("#id_vessel_name").fill("远海明珠")
    page.locator("#id_voyage").fill("2611E")
    page.locator("#id_port_of_loading").fill("Busan, KR")
    page.locator("#id_eta").fill(_eta(23))
    page.locator("#id_destination").select_option("port-yard-3")
    page.locator("#id_route").fill("3号泊位 → 港区3号堆场")
    page.locator("#id_protective_measures").fill("防静电接地，配备泡沫灭火器。")
    page.locator("#id_emergency_contact_name").fill("刘德明")
    page.locator("#id_emergency_contact_phone").fill("+86 22 6688 1234")
    _line(page, 0, "UN1203", "汽油", "3", "II", "18000", "L", "IBC 31A")
    _line(page, 1, "1942", "硝酸铵", "5.1", "III", "20", "t", "FIBC 13H3")
    page.locator("[data-testid=save]").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("[data-testid=filing-status]").get_attribute("data-status") == "draft"

    _upload(page, "UN1203")
    _upload(page, "UN1942")
    page.locator("[data-testid=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("[data-testid=filing-status]").get_attribute("data-status") == "prereview_failed"
    assert page.locator("[data-testid=finding-DG-ETA-24H]").count() == 1
    assert page.locator("[data-testid=finding-DG-SEGREGATION]").count() == 1
    assert "不得混装" in page.locator("[data-testid=finding-DG-SEGREGATION]").inner_text()

    # Correct: a later ETA, acetone instead of ammonium nitrate; then the SDS for acetone; resubmit.
    page.locator("[data-testid=edit]").click()
    page.locator("#id_eta").fill(_eta(48))
    _line(page, 1, "UN1090", "丙酮", "3", "II", "4000", "L", "200 L steel drums")
    page.locator("[data-testid=save]").click()
    page.wait_for_load_state("domcontentloaded")
    _upload(page, "UN1090")
    page.locator("[data-testid=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("[data-testid=filing-status]").get_attribute("data-status") == "in_review"
    for code in ("customs", "emergency", "maritime"):
        assert page.locator(f"[data-testid=review-status-{code}]").get_attribute("data-status") == "pending"

    # The departments decide in parallel (their own pages are covered in tests/filings/test_views.py).
    filing = Filing.objects.get()
    for review in DepartmentReview.objects.filter(filing=filing):
        reviewer = UserFactory(
            username=f"{review.department}_r", organisation=department(review.department), roles=["reviewer"]
        )
        services.review_decide(actor=reviewer, review_id=review.pk, decision="approve", opinion="同意")
    page.reload()
    assert page.locator("[data-testid=filing-status]").get_attribute("data-status") == "approved"
    assert page.locator("[data-testid=review-status-maritime]").get_attribute("data-status") == "approved"
    page.locator("[data-testid=certificate-link]").click()
    page.wait_for_load_state("domcontentloaded")
    assert "/certificates/" in page.url
    assert filing.reference in page.content()


def test_analyst_sees_parallel_against_sequential_chart(page_en, live_server, enterprise_admin, analyst, console):
    from ftzsafety.filings import clock, services
    from ftzsafety.filings.models import DepartmentReview

    start = timezone.now() - timedelta(days=2)
    with clock.frozen(start):
        filing = services.filing_create(
            actor=enterprise_admin,
            filing_type="dg_pre_arrival",
            form={
                "conveyance_mode": "vessel",
                "vessel_name": "远海明珠",
                "voyage": "2611E",
                "port_of_loading": "Busan, KR",
                "eta": (start + timedelta(hours=48)).isoformat(),
                "goods": [
                    {
                        "un_number": "UN1203",
                        "proper_shipping_name": "汽油",
                        "hazard_class": "3",
                        "packing_group": "II",
                        "quantity": "18000",
                        "unit": "L",
                        "packaging": "IBC 31A",
                    }
                ],
                "destination": "port-yard-3",
                "route": "3号泊位 → 港区3号堆场",
                "protective_measures": "防静电接地。",
                "emergency_contact_name": "刘德明",
                "emergency_contact_phone": "+86 22 6688 1234",
            },
        )
        from django.core.files.uploadedfile import SimpleUploadedFile

        sds = _sds("UN1203")
        services.filing_attachment_add(
            actor=enterprise_admin,
            filing_id=filing.pk,
            upload=SimpleUploadedFile(sds["name"], sds["buffer"]),
            kind="sds",
            un_number="UN1203",
        )
        services.filing_submit(actor=enterprise_admin, filing_id=filing.pk)
    for hours, review in enumerate(DepartmentReview.objects.filter(filing=filing).order_by("department"), start=3):
        reviewer = UserFactory(
            username=f"{review.department}_r", organisation=department(review.department), roles=["reviewer"]
        )
        with clock.frozen(start + timedelta(hours=hours)):
            services.review_decide(actor=reviewer, review_id=review.pk, decision="approve")

    sign_in(page_en, live_server, analyst.username, PASSWORD)
    page_en.goto(f"{live_server.url}/filings/metrics/")
    assert page_en.locator("[data-testid=metric-count]").inner_text() == "1"
    page_en.locator("#filing-metrics-chart[data-chart-ready=true] canvas").first.wait_for()
    assert page_en.locator("[data-testid=metric-parallel]").inner_text() == "5.0"
    assert page_en.locator("[data-testid=metric-sequential]").inner_text() == "12.0"
