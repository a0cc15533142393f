"""What browser journeys check on a page, and how they read what Peernet emailed."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

PHONE_VIEWPORT = {"width": 360, "height": 740}
DESKTOP_VIEWPORT = {"width": 1280, "height": 800}
# Moderate too: heading order, landmarks and the like are what a screen reader user meets.
AXE_BLOCKING_IMPACTS = {"moderate", "serious", "critical"}
LOGIN_CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", re.MULTILINE)

_axe = Axe()


def assert_accessible(page, label: str = "") -> None:
    """Run axe-core on the page; fail on moderate, serious or critical violations."""
    page.wait_for_load_state()
    try:
        results = _axe.run(page)
    except PlaywrightError:
        # A click's navigation landed while axe ran (the old document went from under it):
        # check the page it landed on.
        page.wait_for_load_state()
        results = _axe.run(page)
    blocking = [
        v for v in results.response["violations"] if v.get("impact") in AXE_BLOCKING_IMPACTS
    ]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in blocking
    )
    assert not blocking, f"axe found problems on {label or page.url}:\n{details}"


def assert_fits_width(page, label: str = "") -> None:
    """Nothing scrolls sideways: the page is usable at its viewport width."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{label or page.url} is {overflow}px wider than the screen"


def assert_page_fits(page, label: str) -> None:
    """Accessible, and nothing scrolls sideways at the page's viewport width."""
    assert_accessible(page, label)
    assert_fits_width(page, f"{label} at {page.viewport_size['width']}px")


def code_from_email(message) -> str:
    """The one-time code in an allauth email (login or email verification)."""
    match = LOGIN_CODE_RE.search(message.body)
    assert match, f"no code in email: {message.body!r}"
    return match.group(1)


def log_in(page, user, live_server_url: str) -> None:
    """Sign a browser context in as user without the email round trip (tested elsewhere)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server_url}])
