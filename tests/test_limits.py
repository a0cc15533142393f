"""Limits on floods: past a limit the real page refuses with a message that says when to try
again, keeps what was typed, answers 429 where the page is ours, and stores nothing.

Each test starts with the counters all but used up (`use_up`), so one request through the page
shows that the service counts it and the next is refused.
"""

import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from allauth.core.ratelimit import respond_429
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from circles import services
from circles.models import Invite, JoinRequest, Message, Post, Response
from peernet import limits
from peernet.errors import DomainError
from peernet.limits import RateLimited, limit_hit, try_again_message
from peernet.notify.models import EmailDelivery
from tests.factories import UserFactory, make_circle, make_post
from tests.helpers import production_like_env

pytestmark = pytest.mark.django_db

REFUSED = "You have done this many times in a short while."
TRY_AGAIN = "Please try again in about"
TOO_MANY_REQUESTS = 429

POST_DATA = {
    "kind": "need",
    "title": "A lift to the food bank",
    "details": "Saturday morning, two heavy bags.",
    "category": "transport",
    "urgency": "normal",
    "area": "Northside",
    "days": "30",
}


@pytest.fixture(autouse=True)
def _flood_limits_on(settings):
    """tests/conftest.py turns the limits off for every other test."""
    settings.RATELIMIT_ENABLE = True


def use_up(limit, key: str, *, leave: int = 1) -> None:
    """Count attempts until only `leave` remain for key."""
    for _ in range(limit.count - leave):
        limit_hit(limit, key=key)


def assert_refused_and_kept(answer, *typed: str) -> None:
    assert answer.status_code == TOO_MANY_REQUESTS
    body = answer.content.decode()
    assert REFUSED in body
    assert TRY_AGAIN in body
    for text in typed:
        assert text in body


@pytest.fixture
def circle_and_people(client):
    circle, (author, other) = make_circle(members=2)
    return circle, author, other


# --- The limits themselves -------------------------------------------------------------------


def test_a_limit_lets_exactly_its_count_through_per_key():
    use_up(limits.POSTS, "user:1", leave=0)
    with pytest.raises(RateLimited) as refused:
        limit_hit(limits.POSTS, key="user:1")
    assert isinstance(refused.value, DomainError)
    assert 0 < refused.value.seconds_left <= limits.POSTS.period.total_seconds()
    assert refused.value.message.startswith(REFUSED)
    # Another member, and another action for the same member, count apart.
    limit_hit(limits.POSTS, key="user:2")
    limit_hit(limits.RESPONSES, key="user:1")


@pytest.mark.parametrize(
    ("seconds", "wait"),
    [
        (-1, "about 1 minute."),
        (0, "about 1 minute."),
        (59, "about 1 minute."),
        (61, "about 2 minutes."),
        (59 * 60, "about 59 minutes."),
        (60 * 60, "about 1 hour."),
        (60 * 60 + 1, "about 2 hours."),
        (24 * 60 * 60 - 5, "about 24 hours."),
    ],
)
def test_the_message_says_when_to_try_again_rounding_up(seconds, wait):
    assert try_again_message(seconds=seconds) == f"{REFUSED} Please try again in {wait}"


def test_every_limit_lets_a_person_do_a_days_ordinary_work():
    per_hour = {
        limit: limit.count / (limit.period / timedelta(hours=1))
        for limit in (limits.POSTS, limits.RESPONSES, limits.MESSAGES, limits.JOIN_REQUESTS)
    }
    assert all(rate >= 10 for rate in per_hour.values()), per_hour
    assert limits.REPORTS.count >= 10
    assert limits.INVITE_EMAILS.count > limits.INVITE_EMAILS_TO_ADDRESS.count >= 2
    groups = [limit.group for limit in vars(limits).values() if isinstance(limit, limits.Limit)]
    assert len(groups) == len(set(groups))


# --- Each limited action, through its page ---------------------------------------------------


def test_a_new_post_past_the_limit_is_refused_with_the_input_kept(client, circle_and_people):
    circle, author, _other = circle_and_people
    use_up(limits.POSTS, limits.member_key(author))
    client.force_login(author)
    url = reverse("circles:post_create", args=[circle.slug])
    assert client.post(url, POST_DATA).status_code == 302
    assert Post.objects.count() == 1

    answer = client.post(url, {**POST_DATA, "title": "Soup for the week"})
    assert_refused_and_kept(answer, "Soup for the week", "Saturday morning, two heavy bags.")
    assert answer.context["form"].non_field_errors()[0].startswith(REFUSED)
    assert Post.objects.count() == 1


