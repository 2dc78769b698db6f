"""The enterprise profile (一企一档) in a real browser: the enterprise administrator files a document once; a customs
reviewer opens the profile and sees the customs section and the document; an association user sees public data
only."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from ftzsafety.documents.models import Document
from ftzsafety.exchange.models import CustomsDeclaration, CustomsGoodsLine
from tests.accounts.factories import PASSWORD, department
from tests.documents.factories import file_document, pdf_bytes
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def declaration(enterprise):
    decl = CustomsDeclaration.objects.create(
        owner=department("customs"), enterprise=enterprise, enterprise_code=enterprise.uscc,
        enterprise_name=enterprise.name_zh, resolution="linked", declaration_no="020220261000000042",
        declared_on=dt.date(2026, 11, 2), direction="import", port="天津新港", country="KR",
    )  # fmt: skip
    CustomsGoodsLine.objects.create(
        declaration=decl, line_no=1, hs_code="29012200", goods_name="丙烯", un_number="UN1077",
        quantity=Decimal("20000"), unit="kg",
    )  # fmt: skip
    return decl


def sign_out(page, live_server):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/")


def test_file_once_then_each_department_sees_what_it_may(
    page, live_server, enterprise, enterprise_admin, customs_reviewer, association_staff, declaration, console
):
    profile_url = f"{live_server.url}/enterprises/{enterprise.uscc}/"
    # The enterprise files its safety licence from its own profile.
    sign_in(page, live_server, enterprise_admin.username, PASSWORD)
    page.goto(profile_url)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.locator("[data-testid=document-upload]").click()
    page.wait_for_url(re.compile(r"/documents/upload/"))
    page.locator("#id_kind").select_option("safety_licence")
    page.locator("#id_title").fill("安全生产许可证")
    page.locator("#id_number").fill("（津）WH安许证字〔2026〕0815")
    page.locator("#id_valid_until").fill((timezone.localdate() + dt.timedelta(days=900)).isoformat())
    page.locator("#id_file").set_input_files(
        {"name": "安全生产许可证.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.locator("[data-testid=document-submit]").click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    assert page.locator("[data-testid=document-title]").inner_text() == "安全生产许可证"
    document = Document.objects.get(kind="safety_licence")
    assert page.locator("[data-testid=document-sm3]").inner_text() == document.sm3
    # A wrong file is refused next to the field, and nothing is stored.
    page.goto(f"{live_server.url}/documents/upload/{enterprise.uscc}/")
    page.locator("#id_kind").select_option("other")
    page.locator("#id_file").set_input_files({"name": "照片.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90"})
    page.locator("[data-testid=document-submit]").click()
    page.locator("[data-testid=errors-file]").wait_for()
    assert Document.objects.count() == 1
    # The public business licence, filed earlier.
    file_document(enterprise_admin, enterprise, kind="business_licence", title="营业执照", valid_until=None)
    sign_out(page, live_server)

    # A customs reviewer: customs data and the licence on the profile.
    sign_in(page, live_server, customs_reviewer.username, PASSWORD)
    page.goto(profile_url)
    customs = page.locator("[data-testid=profile-section-customs-declarations]")
    assert "020220261000000042" in customs.inner_text()
    assert "UN1077" in customs.inner_text()
    documents = page.locator("[data-testid=profile-documents]")
    assert "安全生产许可证" in documents.inner_text()
    assert page.locator("[data-testid=document-upload]").count() == 0
    documents.get_by_role("link", name=re.compile("安全生产许可证")).click()
    page.wait_for_url(re.compile(rf"/documents/{document.pk}/$"))
    assert page.locator("[data-testid=document-number]").inner_text() == "（津）WH安许证字〔2026〕0815"
    sign_out(page, live_server)

    # An association user: the registry entry and public documents only.
    sign_in(page, live_server, association_staff.username, PASSWORD)
    page.goto(profile_url)
    assert page.locator("[data-testid=enterprise-name]").inner_text() == enterprise.name_zh
    assert page.locator("[data-testid=section-restricted-customs-declarations]").count() == 1
    assert "020220261000000042" not in page.content()
    assert page.locator("[data-testid=profile-document-business_licence]").count() == 1
    assert page.locator("[data-testid=profile-document-safety_licence]").count() == 0
    console.assert_clean()


def test_customs_reviewer_in_english_is_offered_access_to_confidential_licences(
    page_en, live_server, enterprise, customs_reviewer, declaration, console
):
    from ftzsafety.exchange.models import SafetyLicence

    SafetyLicence.objects.create(
        owner=department("emergency"), enterprise=enterprise, enterprise_code=enterprise.uscc,
        enterprise_name=enterprise.name_zh, resolution="linked", licence_type="hazchem_operation",
        licence_no="津WH安许证字〔2025〕0318", holder_name="王建国", scope="危险化学品经营（不带储存）",
        valid_from=dt.date(2025, 3, 1), valid_until=dt.date(2028, 2, 28),
    )  # fmt: skip
    page = page_en
    sign_in(page, live_server, customs_reviewer.username, PASSWORD)
    page.goto(f"{live_server.url}/enterprises/{enterprise.uscc}/")
    assert page.locator("html").get_attribute("lang") == "en"
    customs = page.locator("[data-testid=profile-section-customs-declarations]")
    assert "Customs declarations" in customs.inner_text()
    assert "Import" in customs.inner_text()
    hidden = page.locator("[data-testid=section-hidden-safety-licences]")
    assert "1 confidential record is not shown" in hidden.inner_text()
    assert "王建国" not in page.content()
    page.locator("[data-testid=request-access-safety-licences]").click()
    page.wait_for_url(re.compile(r"/security/requests/new/\?dataset=exchange.safetylicence"))
    console.assert_clean()
