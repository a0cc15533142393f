"""Every form works with JavaScript off: htmx only enhances.

One journey in Chromium with scripts disabled for three people, each in their own context of
the same browser: each form is submitted as a plain HTML form and its result is read from
the page as a person would see it. No request may carry htmx's HX-Request header, which
proves no script ran.
"""

import pytest
from playwright.sync_api import expect

from circles.models import Circle, JoinRequest, Message, Post
from governance.models import Ballot, Proposal
from peernet.members.models import NotificationSettings
from tests.e2e.browser import PHONE_VIEWPORT
from tests.factories import UserFactory, make_member, make_post

pytestmark = pytest.mark.e2e

CIRCLE = "Lantern Kitchen"
NEED = "Soup for a sick neighbour"


def see(page, text):
    expect(page.get_by_text(text, exact=False).first).to_be_visible()


def test_every_form_submits_and_shows_its_result_without_javascript(no_js):
    ana = UserFactory(display_name="Ana")
    bo = UserFactory(display_name="Bo")
    cy = UserFactory(display_name="Cy")
    ana_page, bo_page, cy_page = no_js(ana), no_js(bo, PHONE_VIEWPORT), no_js(cy)

    # Ana starts a public circle that takes members by approval.
    page = ana_page
    page.goto("/circles/new/")
    page.get_by_label("Name").fill(CIRCLE)
    page.get_by_label("Purpose").fill("Neighbours cooking for neighbours.")
    page.get_by_label("Public: listed in the directory").check()
    page.get_by_label("Approval: members approve requests").check()
    page.get_by_role("button", name="Start the circle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CIRCLE)
    see(page, "Your circle is ready. Invite people to join it.")
    circle = Circle.objects.get(name=CIRCLE)
    make_member(circle, bo)
    make_post(circle, bo, kind="offer", title="Spare bicycle pump", category="items")

    # While the circle is small, Ana edits its settings directly.
    page.get_by_role("navigation", name="Circle").locator("summary").click()  # "More"
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Topics").fill("food, cooking")
    page.get_by_role("button", name="Save settings").click()
    see(page, "The circle's settings are saved.")
    expect(page.locator(".tag", has_text="cooking")).to_be_visible()

    # Ana posts a need.
    page.get_by_role("link", name="Ask for help").click()
    page.get_by_label("Title").fill(NEED)
    page.get_by_label("Category").select_option(label="Food")
    page.get_by_role("button", name="Post it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NEED)
    see(page, "Your post is up.")

    # Bo filters the board by text, and only the need is left.
    page = bo_page
    page.goto(f"/c/{circle.slug}/board/")
    expect(page.get_by_role("link", name="Spare bicycle pump")).to_be_visible()
    page.get_by_label("Search").fill("soup")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(f"{page.url.split('?')[0]}?q=soup&kind=&category=&status=open")
    see(page, "1 post")
    expect(page.get_by_role("link", name="Spare bicycle pump")).to_have_count(0)

    # Bo responds, then sends a second message in the conversation.
    page.get_by_role("link", name=NEED).click()
    page.get_by_role("textbox", name="Message").fill("I can bring soup tonight.")
    page.get_by_role("button", name="Send: I can help").click()
    see(page, "Sent. Your conversation continues here.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"About “{NEED}”")
    page.get_by_role("textbox", name="Message").fill("Is seven o'clock all right?")
    page.get_by_role("button", name="Send", exact=True).click()
    thread = page.locator("#thread")
    expect(thread).to_contain_text("I can bring soup tonight.")
    expect(thread).to_contain_text("Is seven o'clock all right?")
    expect(page.get_by_role("textbox", name="Message")).to_have_value("")
    conversation_url = page.url

    # Ana accepts Bo's help and marks the need fulfilled with a thank-you.
    page = ana_page
    page.goto(conversation_url)
    page.get_by_role("link", name="Back to the post").click()
    page.get_by_role("button", name="Accept Bo's help").click()
    see(page, "Accepted. The post is now in progress.")
    page.get_by_label("A public thank-you note (optional)").fill("Bo's soup saved the week.")
    page.get_by_role("button", name="Mark as fulfilled").click()
    see(page, "Marked as fulfilled. Thank you!")
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()

    # Cy searches the directory, finds the circle and asks to join.
    page = cy_page
    page.goto("/circles/")
    page.get_by_label("Search").fill("lantern")
    page.get_by_role("button", name="Search").click()
    see(page, "1 circle found")
    page.get_by_role("link", name=CIRCLE).click()
    page.get_by_role("link", name="Ask to join").click()
    page.get_by_label("Why would you like to join? (optional)").fill("I make bread.")
    page.get_by_role("button", name="Send my request").click()
    see(page, "Your request is sent. You will hear back by email.")
    see(page, "Your request is waiting for the members' answer.")

    # Ana approves Cy from the requests page.
    page = ana_page
    page.goto(f"/c/{circle.slug}/requests/")
    see(page, "I make bread.")
    page.get_by_role("button", name="Approve Cy").click()
    see(page, "Cy is now a member.")
    see(page, "Nobody is waiting to join right now.")

    # Ana drafts a proposal, opens it, votes, and comments.
    page.goto(f"/c/{circle.slug}/proposals/new/?kind=resolution")
    page.get_by_label("Title:", exact=True).fill("Cook together on Sundays")
    page.get_by_label("Why").fill("It is more fun, and less waste.")
    page.get_by_label("Open for votes now").uncheck()
    page.get_by_role("button", name="Save the proposal").click()
    see(page, "Your proposal is saved as a draft.")
    page.get_by_role("button", name="Open for votes").click()
    see(page, "Your proposal is open for votes.")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Vote").click()
    see(page, "Your vote is recorded. You can change it until the vote closes.")
    see(page, "You voted: Yes.")
    page.get_by_label("Add to the discussion").fill("I can bring the big pot.")
    page.get_by_role("button", name="Comment").click()
    expect(page.locator("article", has_text="I can bring the big pot.")).to_be_visible()

    # Ana changes her notification settings and edits her profile.
    page.goto("/me/notifications/settings/")
    page.locator("fieldset", has_text="Proposals opened and decisions made").get_by_label(
        "Only in Peernet"
    ).check()
    page.locator("fieldset", has_text="Digest").get_by_label("Daily").check()
    page.get_by_role("button", name="Save").click()
    see(page, "Your notification settings are saved.")
    page.goto("/me/profile/")
    page.get_by_label("Pronouns").fill("she/her")
    page.get_by_label("Emotional support").check()
    page.get_by_role("button", name="Save").click()
    see(page, "Your profile is saved.")
    expect(page.get_by_text("she/her")).to_be_visible()
    expect(page.locator(".tag", has_text="Emotional support")).to_be_visible()

    # What the pages said is what the database holds.
    need = Post.objects.get(title=NEED)
    assert (need.status, need.accepted_response.responder, need.thank_you) == (
        "fulfilled",
        bo,
        "Bo's soup saved the week.",
    )
    assert Message.objects.filter(response__post=need).count() == 2
    assert circle.memberships.filter(left_at=None).count() == 3
    assert JoinRequest.objects.get(user=cy).status == "approved"
    proposal = Proposal.objects.get(title="Cook together on Sundays")
    assert proposal.status == "open"
    assert Ballot.objects.get(proposal=proposal, voter=ana).choice == "yes"
    assert proposal.comments.get().text == "I can bring the big pot."
    prefs = NotificationSettings.objects.get(user=ana)
    assert (prefs.proposals, prefs.digest_frequency) == ("off", "daily")
    ana.profile.refresh_from_db()
    assert (ana.profile.pronouns, ana.profile.help_categories) == ("she/her", ["emotional"])
