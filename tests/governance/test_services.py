"""Governance services: proposals of every kind, ballots, tallies at their boundaries."""

import pytest
import time_machine
from django.utils import timezone

from circles.models import Membership
from circles.selectors import membership_of
from circles.services import membership_end
from governance.models import (
    Agreement,
    AgreementVersion,
    Ballot,
    DecisionSettings,
    ProposalKind,
    ProposalStatus,
)
from governance.selectors import decision_settings_for
from governance.services import (
    ballot_cast,
    comment_add,
    proposal_close,
    proposal_open,
    proposal_withdraw,
    proposals_close_due,
    quorum_met,
    threshold_met,
)
from peernet.errors import DomainError
from tests.factories import UserFactory, make_circle, make_member
from tests.governance.conftest import agreement_in, propose, set_rules

pytestmark = pytest.mark.django_db


def vote_all(proposal, people, choices):
    for person, choice in zip(people, choices, strict=True):
        ballot_cast(proposal=proposal, voter=person, choice=choice)
    proposal.refresh_from_db()
    return proposal


def close_now(proposal):
    with time_machine.travel(proposal.closes_at + timezone.timedelta(seconds=1)):
        return proposal_close(proposal=proposal)


# --- The arithmetic, at its edges -----------------------------------------------------


@pytest.mark.parametrize(
    ("electorate", "cast", "quorum", "met"),
    [
        (0, 0, 50, False),  # nobody left to vote: nothing passes
        (4, 0, 50, False),
        (4, 2, 50, True),  # exactly half
        (4, 1, 50, False),
        (3, 2, 67, False),  # 66.7% < 67%
        (3, 2, 66, True),
        (1, 1, 100, True),
        (5, 0, 0, True),  # a quorum of 0% needs nobody
    ],
)
def test_quorum_boundaries(electorate, cast, quorum, met):
    assert quorum_met(electorate=electorate, cast=cast, quorum_percent=quorum) is met


@pytest.mark.parametrize(
    ("yes", "no", "block", "threshold", "method", "met"),
    [
        (0, 0, 0, "majority", "majority", False),  # no ballots
        (1, 1, 0, "majority", "majority", False),  # a tie fails
        (2, 1, 0, "majority", "majority", True),
        (2, 1, 0, "supermajority", "majority", True),  # exactly two thirds
        (3, 2, 0, "supermajority", "majority", False),  # 60%
        (0, 0, 0, "supermajority", "majority", False),
        (5, 0, 1, "majority", "consensus", False),  # any block stops it
        (5, 0, 0, "majority", "consensus", True),
        (1, 1, 0, "majority", "consensus", False),
    ],
)
def test_threshold_boundaries(yes, no, block, threshold, method, met):
    assert threshold_met(yes=yes, no=no, block=block, threshold=threshold, method=method) is met


# --- Lifecycle ---------------------------------------------------------------------------


def test_opening_snapshots_rules_and_electorate(trio):
    circle, people = trio
    set_rules(circle, voting_days=3, quorum_percent=60, ballots="secret")
    proposal = propose(circle, people[0])
    assert proposal.status == ProposalStatus.OPEN
    assert proposal.closes_at - proposal.opened_at == timezone.timedelta(days=3)
    assert (proposal.quorum_percent, proposal.ballots) == (60, "secret")
    assert set(proposal.voters.values_list("user_id", flat=True)) == {p.pk for p in people}
    # A later change of the rules does not touch a proposal already open.
    set_rules(circle, quorum_percent=10)
    proposal.refresh_from_db()
    assert proposal.quorum_percent == 60


def test_draft_then_open_by_its_proposer_only(trio):
    circle, people = trio
    draft = propose(circle, people[0], open_now=False)
    assert draft.status == ProposalStatus.DRAFT
    assert not draft.voters.exists()
    with pytest.raises(DomainError, match="draft: voting has not opened"):
        ballot_cast(proposal=draft, voter=people[1], choice="yes")
    with pytest.raises(DomainError, match="Only the person who made a draft"):
        proposal_open(proposal=draft, member=people[1])
    opened = proposal_open(proposal=draft, member=people[0])
    assert opened.status == ProposalStatus.OPEN
    with pytest.raises(DomainError, match="Only a draft"):
        proposal_open(proposal=opened, member=people[0])


