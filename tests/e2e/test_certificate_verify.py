"""E-certificate verification in a real browser: the enterprise opens its certificate, the QR code on the page is
photographed (a screenshot of the rendered SVG) and uploaded to the public verification page by someone who is not
signed in; a tampered code and a revoked certificate fail there too."""

import io

import pytest

from ftzsafety.certificates.services import certificate_revoke
from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def certificate(customs_reviewer, enterprise):
    """A certificate issued by the customs reviewer for the Binhai enterprise, valid for 30 days from an hour ago."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from ftzsafety.certificates.services import certificate_issue

    start = timezone.now() - timedelta(hours=1)
    return certificate_issue(
        actor=customs_reviewer,
        filing_ref="DG-2026-000123",
        enterprise=enterprise,
        lines=[("UN1203", Decimal("12.5"), "t"), ("UN1830", Decimal("3000"), "kg")],
        valid_from=start,
        valid_until=start + timedelta(days=30),
        title="入区危险货物申报电子证照",
    )


def _as_photo(png: bytes, path) -> str:
    """Put the screenshot on a paper-coloured background, tilt it a little and save it as a JPEG, as a phone would."""
    from PIL import Image, ImageOps

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = ImageOps.expand(image, border=80, fill=(238, 234, 225)).rotate(5, expand=True, fillcolor=(238, 234, 225))
    image.save(path, format="JPEG", quality=88)
    return str(path)


def test_qr_photo_from_the_certificate_page_verifies(
    page, browser, live_server, certificate, enterprise_admin, tmp_path, console
):
    sign_in(page, live_server, enterprise_admin.username, PASSWORD)
    page.goto(f"{live_server.url}/certificates/{certificate.pk}/")
    assert page.locator("[data-testid=certificate-number]").inner_text() == certificate.number
    photo = _as_photo(page.locator("svg.cert-qr").screenshot(), tmp_path / "photo.jpg")

    # A port officer's phone: a fresh browser with no session.
    context = browser.new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN"})
    public = context.new_page()
    public.on("console", console.on_console)
    public.on("pageerror", console.on_page_error)
    try:
        public.goto(f"{live_server.url}/verify/")
        assert public.locator("html").get_attribute("lang") == "zh-hans"
        public.locator("input[name=photo]").set_input_files(photo)
        public.locator("[data-testid=verify-submit]").click()
        result = public.locator("[data-testid=verify-result]")
        result.wait_for()
        assert result.get_attribute("data-reason") == "valid"
        assert public.locator("[data-testid=verify-number]").inner_text() == certificate.number
        assert "UN1203" in result.inner_text()
    finally:
        context.close()
    console.assert_clean()


def test_tampered_and_revoked_codes_fail(page_en, live_server, certificate, commander, console):
    page = page_en
    page.goto(f"{live_server.url}/verify/")
    page.locator("textarea[name=payload]").fill(certificate.payload.replace("12.5*T", "42.5*T"))
    page.locator("[data-testid=verify-submit]").click()
    result = page.locator("[data-testid=verify-result]")
    result.wait_for()
    assert result.get_attribute("data-reason") == "invalid_signature"
    assert "Not valid" in page.locator("[data-testid=verify-verdict]").inner_text()

    certificate_revoke(actor=commander, certificate=certificate, reason="Goods differ from the filing")
    page.locator("textarea[name=payload]").fill(certificate.payload)
    page.locator("[data-testid=verify-submit]").click()
    page.wait_for_selector("[data-testid=verify-result][data-reason=revoked]")
    assert "Goods differ from the filing" in page.locator("[data-testid=verify-result]").inner_text()
    console.assert_clean()
