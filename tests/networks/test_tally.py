"""One circle, one vote: the tally at its boundaries, for majority and consensus, with
circles that abstain (no quorum, or no decision by the deadline)."""

import pytest
import time_machine
from django.utils import timezone

from governance.models import Proposal, ProposalStatus
from governance.networks.models import (
    CircleVote,
    LinkedProposal,
    NetworkMethod,
    QuestionKind,
    QuestionStatus,
)
from governance.networks.rules import (
    NOTE_LEFT,
    NOTE_NO_QUORUM,
    NOTE_UNDECIDED,
    circle_vote,
    count_votes,
    network_passes,
)
from governance.networks.services.questions import question_ask, questions_settle_due
from tests.factories import make_circle
from tests.networks.factories import circle_votes, circles, linked, members, network_of, vote

MAJORITY, CONSENSUS = NetworkMethod.MAJORITY, NetworkMethod.CONSENSUS

# (method, yes, no, abstaining circles, passes), in a network of four circles.
BOUNDARIES = [
    (MAJORITY, 2, 1, 1, True),
    (MAJORITY, 2, 2, 0, False),
    (MAJORITY, 1, 1, 2, False),
    (MAJORITY, 1, 2, 1, False),
    (MAJORITY, 1, 0, 3, True),
    (MAJORITY, 0, 0, 4, False),
    (CONSENSUS, 4, 0, 0, True),
    (CONSENSUS, 3, 0, 1, True),
    (CONSENSUS, 3, 1, 0, False),
    (CONSENSUS, 1, 0, 3, True),
    (CONSENSUS, 0, 0, 4, False),
]


@pytest.mark.parametrize(("method", "yes", "no", "abstain", "passes"), BOUNDARIES)
def test_the_rule_at_its_boundaries(method, yes, no, abstain, passes):
    votes = [CircleVote.YES] * yes + [CircleVote.NO] * no + [CircleVote.ABSTAIN] * abstain
    counts = count_votes(votes)
    assert counts == {"yes": yes, "no": no, "abstain": abstain}
    assert network_passes(yes=counts["yes"], no=counts["no"], method=method) is passes


@pytest.mark.parametrize(
    ("status", "quorum_met", "in_network", "vote", "note"),
    [
        (ProposalStatus.PASSED, True, True, CircleVote.YES, ""),
        (ProposalStatus.PASSED, True, False, CircleVote.ABSTAIN, NOTE_LEFT),  # decided, left
        (ProposalStatus.FAILED, True, True, CircleVote.NO, ""),
        (ProposalStatus.FAILED, False, True, CircleVote.ABSTAIN, NOTE_NO_QUORUM),
        (ProposalStatus.WITHDRAWN, None, False, CircleVote.ABSTAIN, NOTE_LEFT),
        (ProposalStatus.WITHDRAWN, None, True, CircleVote.ABSTAIN, NOTE_UNDECIDED),
        (ProposalStatus.OPEN, None, True, CircleVote.ABSTAIN, NOTE_UNDECIDED),
    ],
)
def test_a_circles_vote_is_its_linked_proposals_outcome(status, quorum_met, in_network, vote, note):
    proposal = Proposal(status=status, quorum_met=quorum_met)
    assert circle_vote(proposal, in_network=in_network) == (vote, note)


@pytest.mark.parametrize(
    ("yes", "no", "block", "vote"),
    [
        (0, 0, 0, CircleVote.ABSTAIN),  # everyone abstained, or no one voted on a nil quorum
        (0, 1, 0, CircleVote.NO),
        (0, 0, 1, CircleVote.NO),  # a block in a consensus circle
        (1, 1, 0, CircleVote.NO),  # a tie fails its threshold: the circle said no
    ],
)
def test_a_failed_proposal_with_quorum_is_no_only_if_someone_took_a_side(yes, no, block, vote):
    proposal = Proposal(
        status=ProposalStatus.FAILED, quorum_met=True, yes_count=yes, no_count=no, block_count=block
    )
    assert circle_vote(proposal)[0] == vote


