"""What a network must not open up: a private circle's name in a responder's own data, a
circle's vote withdrawn by one member, shares coming back unasked, a conversation nobody can
block from, questions asked without limit, and beat stuck on one question."""

import pytest
from django.db import connection
from django.urls import reverse

from governance.models import ProposalKind
from governance.networks.models import NetworkMembership, QuestionKind, SharedPost
from governance.networks.selectors.board import with_labels
from governance.networks.services import questions
from governance.networks.services.founding import network_by_address_or_code
from governance.networks.services.questions import question_ask, questions_settle_due
from governance.networks.services.sharing import post_share, shared_response_create
from peernet import limits
from peernet.errors import DomainError
from peernet.members.data_rights import member_data_export
from peernet.members.models import Profile
from peernet.members.selectors import blocked_ids_either_way, who_can_help
from tests.factories import make_post
from tests.networks.factories import admission, all_decide, ask_to_join, decide, members
from tests.networks.sharing_setup import World, leave

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def _ask(network, circle, title="Meet in spring"):
    return question_ask(
        network=network,
        circle=circle,
        asker=members(circle)[0],
        kind=QuestionKind.RESOLUTION,
        title=title,
        reason="To plan the year together.",
        data={},
    )


def test_a_responders_own_data_does_not_name_the_private_circle(world):
    post = make_post(world.hidden, world.helper, title="A lift to the clinic")
    post_share(post=post, author=world.helper, network=world.network)
    shared_response_create(post=post, responder=world.other_member, text="I can drive you.")

    exported = str(member_data_export(user=world.other_member))
    assert "I can drive you." in exported and "A lift to the clinic" in exported
    assert "Secret garden" not in exported
    # The author, a member of the circle, still sees its name in theirs.
    assert "Secret garden" in str(member_data_export(user=world.helper))


@pytest.mark.parametrize("typed", ["http://[x", "https://[::1/n/x/", "//[", "http://]"])
def test_an_address_that_is_not_a_url_finds_no_network(typed):
    assert network_by_address_or_code(typed) is None


def test_a_join_form_with_a_broken_address_says_so_and_keeps_it(client, world):
    client.force_login(world.author)
    url = reverse("governance:proposal_new", args=[world.home.slug]) + "?kind=join_network"
    answer = client.post(url, {"title": "Join", "reason": "Why not", "network": "http://[x"})
    body = answer.content.decode()
    assert answer.status_code == 200
    assert "No network has that address or code." in body
    assert 'value="http://[x"' in body


def test_a_circle_that_leaves_takes_its_shares_with_it_for_good(valley_with_share):
    network, (a, b, c), post = valley_with_share
    decide(c, ProposalKind.LEAVE_NETWORK, {"network": network})
    assert not SharedPost.objects.filter(post=post).exists()

    ask_to_join(c, network)
    all_decide(admission(c, network), {a: "yes", b: "yes"})
    assert NetworkMembership.objects.active().filter(network=network, circle=c).exists()
    assert not SharedPost.objects.filter(post=post).exists()


@pytest.fixture
def valley_with_share(valley):
    network, (a, b, c) = valley
    author = members(c)[0]
    post = make_post(c, author, title="Seedlings to give away", kind="offer")
    post_share(post=post, author=author, network=network)
    return network, (a, b, c), post


def test_either_side_of_a_network_conversation_can_block_the_other(client, world):
    post = make_post(world.home, world.author, title="Help moving a sofa")
    post_share(post=post, author=world.author, network=world.network)
    response = shared_response_create(post=post, responder=world.helper, text="I can lift.")
    conversation = response.get_absolute_url()
    block = reverse("networks:conversation_block", args=[post.pk, response.pk])

    client.force_login(world.helper)
    page = client.get(conversation).content.decode()
    assert block in page
    assert "Block Ana Author?" in client.get(block).content.decode()
    client.post(block, {"next": conversation})
    assert world.author.pk in blocked_ids_either_way(world.helper)
    # The conversation stays readable and closes for both.
    assert "This conversation is closed." in client.get(conversation).content.decode()


def test_a_responder_cannot_block_an_anonymous_author_nor_a_stranger_anyone(client, world):
    post = make_post(world.home, world.author, title="Quiet need", anonymous=True, kind="need")
    post_share(post=post, author=world.author, network=world.network)
    response = shared_response_create(post=post, responder=world.helper, text="I can help.")
    block = reverse("networks:conversation_block", args=[post.pk, response.pk])

    client.force_login(world.helper)
    assert block not in client.get(response.get_absolute_url()).content.decode()
    assert client.post(block).status_code == 404
    client.force_login(world.other_member)
    assert client.get(block).status_code == 404
    assert blocked_ids_either_way(world.author) == frozenset()


def test_asking_the_network_is_limited_per_member(valley, settings):
    settings.RATELIMIT_ENABLE = True
    network, (a, _b, _c) = valley
    for n in range(limits.NETWORK_QUESTIONS.count):
        _ask(network, a, title=f"Question {n}")
    with pytest.raises(DomainError):
        _ask(network, a, title="One too many")


def test_beat_settles_the_other_questions_when_one_fails(valley, monkeypatch):
    network, (a, _b, _c) = valley
    first, second = _ask(network, a, "First"), _ask(network, a, "Second")
    real = questions.question_settle
    settled = []

    def settle(*, question_id, now=None):
        if question_id == first.pk:
            raise RuntimeError("a broken question")
        settled.append(question_id)
        return real(question_id=question_id, now=now)

    monkeypatch.setattr(questions, "question_settle", settle)
    later = max(first.closes_at, second.closes_at)
    assert questions_settle_due(now=later) == 1
    assert settled == [second.pk]


def test_who_can_help_is_the_same_in_the_query_and_in_python(world, monkeypatch):
    profiles = Profile.objects.all()
    in_the_query = sorted(who_can_help(profiles, "transport"))
    monkeypatch.setattr(connection.features, "supports_json_field_contains", False)
    assert sorted(who_can_help(profiles, "transport")) == in_the_query
    assert set(in_the_query) == {world.neighbour.pk, world.helper.pk, world.outsider.pk}


def test_a_circle_that_leaves_while_the_board_is_read_takes_its_posts_off_the_page(world):
    staying = make_post(world.home, world.author, title="Staying")
    going = make_post(world.other, world.other_member, title="Going")
    leave(world.network, world.other)
    shown = with_labels([staying, going], world.network, viewer_circle_ids={world.home.pk})
    assert [post.title for post in shown] == ["Staying"]
    assert shown[0].network_label.name == "Huerta"
