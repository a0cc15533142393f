"""Browser journeys: a need and an offer, from posting to a thank-you, on a phone and a desk."""

import re

import pytest
from playwright.sync_api import expect

from circles.models import Post
from tests.e2e.browser import (
    DESKTOP_VIEWPORT,
    PHONE_VIEWPORT,
    assert_accessible,
    assert_fits_width,
    log_in,
)
from tests.factories import make_circle

pytestmark = pytest.mark.e2e


def check(page, label, *, phone):
    assert_accessible(page, label)
    if phone:
        assert_fits_width(page, f"{label} at 360px")


def post_something(page, circle, *, kind, title, category, phone):
    page.goto(f"/c/{circle.slug}/board/")
    check(page, "board", phone=phone)
    page.get_by_role("link", name="Ask for help" if kind == "need" else "Offer something").click()
    check(page, "new post form", phone=phone)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Category").select_option(label=category)
    page.get_by_role("button", name="Post it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    check(page, "post page", phone=phone)


def respond_through_the_filter(page, circle, *, search, title, button, text, phone):
    page.goto(f"/c/{circle.slug}/board/")
    page.get_by_label("Search").fill(search)
    # htmx filters as the member types, and puts the filter in the address bar.
    expect(page).to_have_url(f"{page.url.split('?')[0]}?q={search}&kind=&category=&status=open")
    page.get_by_role("link", name=title).click()
    check(page, "post page", phone=phone)
    page.get_by_role("textbox", name="Message").fill(text)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_text(text)).to_be_visible()
    check(page, "conversation", phone=phone)
    return page.url


def reply_and_finish(author_page, conversation_url, *, reply, thanks, phone):
    author_page.goto(conversation_url)
    check(author_page, "conversation", phone=phone)
    author_page.get_by_role("textbox", name="Message").fill(reply)
    author_page.get_by_role("button", name="Send").click()
    # Sent through htmx: the thread updates in place and the box is empty again.
    expect(author_page.locator("#thread")).to_contain_text(reply)
    expect(author_page.get_by_role("textbox", name="Message")).to_have_value("")
    author_page.get_by_role("link", name="Back to the post").click()
    author_page.get_by_role("button", name=re.compile(r"^Accept .*'s help$")).click()
    expect(author_page.get_by_text("Accepted. The post is now in progress.")).to_be_visible()
    author_page.get_by_label("A public thank-you note (optional)").fill(thanks)
    author_page.get_by_role("button", name="Mark as fulfilled").click()
    expect(author_page.get_by_text("Marked as fulfilled. Thank you!")).to_be_visible()
    expect(author_page.locator("main")).to_contain_text(thanks)


def test_a_need_is_met_from_a_phone(new_page, live_server):
    circle, (ana, bo) = make_circle(members=2, name="Huerta")
    ana_page = new_page(PHONE_VIEWPORT)
    bo_page = new_page(PHONE_VIEWPORT)
    log_in(ana_page, ana, live_server.url)
    log_in(bo_page, bo, live_server.url)

    post_something(
        ana_page, circle, kind="need", title="Groceries after surgery", category="Food", phone=True
    )
    conversation = respond_through_the_filter(
        bo_page,
        circle,
        search="surgery",
        title="Groceries after surgery",
        button="Send: I can help",
        text="I shop on Fridays, I can bring yours.",
        phone=True,
    )
    reply_and_finish(
        ana_page, conversation, reply="Friday is perfect.", thanks="Bo kept me fed.", phone=True
    )
    post = Post.objects.get(title="Groceries after surgery")
    assert (post.status, post.accepted_response.responder) == ("fulfilled", bo)
    bo_page.goto(conversation)
    expect(bo_page.locator("#thread")).to_contain_text("Friday is perfect.")
    expect(bo_page.get_by_text("This conversation is closed")).to_be_visible()


def test_an_offer_is_taken_up_at_a_desk(new_page, live_server):
    circle, (chen, dee) = make_circle(members=2, name="Huerta")
    chen_page = new_page(DESKTOP_VIEWPORT)
    dee_page = new_page(PHONE_VIEWPORT)
    log_in(chen_page, chen, live_server.url)
    log_in(dee_page, dee, live_server.url)

    post_something(
        chen_page, circle, kind="offer", title="A spare pushchair", category="Items", phone=False
    )
    conversation = respond_through_the_filter(
        dee_page,
        circle,
        search="pushchair",
        title="A spare pushchair",
        button="Send: I'd like this",
        text="We would love it for our baby.",
        phone=True,
    )
    reply_and_finish(
        chen_page, conversation, reply="It is yours.", thanks="Glad it helps.", phone=False
    )
    assert Post.objects.get(title="A spare pushchair").status == "fulfilled"
