"""A circle founds, joins and leaves a network only by its own passed proposal."""

import pytest

from governance.models import ProposalKind, ProposalStatus
from governance.networks.models import (
    CircleVote,
    LinkedProposal,
    Network,
    NetworkMembership,
    NetworkMethod,
    NetworkQuestion,
    NetworkVisibility,
    QuestionKind,
    QuestionStatus,
)
from governance.networks.rules import NOTE_LEFT
from governance.networks.services.founding import network_by_address_or_code
from governance.networks.services.questions import question_ask
from governance.services import proposal_create
from peernet.errors import DomainError
from tests.factories import make_circle
from tests.networks.factories import (
    admission,
    all_decide,
    ask_to_join,
    circles,
    decide,
    found_network,
    linked,
    members,
    propose,
    settle,
    vote,
)

pytestmark = pytest.mark.django_db

FOUND = {
    "name": "Valley network",
    "purpose": "Circles of the valley helping each other.",
    "method": NetworkMethod.CONSENSUS,
    "visibility": NetworkVisibility.PRIVATE,
    "show_name": True,
}


def active_in(network):
    return set(
        NetworkMembership.objects.active()
        .filter(network=network)
        .values_list("circle_id", flat=True)
    )


# --- Founding ---------------------------------------------------------------------------


def test_a_circle_founds_a_network_only_when_its_proposal_passes():
    circle, people = make_circle(members=2)
    proposal = propose(circle, ProposalKind.FOUND_NETWORK, FOUND)
    vote(proposal, "yes", voters=people[:1])
    assert not Network.objects.exists()

    proposal = vote(proposal, "yes", voters=people[1:])

    network = Network.objects.get()
    assert (network.name, network.purpose, network.method, network.visibility) == (
        "Valley network",
        "Circles of the valley helping each other.",
        NetworkMethod.CONSENSUS,
        NetworkVisibility.PRIVATE,
    )
    assert network.founded_by == proposal and proposal.effect_applied is True
    assert network.slug == "valley-network" and len(network.join_code) >= 12
    membership = NetworkMembership.objects.get(network=network)
    assert (membership.circle, membership.joined_by, membership.show_name) == (
        circle,
        proposal,
        True,
    )
    assert membership.is_active


def test_a_failed_proposal_founds_nothing():
    circle, _people = make_circle(members=2)
    proposal = decide(circle, ProposalKind.FOUND_NETWORK, FOUND, choice="no")
    assert proposal.status == ProposalStatus.FAILED
    assert not Network.objects.exists()


def test_networks_of_the_same_name_get_different_addresses_and_codes():
    first, second = circles(2)
    one = found_network(first, name="Valley network")
    two = found_network(second, name="Valley network")
    assert one.slug == "valley-network"
    assert two.slug.startswith("valley-network-") and two.slug != one.slug
    assert one.join_code != two.join_code


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "   "}, "Give the network a name."),
        ({"purpose": ""}, "Say what the network is for"),
        ({"method": "whoever shouts"}, "Choose how the network decides"),
        ({"visibility": "secret"}, "Choose whether the network is public or private."),
        ({"name": "n" * 121}, "at most 120 characters"),
    ],
)
def test_founding_refuses_bad_input_with_a_clear_message(change, message):
    (circle,) = circles(1)
    with pytest.raises(DomainError, match=message):
        propose(circle, ProposalKind.FOUND_NETWORK, {**FOUND, **change})


# --- Finding a network by address or code -----------------------------------------------


def test_a_public_network_is_found_by_its_address_or_page_url_or_code():
    (circle,) = circles(1)
    network = found_network(circle, name="Valley network")
    for text in [
        "valley-network",
        " Valley-Network ",
        "/n/valley-network/",
        "https://peernet.example/n/valley-network/",
        "http://peernet.example/n/valley-network",
        network.join_code,
    ]:
        assert network_by_address_or_code(text) == network, text
    for text in ["", "   ", "hill-network", "https://peernet.example/n/valley-network/board/"]:
        assert network_by_address_or_code(text) is None, text