@pytest.fixture
def four(db):
    """A network of four one-member circles."""
    member_circles = circles(4)
    return network_of(member_circles), member_circles


def _ask(network, circle, title):
    return question_ask(
        network=network,
        circle=circle,
        asker=members(circle)[0],
        kind=QuestionKind.RESOLUTION,
        title=title,
        reason="To see where we stand.",
        data={},
    )


@pytest.mark.parametrize("method", [MAJORITY, CONSENSUS])
def test_settled_end_to_end_at_its_boundaries(four, method):
    """Each case is a question: its first circles say yes, the next no, and the rest do not
    decide by the deadline, so they abstain."""
    network, member_circles = four
    network.method = method  # what each question freezes when it opens
    network.save(update_fields=["method"])
    cases = [case for case in BOUNDARIES if case[0] == method]
    questions = []
    for index, (_method, yes, no, _abstain, _passes) in enumerate(cases):
        question = _ask(network, member_circles[0], f"Case {index}")
        for circle in member_circles[:yes]:
            circle_votes(question, circle, "yes")
        for circle in member_circles[yes : yes + no]:
            circle_votes(question, circle, "no")
        questions.append(question)
    network.method = MAJORITY if method == CONSENSUS else CONSENSUS
    network.save(update_fields=["method"])  # a later change does not touch an open question

    deadline = max(q.closes_at for q in questions)
    with time_machine.travel(deadline + timezone.timedelta(minutes=1), tick=False):
        assert questions_settle_due() == len(questions)

    for question, (_method, yes, no, abstain, passes) in zip(questions, cases, strict=True):
        question.refresh_from_db()
        expected = QuestionStatus.PASSED if passes else QuestionStatus.FAILED
        assert question.method == method
        assert (question.status, question.circles_count) == (expected, 4), question.title
        assert (question.yes_circles, question.no_circles, question.abstain_circles) == (
            yes,
            no,
            abstain,
        ), question.title
        undecided = LinkedProposal.objects.filter(question=question, vote=CircleVote.ABSTAIN)
        assert set(undecided.values_list("vote_note", flat=True)) <= {NOTE_NO_QUORUM}


def test_a_circle_whose_proposal_failed_without_quorum_abstains(db):
    big, _people = make_circle(members=3)
    (small,) = circles(1)
    network = network_of([big, small])
    question = _ask(network, small, "Share a van")
    circle_votes(question, small, "no")
    # One yes of three members: under the default quorum of half, its proposal fails.
    vote(linked(question, big), "yes", voters=members(big)[:1])

    with time_machine.travel(question.closes_at + timezone.timedelta(seconds=1), tick=False):
        questions_settle_due()

    question.refresh_from_db()
    big_link = LinkedProposal.objects.get(question=question, circle=big)
    assert big_link.proposal.status == ProposalStatus.FAILED
    assert big_link.proposal.quorum_met is False
    assert (big_link.vote, big_link.vote_reason) == (CircleVote.ABSTAIN, "did not reach its quorum")
    # Majority: 0 yes, 1 no.
    assert (question.status, question.yes_circles, question.no_circles) == (
        QuestionStatus.FAILED,
        0,
        1,
    )


def test_a_circle_that_did_not_decide_by_the_deadline_abstains(four):
    network, (a, b, c, d) = four
    question = _ask(network, a, "Lend the trailer")
    circle_votes(question, a, "yes")
    circle_votes(question, b, "yes")
    circle_votes(question, c, "no")

    with time_machine.travel(question.closes_at - timezone.timedelta(seconds=1), tick=False):
        assert questions_settle_due() == 0  # not yet: d may still decide

    with time_machine.travel(question.closes_at + timezone.timedelta(seconds=1), tick=False):
        assert questions_settle_due() == 1

    question.refresh_from_db()
    assert question.status == QuestionStatus.PASSED
    assert (question.yes_circles, question.no_circles, question.abstain_circles) == (2, 1, 1)
    d_link = LinkedProposal.objects.get(question=question, circle=d)
    assert d_link.vote == CircleVote.ABSTAIN
    assert d_link.proposal.status == ProposalStatus.FAILED  # closed at the deadline, no ballots
