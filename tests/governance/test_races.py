"""Concurrency on real PostgreSQL: ballots and closings that arrive at the same moment."""

import pytest
import time_machine
from django.utils import timezone

from governance.models import Agreement, AgreementVersion, Ballot, ProposalKind, ProposalStatus
from governance.services import ballot_cast, proposal_close
from tests.factories import make_circle
from tests.governance.conftest import propose
from tests.helpers import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)

SIMULTANEOUS_BALLOTS = 20


def test_twenty_ballots_at_once_by_one_member_leave_one_ballot():
    circle, people = make_circle(members=3)
    proposal = propose(circle, people[0])
    choices = ["yes", "no", "abstain", "no"] * (SIMULTANEOUS_BALLOTS // 4)
    calls = iter(choices)
    results = run_at_once(
        lambda: ballot_cast(proposal=proposal, voter=people[1], choice=next(calls)),
        SIMULTANEOUS_BALLOTS,
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    ballots = Ballot.objects.filter(proposal=proposal, voter=people[1])
    assert ballots.count() == 1
    assert ballots.get().choice in {"yes", "no", "abstain"}


def test_two_closings_at_once_make_one_decision_and_apply_once():
    circle, people = make_circle(members=3)
    proposal = propose(
        circle, people[0], ProposalKind.ADD_AGREEMENT, {"title": "Tea", "text": "Bring cups."}
    )
    ballot_cast(proposal=proposal, voter=people[0], choice="yes")
    ballot_cast(proposal=proposal, voter=people[1], choice="yes")
    with time_machine.travel(proposal.closes_at + timezone.timedelta(seconds=5), tick=False):
        results = run_at_once(lambda: proposal_close(proposal=proposal), 2)
    assert [r for r in results if isinstance(r, Exception)] == []
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PASSED
    assert Agreement.objects.filter(circle=circle).count() == 1
    assert AgreementVersion.objects.filter(decision=proposal).count() == 1


def test_the_last_two_ballots_at_once_close_it_once():
    circle, people = make_circle(members=3)
    proposal = propose(
        circle, people[0], ProposalKind.ADD_AGREEMENT, {"title": "Rest", "text": "Sundays off."}
    )
    ballot_cast(proposal=proposal, voter=people[0], choice="yes")
    voters = iter(people[1:])
    results = run_at_once(
        lambda: ballot_cast(proposal=proposal, voter=next(voters), choice="yes"), 2
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    proposal.refresh_from_db()
    assert (proposal.status, proposal.ballots_cast) == (ProposalStatus.PASSED, 3)
    assert AgreementVersion.objects.filter(decision=proposal).count() == 1