def test_after_the_period_the_same_form_goes_through(client, circle_and_people):
    """The refused page keeps its one-time key; sent again later, it makes one post."""
    circle, author, _other = circle_and_people
    client.force_login(author)
    url = reverse("circles:post_create", args=[circle.slug])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        use_up(limits.POSTS, limits.member_key(author), leave=0)
        key = client.get(url).context["form"].initial["submission"]
        answer = client.post(url, {**POST_DATA, "submission": key})
        assert answer.status_code == TOO_MANY_REQUESTS
        assert answer.context["form"]["submission"].value() == key
    assert not Post.objects.exists()
    with time_machine.travel(start + limits.POSTS.period + timedelta(seconds=1), tick=False):
        made = client.post(url, {**POST_DATA, "submission": key})
        again = client.post(url, {**POST_DATA, "submission": key})
    post = Post.objects.get()
    assert post.title == POST_DATA["title"]
    assert made.url == again.url == reverse("circles:post", args=[circle.slug, post.pk])


def test_a_response_past_the_limit_is_refused_with_the_input_kept(client, circle_and_people):
    circle, author, other = circle_and_people
    first, second = make_post(circle, author), make_post(circle, author, title="Soup")
    use_up(limits.RESPONSES, limits.member_key(other))
    client.force_login(other)
    sent = client.post(
        reverse("circles:post_respond", args=[circle.slug, first.pk]), {"text": "I can help."}
    )
    assert sent.status_code == 302

    answer = client.post(
        reverse("circles:post_respond", args=[circle.slug, second.pk]),
        {"text": "I make soup on Sundays."},
    )
    assert_refused_and_kept(answer, "I make soup on Sundays.")
    assert answer.context["post"] == second
    assert Response.objects.count() == 1
    assert Message.objects.count() == 1


def test_a_message_past_the_limit_is_refused_with_the_input_kept(client, circle_and_people):
    circle, author, other = circle_and_people
    post = make_post(circle, author)
    response = services.response_create(post=post, responder=other, text="I can help.")
    use_up(limits.MESSAGES, limits.member_key(author))
    client.force_login(author)
    url = reverse("circles:conversation", args=[circle.slug, post.pk, response.pk])
    assert client.post(url, {"text": "Thank you! When?"}).status_code == 302

    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        answer = client.post(url, {"text": "Is Thursday at 5 all right?"}, **headers)
        assert_refused_and_kept(answer, "Is Thursday at 5 all right?")
    assert Message.objects.filter(response=response).count() == 2


def test_a_join_request_past_the_limit_is_refused_with_the_input_kept(client):
    (first, _), (second, _) = make_circle(members=1), make_circle(members=1)
    applicant = UserFactory()
    use_up(limits.JOIN_REQUESTS, limits.member_key(applicant))
    client.force_login(applicant)
    sent = client.post(reverse("circles:join", args=[first.slug]), {"message": "I live nearby."})
    assert sent.status_code == 302
    assert JoinRequest.objects.count() == 1

    answer = client.post(
        reverse("circles:join", args=[second.slug]), {"message": "I cook for neighbours."}
    )
    assert_refused_and_kept(answer, "I cook for neighbours.")
    assert JoinRequest.objects.count() == 1


def invite(client, circle, email: str):
    return client.post(
        reverse("circles:invites", args=[circle.slug]),
        {"days": "7", "max_uses": "1", "email": email},
    )


def test_invite_emails_past_a_members_limit_are_refused_with_the_input_kept(
    client, django_capture_on_commit_callbacks
):
    circle, (member,) = make_circle(members=1)
    use_up(limits.INVITE_EMAILS, limits.member_key(member))
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client, circle, "kim@example.org").status_code == 302
        answer = invite(client, circle, "lee@example.org")
    assert_refused_and_kept(answer, 'value="lee@example.org"')
    assert list(Invite.objects.values_list("email", flat=True)) == ["kim@example.org"]
    assert EmailDelivery.objects.count() == 1
    # A link to share by hand is not an email: it still works.
    assert invite(client, circle, "").status_code == 302


def test_invite_emails_to_one_address_are_limited_whoever_sends_them(
    client, django_capture_on_commit_callbacks
):
    circle, members = make_circle(members=limits.INVITE_EMAILS_TO_ADDRESS.count + 1)
    addresses = ["sam@example.org", "Sam@Example.org", " SAM@example.org", "sam@example.org"]
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for member, address in zip(members, addresses, strict=True):
            client.force_login(member)
            answers.append(invite(client, circle, address))
    *sent, refused = answers
    assert [answer.status_code for answer in sent] == [302] * limits.INVITE_EMAILS_TO_ADDRESS.count
    assert_refused_and_kept(refused, 'value="sam@example.org"')
    assert Invite.objects.count() == EmailDelivery.objects.count() == len(sent)
    # Another address is not held up.
    assert invite(client, circle, "ash@example.org").status_code == 302


# --- Login codes (allauth's limit) -----------------------------------------------------------

WAIT = f"{TRY_AGAIN} {settings.LOGIN_LIMIT_WINDOW // timedelta(minutes=1)} minutes."


