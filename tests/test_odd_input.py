"""Odd input never reaches the database or int() unchecked: every URL pattern, given NUL bytes,
superscript digits, huge numbers and long strings in its path, query, form and cookies,
answers without a server error."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from circles.services import invite_create, join_request_create, response_create
from governance.services import proposal_create
from tests.factories import UserFactory, make_circle, make_member, make_post

pytestmark = pytest.mark.django_db

NUL = "\x00"
ODD_VALUES = ["a\x00b", "²", "9" * 30, "9" * 5000, "x" * 10_000 + "\u200b"]
ODD_PATH_INTS = ["9" * 30, "9" * 5000, "0"]
ODD_PATH_STRINGS = [NUL, "a\x00b", "²", "x" * 5000]
# Every name a form or view in Peernet reads, and a few an attacker would try.
PARAM_NAMES = [
    "id", "page", "q", "kind", "category", "status", "topic", "area", "next", "text", "title",
    "details", "urgency", "days", "anonymous", "reason", "thank_you", "message", "decision",
    "choice", "open_now", "submission", "submission_key", "member", "post", "agreement",
    "title_new", "name", "purpose", "topics", "language", "visibility", "join_policy",
    "approvals_needed", "voting_days", "quorum_percent", "threshold", "method", "ballots",
    "email", "max_uses", "login", "password", "code", "display_name", "pronouns", "bio",
    "languages", "lived_experience", "help_categories", "time_zone", "digest_hour",
    "digest_frequency", "digest_weekday", "posts", "responses", "proposals", "confirm",
]  # fmt: skip


def patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin"):
                continue
            yield from patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def fill(route: str, values: dict[str, str]) -> str:
    """A concrete path for a route, regex or not, with the given parameter values."""
    for name, value in values.items():
        route = re.sub(rf"<\w+:{name}>", lambda _match, v=value: v, route)
    if route.startswith("accounts/^"):  # allauth's password-reset regex route
        route = "accounts/password/reset/key/" + values.get("uidb36", "1") + "-" + values["key"]
        route += "/"
    return "/" + route


@pytest.fixture
def world():
    circle, (member, other) = make_circle(members=2, visibility="private")
    post = make_post(circle, other)
    response = response_create(post=post, responder=member, text="I can help")
    proposal = proposal_create(
        circle=circle, proposer=other, kind="resolution", title="T", reason="R", data={}
    )
    invite = invite_create(circle=circle, member=member)
    outsider = UserFactory()
    open_circle, _ = make_circle(members=1, join_policy="approval")
    join_request_create(circle=open_circle, user=outsider, message="hi")
    make_member(open_circle, member)
    return {
        "member": member,
        "values": {
            "slug": circle.slug,
            "pk": str(post.pk),
            "response_pk": str(response.pk),
            "token": invite.token,
            "key": "abc",
        },
        "ids": {"proposal": proposal.pk},
    }


def path_variants(route: str, values: dict) -> list[str]:
    paths = [fill(route, values)]
    for name in values:
        if f":{name}>" not in route and not (name == "key" and "^" in route):
            continue
        odd = ODD_PATH_INTS if re.search(rf"<(int|id):{name}>", route) else ODD_PATH_STRINGS
        paths += [fill(route, {**values, name: value}) for value in odd]
    return paths


def server_errors(client, route, values) -> list[str]:
    """Odd values in every parameter of the real path, then odd values in the path itself."""
    path, *odd_paths = path_variants(route, values)
    tries = [(path, dict.fromkeys(PARAM_NAMES, odd)) for odd in ODD_VALUES]
    tries += [(odd_path, {}) for odd_path in odd_paths]
    errors = []
    for url, params in tries:
        for method in (client.get, client.post):
            if method(url, params).status_code >= 500:
                sample = next(iter(params.values()), "")[:8]
                errors.append(f"{method.__name__.upper()} {url[:70]!r} {sample!r}")
    return errors


# One test per route and visitor, so the test processes share the sweep; each has its own
# world, so a route that ends the visitor's membership or session touches no other route.
ROUTES = [route for route, _entry in patterns()]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("visitor", ["anonymous", "member"])
def test_no_url_answers_odd_input_with_a_server_error(client, world, visitor, route):
    client.raise_request_exception = False
    if visitor == "member":
        client.force_login(world["member"])
    values = dict(world["values"])
    if route.startswith("c/<slug:slug>/proposals/<int:pk>"):
        values["pk"] = str(world["ids"]["proposal"])
    errors = server_errors(client, route, values)
    assert errors == [], "\n".join(errors)


@pytest.mark.parametrize(
    "cookie",
    [
        "sessionid=abcdefgh\x00ijklmnop",
        "sessionid=" + "a" * 5000,
        "sessionid=²²²²²²²²²²",
        "csrftoken=\x00; sessionid=\x00",
        "django_language=\x00",
        "messages=\x00",
    ],
)
def test_odd_cookies_are_ignored_not_a_server_error(client, world, cookie):
    client.raise_request_exception = False
    slug = world["values"]["slug"]
    for path in ["/", "/circles/", f"/c/{slug}/", "/me/", "/board/"]:
        answer = client.get(path, HTTP_COOKIE=cookie)
        assert answer.status_code < 500, (path, cookie)
        answer = client.post("/circles/new/", {"name": "x"}, HTTP_COOKIE=cookie)
        assert answer.status_code < 500, cookie


def test_marking_a_notification_read_with_an_odd_id_is_refused_clearly(client, user):
    client.force_login(user)
    for odd in ["²", "9" * 5000, "9" * 30, "-1", NUL]:
        answer = client.post("/me/notifications/read/", {"id": odd})
        assert answer.status_code in (302, 400), odd


def admin_paths() -> list[str]:
    from django.contrib import admin

    paths = ["/admin/", "/admin/r/1/" + NUL + "/"]
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        paths += [base, base + "add/"]
        for odd in ODD_PATH_STRINGS + ODD_PATH_INTS:
            paths += [f"{base}{odd}/{page}" for page in ("change/", "history/", "delete/")]
        paths.append(f"{base}{NUL}/password/")
    return paths


@pytest.mark.parametrize("path", admin_paths())
def test_no_admin_url_answers_odd_input_with_a_server_error(client, staff, path):
    client.raise_request_exception = False
    client.force_login(staff)
    errors = []
    for odd in ODD_VALUES[:3]:
        for method in (client.get, client.post):
            if method(path, dict.fromkeys(PARAM_NAMES, odd)).status_code >= 500:
                errors.append(f"{method.__name__.upper()} {path[:70]!r} {odd[:8]!r}")
    assert errors == [], "\n".join(errors)
