"""With JavaScript on, a refusal is shown where the form is, as it is without: htmx swaps a
400 answer in (base.html's responseHandling), instead of silently dropping it; and a long form
that comes back opens at its error summary, each problem a link to its field."""

import pytest
from playwright.sync_api import expect

from circles.services import membership_end, response_create
from tests.e2e.browser import DESKTOP_VIEWPORT, PHONE_VIEWPORT, assert_accessible, log_in
from tests.e2e.conftest import _new_page
from tests.factories import make_circle, make_post

pytestmark = pytest.mark.e2e


def test_an_empty_message_is_refused_in_place_and_the_next_one_is_sent(new_page, live_server):
    circle, (me, bo) = make_circle(members=2)
    post = make_post(circle, me, title="A lift home")
    response = response_create(post=post, responder=bo, text="I can drive you.")
    page = new_page(DESKTOP_VIEWPORT)
    log_in(page, me, live_server.url)
    page.goto(response.get_absolute_url())
    url = page.url

    page.get_by_role("button", name="Send").click()
    expect(page.locator("#thread").get_by_text("This field is required.")).to_be_visible()
    assert page.url == url

    page.get_by_role("textbox", name="Message").fill("Thank you, 6pm?")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".chat-message.mine").get_by_text("Thank you, 6pm?")).to_be_visible()
    expect(page.get_by_text("This field is required.")).to_have_count(0)


def test_a_long_form_that_comes_back_starts_at_its_error_summary(new_page, live_server):
    circle, (me,) = make_circle(members=1)
    page = new_page(PHONE_VIEWPORT)
    log_in(page, me, live_server.url)
    page.goto(f"/c/{circle.slug}/posts/new/")
    page.get_by_role("button", name="Post it").click()

    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Title").click()
    assert page.url.endswith("#id_title")
    assert_accessible(page, "a post form with its error summary")


def test_a_message_that_fails_keeps_what_was_typed_and_says_so(browser, live_server):
    """Not a refusal of the form: the member left the circle in another tab, so the answer
    is a 403. Nothing reloads over the text; a notice says what happened."""
    circle, (me, bo) = make_circle(members=2)
    post = make_post(circle, bo, title="A lift home")
    response = response_create(post=post, responder=me, text="I can drive you.")
    context, page, errors = _new_page(browser, live_server, PHONE_VIEWPORT)
    try:
        log_in(page, me, live_server.url)
        page.goto(response.get_absolute_url())
        membership_end(circle=circle, user=me)

        page.get_by_role("textbox", name="Message").fill("See you at six")
        page.get_by_role("button", name="Send").click()
        expect(page.get_by_role("status")).to_contain_text("What you typed is still in the form")
        expect(page.get_by_role("textbox", name="Message")).to_have_value("See you at six")
        # The only errors: the 403 itself, and htmx reporting it on the console.
        assert errors.errors and all("403" in error for error in errors.errors)
    finally:
        context.close()
