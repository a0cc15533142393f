"""One source per rule: a post's status changes only as lifecycle.TRANSITIONS says, and
what a page offers comes from one selector built on that table (services.post_actions)."""

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from circles import services
from circles.lifecycle import AUTHOR, DECISION, SCHEDULER, TRANSITIONS, post_actions
from circles.models import Post, PostStatus
from governance.safety.selectors import Item
from governance.safety.services import report_create
from peernet.errors import DomainError
from tests.factories import make_circle, make_post

pytestmark = pytest.mark.django_db

STATUSES = list(PostStatus.values)
CHANGES = [(current, new) for current in STATUSES for new in STATUSES if current != new]


@pytest.fixture
def cast():
    circle, (author, responder, member) = make_circle(members=3)
    return circle, author, responder, member


def _post_in(status, cast, *, kind="need", expired_time=False):
    """A post in this status, with one response (from the responder)."""
    circle, author, responder, _member = cast
    post = make_post(circle, author, kind=kind)
    response = services.response_create(post=post, responder=responder, text="I can help.")
    changes = {"status": status}
    if expired_time:
        changes["expires_at"] = timezone.now() - timedelta(minutes=1)
    Post.objects.filter(pk=post.pk).update(**changes)
    post.refresh_from_db()
    return post, response


# --- (1) Every status change goes through the table ------------------------------------

# The service that moves a post to each status, and who it acts as. Each returns why it
# refused, or None when it made the change.


def _refusal(call) -> str | None:
    try:
        call()
    except DomainError as error:
        return error.message
    return None


def _accept(post, author, response):
    return _refusal(lambda: services.response_accept(post=post, author=author, response=response))


def _fulfil(post, author, response):
    return _refusal(lambda: services.post_fulfil(post=post, author=author, thank_you="Thanks"))


def _withdraw(post, author, response):
    return _refusal(lambda: services.post_withdraw(post=post, author=author))


def _extend(post, author, response):
    lifetime = timedelta(days=7)
    return _refusal(lambda: services.post_extend(post=post, author=author, lifetime=lifetime))


def _expire(post, author, response):
    services.posts_expire_due()
    post.refresh_from_db()
    return None if post.status == PostStatus.EXPIRED else "left as it was"


def _remove(post, author, response):
    applied, why = services.post_remove_by_decision(post_id=post.pk)
    return None if applied else why


MOVES_TO = {
    PostStatus.OPEN: (_extend, AUTHOR),  # extending an expired post reopens it
    PostStatus.IN_PROGRESS: (_accept, AUTHOR),
    PostStatus.FULFILLED: (_fulfil, AUTHOR),
    PostStatus.WITHDRAWN: (_withdraw, AUTHOR),
    PostStatus.EXPIRED: (_expire, SCHEDULER),
    PostStatus.REMOVED: (_remove, DECISION),
}


@pytest.mark.parametrize("table", ["as it is", "with this entry flipped"])
@pytest.mark.parametrize(("current", "new"), CHANGES)
def test_every_status_change_follows_the_table_and_only_the_table(
    cast, monkeypatch, current, new, table
):
    """Each service does a change exactly when the table allows it, and still does when the
    table's entry for it is flipped (removed, or added): the table is the only source."""
    service, by = MOVES_TO[new]
    post, response = _post_in(current, cast, expired_time=new == PostStatus.EXPIRED)
    if table != "as it is":
        if (current, new) in TRANSITIONS:
            monkeypatch.delitem(TRANSITIONS, (current, new))
        else:
            monkeypatch.setitem(TRANSITIONS, (current, new), by)
    allowed = TRANSITIONS.get((current, new)) == by
    author = cast[1]

    refusal = service(post, author, response)

    post.refresh_from_db()
    if allowed:
        assert refusal is None
        assert post.status == new
    elif refusal is None:  # not a change of status: a running post just got more time
        assert (service, current) in {(_extend, "open"), (_extend, "in_progress")}
        assert post.status == current
    else:
        assert post.status == current
        if by != SCHEDULER:  # the scheduler refuses by leaving the post alone
            assert refusal == (
                f"This post is {post.get_status_display()}, so that is no longer possible."
            )


def test_expiry_stays_one_bulk_update_however_many_posts_are_due(cast, django_assert_num_queries):
    for status in [PostStatus.OPEN] * 5 + [PostStatus.IN_PROGRESS] * 5 + [PostStatus.FULFILLED]:
        _post_in(status, cast, expired_time=True)
    # Which posts (and so which circles' boards) change, then one UPDATE.
    with django_assert_num_queries(2):
        assert services.posts_expire_due() == 10
    assert Post.objects.filter(status=PostStatus.EXPIRED).count() == 10


def test_a_decision_to_remove_a_gone_post_says_so(cast):
    post, _response = _post_in(PostStatus.REMOVED, cast)
    assert services.post_remove_by_decision(post_id=post.pk) == (
        False,
        "The post was already gone.",
    )
    assert services.post_remove_by_decision(post_id=post.pk + 1000) == (
        False,
        "The post was already gone.",
    )


# --- (2) What a page offers comes from one selector ------------------------------------

VIEWERS = ["author", "responder", "member"]
# Written out by hand from PRODUCT.md, for each kind of viewer and each status.
OFFERED = {
    "author": {
        "open": {"accept", "fulfil", "extend", "withdraw"},
        "in_progress": {"fulfil", "extend", "withdraw"},
        "fulfilled": {"thank"},
        "withdrawn": set(),
        "expired": {"reopen"},
        "removed": set(),
    },
    # Someone who responded continues in their conversation; anyone but the author reports.
    "responder": dict.fromkeys(STATUSES, frozenset({"report"})),
    "member": {**dict.fromkeys(STATUSES, frozenset({"report"})), "open": {"respond", "report"}},
}
EVERY_ACTION = {"accept", "fulfil", "thank", "extend", "reopen", "withdraw", "respond", "report"}


