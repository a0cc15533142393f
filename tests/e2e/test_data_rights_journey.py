"""Browser journey: a member takes their data and leaves; the circle keeps what they wrote."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from circles import services
from peernet.members.models import User
from tests.e2e.browser import PHONE_VIEWPORT, assert_accessible, assert_fits_width, log_in
from tests.factories import make_circle, make_post

pytestmark = pytest.mark.e2e


def test_a_member_exports_then_deletes_and_others_see_former_member(new_page, live_server):
    circle, (rui, sol) = make_circle(members=2, name="Huerta")
    post = make_post(circle, rui, kind="offer", title="Seedlings to share", category="items")
    response = services.response_create(post=post, responder=sol, text="I'd love some.")
    services.message_send(response=response, sender=rui, text="Come by on Saturday.")
    services.post_fulfil(post=post, author=rui, thank_you="Happy growing.")

    page = new_page(PHONE_VIEWPORT)
    log_in(page, rui, live_server.url)
    page.goto("/me/")
    page.get_by_role("link", name="Download everything Peernet holds about me").click()
    assert_accessible(page, "my data")
    assert_fits_width(page, "my data at 360px")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data (JSON)").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["email"] == rui.email
    assert [p["title"] for p in data["posts"]] == ["Seedlings to share"]
    assert [m["text"] for m in data["messages_written"]] == ["Come by on Saturday."]

    page.get_by_role("link", name="Delete my account").click()
    assert_accessible(page, "delete my account")
    assert_fits_width(page, "delete my account at 360px")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Tick the box to confirm")).to_be_visible()
    page.get_by_label("I understand that my account is deleted for good").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account is deleted.")).to_be_visible()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    assert not User.objects.filter(email=rui.email).exists()

    other = new_page(PHONE_VIEWPORT)
    log_in(other, sol, live_server.url)
    other.goto(f"/c/{circle.slug}/posts/{post.pk}/")
    expect(other.locator("main")).to_contain_text("posted by former member")
    expect(other.locator("main")).to_contain_text("Happy growing.")
    other.get_by_role("link", name="Go to your conversation about this post").click()
    expect(other.locator("#thread")).to_contain_text("Come by on Saturday.")
    expect(other.locator("#thread")).to_contain_text("former member")
    assert rui.display_name not in other.content()
