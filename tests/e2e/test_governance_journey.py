import pytest
from playwright.sync_api import expect

from circles.models import Circle
from governance.models import Agreement, Ballot
from tests.e2e.browser import assert_accessible, log_in
from tests.factories import make_circle

pytestmark = pytest.mark.e2e


def test_agreement_and_settings_change_decided_by_the_circle(new_page, live_server):
    circle, (ana, bo, chen) = make_circle(
        members=3, name="Garden Club", slug="garden-club", join_policy="approval"
    )
    pages = {}
    for person in (ana, bo, chen):
        pages[person] = new_page()
        log_in(pages[person], person, live_server.url)

    # Ana proposes a new agreement.
    page = pages[ana]
    page.goto("/c/garden-club/agreements/")
    assert_accessible(page, "agreements (empty)")
    page.get_by_role("link", name="Propose a new agreement").click()
    page.get_by_label("Title:", exact=True).fill("Share the harvest")
    page.get_by_label("Why").fill("So nothing goes to waste.")
    page.get_by_label("Agreement title").fill("Harvest sharing")
    page.get_by_label("Agreement text").fill("Extra produce goes on the **shared table**.")
    page.get_by_role("button", name="Save the proposal").click()
    expect(page.get_by_text("Your proposal is open for votes.")).to_be_visible()
    assert_accessible(page, "proposal")
    proposal_url = page.url
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("You voted: Yes.")).to_be_visible()

    # Bo votes no, then changes to yes (through htmx: no full reload).
    page = pages[bo]
    page.goto(proposal_url)
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("You voted: No.")).to_be_visible()
    assert_accessible(page, "vote form")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Change my vote").click()
    expect(page.get_by_text("You voted: Yes.")).to_be_visible()
    assert Ballot.objects.get(voter=bo).choice == "yes"

    # Chen votes last: everyone has voted, so it closes early and takes effect.
    page = pages[chen]
    page.goto(proposal_url)
    page.get_by_label("Abstain").check()
    page.get_by_role("button", name="Vote").click()
    expect(page.locator("#vote").get_by_text("Decided: passed")).to_be_visible()
    page.get_by_role("navigation", name="Circle").locator("summary").click()  # "More"
    page.get_by_role("link", name="Agreements", exact=True).click()
    expect(page.get_by_role("link", name="Harvest sharing")).to_be_visible()
    page.get_by_role("link", name="Harvest sharing").click()
    expect(page.get_by_role("heading", name="Version 1")).to_be_visible()
    expect(page.get_by_role("link", name="Share the harvest")).to_be_visible()
    assert_accessible(page, "agreement history")
    assert Agreement.objects.get(circle=circle).versions.count() == 1

    # A settings change: from 3 members only a proposal changes the join policy.
    page = pages[ana]
    page.goto("/c/garden-club/settings/")
    page.get_by_role("link", name="Propose a change to these settings").click()
    page.get_by_label("Title:", exact=True).fill("Open the doors")
    page.get_by_label("Why").fill("More neighbours want in.")
    page.get_by_label("Open: anyone can join").check()
    page.get_by_role("button", name="Save the proposal").click()
    expect(page.get_by_role("cell", name="Open: anyone can join")).to_be_visible()
    settings_url = page.url
    for person, outcome in [(ana, "You voted: Yes."), (bo, "You voted: Yes."), (chen, "Decided")]:
        voter = pages[person]
        voter.goto(settings_url)
        voter.get_by_label("Yes").check()
        voter.get_by_role("button", name="Vote").click()
        expect(voter.locator("#vote").get_by_text(outcome)).to_be_visible()
    expect(voter.locator("#vote").get_by_text("Decided: passed")).to_be_visible()
    circle = Circle.objects.get(pk=circle.pk)
    assert circle.join_policy == "open"

    page.goto("/c/garden-club/decisions/")
    assert_accessible(page, "decision log")
    expect(page.get_by_role("link", name="Open the doors")).to_be_visible()
    expect(page.get_by_role("link", name="Share the harvest")).to_be_visible()
