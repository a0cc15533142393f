import re

import pytest
from playwright.sync_api import expect

from circles.models import Circle, Membership
from tests.e2e.browser import PHONE_VIEWPORT, assert_accessible, assert_fits_width, code_from_email
from tests.factories import make_circle

pytestmark = pytest.mark.e2e


def sign_up(page, mailoutbox, email, name):
    page.get_by_label("Email").fill(email)
    page.get_by_label("Display name").fill(name)
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_label("Code").fill(code_from_email(mailoutbox[-1]))
    page.get_by_role("button", name="Confirm").click()


def test_private_circle_by_invite_and_public_circle_by_approval(new_page, mailoutbox):
    organizer = new_page()
    organizer.goto("/accounts/signup/")
    sign_up(organizer, mailoutbox, "oak@example.org", "Oak")

    organizer.get_by_role("link", name="Circles", exact=True).click()
    assert_accessible(organizer, "directory")
    organizer.get_by_role("link", name="Start a circle").click()
    assert_accessible(organizer, "new circle form")
    organizer.get_by_label("Name").fill("Quiet Harbour")
    organizer.get_by_label("Purpose").fill("A *private* place for peers.")
    organizer.get_by_label("Private: members only").check()
    organizer.get_by_label("Invite only").check()
    organizer.get_by_role("button", name="Start the circle").click()
    expect(organizer.get_by_role("heading", level=1)).to_have_text("Quiet Harbour")
    assert_accessible(organizer, "circle home")

    organizer.get_by_role("navigation", name="Circle").locator("summary").click()  # "More"
    organizer.get_by_role("link", name="Invites").click()
    organizer.get_by_role("button", name="Make the invite").click()
    assert_accessible(organizer, "invites")
    link = organizer.get_by_label("Invite link").input_value()
    assert re.search(r"/invite/[\w-]{20,}/$", link)

    # A second person opens the link, signs up and joins.
    guest = new_page(PHONE_VIEWPORT)
    guest.goto(link)
    expect(guest.get_by_role("heading", level=1)).to_have_text("You are invited to Quiet Harbour")
    assert_accessible(guest, "invite page")
    assert_fits_width(guest, "invite page at 360px")
    guest.get_by_role("main").get_by_role("link", name="Sign up").click()
    sign_up(guest, mailoutbox, "fern@example.org", "Fern")
    # Back on the invite after signing up, to join with one click.
    expect(guest).to_have_url(link)
    guest.get_by_role("button", name="Join this circle").click()
    expect(guest.get_by_text("Welcome to Quiet Harbour!")).to_be_visible()
    guest.get_by_role("link", name="Members").click()
    assert_accessible(guest, "members")
    assert_fits_width(guest, "members at 360px")
    expect(guest.get_by_role("heading", name="Oak")).to_be_visible()
    expect(guest.get_by_role("heading", name="Fern")).to_be_visible()

    # Outsiders cannot find it: not listed, and its address is a 404.
    circle = Circle.objects.get(name="Quiet Harbour")
    third = new_page()
    response = third.goto(f"/c/{circle.slug}/")
    assert response.status == 404

    # A third person asks to join a public approval circle; a member approves.
    public, (keeper,) = make_circle(members=1, name="Open Kitchen", slug="open-kitchen")
    third.goto("/accounts/signup/")
    sign_up(third, mailoutbox, "reed@example.org", "Reed")
    third.goto("/circles/")
    third.get_by_label("Search").fill("kitchen")
    expect(third.get_by_role("link", name="Open Kitchen")).to_be_visible()
    third.get_by_role("link", name="Open Kitchen").click()
    third.get_by_role("link", name="Ask to join").click()
    assert_accessible(third, "join request form")
    third.get_by_label("Why would you like to join? (optional)").fill("I cook on Sundays.")
    third.get_by_role("button", name="Send my request").click()
    expect(third.get_by_text("Your request is waiting for the members' answer.")).to_be_visible()

    keeper_page = new_page()
    keeper_page.goto("/accounts/login/code/")
    keeper_page.get_by_label("Email").fill(keeper.email)
    keeper_page.get_by_role("button", name="Request Code").click()
    keeper_page.get_by_label("Code").fill(code_from_email(mailoutbox[-1]))
    keeper_page.get_by_role("button", name="Confirm").click()
    keeper_page.goto("/c/open-kitchen/")
    keeper_page.get_by_role("link", name="1 person is asking to join").click()
    assert_accessible(keeper_page, "join requests")
    expect(keeper_page.get_by_text("I cook on Sundays.")).to_be_visible()
    keeper_page.get_by_role("button", name="Approve Reed").click()
    expect(keeper_page.get_by_text("Reed is now a member.")).to_be_visible()

    assert Membership.objects.filter(circle=public, user__email="reed@example.org").exists()
    told = [m for m in mailoutbox if m.to == ["reed@example.org"]][-1]
    assert "Welcome to Open Kitchen" in told.subject
    third.reload()
    expect(third.get_by_role("link", name="Members")).to_be_visible()
