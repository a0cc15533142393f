"""A newcomer's first hour on a phone: sign up, land on the first steps, start a circle with
its starter agreements, one of them in their own words, and find them in the circle."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from circles.models import Circle
from governance.models import Agreement
from tests.e2e.browser import assert_accessible, assert_fits_width, code_from_email

pytestmark = pytest.mark.e2e

OWN_WORDS = "What we share here stays here. We listen first, and nobody has to explain."


def test_sign_up_then_start_a_circle_with_starter_agreements(phone_page, mailoutbox):
    page = phone_page
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("wren@example.org")
    page.get_by_label("Display name").fill("Wren")
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_label("Code").fill(code_from_email(mailoutbox[-1]))
    page.get_by_role("button", name="Confirm").click()

    # The first page says where to begin: find a circle, or start one.
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Peernet, Wren")
    expect(page.get_by_role("heading", name="Find a circle")).to_be_visible()
    expect(page.get_by_role("search").get_by_label("What are you looking for?")).to_be_visible()
    expect(page.get_by_role("heading", name="Start a circle")).to_be_visible()
    assert_accessible(page, "welcome at 360px")
    assert_fits_width(page, "welcome at 360px")

    page.get_by_role("link", name="Start a circle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a circle")
    assert_accessible(page, "new circle form at 360px")
    assert_fits_width(page, "new circle form at 360px")
    starters = page.get_by_role("group", name="Starter agreements")
    for title in ("Care and confidentiality", "Consent before sharing outside the circle"):
        expect(starters.get_by_role("checkbox", name=f"Adopt “{title}”")).to_be_checked()
    expect(starters.get_by_label("Text of “How we decide”")).to_contain_text(
        "Voting stays open for 7 days."
    )

    page.get_by_label("Name").fill("Night Owls")
    page.get_by_label("Text of “Care and confidentiality”").fill(OWN_WORDS)
    page.get_by_role("checkbox", name="Adopt “How we decide”").uncheck()
    page.get_by_role("button", name="Start the circle").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Night Owls")
    circle = Circle.objects.get(name="Night Owls")
    page.goto(reverse("governance:agreements", args=[circle.slug]))
    expect(page.get_by_role("heading", name="Care and confidentiality")).to_be_visible()
    expect(page.get_by_text(OWN_WORDS)).to_be_visible()
    expect(
        page.get_by_role("heading", name="Consent before sharing outside the circle")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="How we decide")).to_have_count(0)
    assert set(Agreement.objects.values_list("title", flat=True)) == {
        "Care and confidentiality",
        "Consent before sharing outside the circle",
    }

    # Each is the founder's decision at founding, in the history like any other.
    page.get_by_role("link", name="Care and confidentiality").click()
    page.get_by_role("link", name="Founding agreement: Care and confidentiality").click()
    expect(page.get_by_text("Adopted by the member who started the circle")).to_be_visible()
    expect(page.get_by_text("proposed by Wren")).to_be_visible()
