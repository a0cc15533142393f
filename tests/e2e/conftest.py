"""Browser journeys: Playwright drives the system Chromium against pytest-django's live server."""

import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.browser import DESKTOP_VIEWPORT, PHONE_VIEWPORT, log_in

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not path:
        pytest.fail("Chromium is not installed: `make test` installs Debian's chromium package.")
    return path


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageErrors:
    """Console errors, CSP violations and broken subresources; a journey must end with none.

    A page answering 404 on purpose is not an error, nor is a form's refusal that htmx swaps
    in (REFUSALS, as base.html's responseHandling lists them); a stylesheet or script that
    fails is.
    """

    REFUSALS = {400, 422, 429}

    def __init__(self):
        self.errors: list[str] = []

    def watch(self, page):
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("response", self._response)

    def _console(self, msg):
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.errors.append(msg.text)

    def _response(self, response):
        request = response.request
        if request.resource_type == "document" or (
            response.status in self.REFUSALS and request.headers.get("hx-request") == "true"
        ):
            return
        if response.status >= 400:
            self.errors.append(f"{response.status} {response.url}")


def _new_page(browser, live_server, viewport):
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = PageErrors()
    errors.watch(page)
    return context, page, errors


@pytest.fixture
def new_page(browser, live_server):
    """Factory for extra people in one journey: each gets their own browser context."""
    opened = []

    def make(viewport=DESKTOP_VIEWPORT):
        context, page, errors = _new_page(browser, live_server, viewport)
        opened.append((context, errors))
        return page

    yield make
    for context, errors in opened:
        context.close()
        assert errors.errors == [], f"browser console errors: {errors.errors}"


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def phone_page(new_page):
    return new_page(PHONE_VIEWPORT)


@pytest.fixture
def no_js(browser, live_server):
    """Factory: a signed-in page in its own context, with JavaScript disabled."""
    opened = []

    def make(user, viewport=DESKTOP_VIEWPORT):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            locale="en-GB",
            java_script_enabled=False,
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        errors = PageErrors()
        errors.watch(page)
        scripted = []
        page.on(
            "request",
            lambda request: (
                scripted.append(request.url) if "hx-request" in request.headers else None
            ),
        )
        log_in(page, user, live_server.url)
        opened.append((context, errors, scripted))
        return page

    yield make
    for context, errors, scripted in opened:
        context.close()
        assert errors.errors == [], f"browser errors: {errors.errors}"
        assert scripted == [], f"htmx ran with JavaScript off: {scripted}"
