import pytest
from playwright.sync_api import expect

from peernet.members.models import User
from tests.e2e.browser import assert_accessible, assert_fits_width, code_from_email

pytestmark = pytest.mark.e2e


def test_sign_up_log_in_by_code_edit_profile_spanish_log_out(page, phone_page, mailoutbox):
    page.goto("/")
    assert_accessible(page, "landing")
    page.get_by_role("link", name="Join Peernet").click()

    assert_accessible(page, "sign-up")
    page.get_by_label("Email").fill("river@example.org")
    page.get_by_label("Display name").fill("River")
    page.get_by_role("button", name="Sign Up").click()

    # Sign-up is confirmed with a code sent by email: no password anywhere.
    assert_accessible(page, "email verification code")
    page.get_by_label("Code").fill(code_from_email(mailoutbox[-1]))
    page.get_by_role("button", name="Confirm").click()
    # A new account lands on its first steps (tests/e2e/test_first_hour_journey.py).
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Peernet, River")
    assert User.objects.get(email="river@example.org").display_name == "River"

    page.get_by_role("link", name="My account").click()
    page.get_by_role("link", name="Edit my profile").click()
    assert_accessible(page, "profile form")
    page.get_by_label("Pronouns").fill("they/them")
    page.get_by_label("Food").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_text("they/them")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()

    # Logging in again: the emailed code is the default path.
    page.get_by_role("link", name="Log in", exact=True).click()
    assert_accessible(page, "request login code")
    page.get_by_label("Email").fill("river@example.org")
    page.get_by_role("button", name="Request Code").click()
    assert_accessible(page, "enter login code")
    page.get_by_label("Code").fill(code_from_email(mailoutbox[-1]))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Welcome back, River.")).to_be_visible()

    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ayuda mutua, entre pares")
    assert User.objects.get(email="river@example.org").language == "es"
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page.get_by_role("link", name="Iniciar sesión", exact=True)).to_be_visible()

    phone_page.goto("/accounts/signup/")
    assert_fits_width(phone_page, "sign-up at 360px")
    assert_accessible(phone_page, "sign-up at 360px")
