"""Concurrency on real PostgreSQL: circles joining, linked proposals closing and the
deadline passing at the same moment. One outcome, recorded once."""

import pytest
import time_machine
from django.utils import timezone

from governance.models import ProposalKind, ProposalStatus
from governance.networks.models import (
    CircleVote,
    LinkedProposal,
    NetworkMembership,
    NetworkQuestion,
    QuestionKind,
    QuestionStatus,
    SharedAgreement,
)
from governance.networks.services.questions import question_ask, questions_settle_due
from governance.services import ballot_cast, proposal_close
from peernet.notify.models import Kind, Notification
from tests.factories import make_circle
from tests.helpers import run_at_once
from tests.networks.factories import (
    admission,
    ask_to_join,
    circles,
    found_network,
    linked,
    members,
    network_of,
    propose,
    vote,
)

pytestmark = pytest.mark.django_db(transaction=True)


def decided_on(question):
    """The NETWORK_DECIDED notifications of this question (the admissions that made the
    network sent their own)."""
    return Notification.objects.filter(kind=Kind.NETWORK_DECIDED, url=question.get_absolute_url())


def no_errors(results):
    assert [r for r in results if isinstance(r, Exception)] == []


def test_two_circles_admitted_at_once_are_each_admitted_once():
    founder, first, second = circles(3)
    network = found_network(founder)
    ask_to_join(first, network)
    ask_to_join(second, network)
    # The founding circle's one member says yes to both at once: each closes an admission.
    proposals = iter([linked(admission(c, network), founder) for c in (first, second)])
    (person,) = members(founder)
    no_errors(
        run_at_once(lambda: ballot_cast(proposal=next(proposals), voter=person, choice="yes"), 2)
    )

    active = NetworkMembership.objects.active().filter(network=network)
    assert sorted(active.values_list("circle_id", flat=True)) == sorted(
        [founder.pk, first.pk, second.pk]
    )
    assert NetworkMembership.objects.filter(network=network).count() == 3
    assert set(NetworkQuestion.objects.values_list("status", flat=True)) == {QuestionStatus.PASSED}


def test_one_circles_two_join_proposals_passing_at_once_open_one_admission():
    founder, newcomer = circles(2)
    network = found_network(founder)
    joins = [propose(newcomer, ProposalKind.JOIN_NETWORK, {"network": network}) for _ in "ab"]
    (person,) = members(newcomer)
    pending = iter(joins)
    no_errors(
        run_at_once(lambda: ballot_cast(proposal=next(pending), voter=person, choice="yes"), 2)
    )

    assert NetworkQuestion.objects.filter(subject_circle=newcomer).count() == 1
    for join in joins:
        join.refresh_from_db()
    assert {j.status for j in joins} == {ProposalStatus.PASSED}
    assert sorted(j.effect_applied for j in joins) == [False, True]


def test_two_linked_proposals_closing_at_once_settle_the_question_once():
    a, b, c = circles(3)
    network = network_of([a, b, c])
    question = question_ask(
        network=network,
        circle=a,
        asker=members(a)[0],
        kind=QuestionKind.ADOPT_AGREEMENT,
        title="Answer within a week",
        reason="So no need waits long.",
        data={"text": "We answer each other's needs within a week."},
    )
    vote(linked(question, a), "yes")
    last = iter([(linked(question, b), members(b)[0]), (linked(question, c), members(c)[0])])

    def close_one():
        proposal, person = next(last)
        return ballot_cast(proposal=proposal, voter=person, choice="yes")

    no_errors(run_at_once(close_one, 2))

    question.refresh_from_db()
    assert (question.status, question.yes_circles) == (QuestionStatus.PASSED, 3)
    assert SharedAgreement.objects.filter(network=network).count() == 1
    decided = decided_on(question)
    everyone = {p.pk for circle in (a, b, c) for p in members(circle)}
    assert sorted(decided.values_list("recipient", flat=True)) == sorted(everyone)


def test_the_last_circle_closing_as_the_deadline_passes_makes_one_outcome():
    a, b = circles(2)
    last, people = make_circle(members=2)
    network = network_of([a, b, last])
    question = question_ask(
        network=network,
        circle=a,
        asker=members(a)[0],
        kind=QuestionKind.RESOLUTION,
        title="Meet in spring",
        reason="To plan the year together.",
        data={},
    )
    vote(linked(question, a), "yes")
    vote(linked(question, b), "no")
    # Half its members said yes: its quorum is met, so it passes when it closes.
    vote(linked(question, last), "yes", voters=people[:1])
    proposal = linked(question, last)

    calls = iter([lambda: proposal_close(proposal=proposal), questions_settle_due])
    with time_machine.travel(question.closes_at + timezone.timedelta(seconds=5), tick=False):
        no_errors(run_at_once(lambda: next(calls)(), 2))

    question.refresh_from_db()
    proposal.refresh_from_db()
    link = LinkedProposal.objects.get(question=question, circle=last)
    assert proposal.status == ProposalStatus.PASSED
    assert link.vote == CircleVote.YES
    assert (question.status, question.yes_circles, question.no_circles) == (
        QuestionStatus.PASSED,
        2,
        1,
    )
    everyone = {p.pk for circle in (a, b, last) for p in members(circle)}
    decided = decided_on(question)
    assert sorted(decided.values_list("recipient", flat=True)) == sorted(everyone)
