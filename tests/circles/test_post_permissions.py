"""Every post and conversation URL, for every kind of visitor, on a public and a private circle.

Each cell runs in a rolled-back transaction, so every visitor meets the same post, and the
test checks both the status and whether the request changed anything.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from circles import services
from circles.models import Message, Post, Response
from circles.services import membership_end
from tests.factories import UserFactory, make_circle, make_member, make_post

pytestmark = pytest.mark.django_db

VISITORS = ["anonymous", "outsider", "member", "author", "responder", "former", "staff"]
IN_CIRCLE = {"member", "author", "responder"}
EVERYONE_IN = dict.fromkeys(IN_CIRCLE, 200)

# (name, method, data, which post, statuses for people in the circle, who changes something).
# Outsiders, former members and staff who are not members get 403 on a public circle (a page
# that offers to join) and 404 on a private one; signed-out visitors are sent to log in.
MATRIX = [
    ("board", "get", None, "open", EVERYONE_IN, set()),
    ("post_create", "get", None, "open", EVERYONE_IN, set()),
    ("post", "get", None, "open", EVERYONE_IN, set()),
    (
        "post_respond",
        "post",
        {"text": "I can help"},
        "open",
        dict.fromkeys(IN_CIRCLE, 302),
        {"member"},
    ),
    (
        "conversation",
        "get",
        None,
        "open",
        {"member": 404, "author": 200, "responder": 200},
        set(),
    ),
    (
        "conversation",
        "post",
        {"text": "Hello"},
        "open",
        {"member": 404, "author": 302, "responder": 302},
        {"author", "responder"},
    ),
    (
        "post_accept",
        "post",
        {},
        "open",
        {"member": 404, "author": 302, "responder": 302},
        {"author"},
    ),
    ("post_fulfil", "post", {"thank_you": ""}, "open", dict.fromkeys(IN_CIRCLE, 302), {"author"}),
    (
        "post_thank",
        "post",
        {"thank_you": "Thanks!"},
        "fulfilled",
        dict.fromkeys(IN_CIRCLE, 302),
        {"author"},
    ),
    ("post_withdraw", "post", {}, "open", dict.fromkeys(IN_CIRCLE, 302), {"author"}),
    ("post_extend", "post", {"days": "5"}, "open", dict.fromkeys(IN_CIRCLE, 302), {"author"}),
]


def _circle_with_visitors(visibility):
    circle, (author, responder, member) = make_circle(members=3, visibility=visibility)
    former = make_member(circle)
    membership_end(circle=circle, user=former)
    posts = {
        "open": make_post(circle, author, title="Groceries on Thursday"),
        "fulfilled": make_post(circle, author, title="A ladder"),
    }
    response = services.response_create(post=posts["open"], responder=responder, text="I can help.")
    services.post_fulfil(post=posts["fulfilled"], author=author)
    people = {
        "anonymous": None,
        "outsider": UserFactory(),
        "member": member,
        "author": author,
        "responder": responder,
        "former": former,
        "staff": UserFactory(is_staff=True, is_superuser=True),
    }
    return circle, people, posts, response


def _url(name, circle, post, response):
    args = [circle.slug, post.pk]
    if name in {"conversation", "post_accept"}:
        args.append(response.pk)
    if name == "board" or name == "post_create":
        args = [circle.slug]
    return reverse(f"circles:{name}", args=args)


def _snapshot(post):
    fresh = Post.objects.get(pk=post.pk)
    return (
        fresh.status,
        fresh.expires_at,
        fresh.thank_you,
        Response.objects.filter(post=post).count(),
        Message.objects.filter(response__post=post).count(),
    )


def _expected(visibility, visitor, in_circle_status):
    if visitor in IN_CIRCLE:
        return in_circle_status[visitor]
    if visibility == "private":
        return 404
    return 302 if visitor == "anonymous" else 403


@pytest.mark.parametrize("visibility", ["public", "private"])
def test_post_permission_matrix(client, visibility):
    circle, people, posts, response = _circle_with_visitors(visibility)
    failures = []
    for name, method, data, which, statuses, changers in MATRIX:
        post = posts[which]
        url = _url(name, circle, post, response)
        for visitor in VISITORS:
            with transaction.atomic():
                client.logout()
                if people[visitor]:
                    client.force_login(people[visitor])
                before = _snapshot(post)
                answer = getattr(client, method)(url, data) if data is not None else client.get(url)
                changed = _snapshot(post) != before
                transaction.set_rollback(True)
            expected = _expected(visibility, visitor, statuses)
            if answer.status_code != expected or changed != (visitor in changers):
                failures.append(
                    f"{method.upper()} {name} as {visitor}: {answer.status_code} "
                    f"(expected {expected}), changed={changed}"
                )
            if visitor == "anonymous" and expected == 302:
                assert "/accounts/" in answer["Location"]
    assert failures == []


def test_the_board_across_my_circles_shows_only_circles_i_am_in(client):
    mine, (me,) = make_circle(members=1, visibility="private")
    theirs, (them,) = make_circle(members=1, visibility="public")
    left, (_,) = make_circle(members=1)
    make_member(left, me)
    make_post(mine, me, title="Mine to see")
    make_post(theirs, them, title="Not in my circles")
    make_post(left, me, title="From a circle I left")
    membership_end(circle=left, user=me)
    client.force_login(me)
    page = client.get(reverse("circles:my_board"), {"status": ""}).content.decode()
    assert "Mine to see" in page
    assert "Not in my circles" not in page
    assert "From a circle I left" not in page
    client.logout()
    assert client.get(reverse("circles:my_board")).status_code == 302


def test_a_removed_post_is_gone_for_everyone(client):
    circle, (author, member) = make_circle(members=2)
    post = make_post(circle, author, title="Removed by the circle")
    services.post_remove_by_decision(post_id=post.pk)
    for person in (author, member):
        client.force_login(person)
        assert client.get(reverse("circles:post", args=[circle.slug, post.pk])).status_code == 404
        board = client.get(reverse("circles:board", args=[circle.slug]), {"status": ""})
        assert "Removed by the circle" not in board.content.decode()


def test_a_post_is_reached_only_through_its_own_circle(client):
    circle, (author,) = make_circle(members=1)
    other, (_,) = make_circle(members=1)
    make_member(other, author)
    post = make_post(circle, author)
    client.force_login(author)
    assert client.get(reverse("circles:post", args=[other.slug, post.pk])).status_code == 404
    assert client.get(reverse("circles:post", args=[circle.slug, 999999])).status_code == 404