def _viewer(cast, viewer):
    return {"author": cast[1], "responder": cast[2], "member": cast[3]}[viewer]


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("status", STATUSES)
def test_the_selector_offers_exactly_what_the_table_allows(cast, status, viewer):
    post, _response = _post_in(status, cast)
    actions = post_actions(post=post, viewer=_viewer(cast, viewer), responded=viewer == "responder")
    assert actions.names == OFFERED[viewer][status]
    assert {name for name in EVERY_ACTION if getattr(actions, name)} == actions.names


def test_the_selector_follows_the_table(cast, monkeypatch):
    """Take withdrawing out of the table and it is no longer offered, nor allowed."""
    author = cast[1]
    monkeypatch.delitem(TRANSITIONS, (PostStatus.OPEN, PostStatus.WITHDRAWN))
    post, _response = _post_in(PostStatus.OPEN, cast)
    assert post_actions(post=post, viewer=author, responded=False).names == {
        "accept",
        "fulfil",
        "extend",
    }
    with pytest.raises(DomainError):
        services.post_withdraw(post=post, author=author)


def _try(action, post, person, response) -> bool:
    """Ask the service behind an action; True if it did it."""
    calls = {
        "accept": lambda: services.response_accept(post=post, author=person, response=response),
        "fulfil": lambda: services.post_fulfil(post=post, author=person),
        "thank": lambda: services.post_thank(post=post, author=person, thank_you="Thanks"),
        "extend": lambda: services.post_extend(
            post=post, author=person, lifetime=timedelta(days=7)
        ),
        "withdraw": lambda: services.post_withdraw(post=post, author=person),
        "respond": lambda: services.response_create(post=post, responder=person, text="Me too"),
        "report": lambda: report_create(
            circle=post.circle,
            reporter=person,
            item=Item("post", f"post:{post.pk}", post.author, {"post": post}),
            reason="spam",
        ),
    }
    return _refusal(calls[action]) is None


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("status", STATUSES)
def test_what_is_offered_is_what_the_services_allow(cast, status, viewer):
    """Offered: the service does it. Not offered: the service refuses. (Extending and
    reopening are one service: reopening is extending an expired post.)"""
    person = _viewer(cast, viewer)
    offered = OFFERED[viewer][status]
    for action in ["accept", "fulfil", "thank", "extend", "withdraw", "respond", "report"]:
        post, response = _post_in(status, cast)
        expected = action in offered or (action == "extend" and "reopen" in offered)
        assert _try(action, post, person, response) == expected, action
        if action == "extend" and expected:
            post.refresh_from_db()
            assert post.status == ("open" if "reopen" in offered else status)


LABELS = {
    "Mark as fulfilled": "fulfil",
    "Save the thank-you note": "thank",
    "Extend": "extend",
    "Reopen for longer": "reopen",
    "Withdraw this post": "withdraw",
    "Send: I can help": "respond",
    "Send: I'd like this": "respond",
    "Report": "report",
}


def _buttons(page: str) -> list[str]:
    """The post page's buttons, and the one link that acts on the post: Report."""
    main = re.search(r"<main\b.*?</main>", page, re.S).group(0)
    controls = [
        (tag, html.unescape(re.sub(r"<[^>]+>|\s+", " ", label)).strip())
        for tag, label in re.findall(r"<(button|a)\b[^>]*>(.*?)</\1>", main, re.S)
    ]
    return [label for tag, label in controls if tag == "button" or label == "Report"]


@pytest.mark.parametrize("kind", ["need", "offer"])
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("status", STATUSES)
def test_the_post_page_shows_exactly_the_offered_buttons(client, cast, status, viewer, kind):
    circle, _author, responder, _member = cast
    post, _response = _post_in(status, cast, kind=kind)
    client.force_login(_viewer(cast, viewer))
    page = client.get(reverse("circles:post", args=[circle.slug, post.pk]))
    if status == PostStatus.REMOVED:
        assert page.status_code == 404  # a removed post is gone from every page
        return
    labels = {**LABELS, f"Accept {responder.display_name}'s help": "accept"}
    buttons = _buttons(page.content.decode())
    assert all(label in labels for label in buttons), buttons
    assert sorted(labels[label] for label in buttons) == sorted(OFFERED[viewer][status])
    if "respond" in OFFERED[viewer][status]:
        assert ("Send: I can help" if kind == "need" else "Send: I'd like this") in buttons


# --- (3) The rule stays in one place ---------------------------------------------------

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "circles"
# A template tag that decides on a status: `{% if post.status == "open" %}`,
# `{% elif "expired" == p.status %}`, `{% if status in ... %}`.
STATUS_TEST = re.compile(r"{%-?\s*(?:el)?if\b[^%]*(?:\.status\b|\bstatus\s*(?:==|!=|in\b))")


def _status_tests(text: str) -> list[str]:
    return [match.group(0) for match in STATUS_TEST.finditer(text)]


def test_no_circles_template_decides_on_a_post_status():
    offenders = {
        path.name: found
        for path in sorted(TEMPLATES.glob("*.html"))
        if (found := _status_tests(path.read_text()))
    }
    assert not offenders, f"ask lifecycle.post_actions instead: {offenders}"


def test_the_guard_catches_a_status_test():
    assert list(TEMPLATES.glob("*.html"))
    assert _status_tests('{% if post.status == "open" or x %}')
    assert _status_tests('{% elif "expired" == match.status %}')
    assert _status_tests("{% if status in open_statuses %}")
    assert not _status_tests("{{ post.get_status_display }} {% if actions.fulfil %}")