def test_only_members_propose_and_comment(trio):
    circle, people = trio
    outsider = UserFactory()
    with pytest.raises(DomainError):
        propose(circle, outsider)
    proposal = propose(circle, people[0])
    with pytest.raises(DomainError):
        comment_add(proposal=proposal, author=outsider, text="hi")
    comment = comment_add(proposal=proposal, author=people[1], text="  I agree. ")
    assert comment.text == "I agree."


def test_withdraw_by_the_proposer_while_open(trio):
    circle, people = trio
    proposal = propose(circle, people[0])
    with pytest.raises(DomainError):
        proposal_withdraw(proposal=proposal, member=people[1])
    withdrawn = proposal_withdraw(proposal=proposal, member=people[0])
    assert withdrawn.status == ProposalStatus.WITHDRAWN
    with pytest.raises(DomainError, match="closed"):
        ballot_cast(proposal=withdrawn, voter=people[1], choice="yes")
    with pytest.raises(DomainError, match="already closed"):
        proposal_withdraw(proposal=withdrawn, member=people[0])


# --- Ballots -------------------------------------------------------------------------------


def test_ballots_change_until_close_and_close_early_when_all_voted(trio):
    circle, people = trio
    proposal = propose(circle, people[0])
    ballot_cast(proposal=proposal, voter=people[0], choice="no")
    ballot_cast(proposal=proposal, voter=people[0], choice="yes", reason="Changed my mind")
    assert Ballot.objects.get(proposal=proposal, voter=people[0]).choice == "yes"
    ballot_cast(proposal=proposal, voter=people[1], choice="yes")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    ballot_cast(proposal=proposal, voter=people[2], choice="no")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PASSED
    assert (proposal.yes_count, proposal.no_count, proposal.ballots_cast) == (2, 1, 3)
    with pytest.raises(DomainError, match="closed"):
        ballot_cast(proposal=proposal, voter=people[2], choice="yes")


def test_a_forged_choice_and_a_block_outside_consensus_are_refused(trio):
    circle, people = trio
    proposal = propose(circle, people[0])
    with pytest.raises(DomainError, match="Choose yes, no or abstain"):
        ballot_cast(proposal=proposal, voter=people[0], choice="maybe")
    with pytest.raises(DomainError, match="consensus"):
        ballot_cast(proposal=proposal, voter=people[0], choice="block")
    assert not Ballot.objects.exists()


def test_a_vote_after_the_deadline_is_refused_before_beat_closes_it(trio):
    circle, people = trio
    proposal = propose(circle, people[0])
    with (
        time_machine.travel(proposal.closes_at + timezone.timedelta(minutes=1)),
        pytest.raises(DomainError, match="closed"),
    ):
        ballot_cast(proposal=proposal, voter=people[0], choice="yes")


def test_peer_only_votes(trio, staff):
    circle, people = trio
    proposal = propose(circle, people[0])
    outsider = UserFactory()
    former = people[2]
    membership_end(circle=circle, user=former)
    joiner = make_member(circle)
    staff_member_elsewhere = staff
    for person in [outsider, former, joiner, staff_member_elsewhere]:
        with pytest.raises(DomainError, match="members when this proposal opened"):
            ballot_cast(proposal=proposal, voter=person, choice="yes")
    assert not Ballot.objects.exists()


def test_a_leaver_is_dropped_with_their_ballot(trio):
    circle, people = trio
    proposal = propose(circle, people[0])
    ballot_cast(proposal=proposal, voter=people[2], choice="no")
    membership_end(circle=circle, user=people[2])
    ballot_cast(proposal=proposal, voter=people[0], choice="yes")
    ballot_cast(proposal=proposal, voter=people[1], choice="yes")
    proposal.refresh_from_db()
    # Everyone still in the electorate has voted, so it closed: without the leaver.
    assert proposal.status == ProposalStatus.PASSED
    assert (proposal.electorate_size, proposal.no_count, proposal.yes_count) == (2, 0, 2)