def ask_for_code(client, email: str, *, url: str = "", field: str = "email", **headers):
    """From a fresh session, as a script would (a browser with a code pending is sent on to
    enter it instead)."""
    client.cookies.clear()
    return client.post(url or reverse("account_request_login_code"), {field: email}, **headers)


def test_login_codes_past_the_limit_per_address_get_a_clear_message(client, user, mailoutbox):
    for _ in range(settings.LOGIN_CODES_PER_ADDRESS):
        assert ask_for_code(client, user.email).status_code == 302
    assert len(mailoutbox) == settings.LOGIN_CODES_PER_ADDRESS

    typed = user.email.upper()
    answer = ask_for_code(client, typed)
    assert answer.status_code == 200
    body = answer.content.decode()
    assert f"{REFUSED} {WAIT}" in body
    assert f'value="{typed}"' in body
    # The login page's own way to a code (no password) shares the limit and says the same.
    answer = ask_for_code(client, user.email, url=reverse("account_login"), field="login")
    body = answer.content.decode()
    assert f"{REFUSED} {WAIT}" in body
    assert f'value="{user.email}"' in body
    assert len(mailoutbox) == settings.LOGIN_CODES_PER_ADDRESS
    # Someone else's address is not held up.
    assert ask_for_code(client, "someone@example.org").status_code == 302


def test_login_codes_work_again_after_the_window(client, user, mailoutbox):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(settings.LOGIN_CODES_PER_ADDRESS):
            ask_for_code(client, user.email)
        assert REFUSED in ask_for_code(client, user.email).content.decode()
    assert len(mailoutbox) == settings.LOGIN_CODES_PER_ADDRESS
    with time_machine.travel(start + settings.LOGIN_LIMIT_WINDOW + timedelta(seconds=1)):
        assert ask_for_code(client, user.email).status_code == 302
    assert len(mailoutbox) == settings.LOGIN_CODES_PER_ADDRESS + 1


def test_login_codes_from_one_network_address_are_limited(client, mailoutbox):
    for n in range(settings.LOGIN_CODES_PER_IP):
        assert ask_for_code(client, f"guess{n}@example.org").status_code == 302
    answer = ask_for_code(client, "one-more@example.org")
    body = answer.content.decode()
    assert f"{REFUSED} {WAIT}" in body
    assert 'value="one-more@example.org"' in body
    assert len(mailoutbox) == settings.LOGIN_CODES_PER_IP


def test_behind_a_trusted_proxy_each_visitor_has_their_own_network_limit(
    client, settings, mailoutbox
):
    """In production every request arrives from the proxy: the limit per network address
    must count the visitor's address it forwards, or one busy hour locks everyone out."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    crowded = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for n in range(settings.LOGIN_CODES_PER_IP):
        assert ask_for_code(client, f"guess{n}@example.org", **crowded).status_code == 302
    assert REFUSED in ask_for_code(client, "more@example.org", **crowded).content.decode()
    elsewhere = {"HTTP_X_FORWARDED_FOR": "198.51.100.9"}
    assert ask_for_code(client, "me@example.org", **elsewhere).status_code == 302


def test_wrong_passwords_past_the_limit_get_the_same_clear_message(client):
    person = UserFactory()
    person.set_password("a long passphrase 42")
    person.save()
    url = reverse("account_login")
    for _ in range(settings.FAILED_LOGINS_PER_ADDRESS):
        client.post(url, {"login": person.email, "password": "not it"})
    answer = client.post(url, {"login": person.email, "password": "a long passphrase 42"})
    assert f"{REFUSED} {WAIT}" in answer.content.decode()
    assert client.get("/me/").status_code == 302


def test_allauths_own_429_page_says_what_to_do(client):
    answer = client.get(reverse("account_login"))
    page = respond_429(answer.wsgi_request)
    assert page.status_code == TOO_MANY_REQUESTS
    body = page.content.decode()
    assert "Please wait a few minutes, then try again." in body
    assert 'href="/accounts/login/"' in body


# --- Settings ---------------------------------------------------------------------------------


def test_the_suite_counts_in_redis_and_the_library_checks_run():
    assert settings.CACHES["default"]["BACKEND"] == "peernet.cache.RedisCache"
    assert "django_ratelimit" in settings.INSTALLED_APPS
    assert "django_ratelimit.E003" not in settings.SILENCED_SYSTEM_CHECKS


def test_the_embedded_default_passes_its_checks_with_the_file_cache(tmp_path):
    """`make run` has no Redis: the file cache counts (not atomically), and `check` is clean."""
    env = production_like_env(
        DEBUG="true",
        REDIS_URL="",
        DATABASE_URL=f"sqlite:///{tmp_path / 'peernet.sqlite3'}",
        PEERNET_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
