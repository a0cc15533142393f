"""The last voter, on a phone and at a desk: the page says what the proposal needs, and
when their ballot decides it the header and the result say so together, with JavaScript
and without."""

import pytest
from playwright.sync_api import expect

from governance.models import ProposalKind
from governance.services import ballot_cast
from tests.e2e.browser import (
    DESKTOP_VIEWPORT,
    PHONE_VIEWPORT,
    assert_accessible,
    assert_fits_width,
    log_in,
)
from tests.factories import make_circle
from tests.governance.conftest import propose

pytestmark = pytest.mark.e2e


def _two_of_three_voted(circle, people, kind=ProposalKind.RESOLUTION, data=None, title=""):
    proposal = propose(circle, people[0], kind, data, title=title)
    for person in people[:2]:
        ballot_cast(proposal=proposal, voter=person, choice="yes")
    return proposal.get_absolute_url()


def _vote_last_and_see_it_decided(page):
    header = page.locator("#proposal-status")
    expect(header).to_contain_text("closes in")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("Everyone has voted, so the proposal is decided.")).to_be_visible()
    expect(header).to_contain_text("passed")
    expect(header).not_to_contain_text("closes in")
    expect(page.locator("#vote").get_by_text("Decided: passed")).to_be_visible()
    expect(page.get_by_text("What it needs to pass")).to_have_count(0)


@pytest.mark.parametrize("viewport", [PHONE_VIEWPORT, DESKTOP_VIEWPORT], ids=["phone", "desktop"])
def test_the_last_voter_sees_the_header_and_the_result_change_together(
    new_page, no_js, live_server, viewport
):
    circle, people = make_circle(members=3, name="Kettle Club", slug="kettle-club")
    add = propose(
        circle,
        people[0],
        ProposalKind.ADD_AGREEMENT,
        {"title": "Quiet hours", "text": "No calls after 10pm. <script>x</script>"},
    )
    for person in people:
        ballot_cast(proposal=add, voter=person, choice="yes")
    amendment = _two_of_three_voted(
        circle,
        people,
        ProposalKind.AMEND_AGREEMENT,
        {
            "agreement": circle.agreements.get(),
            "title": "Quiet hours",
            "text": "No calls after 11pm. <script>x</script>",
        },
        title="Later quiet hours",
    )
    resolution = _two_of_three_voted(circle, people, title="Buy a kettle")

    # With JavaScript: htmx swaps the votes and the header at once, without a reload.
    page = new_page(viewport)
    log_in(page, people[2], live_server.url)
    page.goto(amendment)
    standing = page.locator("#standing")
    expect(standing).to_contain_text("2 of 3 voters have voted. Quorum reached")
    expect(standing).to_contain_text("If it closed now, it would pass.")
    diff = page.locator(".diff")
    expect(diff.locator("del")).to_have_text("removed: 10pm.")
    expect(diff.locator("ins")).to_have_text("added: 11pm.")
    expect(diff).to_contain_text("<script>x</script>")
    assert_accessible(page, "open amendment with its diff")
    assert_fits_width(page, "open amendment")
    page.evaluate("window.notReloaded = true")
    _vote_last_and_see_it_decided(page)
    assert page.evaluate("window.notReloaded") is True
    assert_accessible(page, "decided amendment")

    # Without JavaScript: the form posts, and the page it returns to says it all.
    plain = no_js(people[2], viewport)
    plain.goto(resolution)
    expect(plain.locator("#standing")).to_contain_text("It passes if more vote yes than no")
    _vote_last_and_see_it_decided(plain)