def test_a_joiner_does_not_swing_a_vote(trio):
    circle, people = trio
    proposal = propose(circle, people[0])
    late = make_member(circle)
    ballot_cast(proposal=proposal, voter=people[0], choice="yes")
    with pytest.raises(DomainError):
        ballot_cast(proposal=proposal, voter=late, choice="no")
    proposal = close_now(proposal)
    assert proposal.electorate_size == 3


# --- Closing -------------------------------------------------------------------------------


def test_zero_ballots_fails_for_want_of_quorum(trio):
    circle, people = trio
    proposal = close_now(propose(circle, people[0]))
    assert proposal.status == ProposalStatus.FAILED
    assert (proposal.electorate_size, proposal.ballots_cast) == (3, 0)
    assert proposal.quorum_met is False
    assert proposal.effect_applied is None


def test_a_tie_fails(db):
    circle, people = make_circle(members=4)
    proposal = propose(circle, people[0])
    proposal = vote_all(proposal, people, ["yes", "yes", "no", "no"])
    assert proposal.status == ProposalStatus.FAILED
    assert proposal.quorum_met is True
    assert proposal.threshold_met is False


def test_an_electorate_of_one(db):
    circle, (alone,) = make_circle(members=1)
    proposal = propose(
        circle, alone, ProposalKind.ADD_AGREEMENT, {"title": "Kindness", "text": "Be kind."}
    )
    ballot_cast(proposal=proposal, voter=alone, choice="yes")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PASSED
    assert proposal.electorate_size == 1
    assert Agreement.objects.get(circle=circle).title == "Kindness"


def test_abstentions_count_toward_quorum_not_threshold(db):
    circle, people = make_circle(members=4)
    proposal = propose(circle, people[0])
    ballot_cast(proposal=proposal, voter=people[0], choice="yes")
    ballot_cast(proposal=proposal, voter=people[1], choice="abstain")
    proposal = close_now(proposal)
    assert proposal.quorum_met is True  # 2 of 4
    assert proposal.status == ProposalStatus.PASSED  # 1 yes > 0 no


def test_a_block_fails_a_consensus_proposal(trio):
    circle, people = trio
    set_rules(circle, method="consensus")
    proposal = propose(circle, people[0])
    proposal = vote_all(proposal, people, ["yes", "yes", "block"])
    assert proposal.status == ProposalStatus.FAILED
    assert proposal.block_count == 1
    assert proposal.quorum_met is True


def test_closing_twice_records_one_decision_and_applies_once(trio):
    circle, people = trio
    proposal = propose(
        circle, people[0], ProposalKind.ADD_AGREEMENT, {"title": "Quiet", "text": "After 10pm."}
    )
    ballot_cast(proposal=proposal, voter=people[0], choice="yes")
    ballot_cast(proposal=proposal, voter=people[1], choice="yes")
    first = close_now(proposal)
    closed_at = first.closed_at
    second = close_now(proposal)
    assert second.closed_at == closed_at
    assert Agreement.objects.filter(circle=circle).count() == 1
    assert AgreementVersion.objects.count() == 1


def test_beat_task_closes_due_proposals_once(trio):
    from governance.tasks import close_due_proposals

    circle, people = trio
    due = propose(circle, people[0], title="due")
    set_rules(circle, voting_days=10)
    later = propose(circle, people[0], title="later")
    with time_machine.travel(due.closes_at + timezone.timedelta(minutes=1)):
        assert close_due_proposals() == 1
        assert close_due_proposals() == 0
        assert proposals_close_due() == 0
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == ProposalStatus.FAILED
    assert later.status == ProposalStatus.OPEN


# --- Every kind, passing and failing -----------------------------------------------------


