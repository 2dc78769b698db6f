"""Browser fixtures: one Debian chromium per session, a fresh context (cookies, language) per test.

The module is skipped with a clear reason where /usr/bin/chromium (or Playwright) is absent, except when
FTZSAFETY_E2E_REQUIRED=1 (CI sets it): then a missing browser fails the run instead of hiding it.

Every page records its console; a Content-Security-Policy violation, an uncaught exception or any console error
fails the test.
"""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread with a running
# loop unless told that this is deliberate (the test's own factories and assertions, never the server's code).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(autouse=True, scope="session")
def _live_server_one_request_at_a_time() -> None:
    """On SQLite the test database lives in memory, and Django's threaded live server hands that one connection to
    every request thread: a page whose htmx panels load at once (the enterprise profile) then runs two requests'
    savepoints on one connection and breaks both ("no such savepoint", TransactionManagementError), depending on
    timing. Serve one request at a time instead: Django's plain WSGIServer, which closes each connection, so the
    browser's parallel requests queue rather than interleave. Autouse and session-scoped, so it is in place before
    pytest-django's session `live_server` starts."""
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args: Any, connections_override: dict | None = None, **kwargs: Any) -> None:
            # LiveServerThread.run() already installed the overrides in this, the only serving thread.
            super().__init__(*args, **kwargs)

    LiveServerThread.server_class = SerialWSGIServer


CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000

# Reports every CSP violation to the console, whatever the browser's own message says. Runs in the page before
# any of its scripts, and is not itself subject to the page's CSP.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
                " at " + event.sourceFile + ":" + event.lineNumber);
});
"""


def _unavailable(reason: str) -> None:
    if os.environ.get("FTZSAFETY_E2E_REQUIRED") == "1":
        pytest.fail(f"browser tests are required (FTZSAFETY_E2E_REQUIRED=1) but cannot run: {reason}")
    pytest.skip(f"browser tests skipped: {reason} (install Debian's chromium; CI sets FTZSAFETY_E2E_REQUIRED=1)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def reference_data(transactional_db: None) -> None:
    """Browser tests commit their data, so each ends with the database flushed, migrations' data included (and the
    serialized copy is not restored for the next one: Playwright's greenlet sees another connection object).
    Put back what the data migrations load, where it is missing: the role groups, the GB/T 4754-2017 classes, the
    dangerous-goods lists, the hazard self-check lists and routing rules, the filing types and review rules, and
    credit policy version 1."""
    import importlib

    from django.apps import apps

    from ftzsafety.accounts.roles import sync_role_groups
    from ftzsafety.dangerous_goods.loading import load_reference
    from ftzsafety.dangerous_goods.models import DangerousGood
    from ftzsafety.hazards import reference_data as hazards_reference

    sync_role_groups()
    importlib.import_module("ftzsafety.enterprises.migrations.0002_industry_classes").load(apps, None)
    if not DangerousGood.objects.exists():
        load_reference(force=True)
    hazards_reference.load()
    importlib.import_module("ftzsafety.filings.migrations.0002_default_types_and_rules").load(apps, None)
    importlib.import_module("ftzsafety.credit.migrations.0002_default_policy").seed(apps, None)


@dataclass
class ConsoleLog:
    """Console messages and page errors of one test's pages."""

    messages: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def on_console(self, message: Any) -> None:
        text = f"[{message.type}] {message.text}"
        self.messages.append(text)
        if message.type == "error" or "Content-Security-Policy" in message.text or "CSP violation" in message.text:
            self.problems.append(text)

    def on_page_error(self, error: Any) -> None:
        self.problems.append(f"[pageerror] {error}")

    def assert_clean(self) -> None:
        assert not self.problems, "browser console reported problems:\n" + "\n".join(self.problems)


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


def _new_page(browser: Any, console: ConsoleLog, locale: str) -> Iterator[Any]:
    context = browser.new_context(
        locale=locale,
        extra_http_headers={"Accept-Language": locale},
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(CSP_REPORTER)
    page = context.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", console.on_page_error)
    try:
        yield page
    finally:
        context.close()
    console.assert_clean()


@pytest.fixture
def page(browser: Any, console: ConsoleLog) -> Iterator[Any]:
    """A page in a fresh browser context whose browser asks for Chinese (the default language)."""
    yield from _new_page(browser, console, "zh-CN")


@pytest.fixture
def page_en(browser: Any, console: ConsoleLog) -> Iterator[Any]:
    yield from _new_page(browser, console, "en-GB")


def sign_in(page: Any, live_server: Any, username: str, password: str) -> None:
    """Sign in through the real sign-in page and land on the home page.

    Follows a second step when the sign-in asks for one: on the enrolment page it reads the key shown for typing
    by hand, on the code page it takes the enrolled key from the database; either way it enters the current TOTP.
    """
    page.goto(f"{live_server.url}/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form:has(input[name=username]) [type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    code_input = page.locator("input[name=code]")
    if code_input.count():
        import pyotp

        secret_element = page.locator("code.secret")
        if secret_element.count():
            secret = re.sub(r"\s", "", secret_element.inner_text())
        else:
            from ftzsafety.accounts.models import User

            secret = User.objects.get(username=username).totp_secret
        code_input.fill(pyotp.TOTP(secret).now())
        page.locator("form:has(input[name=code]) [type=submit]").click()
        page.wait_for_load_state("domcontentloaded")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("[data-testid=current-user]").count() == 1, f"not signed in; at {page.url}"
