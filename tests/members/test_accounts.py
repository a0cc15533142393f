"""Sign-up, login by code and profile, through the client: what a person sees."""

import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from peernet.members.models import Profile, User

pytestmark = pytest.mark.django_db

CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", re.MULTILINE)


def code_in(message) -> str:
    return CODE_RE.search(message.body).group(1)


def sign_up(client, email="sky@example.org", display_name="Sky"):
    return client.post("/accounts/signup/", {"email": email, "display_name": display_name})


def test_sign_up_asks_only_email_and_display_name_then_a_code(client, mailoutbox):
    response = sign_up(client)
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    user = User.objects.get(email="sky@example.org")
    assert user.display_name == "Sky"
    assert not user.has_usable_password()
    assert Profile.objects.filter(user=user).exists()
    assert len(mailoutbox) == 1

    response = client.post("/accounts/confirm-email/", {"code": code_in(mailoutbox[0])})
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    home = client.get("/")
    assert home.context["user"] == user
    assert "Welcome back, Sky." in home.content.decode()


def test_sign_up_remembers_the_language_it_was_made_in(client, mailoutbox):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    sign_up(client)
    assert User.objects.get(email="sky@example.org").language == "es"


@pytest.mark.parametrize(
    ("email", "display_name", "error"),
    [
        ("not-an-email", "Sky", "Enter a valid email address."),
        ("sky@example.org", "", "This field is required."),
        ("sky@example.org", "x" * 300, "Ensure this value has at most 80 characters"),
    ],
)
def test_sign_up_bad_input_gets_a_message_and_keeps_what_was_typed(
    client, email, display_name, error
):
    response = sign_up(client, email=email, display_name=display_name)
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    assert f'value="{email}"' in html
    if display_name:
        assert f'value="{display_name}"' in html
    assert not User.objects.exists()


def test_login_by_code_is_the_default_login(client, user, mailoutbox):
    assert settings.LOGIN_URL == "account_request_login_code"
    response = client.post("/accounts/login/code/", {"email": user.email})
    assert response.status_code == 302
    response = client.post("/accounts/login/code/confirm/", {"code": code_in(mailoutbox[-1])})
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200


def test_a_wrong_login_code_gets_a_clear_message(client, user, mailoutbox):
    client.post("/accounts/login/code/", {"email": user.email})
    response = client.post("/accounts/login/code/confirm/", {"code": "WRONG-CODE"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Incorrect code." in html
    assert 'value="WRONG-CODE"' in html
    assert client.get("/me/").status_code == 302


def test_an_expired_login_code_gets_a_clear_message(client, user, mailoutbox):
    client.post("/accounts/login/code/", {"email": user.email})
    code = code_in(mailoutbox[-1])
    later = timezone.now() + timezone.timedelta(seconds=settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT + 5)
    with time_machine.travel(later):
        response = client.post("/accounts/login/code/confirm/", {"code": code}, follow=True)
    assert response.status_code == 200
    assert client.get("/me/").status_code == 302
    html = response.content.decode()
    assert "Send me a sign-in code" in html or "expired" in html.lower()


def test_a_password_can_be_added_later(client, user):
    client.force_login(user)
    assert "Add a password (optional)" in client.get("/me/").content.decode()
    response = client.post(
        "/accounts/password/set/",
        {"password1": "a long passphrase 42", "password2": "a long passphrase 42"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a long passphrase 42")


def test_logout_ends_the_session(client, user):
    client.force_login(user)
    client.post("/accounts/logout/")
    assert client.get("/me/").status_code == 302


class TestProfile:
    def test_account_pages_need_login(self, client):
        for url in ["/me/", "/me/profile/"]:
            response = client.get(url)
            assert response.status_code == 302
            assert response.url.startswith("/accounts/login/code/")

    def test_edit_profile(self, client, user):
        client.force_login(user)
        response = client.post(
            "/me/profile/",
            {
                "display_name": "  Wren ",
                "pronouns": "she/her",
                "bio": "Gardener.",
                "languages": "English",
                "area": "Eastside",
                "help_categories": ["food", "errands"],
                "lived_experience": "",
            },
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.display_name == "Wren"
        assert user.profile.help_categories == ["food", "errands"]
        assert user.profile.area == "Eastside"
        page = client.get("/me/").content.decode()
        assert "she/her" in page
        assert "Errands" in page

    def test_bad_profile_input_keeps_what_was_typed(self, client, user):
        client.force_login(user)
        response = client.post(
            "/me/profile/",
            {"display_name": "", "pronouns": "they", "bio": "b" * 600, "help_categories": ["nope"]},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "This field is required." in html
        assert "Ensure this value has at most 500 characters" in html
        assert "Select a valid choice." in html
        assert 'value="they"' in html
        user.refresh_from_db()
        assert user.display_name != ""
        assert user.profile.pronouns == ""


class TestLanguage:
    def test_switching_language_sets_cookie_and_member_language(self, client, user):
        client.force_login(user)
        response = client.post("/me/language/", {"language": "es", "next": "/me/"})
        assert response.status_code == 302
        assert response.url == "/me/"
        user.refresh_from_db()
        assert user.language == "es"
        assert 'lang="es"' in client.get("/me/").content.decode()

    def test_member_language_follows_them_to_a_new_device(self, client, user):
        user.language = "es"
        user.save()
        client.force_login(user)
        assert 'lang="es"' in client.get("/").content.decode()

    def test_visitor_switch_and_unknown_language(self, client):
        response = client.post("/me/language/", {"language": "es", "next": "/"})
        assert response.status_code == 302
        assert 'lang="es"' in client.get("/").content.decode()
        response = client.post("/me/language/", {"language": "xx", "next": "/"})
        assert response.status_code == 302
        assert 'lang="es"' in client.get("/").content.decode()