def kind_case(kind, circle, people):
    """(data for the proposal, a check that the effect happened, a check it did not)."""
    match kind:
        case ProposalKind.ADD_AGREEMENT:
            data = {"title": "Consent", "text": "Ask first."}
            return (
                data,
                lambda: Agreement.objects.filter(circle=circle, title="Consent").exists(),
            )
        case ProposalKind.AMEND_AGREEMENT:
            agreement = agreement_in(circle, people)
            data = {"agreement": agreement, "title": "Rule", "text": "Better text"}
            return data, lambda: Agreement.objects.get(pk=agreement.pk).text == "Better text"
        case ProposalKind.REPEAL_AGREEMENT:
            agreement = agreement_in(circle, people)
            return (
                {"agreement": agreement},
                lambda: Agreement.objects.get(pk=agreement.pk).status == "repealed",
            )
        case ProposalKind.CHANGE_CIRCLE_SETTINGS:
            return (
                {"join_policy": "open", "name": circle.name},
                lambda: circle.__class__.objects.get(pk=circle.pk).join_policy == "open",
            )
        case ProposalKind.CHANGE_DECISION_SETTINGS:
            return (
                {"voting_days": 14},
                lambda: DecisionSettings.objects.get(circle=circle).voting_days == 14,
            )
        case ProposalKind.CHANGE_CRISIS_PLAN:
            return (
                {"crisis_plan": "Call Mo first."},
                lambda: circle.__class__.objects.get(pk=circle.pk).crisis_plan == "Call Mo first.",
            )
        case ProposalKind.REMOVE_MEMBER:
            target = make_member(circle)
            return (
                {"member": target},
                lambda: membership_of(circle=circle, user=target) is None,
            )
        case ProposalKind.RESOLUTION:
            return {}, lambda: True
    raise AssertionError(kind)


# Legitimacy's kinds pass and apply in tests/legitimacy (test_measures, test_reports,
# test_partnerships), each with the data its effect needs.
LEGITIMACY_KINDS = {
    ProposalKind.CHOOSE_MEASURES,
    ProposalKind.PUBLISH_REPORT,
    ProposalKind.ACCEPT_FUNDING,
}
# Networks' kinds, in tests/networks, each with the network its effect needs.
NETWORK_KINDS = {
    ProposalKind.FOUND_NETWORK,
    ProposalKind.JOIN_NETWORK,
    ProposalKind.LEAVE_NETWORK,
    ProposalKind.NETWORK_QUESTION,
}
KINDS_WITH_EFFECT = [
    k
    for k in ProposalKind.values
    if k != ProposalKind.REMOVE_POST and k not in LEGITIMACY_KINDS | NETWORK_KINDS
]


@pytest.mark.parametrize("kind", KINDS_WITH_EFFECT)
def test_every_kind_passes_and_applies_its_effect(
    kind, mailoutbox, django_capture_on_commit_callbacks
):
    circle, people = make_circle(members=3)
    data, happened = kind_case(kind, circle, people)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose(circle, people[0], kind, data)
        proposal = vote_all(proposal, people, ["yes", "yes", "yes"])
    assert proposal.status == ProposalStatus.PASSED
    assert proposal.effect_applied is (None if kind == ProposalKind.RESOLUTION else True)
    assert happened()
    if kind == ProposalKind.REMOVE_MEMBER:
        assert proposal.electorate_size == 3  # the member concerned did not vote
        removed = Membership.objects.get(circle=circle, user=proposal.target_user)
        assert removed.ended_because == "removed"
        assert [m.to for m in mailoutbox] == [[proposal.target_user.email]]


@pytest.mark.parametrize("kind", KINDS_WITH_EFFECT)
def test_every_kind_fails_and_changes_nothing(kind):
    circle, people = make_circle(members=3)
    data, happened = kind_case(kind, circle, people)
    before_agreements = list(Agreement.objects.values_list("pk", "title", "text", "status"))
    decision_settings_for(circle=circle)
    before_settings = list(DecisionSettings.objects.values())
    proposal = propose(circle, people[0], kind, data)
    proposal = vote_all(proposal, people, ["no", "no", "yes"])
    assert proposal.status == ProposalStatus.FAILED
    assert proposal.effect_applied is None
    if kind != ProposalKind.RESOLUTION:
        assert not happened()
    assert list(Agreement.objects.values_list("pk", "title", "text", "status")) == before_agreements
    assert list(DecisionSettings.objects.values()) == before_settings


