"""Safety in a real browser at 360 px, with the accessibility check on every step: a member
receives hostile messages, reports one and blocks its sender in one step; a rota member is
told, reads the report and proposes removing the sender; the circle votes and the member is
removed. An urgent need shows the circle's crisis plan. Report and block without JavaScript.
"""

import random
import re

import pytest
from playwright.sync_api import expect

from circles.models import Membership
from circles.selectors import membership_of
from circles.services import message_send, response_create
from governance.models import Proposal, ProposalStatus
from governance.safety.models import Report
from governance.safety.services import rota_draw
from governance.services import ballot_cast
from peernet.members.models import Block
from tests.e2e.browser import PHONE_VIEWPORT, assert_page_fits, log_in
from tests.factories import UserFactory, make_circle, make_member, make_post

pytestmark = pytest.mark.e2e

THREAT = "You will regret ignoring me."


@pytest.fixture
def harbour(db):
    """Five members; the three willing ones hold the care rota."""
    circle, (vi,) = make_circle(members=1, name="Harbour Peers")
    people = {"vi": vi}
    for key, name in [("hal", "Hal"), ("ro", "Ro"), ("sam", "Sam"), ("tam", "Tam")]:
        people[key] = make_member(circle, UserFactory(display_name=name))
    Membership.objects.filter(
        circle=circle, user__in=[people["ro"], people["sam"], people["tam"]]
    ).update(care_rota_willing=True)
    rota_draw(circle=circle, rng=random.Random(1))
    offer = make_post(circle, vi, kind="offer", title="Spare bike", category="transport")
    response = response_create(post=offer, responder=people["hal"], text="Give it to me now.")
    message_send(response=response, sender=vi, text="It went to someone else, sorry.")
    hostile = message_send(response=response, sender=people["hal"], text=THREAT)
    return circle, people, response, hostile


def test_report_block_rota_proposal_removal(new_page, live_server, harbour):
    circle, people, response, _hostile = harbour
    vi = new_page(PHONE_VIEWPORT)
    log_in(vi, people["vi"], live_server.url)
    vi.goto(response.get_absolute_url())
    assert_page_fits(vi, "conversation")
    threat = vi.get_by_role("listitem").filter(has_text=THREAT)
    threat.get_by_role("link", name="Report this message").click()
    expect(vi.get_by_role("heading", level=1)).to_have_text("Report to the care rota")
    assert_page_fits(vi, "report form")
    vi.get_by_label("Threat or violence").check()
    vi.get_by_label("What happened (optional)").fill("He keeps writing after I said no.")
    expect(vi.get_by_label("Also block Hal: they won't be told")).to_be_checked()
    vi.get_by_role("button", name="Report").click()
    expect(vi.get_by_text("Thank you. The care rota will look at it.")).to_be_visible()
    assert_page_fits(vi, "report page, reporter")
    assert Block.objects.filter(blocker=people["vi"], blocked=people["hal"]).exists()
    vi.goto(response.get_absolute_url())
    expect(vi.get_by_text("This conversation is closed.")).to_be_visible()

    # A rota member is told, reads the report, and proposes removing Hal.
    ro = new_page(PHONE_VIEWPORT)
    log_in(ro, people["ro"], live_server.url)
    ro.goto("/me/notifications/")
    ro.get_by_role(
        "button", name=re.compile("^Open.*A report in Harbour Peers is waiting for the care rota")
    ).click()
    expect(ro.get_by_text(THREAT)).to_be_visible()
    expect(ro.get_by_text("It went to someone else, sorry.")).to_have_count(0)
    assert_page_fits(ro, "report page, rota")
    ro.get_by_role("link", name="Propose removing the member").click()
    assert_page_fits(ro, "remove member proposal form")
    expect(ro.get_by_label("Member")).to_have_value(str(people["hal"].pk))
    ro.get_by_label("Title").fill("Remove Hal after threats")
    ro.get_by_label("Why").fill("A member was threatened in a private conversation.")
    ro.get_by_role("button", name="Save the proposal").click()
    expect(ro.get_by_text("Your proposal is open for votes.")).to_be_visible()
    assert_page_fits(ro, "proposal")
    ro.get_by_label("Yes").check()
    ro.get_by_role("button", name="Vote", exact=True).click()
    expect(ro.get_by_role("button", name="Change my vote")).to_be_visible()

    proposal = Proposal.objects.get(title="Remove Hal after threats")
    for key in ["vi", "sam", "tam"]:
        ballot_cast(proposal=proposal, voter=people[key], choice="yes")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PASSED
    assert membership_of(circle=circle, user=people["hal"]) is None
    ro.reload()
    expect(ro.get_by_text("passed").first).to_be_visible()
    # The report is still open until the rota says what it did.
    ro.goto(f"/c/{circle.slug}/care/")
    assert_page_fits(ro, "care rota page")


def test_an_urgent_need_shows_the_crisis_plan(new_page, live_server, harbour):
    circle, people, _response, _hostile = harbour
    circle.crisis_plan = "Ask first. **Harbour warmline**: 555-0100, 6pm to 2am."
    circle.save()
    need = make_post(circle, people["sam"], title="Not safe tonight", urgency="urgent")
    page = new_page(PHONE_VIEWPORT)
    log_in(page, people["tam"], live_server.url)
    page.goto(need.get_absolute_url())
    plan = page.get_by_role("region", name="If someone may be in danger: the circle's crisis plan")
    expect(plan.get_by_text("Harbour warmline")).to_be_visible()
    assert_page_fits(page, "urgent need")


def test_report_and_block_without_javascript(no_js, harbour):
    circle, people, response, hostile = harbour
    page = no_js(people["vi"], PHONE_VIEWPORT)
    page.goto(response.get_absolute_url())
    page.get_by_role("listitem").filter(has_text=THREAT).get_by_role(
        "link", name="Report this message"
    ).click()
    page.get_by_label("Harassment").check()
    page.get_by_role("button", name="Report").click()
    expect(page.get_by_text("Thank you. The care rota will look at it.")).to_be_visible()
    assert Report.objects.get().message == hostile
    assert Block.objects.filter(blocker=people["vi"], blocked=people["hal"]).exists()

    # Block from the members page, and unblock from the account, without JavaScript.
    other = no_js(people["sam"])
    other.goto(f"/c/{circle.slug}/members/")
    other.get_by_role("link", name="Block Tam").click()
    other.get_by_role("button", name="Block").click()
    assert Block.objects.filter(blocker=people["sam"], blocked=people["tam"]).exists()
    other.goto("/me/blocked/")
    other.get_by_role("button", name="Unblock").click()
    assert not Block.objects.filter(blocker=people["sam"]).exists()