def test_a_private_network_is_found_by_its_code_only():
    (circle,) = circles(1)
    network = found_network(circle, visibility=NetworkVisibility.PRIVATE)
    assert network_by_address_or_code(network.slug) is None
    assert network_by_address_or_code(f"/n/{network.slug}/") is None
    assert network_by_address_or_code(network.join_code) == network


# --- Joining ----------------------------------------------------------------------------


def test_asking_to_join_opens_an_admission_in_the_member_circles(valley):
    network, member_circles = valley
    (newcomer,) = circles(1, visibility="public", name="Hill circle")
    join = ask_to_join(newcomer, network, show_name=True)

    question = admission(newcomer, network)
    assert join.effect_applied is True
    assert question.kind == QuestionKind.ADMIT_CIRCLE
    assert (question.subject_circle, question.asked_by_circle) == (newcomer, newcomer)
    assert question.title == "Admit Hill circle"
    assert question.change == {"join_proposal_id": join.pk, "show_name": True}
    voting = set(LinkedProposal.objects.filter(question=question).values_list("circle", flat=True))
    assert voting == {c.pk for c in member_circles}
    assert newcomer.pk not in active_in(network)


def test_a_passed_admission_makes_the_circle_a_member(valley):
    network, member_circles = valley
    (newcomer,) = circles(1)
    join = ask_to_join(newcomer, network, show_name=True)
    question = all_decide(admission(newcomer, network), dict.fromkeys(member_circles, "yes"))

    assert question.status == QuestionStatus.PASSED and question.effect_applied is True
    membership = NetworkMembership.objects.active().get(network=network, circle=newcomer)
    assert (membership.joined_by, membership.admitted_by, membership.show_name) == (
        join,
        question,
        True,
    )


def test_a_failed_admission_leaves_the_circle_out(valley):
    network, (a, b, c) = valley
    (newcomer,) = circles(1)
    ask_to_join(newcomer, network)
    question = all_decide(admission(newcomer, network), {a: "yes", b: "no", c: "no"})

    assert question.status == QuestionStatus.FAILED
    assert (question.yes_circles, question.no_circles) == (1, 2)
    assert newcomer.pk not in active_in(network)
    # It may ask again: the refusal was of that question only.
    ask_to_join(newcomer, network)
    assert admission(newcomer, network) is not None


def test_a_private_circle_is_named_only_if_it_chose_to_be(solo):
    network, _founder = solo
    hidden, shown = circles(2, visibility="private", name="Quiet circle")
    ask_to_join(hidden, network)
    ask_to_join(shown, network, show_name=True)
    assert admission(hidden, network).title == "Admit a private circle"
    assert "Quiet circle" not in admission(hidden, network).reason
    assert admission(shown, network).title == "Admit Quiet circle"


def test_a_circle_already_in_the_network_cannot_ask_to_join_it(solo):
    network, founder = solo
    with pytest.raises(DomainError, match="Your circle is already in Valley network"):
        propose(founder, ProposalKind.JOIN_NETWORK, {"network": network})


def test_a_circle_that_already_asked_cannot_ask_again_while_its_circles_decide(solo):
    network, _founder = solo
    (newcomer,) = circles(1)
    ask_to_join(newcomer, network)
    with pytest.raises(DomainError, match="already asked to join Valley network"):
        propose(newcomer, ProposalKind.JOIN_NETWORK, {"network": network})


def test_two_join_proposals_that_pass_open_one_admission(solo):
    network, _founder = solo
    (newcomer,) = circles(1)
    first = propose(newcomer, ProposalKind.JOIN_NETWORK, {"network": network})
    second = propose(newcomer, ProposalKind.JOIN_NETWORK, {"network": network})
    first, second = vote(first), vote(second)

    assert first.effect_applied is True
    assert second.status == ProposalStatus.PASSED and second.effect_applied is False
    assert "already asked" in second.effect_note
    assert NetworkQuestion.objects.filter(subject_circle=newcomer).count() == 1


@pytest.mark.parametrize("typed", ["no-such-network", "", None])
def test_an_unknown_address_is_refused(typed):
    (circle,) = circles(1)
    with pytest.raises(DomainError, match="No network has that address or code"):
        propose(circle, ProposalKind.JOIN_NETWORK, {"network": typed})


