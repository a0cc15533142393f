"""The smaller findings of the attack: plain-text email, invisible text, a former member's
notifications, private caching, unsubscribe links and the demo login."""

import json

import pytest
from django.core import signing
from django.urls import reverse

from circles.services import (
    join_request_create,
    membership_end,
    message_send,
    response_create,
)
from peernet.members.unsubscribe import SALT
from peernet.notify.emails import unsubscribe_url
from peernet.notify.models import Notification
from tests.factories import UserFactory, make_circle, make_post

pytestmark = pytest.mark.django_db

AWKWARD_NAME = 'O\'Brien & "Sons" <3'
INVISIBLE = ["\u200b", "\u200b\u200c\u200d", "\ufeff\u2060", " \u200b \u00a0", "\x01\x02"]


def test_plain_text_email_shows_names_as_typed(mailoutbox, django_capture_on_commit_callbacks):
    circle, _ = make_circle(members=1, name="Tea & Talk", join_policy="approval")
    applicant = UserFactory(display_name=AWKWARD_NAME)
    with django_capture_on_commit_callbacks(execute=True):
        join_request_create(circle=circle, user=applicant, message="")
    message = mailoutbox[-1]
    assert AWKWARD_NAME in message.subject
    assert "Tea & Talk" in message.subject
    assert AWKWARD_NAME in message.body
    for escaped in ("&amp;", "&quot;", "&#x27;", "&lt;", "&gt;"):
        assert escaped not in message.body
        assert escaped not in message.subject
    html = message.alternatives[0][0]
    assert "O&#x27;Brien &amp; &quot;Sons&quot; &lt;3" in html


def test_a_name_cannot_inject_email_headers(mailoutbox, django_capture_on_commit_callbacks):
    circle, _ = make_circle(members=1, join_policy="approval")
    sneaky = UserFactory(display_name="Eve\r\nBcc: everyone@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        join_request_create(circle=circle, user=sneaky, message="")
    message = mailoutbox[-1].message()
    assert message["Bcc"] is None
    assert "\n" not in mailoutbox[-1].subject


@pytest.fixture
def member_client(client):
    circle, (member,) = make_circle(members=1)
    client.force_login(member)
    return client, circle, member


@pytest.mark.parametrize("invisible", INVISIBLE)
def test_text_made_only_of_invisible_characters_is_refused(member_client, invisible):
    client, circle, _member = member_client
    answer = client.post(
        reverse("circles:post_create", args=[circle.slug]),
        {"kind": "need", "title": invisible, "category": "food", "days": "7",
         "details": "Kept as typed"},
    )  # fmt: skip
    assert answer.status_code == 200
    assert "This field is required." in answer.context["form"].errors["title"][0]
    assert "Kept as typed" in answer.content.decode()
    answer = client.post(
        reverse("circles:create"),
        {"name": invisible, "language": "en", "visibility": "public", "join_policy": "open",
         "approvals_needed": "1"},
    )  # fmt: skip
    assert answer.status_code == 200
    assert answer.context["form"].errors["name"]
    answer = client.post(reverse("members:profile"), {"display_name": invisible})
    assert answer.status_code == 200
    assert answer.context["form"].errors["display_name"]


def test_control_characters_are_stripped_and_joiners_inside_words_kept(member_client):
    client, circle, _member = member_client
    title = "Soup\x07 for\x1b two 👩\u200d👧"
    client.post(
        reverse("circles:post_create", args=[circle.slug]),
        {"kind": "need", "title": title, "category": "food", "days": "7",
         "details": "line one\r\nline\x00 two\ttabbed"},
    )  # fmt: skip
    post = circle.posts.get()
    assert post.title == "Soup for two 👩\u200d👧"
    assert post.details == "line one\nline two\ttabbed"


def test_signup_refuses_an_invisible_display_name(client):
    answer = client.post("/accounts/signup/", {"email": "z@example.org", "display_name": "\u200b"})
    assert answer.status_code == 200
    assert "z@example.org" in answer.content.decode()


def test_leaving_a_circle_ends_its_notifications():
    circle, (author, helper) = make_circle(members=2, visibility="private")
    post = make_post(circle, author)
    response = response_create(post=post, responder=helper, text="I can help")
    membership_end(circle=circle, user=author)
    before = Notification.objects.filter(recipient=author).count()
    message_send(response=response, sender=helper, text="Are you still there?")
    assert Notification.objects.filter(recipient=author).count() == before


def test_signed_in_pages_are_private_and_not_stored(client, user):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    client.force_login(user)
    for url in ["/", "/me/", "/circles/", "/board/", "/me/notifications/"]:
        cache_control = client.get(url).headers.get("Cache-Control", "")
        assert "private" in cache_control, url
        assert "no-store" in cache_control, url


def test_an_unsubscribe_link_does_not_carry_the_account_id(user):
    url = unsubscribe_url(user=user, topic=None)
    token = url.rstrip("/").rsplit("/", 1)[-1]
    data = signing.loads(token, salt=SALT)
    assert user.pk not in data.values()
    assert str(user.pk) not in json.dumps(data).replace('"', " ").split()
    assert user.email not in json.dumps(data)


def test_an_unsubscribe_link_still_works(client, user):
    token = unsubscribe_url(user=user, topic="posts").rstrip("/").rsplit("/", 1)[-1]
    client.post(reverse("members:unsubscribe", args=[token]))
    user.notification_settings.refresh_from_db()
    assert user.notification_settings.posts == "off"


def test_the_demo_login_the_readme_gives_works(client):
    from peernet.members.demo import DEMO_PASSWORD, seed_members

    ana = seed_members()["ana"]
    page = client.get("/accounts/login/").content.decode()
    assert 'type="password"' in page
    answer = client.post("/accounts/login/", {"login": ana.email, "password": DEMO_PASSWORD})
    assert answer.status_code == 302
    assert client.get("/me/").status_code == 200


def test_the_login_page_without_a_password_sends_a_code(client, user, mailoutbox):
    answer = client.post("/accounts/login/", {"login": user.email, "password": ""})
    assert answer.status_code == 302
    assert "code" in answer.url
    assert len(mailoutbox) == 1
