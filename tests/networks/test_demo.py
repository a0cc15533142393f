"""What the networks demo shows: a network of three circles built by their own decisions,
one of them private and unnamed, posts shared across it, one question decided and one open.
(tests/test_demo.py checks seed_demo twice is the same as once.)"""

import pytest
from django.core.management import call_command
from django.test import Client

from circles.models import Circle, Response
from governance.models import Proposal, ProposalKind, ProposalStatus
from governance.networks.demo import NETWORK_NAME, OPEN_RESOLUTION, SHARED_AGREEMENT
from governance.networks.models import (
    CircleVote,
    Network,
    NetworkMembership,
    NetworkQuestion,
    QuestionKind,
    QuestionStatus,
    SharedAgreement,
    SharedPost,
)
from peernet.members.demo import DEMO_DOMAIN
from peernet.members.models import User

pytestmark = pytest.mark.django_db

PRIVATE_NAME = "Hearing Voices Peers"


def member(key: str) -> User:
    return User.objects.get(email=f"{key}@{DEMO_DOMAIN}")


def client_of(key: str | None) -> Client:
    client = Client()
    if key is not None:
        client.force_login(member(key))
    return client


def test_the_demo_network_is_built_by_decisions_and_keeps_the_private_circle_unnamed():
    call_command("seed_demo", force=True, verbosity=0)
    network = Network.objects.get(name=NETWORK_NAME)
    circles = {c.name: c for c in Circle.objects.all()}
    eastside, parents, voices = (
        circles[name] for name in ("Eastside Mutual Aid", "Parents Peer Circle", PRIVATE_NAME)
    )

    # Founded by Eastside's own passed proposal; the others joined by theirs, admitted by
    # the network's decided questions.
    assert network.is_public
    assert network.founded_by.kind == ProposalKind.FOUND_NETWORK
    assert network.founded_by.status == ProposalStatus.PASSED
    assert network.founded_by.circle == eastside
    active = NetworkMembership.objects.active().filter(network=network)
    memberships = {m.circle_id: m for m in active}
    assert set(memberships) == {eastside.pk, parents.pk, voices.pk}
    assert memberships[eastside.pk].admitted_by is None
    for circle in (parents, voices):
        joined = memberships[circle.pk]
        assert (joined.joined_by.kind, joined.joined_by.status) == ("join_network", "passed")
        assert joined.joined_by.circle == circle
        assert joined.admitted_by.kind == QuestionKind.ADMIT_CIRCLE
        assert joined.admitted_by.status == QuestionStatus.PASSED
    assert memberships[voices.pk].show_name is False
    # Parents was admitted by Eastside alone; the private circle by Eastside and Parents.
    assert list(memberships[voices.pk].admitted_by.links.values_list("circle_id", "vote")) == [
        (eastside.pk, CircleVote.YES),
        (parents.pk, CircleVote.YES),
    ]

    # One question decided (a shared agreement, every circle yes), one open in every circle.
    adopted = NetworkQuestion.objects.get(network=network, title=SHARED_AGREEMENT)
    assert adopted.status == QuestionStatus.PASSED
    assert (adopted.yes_circles, adopted.no_circles, adopted.abstain_circles) == (3, 0, 0)
    assert SharedAgreement.objects.get(network=network).adopted_by == adopted
    still_open = NetworkQuestion.objects.get(network=network, title=OPEN_RESOLUTION)
    assert still_open.status == QuestionStatus.OPEN
    assert {link.proposal.status for link in still_open.links.select_related("proposal")} == {
        ProposalStatus.OPEN
    }
    assert still_open.links.count() == 3

    # Shared: a need from Parents (answered by Eli, who is only in Eastside), an anonymous need from
    # the private circle, an offer from Eastside.
    shared = {s.post.circle_id: s.post for s in SharedPost.objects.filter(network=network)}
    assert shared[parents.pk].kind == "need"
    assert shared[eastside.pk].kind == "offer"
    anonymous = shared[voices.pk]
    assert anonymous.kind == "need" and anonymous.anonymous
    answer = Response.objects.get(post=shared[parents.pk])
    assert answer.via_network and answer.responder == member("eli")
    assert not parents.memberships.active().filter(user=answer.responder).exists()

    # An open proposal of each network kind, in circles where it makes sense.
    open_kinds = set(
        Proposal.objects.open()
        .filter(kind__in=["found_network", "join_network", "leave_network", "network_question"])
        .values_list("kind", flat=True)
    )
    assert open_kinds == {"found_network", "join_network", "leave_network", "network_question"}

    # What people see: the private circle is "a private circle" to outsiders and to members
    # of the other circles (Dee is in Parents and Eastside), its own members see its name.
    for key in (None, "dee"):
        page = client_of(key).get(network.get_absolute_url())
        assert page.status_code == 200
        text = page.content.decode()
        assert "a private circle" in text and PRIVATE_NAME not in text
        assert "Parents Peer Circle" in text and SHARED_AGREEMENT in text
    assert PRIVATE_NAME in client_of("chen").get(network.get_absolute_url()).content.decode()

    board = client_of("eli").get(f"/n/{network.slug}/board/")
    assert board.status_code == 200
    for post in shared.values():
        assert post.title in board.content.decode()
    seen = client_of("dee").get(f"/shared/{anonymous.pk}/").content.decode()
    assert anonymous.title in seen and "a private circle" in seen
    assert PRIVATE_NAME not in seen and anonymous.author.display_name not in seen
