from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from playwright.sync_api import expect

from peernet.members.models import NotificationSettings
from peernet.notify.services import digests_send
from tests.e2e.browser import PHONE_VIEWPORT, assert_accessible, assert_fits_width, log_in
from tests.factories import make_circle
from tests.governance.conftest import propose

pytestmark = pytest.mark.e2e

WEDNESDAY_9AM = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def run_digests(at):
    with time_machine.travel(at, tick=False), transaction.atomic():
        digests_send()


def test_preferences_and_one_click_unsubscribe_shape_the_next_digest(
    new_page, live_server, mailoutbox
):
    circle, (ana, bo) = make_circle(members=2, name="Huerta")
    page = new_page(PHONE_VIEWPORT)
    log_in(page, bo, live_server.url)

    # Bo asks for a daily digest at 09:00 UTC, with proposals in it.
    page.goto("/me/")
    page.get_by_role("link", name="Choose which emails I get, and when my digest goes out").click()
    assert_accessible(page, "notification settings")
    assert_fits_width(page, "notification settings at 360px")
    page.locator("fieldset", has_text="Proposals opened and decisions made").get_by_label(
        "Put it in my digest"
    ).check()
    page.locator("fieldset", has_text="Digest").get_by_label("Daily").check()
    page.get_by_label("Send my digest at").select_option("9")
    page.get_by_label("My time zone").select_option("UTC")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    prefs = NotificationSettings.objects.get(user=bo)
    assert (prefs.digest_frequency, prefs.digest_hour, prefs.proposals) == ("daily", 9, "digest")

    with time_machine.travel(WEDNESDAY_9AM - timedelta(hours=3), tick=False):
        propose(circle, ana, title="Paint the shed")
    run_digests(WEDNESDAY_9AM)
    (digest,) = [m for m in mailoutbox if m.to == [bo.email]]
    assert "Paint the shed" in digest.body

    # The in-app list has the news too, with an unread count.
    page.goto("/")
    page.get_by_role("link", name="Notifications 1 unread").click()
    assert_accessible(page, "notifications")
    expect(page.locator("main li").first).to_contain_text(
        "New proposal in Huerta: “Paint the shed”."
    )

    # Bo follows the unsubscribe link in that email for all email, then confirms.
    link = digest.extra_headers["List-Unsubscribe"].strip("<>")
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    assert_accessible(page, "unsubscribe")
    page.get_by_role("button", name="Yes, stop these emails").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()

    with time_machine.travel(WEDNESDAY_9AM + timedelta(hours=3), tick=False):
        propose(circle, ana, title="Paint the door")
    run_digests(WEDNESDAY_9AM + timedelta(days=1))
    assert [m.subject for m in mailoutbox if m.to == [bo.email]] == [digest.subject]