def test_changing_decision_settings_always_needs_a_supermajority(db):
    circle, people = make_circle(members=5)
    proposal = propose(
        circle, people[0], ProposalKind.CHANGE_DECISION_SETTINGS, {"quorum_percent": 20}
    )
    assert proposal.threshold == "supermajority"
    proposal = vote_all(proposal, people, ["yes", "yes", "yes", "no", "no"])  # 60%
    assert proposal.status == ProposalStatus.FAILED
    assert proposal.quorum_met is True


def test_the_member_concerned_does_not_vote_but_may_comment(trio):
    circle, people = trio
    proposal = propose(circle, people[0], ProposalKind.REMOVE_MEMBER, {"member": people[2]})
    with pytest.raises(DomainError, match="about you"):
        ballot_cast(proposal=proposal, voter=people[2], choice="no")
    assert comment_add(proposal=proposal, author=people[2], text="Please hear me out.")
    assert proposal.voters.count() == 2


def test_a_stale_amendment_passes_without_applying(trio):
    circle, people = trio
    agreement = agreement_in(circle, people)
    amend = propose(
        circle,
        people[0],
        ProposalKind.AMEND_AGREEMENT,
        {"agreement": agreement, "title": "Rule", "text": "Amended"},
    )
    repeal = propose(circle, people[1], ProposalKind.REPEAL_AGREEMENT, {"agreement": agreement})
    vote_all(repeal, people, ["yes", "yes", "yes"])
    amend = vote_all(amend, people, ["yes", "yes", "yes"])
    assert amend.status == ProposalStatus.PASSED
    assert amend.effect_applied is False
    assert "repealed by a later decision" in amend.effect_note
    agreement.refresh_from_db()
    assert (agreement.status, agreement.text) == ("repealed", "Text")
    assert [v.repealed for v in agreement.versions.order_by("number")] == [False, True]


def test_proposals_with_no_change_are_refused(trio):
    circle, people = trio
    with pytest.raises(DomainError, match="at least one setting"):
        propose(circle, people[0], ProposalKind.CHANGE_CIRCLE_SETTINGS, {"name": circle.name})
    assert not circle.proposals.exists()


def test_agreement_history_links_each_version_to_its_decision(trio):
    circle, people = trio
    agreement = agreement_in(circle, people, text="v1")
    amend = propose(
        circle,
        people[0],
        ProposalKind.AMEND_AGREEMENT,
        {"agreement": agreement, "title": "Rule", "text": "v2"},
    )
    vote_all(amend, people, ["yes", "yes", "yes"])
    versions = list(agreement.versions.order_by("number"))
    assert [v.text for v in versions] == ["v1", "v2"]
    assert versions[1].decision == amend


def measure_cast_and_close(size: int) -> tuple[int, int]:
    from circles.models import Membership
    from peernet.members.models import User
    from tests.helpers import count_queries

    circle, people = make_circle(members=3)
    set_rules(circle, quorum_percent=0)  # one yes passes it, so closing applies the effect
    extra = User.objects.bulk_create(
        User(email=f"e{size}-{n}@example.org", display_name=f"E{n}") for n in range(size - 3)
    )
    Membership.objects.bulk_create(Membership(circle=circle, user=u) for u in extra)
    proposal = propose(
        circle, people[0], ProposalKind.ADD_AGREEMENT, {"title": "Big", "text": "Many of us."}
    )
    cast, _ = count_queries(ballot_cast, proposal=proposal, voter=people[0], choice="yes")
    with time_machine.travel(proposal.closes_at + timezone.timedelta(seconds=1)):
        close, closed = count_queries(proposal_close, proposal=proposal)
    assert (closed.status, closed.effect_applied, closed.electorate_size) == ("passed", True, size)
    return cast, close


def test_casting_and_closing_keep_their_query_budget_whatever_the_electorate():
    small = measure_cast_and_close(3)
    large = measure_cast_and_close(300)
    assert small == large
    cast, close = large
    assert cast <= 8
    assert close <= 10
