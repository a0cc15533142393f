"""The permission matrix over every network URL: who gets which status, on a public and on a
private network, and on the pages that render, that a private circle's name reaches only its
own members and the joining code only members of the network's circles.

The world: Open Orchard (public) and Hidden Hollow (private, its name not shown) are in the
network; Left Lane was in it and left. A member of Hidden Hollow shared a need with the
network and a member of Open Orchard responded to it. Staff are no member of anything."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from circles.models import Response
from governance.networks.models import NetworkQuestion, QuestionKind, SharedPost
from governance.networks.services.questions import question_ask
from tests.factories import UserFactory, make_circle, make_post
from tests.networks.sharing_setup import joined_network, leave

pytestmark = pytest.mark.django_db

PRIVATE_NAME = "Hidden Hollow"
VISITORS = ["member", "private_member", "former", "outsider", "anonymous", "staff"]
# Members of the network's active member circles.
MEMBERS = {"member", "private_member"}
NOT_FOUND = 404
FORBIDDEN = 403
LOGIN = "login"  # a redirect to the login page


@dataclass
class World:
    network: object
    question: NetworkQuestion
    public_circle: object
    private_circle: object
    shared_post: object
    response: Response
    people: dict


def build_world(visibility: str) -> World:
    orchard, (member,) = make_circle(name="Open Orchard", members=1)
    hollow, (private_member,) = make_circle(
        name=PRIVATE_NAME, slug="hidden-hollow", visibility="private", members=1
    )
    lane, (former,) = make_circle(name="Left Lane", members=1)
    network = joined_network([orchard, hollow, lane], visibility=visibility)
    leave(network, lane)
    question = question_ask(
        network=network,
        circle=orchard,
        asker=member,
        kind=QuestionKind.RESOLUTION,
        title="Meet in spring",
        reason="All the circles together, once a year.",
        data={},
    )
    post = make_post(hollow, private_member, title="A lift to the clinic")
    SharedPost.objects.create(post=post, network=network)
    response = Response.objects.create(post=post, responder=member, via_network=True)
    people = {
        "member": member,
        "private_member": private_member,
        "former": former,
        "outsider": UserFactory(),
        "anonymous": None,
        "staff": UserFactory(is_staff=True, is_superuser=True),
    }
    return World(network, question, orchard, hollow, post, response, people)


def _page(visitor: str, visibility: str) -> int:
    """The network's page and its questions' pages: members always; anyone if public."""
    return 200 if visitor in MEMBERS or visibility == "public" else NOT_FOUND


def _members_page(ok: int):
    """The board and asking: members of its circles; else a private network is a 404, and a
    public one asks to log in, then says it is not for them."""

    def expected(visitor: str, visibility: str) -> int | str:
        if visitor in MEMBERS:
            return ok
        if visibility == "private":
            return NOT_FOUND
        return LOGIN if visitor == "anonymous" else FORBIDDEN

    return expected


def _circle_page(member: str, circle_visibility: str):
    """/c/<slug>/networks/ is the circle's: its members; a private circle is a 404 to the
    rest, a public one asks to log in, then is for members only."""

    def expected(visitor: str, visibility: str) -> int | str:
        if visitor == member:
            return 200
        if circle_visibility == "private":
            return NOT_FOUND
        return LOGIN if visitor == "anonymous" else FORBIDDEN

    return expected


def _shared(ok_for: dict):
    """A shared post, responding, the conversation: 404 to anyone else (logged out: the login
    page, which tells nothing either)."""

    def expected(visitor: str, visibility: str) -> int | str | set:
        if visitor in ok_for:
            return ok_for[visitor]
        return {NOT_FOUND, LOGIN} if visitor == "anonymous" else NOT_FOUND

    return expected


# name: (method, url of the world, post data, expected(visitor, visibility))
MINE = {
    "directory": ("get", lambda w: reverse("networks:directory"), None, lambda v, n: 200),
    "network": (
        "get",
        lambda w: reverse("networks:network", args=[w.network.slug]),
        None,
        _page,
    ),
    "ask": (
        "get",
        lambda w: reverse("networks:ask", args=[w.network.slug]),
        None,
        _members_page(200),
    ),
    # An empty question: a member gets the form back with what is missing (nothing made).
    "ask-post": (
        "post",
        lambda w: reverse("networks:ask", args=[w.network.slug]),
        {},
        _members_page(400),
    ),
    "question": (
        "get",
        lambda w: reverse("networks:question", args=[w.network.slug, w.question.pk]),
        None,
        _page,
    ),
    "circle-networks": (
        "get",
        lambda w: reverse("networks:circle_networks", args=[w.public_circle.slug]),
        None,
        _circle_page("member", "public"),
    ),
    "private-circle-networks": (
        "get",
        lambda w: reverse("networks:circle_networks", args=[w.private_circle.slug]),
        None,
        _circle_page("private_member", "private"),
    ),
}
THEIRS = {
    "board": (
        "get",
        lambda w: reverse("networks:board", args=[w.network.slug]),
        None,
        _members_page(200),
    ),
    "shared-post": (
        "get",
        lambda w: reverse("networks:shared_post", args=[w.shared_post.pk]),
        None,
        _shared({"member": 200, "private_member": 200}),
    ),
    # An empty message: a member of the network's circles gets the page back (or, for the
    # author, a refusal); never a 404.
    "respond": (
        "post",
        lambda w: reverse("networks:respond", args=[w.shared_post.pk]),
        {"text": ""},
        _shared({"member": 400, "private_member": 400}),
    ),
    "conversation": (
        "get",
        lambda w: reverse("networks:conversation", args=[w.shared_post.pk, w.response.pk]),
        None,
        _shared({"member": 200, "private_member": 200}),
    ),
    # Sharing is the author's (a member of the private circle), from their circle's post page.
    "share": (
        "post",
        lambda w: reverse("networks:share", args=[w.private_circle.slug, w.shared_post.pk]),
        {"network": "{network}", "action": "stop"},
        _circle_page("private_member", "private"),
    ),
}


def _status(response) -> int | str:
    if response.status_code == 302 and reverse("account_login") in response["Location"]:
        return LOGIN
    return response.status_code


def _request(client, world: World, visitor: str, method: str, url: str, data):
    client.logout()
    if world.people[visitor] is not None:
        client.force_login(world.people[visitor])
    if data is not None:
        data = {k: v.format(network=world.network.pk) for k, v in data.items()}
    return getattr(client, method)(url, data or {})


def _leaks(world: World, visitor: str, response) -> list[str]:
    """What a page shows that this visitor should not see."""
    content = response.content.decode()
    found = []
    if visitor != "private_member" and PRIVATE_NAME in content:
        found.append("the private circle's name")
    if visitor not in MEMBERS and world.network.join_code in content:
        found.append("the joining code")
    return found


def _check(client, world: World, visibility: str, name: str, spec) -> list[str]:
    method, url_of, data, expected_of = spec
    url = url_of(world)
    failures = []
    for visitor in VISITORS:
        response = _request(client, world, visitor, method, url, data)
        status = _status(response)
        expected = expected_of(visitor, visibility)
        ok = status in expected if isinstance(expected, set) else status == expected
        if not ok:
            failures.append(f"{visibility} {name} {visitor}: {status}, expected {expected}")
        if response.status_code == 200:
            failures.extend(
                f"{visibility} {name} {visitor}: shows {leak}"
                for leak in _leaks(world, visitor, response)
            )
    return failures


def _share_expected(visitor: str, visibility: str) -> int | str:
    """The author stops sharing and is sent back to their post; only they may."""
    got = THEIRS["share"][3](visitor, visibility)
    return 302 if got == 200 else got


# One world per network visibility, every URL and visitor in it: building the world is
# most of the time a case takes.
@pytest.mark.parametrize("visibility", ["public", "private"])
def test_network_pages_answer_each_visitor_as_the_design_says(client, visibility):
    world = build_world(visibility)
    failures = []
    for name, spec in MINE.items():
        failures += _check(client, world, visibility, name, spec)
    assert failures == []
    # Nobody's empty question made a question.
    assert NetworkQuestion.objects.filter(network=world.network).count() == 1


@pytest.mark.parametrize("visibility", ["public", "private"])
def test_board_and_shared_pages_answer_each_visitor_as_the_design_says(client, visibility):
    """H3's pages, under the same matrix. Sharing goes last: the author's request stops it."""
    world = build_world(visibility)
    failures = []
    for name, spec in THEIRS.items():
        if name == "share":
            spec = (*spec[:3], _share_expected)
        failures += _check(client, world, visibility, name, spec)
    assert failures == []
    # Only the author's own request stopped the sharing.
    assert not SharedPost.objects.filter(post=world.shared_post).exists()


def test_a_private_network_is_not_in_the_directory_for_outsiders(client):
    world = build_world("private")
    for visitor in ["outsider", "former", "staff", "anonymous"]:
        client.logout()
        if world.people[visitor]:
            client.force_login(world.people[visitor])
        assert world.network.name not in client.get(reverse("networks:directory")).content.decode()
    client.force_login(world.people["private_member"])
    assert world.network.name in client.get(reverse("networks:directory")).content.decode()


def test_the_private_circle_is_named_to_its_own_members_and_no_one_else(client):
    world = build_world("public")
    url = reverse("networks:network", args=[world.network.slug])
    client.force_login(world.people["private_member"])
    content = client.get(url).content.decode()
    assert PRIVATE_NAME in content
    client.force_login(world.people["member"])
    content = client.get(url).content.decode()
    assert PRIVATE_NAME not in content
    assert "a private circle" in content
    assert "Open Orchard" in content
    # The circle that left is no longer listed among the member circles.
    assert "Left Lane" not in content
