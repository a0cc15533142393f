"""The phone-first layout, as a member finds it at 360 x 740 and at 1280 x 800, with
JavaScript and without: the circle's four main places and "More", what waits for them, the
first post on the first screen, and Peernet's own 404 for a private circle with DEBUG on."""

import pytest
from playwright.sync_api import expect

from circles.services import join_request_create, response_create
from tests.e2e.browser import (
    DESKTOP_VIEWPORT,
    PHONE_VIEWPORT,
    assert_accessible,
    assert_fits_width,
    log_in,
)
from tests.factories import UserFactory, make_circle, make_post
from tests.governance.conftest import propose

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("viewport", "javascript"),
    [(PHONE_VIEWPORT, True), (DESKTOP_VIEWPORT, True), (PHONE_VIEWPORT, False)],
    ids=["phone", "desktop", "phone-no-js"],
)
def test_circle_nav_counts_first_post_and_friendly_404(
    new_page, no_js, live_server, settings, viewport, javascript
):
    circle, (ana, bo, _cy) = make_circle(members=3, name="Eastside Neighbours")
    join_request_create(circle=circle, user=UserFactory(display_name="Dee"), message="Hi")
    propose(circle, bo, title="Meet on Sundays")
    for n in range(3):
        make_post(circle, bo, kind="offer", title=f"Spare chairs {n}", category="items")
    need = make_post(circle, ana, title="Soup for a sick neighbour", category="food")
    response_create(post=need, responder=bo, text="I can bring some tonight.")
    private, _ = make_circle(members=1, visibility="private")

    if javascript:
        page = new_page(viewport)
        log_in(page, ana, live_server.url)
    else:
        page = no_js(ana, viewport)
    page.goto(f"/c/{circle.slug}/board/")

    # The four places used most, with what waits for Ana, in words a screen reader says.
    nav = page.get_by_role("navigation", name="Circle")
    for place in ("Home", "Members"):
        expect(nav.get_by_role("link", name=place, exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Board 1 unread conversation")).to_be_visible()
    expect(nav.get_by_role("link", name="Proposals 1 open vote you have not cast")).to_be_visible()
    expect(nav.get_by_role("link", name="Settings")).to_be_hidden()

    # The first post is on the first screen, under the header, the menu and the filter.
    first_post = page.get_by_role("link", name="Soup for a sick neighbour")
    expect(first_post).to_be_visible()
    assert first_post.bounding_box()["y"] < viewport["height"]
    assert_fits_width(page, "board")
    if javascript:  # axe runs in the page; the markup is the same without scripts
        assert_accessible(page, "board")

    # The rest is one tap away, and the join request waits there.
    more = nav.locator("summary")
    expect(more).to_contain_text("1 join request to review")
    more.click()
    for place in ("Care rota", "Crisis plan", "Agreements", "Decisions", "Invites", "Settings"):
        expect(nav.get_by_role("link", name=place)).to_be_visible()
    nav.get_by_role("link", name="Join requests 1 join request to review").click()
    expect(page.get_by_text("Hi", exact=True)).to_be_visible()
    if javascript:
        assert_accessible(page, "join requests")

    # Once Ana votes, the vote no longer waits.
    page.goto(f"/c/{circle.slug}/proposals/")
    page.get_by_role("link", name="Meet on Sundays").click()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("You voted: Yes.")).to_be_visible()
    page.goto(f"/c/{circle.slug}/")
    expect(nav.get_by_role("link", name="Proposals", exact=True)).to_be_visible()

    # A private circle's page is Peernet's own 404, even with DEBUG on.
    settings.DEBUG = True
    response = page.goto(f"/c/{private.slug}/board/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We can't find that page")
    expect(page.get_by_role("link", name="Go to the home page")).to_be_visible()
    if javascript:
        assert_accessible(page, "404")
