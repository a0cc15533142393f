"""Issue 13's first-hour fixes, on a phone and at a desk: the directory reads as plain
text with topic lists, an invite link can be copied (and still selected without JavaScript), a
conversation shows whose message is whose, and the time-zone menu is grouped by region."""

import pytest
from playwright.sync_api import expect

from circles.services import invite_create, response_create
from tests.e2e.browser import (
    DESKTOP_VIEWPORT,
    PHONE_VIEWPORT,
    assert_page_fits,
    log_in,
)
from tests.factories import make_circle, make_post

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("viewport", [PHONE_VIEWPORT, DESKTOP_VIEWPORT], ids=["phone", "desktop"])
def test_first_hour_fixes_on_a_phone_and_a_desk(new_page, live_server, no_js, viewport):
    circle, (me, bo) = make_circle(
        members=2,
        name="Night Owls",
        purpose="* Share rides after the *3am* shift\n* Soup on Sundays",
        topics="night shift, rides, meals",
    )
    bo.display_name = "Bo"
    bo.save()
    post = make_post(circle, me, title="A lift home")
    response = response_create(post=post, responder=bo, text="I can drive you.")
    invite = invite_create(circle=circle, member=me)
    page = new_page(viewport)
    log_in(page, me, live_server.url)

    # The directory: the purpose as plain text, the topics as a list of three.
    page.goto("/circles/")
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Night Owls"))
    expect(card).to_contain_text("Share rides after the 3am shift Soup on Sundays")
    expect(card).not_to_contain_text("*")
    topics = card.get_by_role("list", name="Topics")
    expect(topics.get_by_role("listitem")).to_have_text(["night shift", "rides", "meals"])
    assert_page_fits(page, "directory")

    # Invites: with JavaScript, a "Copy link" button next to the link.
    page.goto(f"/c/{circle.slug}/invites/")
    link = page.get_by_role("textbox", name="Invite link")
    expect(link).to_have_value(f"{live_server.url}/invite/{invite.token}/")
    expect(page.get_by_role("button", name="Copy link")).to_be_visible()
    assert_page_fits(page, "invites")

    # A conversation: whose message is whose, in words.
    page.goto(response.get_absolute_url())
    page.get_by_role("textbox", name="Message").fill("Thank you, Bo!")
    page.get_by_role("button", name="Send").click()
    messages = page.locator("ol.chat > li")
    expect(messages).to_have_count(2)
    expect(messages.nth(0)).to_have_class("chat-message theirs")
    expect(messages.nth(0).locator("strong")).to_have_text("Bo")
    expect(messages.nth(1)).to_have_class("chat-message mine")
    expect(messages.nth(1).locator("strong")).to_have_text("You")
    assert_page_fits(page, "conversation")

    # The time-zone menu: common zones first, then regions; no "Factory".
    page.goto("/me/notifications/settings/")
    zone = page.get_by_label("My time zone")
    groups = zone.locator("optgroup").evaluate_all("gs => gs.map(g => g.label)")
    assert groups[:3] == ["Common", "Africa", "America"]
    assert zone.locator("option[value='Factory']").count() == 0
    zone.select_option(label="America / New York")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_label("My time zone")).to_have_value("America/New_York")
    assert_page_fits(page, "notification settings")

    # Without JavaScript the button stays hidden and the link can still be selected.
    plain = no_js(me, viewport)
    plain.goto(f"/c/{circle.slug}/invites/")
    expect(plain.get_by_role("textbox", name="Invite link")).to_be_visible()
    expect(plain.get_by_role("button", name="Copy link")).to_have_count(0)
    expect(plain.locator("button[data-copy]")).to_be_hidden()

    # The invitee, signed out, sees who invited them and what the circle is for.
    invitee = new_page(viewport)
    invitee.goto(f"/invite/{invite.token}/")
    main = invitee.get_by_role("main")
    expect(main).to_contain_text(f"{me.display_name} invited you to join this circle.")
    expect(main).to_contain_text("Soup on Sundays")
    expect(main).to_contain_text("2 members")
    assert_page_fits(invitee, "invite page")