def test_a_private_networks_address_is_refused_like_a_missing_one_and_its_code_works():
    founder, newcomer = circles(2)
    network = found_network(founder, visibility=NetworkVisibility.PRIVATE)
    with pytest.raises(DomainError, match="No network has that address or code"):
        propose(newcomer, ProposalKind.JOIN_NETWORK, {"network": network.slug})
    assert network_by_address_or_code(network.slug) is None

    ask_to_join(newcomer, network_by_address_or_code(network.join_code))
    all_decide(admission(newcomer, network), {founder: "yes"})
    assert newcomer.pk in active_in(network)


def test_a_circle_joins_at_once_a_network_no_circle_is_left_in():
    founder, newcomer = circles(2)
    network = found_network(founder)
    decide(founder, ProposalKind.LEAVE_NETWORK, {"network": network})
    assert active_in(network) == set()

    join = ask_to_join(newcomer, network)
    assert join.effect_applied is True
    assert active_in(network) == {newcomer.pk}
    assert not NetworkQuestion.objects.exists()


# --- Leaving ----------------------------------------------------------------------------


def test_a_circle_leaves_by_its_own_decision(valley):
    network, (a, b, c) = valley
    proposal = decide(c, ProposalKind.LEAVE_NETWORK, {"network": network})

    membership = NetworkMembership.objects.get(network=network, circle=c)
    assert proposal.effect_applied is True
    assert membership.left_at is not None and membership.left_by == proposal
    assert active_in(network) == {a.pk, b.pk}


def test_leaving_mid_question_withdraws_its_vote_and_counts_it_abstaining(
    valley, django_capture_on_commit_callbacks
):
    network, (a, b, c) = valley
    question = question_ask(
        network=network,
        circle=a,
        asker=members(a)[0],
        kind=QuestionKind.RESOLUTION,
        title="Meet in spring",
        reason="To plan the year together.",
        data={},
    )
    with django_capture_on_commit_callbacks(execute=True):
        decide(c, ProposalKind.LEAVE_NETWORK, {"network": network})
    assert linked(question, c).status == ProposalStatus.WITHDRAWN
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN  # the others have not decided yet

    with django_capture_on_commit_callbacks(execute=True):
        for circle in (a, b):
            vote(linked(question, circle), "yes")
    question.refresh_from_db()
    assert question.status == QuestionStatus.PASSED
    assert (question.yes_circles, question.no_circles, question.abstain_circles) == (2, 0, 1)
    link = LinkedProposal.objects.get(question=question, circle=c)
    assert (link.vote, link.vote_note, link.vote_reason) == (
        CircleVote.ABSTAIN,
        NOTE_LEFT,
        "left the network",
    )


def test_leaving_a_network_the_circle_is_not_in_is_refused(solo):
    network, _founder = solo
    (outsider,) = circles(1)
    with pytest.raises(DomainError, match="Your circle is not in that network"):
        propose(outsider, ProposalKind.LEAVE_NETWORK, {"network": network})
    with pytest.raises(DomainError, match="Your circle is not in that network"):
        propose(outsider, ProposalKind.LEAVE_NETWORK, {"network": None})


def test_a_second_decision_to_leave_is_recorded_as_not_applied(solo):
    network, c = solo
    first = propose(c, ProposalKind.LEAVE_NETWORK, {"network": network})
    second = propose(c, ProposalKind.LEAVE_NETWORK, {"network": network})
    first, second = vote(first), vote(second)
    assert first.effect_applied is True
    assert (second.effect_applied, second.effect_note) == (
        False,
        "The circle had already left the network.",
    )


def test_members_never_propose_a_network_question_by_hand(solo):
    _network, a = solo
    with pytest.raises(DomainError, match="members do not propose it here"):
        proposal_create(
            circle=a,
            proposer=members(a)[0],
            kind=ProposalKind.NETWORK_QUESTION,
            title="Sneaky",
            reason="No.",
            data={},
        )


def test_settle_is_idempotent_after_admission(solo):
    network, founder = solo
    (newcomer,) = circles(1)
    ask_to_join(newcomer, network)
    question = all_decide(admission(newcomer, network), {founder: "yes"})
    assert settle(question).status == QuestionStatus.PASSED
    assert NetworkMembership.objects.filter(network=network, circle=newcomer).count() == 1
