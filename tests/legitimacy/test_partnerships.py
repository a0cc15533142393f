"""Funding and partnerships: accepted only by at least a supermajority, on recorded terms,
reminded of once before the end date, lapsed after it unless a renewal passed."""

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from governance.legitimacy import constants, tasks
from governance.legitimacy.models import Partnership, PartnershipStatus
from governance.legitimacy.selectors.partnerships import (
    home_partnerships,
    partnerships_for_report,
    partnerships_of,
)
from governance.legitimacy.services.partnerships import (
    funding_change_build,
    partnership_reminders_send,
    partnerships_lapse_due,
)
from governance.models import ProposalKind, ProposalStatus, Threshold
from governance.services import ballot_cast, proposal_close
from peernet.errors import DomainError
from peernet.notify.models import Kind, Notification
from tests.factories import make_circle
from tests.governance.conftest import agreement_in, propose, set_rules
from tests.helpers import run_at_once

pytestmark = pytest.mark.django_db


def terms(**changes) -> dict:
    """What the form gives the service for a proposal to accept funding."""
    return {
        "partnership_kind": "funding",
        "partner": "Harbour Community Fund",
        "offered": "£2,000 a year for the food pantry.",
        "asks": "A yearly letter on how the money was used.",
        "agreements": [],
        "will_not_accept": "No names or data about members. No say over who we help.",
        "ends_on": timezone.localdate() + timedelta(days=365),
        "research_returns": "",
        "returns_by": None,
        "renews": None,
        **changes,
    }


def propose_funding(circle, proposer, **changes):
    return propose(
        circle,
        proposer,
        ProposalKind.ACCEPT_FUNDING,
        terms(**changes),
        title=f"Accept {changes.get('partner', 'the fund')}",
    )


def vote_and_close(proposal, people, choices):
    """Each person votes as given (None: does not vote); then the vote closes at its deadline."""
    for person, choice in zip(people, choices, strict=True):
        if choice:
            ballot_cast(proposal=proposal, voter=person, choice=choice)
    proposal.refresh_from_db()
    if proposal.status == ProposalStatus.OPEN:
        with time_machine.travel(proposal.closes_at + timedelta(seconds=1), tick=False):
            proposal = proposal_close(proposal=proposal)
    proposal.refresh_from_db()
    return proposal


def accept(circle, people, **changes) -> Partnership:
    """A partnership the circle accepted: proposed by the first person, everyone for it."""
    proposal = propose_funding(circle, people[0], **changes)
    for person in people:
        ballot_cast(proposal=proposal, voter=person, choice="yes")
    return Partnership.objects.get(decision=proposal)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


@pytest.fixture
def trio():
    return make_circle(members=3)


# --- The threshold floor ----------------------------------------------------------------


@pytest.fixture
def six():
    return make_circle(members=6)


@pytest.mark.parametrize(
    ("choices", "passed"),
    [
        (["yes", "yes", "no", None, None, None], True),  # exactly two thirds
        (["yes", "yes", "yes", "no", "no", None], False),  # 60%: a simple majority, not enough
        (["yes", "no", "no", None, None, None], False),
        (["yes", "yes", "yes", "yes", "no", "no"], True),  # two thirds again, everyone voting
        (["yes", "yes", "abstain", "abstain", "no", None], True),  # abstentions do not count
    ],
)
def test_a_majority_circle_still_needs_two_thirds(six, choices, passed):
    circle, people = six
    set_rules(circle, threshold=Threshold.MAJORITY, quorum_percent=50)
    proposal = vote_and_close(propose_funding(circle, people[0]), people, choices)
    assert proposal.threshold == Threshold.SUPERMAJORITY
    assert proposal.quorum_met is True
    assert proposal.status == (ProposalStatus.PASSED if passed else ProposalStatus.FAILED)
    assert Partnership.objects.filter(decision=proposal).exists() is passed


def test_sixty_percent_passes_an_ordinary_proposal_but_not_funding(six):
    circle, people = six
    set_rules(circle, threshold=Threshold.MAJORITY)
    choices = ["yes", "yes", "yes", "no", "no", None]
    ordinary = vote_and_close(propose(circle, people[0]), people, choices)
    funding = vote_and_close(propose_funding(circle, people[0]), people, choices)
    assert ordinary.threshold == Threshold.MAJORITY
    assert ordinary.status == ProposalStatus.PASSED
    assert funding.status == ProposalStatus.FAILED
    assert not Partnership.objects.exists()


def test_one_yes_and_no_no_passes_when_the_quorum_is_met(six):
    circle, people = six
    set_rules(circle, quorum_percent=10)
    proposal = vote_and_close(propose_funding(circle, people[0]), people, ["yes", *[None] * 5])
    assert (proposal.quorum_met, proposal.status) == (True, ProposalStatus.PASSED)


def test_below_the_quorum_two_thirds_is_not_enough(six):
    circle, people = six
    set_rules(circle, quorum_percent=50)
    proposal = vote_and_close(
        propose_funding(circle, people[0]), people, ["yes", "yes", None, None, None, None]
    )
    assert (proposal.quorum_met, proposal.status) == (False, ProposalStatus.FAILED)


def test_in_a_consensus_circle_one_block_stops_it(six):
    circle, people = six
    set_rules(circle, method="consensus", threshold=Threshold.MAJORITY)
    blocked = vote_and_close(propose_funding(circle, people[0]), people, ["yes"] * 5 + ["block"])
    assert blocked.threshold == Threshold.SUPERMAJORITY
    assert blocked.status == ProposalStatus.FAILED
    agreed = vote_and_close(propose_funding(circle, people[0]), people, ["yes"] * 6)
    assert agreed.status == ProposalStatus.PASSED


def test_a_consensus_circle_cannot_lower_it_with_a_majority_threshold(six):
    """Consensus raises the bar; the circle's majority threshold does not lower it."""
    circle, people = six
    set_rules(circle, method="consensus", threshold=Threshold.MAJORITY)
    proposal = vote_and_close(
        propose_funding(circle, people[0]), people, ["yes", "yes", "yes", "no", "no", None]
    )
    assert proposal.status == ProposalStatus.FAILED


def test_a_voting_circle_can_raise_funding_alone_to_consensus(six):
    circle, people = six
    set_rules(circle, method="majority", funding_rule="consensus")
    blocked = vote_and_close(propose_funding(circle, people[0]), people, ["yes"] * 5 + ["block"])
    assert (blocked.method, blocked.threshold) == ("consensus", Threshold.SUPERMAJORITY)
    assert blocked.status == ProposalStatus.FAILED
    ordinary = propose(circle, people[0])
    assert ordinary.method == "majority"  # everything else is decided as before


def test_a_consensus_circle_keeps_consensus_whatever_its_funding_rule(six):
    circle, people = six
    set_rules(circle, method="consensus", funding_rule="supermajority")
    assert propose_funding(circle, people[0]).method == "consensus"


def test_the_funding_rule_changes_only_by_a_decision_on_how_the_circle_decides(six):
    from governance.models import DecisionSettings

    circle, people = six
    proposal = propose(
        circle, people[0], ProposalKind.CHANGE_DECISION_SETTINGS, {"funding_rule": "consensus"}
    )
    assert proposal.change == {
        "before": {"funding_rule": "supermajority"},
        "after": {"funding_rule": "consensus"},
    }
    vote_and_close(proposal, people, ["yes"] * 6)
    assert DecisionSettings.objects.get(circle=circle).funding_rule == "consensus"
    assert propose_funding(circle, people[0]).method == "consensus"


# --- What a passed proposal creates -----------------------------------------------------


def test_a_passed_proposal_records_the_terms_from_the_day_it_closed(trio):
    circle, people = trio
    care = agreement_in(circle, people, title="Privacy", text="We keep each other's names.")
    ends_on = timezone.localdate() + timedelta(days=200)
    proposal = propose_funding(circle, people[0], agreements=[care], ends_on=ends_on)
    assert proposal.change == {
        "before": {},
        "after": {
            "kind": "funding",
            "partner": "Harbour Community Fund",
            "offered": "£2,000 a year for the food pantry.",
            "asks": "A yearly letter on how the money was used.",
            "agreements": [{"id": care.pk, "title": "Privacy"}],
            "will_not_accept": "No names or data about members. No say over who we help.",
            "research_returns": "",
            "returns_by": None,
            "ends_on": ends_on.isoformat(),
            "renews": None,
        },
    }
    json.dumps(proposal.change)  # stored as it is: JSON-ready
    assert not Partnership.objects.exists()
    proposal = vote_and_close(proposal, people, ["yes", "yes", None])  # closes at its deadline
    partnership = Partnership.objects.get()
    assert proposal.effect_applied is True
    assert partnership.decision == proposal
    assert partnership.circle == circle
    assert partnership.starts_on == timezone.localdate(proposal.closed_at)
    assert partnership.starts_on > timezone.localdate()  # the day it closed, not today
    assert partnership.ends_on == ends_on
    assert partnership.agreements == [{"id": care.pk, "title": "Privacy"}]
    assert partnership.status == PartnershipStatus.ACTIVE
    assert partnership.renews is None


def test_research_says_what_comes_back_and_when(trio):
    circle, people = trio
    ends_on = timezone.localdate() + timedelta(days=300)
    with pytest.raises(DomainError, match="what comes back to the circle") as error:
        propose_funding(circle, people[0], partnership_kind="research")
    assert "by when it comes back" in error.value.message
    partnership = accept(
        circle,
        people,
        partnership_kind="research",
        partner="City University",
        research_returns="A plain-language summary and a meeting with us.",
        returns_by=ends_on - timedelta(days=30),
        ends_on=ends_on,
    )
    assert partnership.kind == "research"
    assert partnership.returns_by == ends_on - timedelta(days=30)


def test_research_fields_are_dropped_from_funding(trio):
    circle, people = trio
    partnership = accept(
        circle, people, research_returns="Typed, then changed kind", returns_by=date(2000, 1, 1)
    )
    assert (partnership.research_returns, partnership.returns_by) == ("", None)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": None}, "Give an end date"),
        ({"ends_on": "today"}, "must be after today"),
        ({"ends_on": "past"}, "must be after today"),
        ({"ends_on": "too far"}, "at most three years away"),
        ({"will_not_accept": "   "}, "will not accept"),
        ({"partner": ""}, "Name the partner"),
        ({"offered": ""}, "what is offered"),
        ({"partnership_kind": "loan"}, "funding, a partnership or research"),
        ({"offered": "x" * (constants.PARTNERSHIP_TEXT_MAX_LENGTH + 1)}, "at most 3000"),
        (
            {
                "partnership_kind": "research",
                "research_returns": "A summary",
                "returns_by": "after the end",
            },
            "by the end date",
        ),
    ],
)
def test_the_service_refuses_bad_terms(trio, changes, message):
    circle, _people = trio
    today = timezone.localdate()
    dates = {
        "today": today,
        "past": today - timedelta(days=1),
        "too far": today + constants.PARTNERSHIP_TERM_MAX + timedelta(days=1),
    }
    changes = {k: dates.get(v, v) if isinstance(v, str) else v for k, v in changes.items()}
    if changes.get("returns_by") == "after the end":
        changes["returns_by"] = terms()["ends_on"] + timedelta(days=1)
    with pytest.raises(DomainError, match=message):
        funding_change_build(circle=circle, data=terms(**changes))


def test_the_term_may_run_exactly_its_longest(trio):
    circle, _people = trio
    longest = timezone.localdate() + constants.PARTNERSHIP_TERM_MAX
    change = funding_change_build(circle=circle, data=terms(ends_on=longest))
    assert change["after"]["ends_on"] == longest.isoformat()


def test_only_a_current_partnership_of_this_circle_can_be_renewed(trio):
    circle, people = trio
    other_circle, others = make_circle(members=1)
    theirs = accept(other_circle, others)
    for renews in [theirs, theirs.pk, 999999, "abc"]:
        with pytest.raises(DomainError, match="Only a current partnership of this circle"):
            funding_change_build(circle=circle, data=terms(renews=renews))
    ours = accept(circle, people)
    assert funding_change_build(circle=circle, data=terms(renews=ours))["after"]["renews"] == (
        ours.pk
    )
    Partnership.objects.filter(pk=ours.pk).update(status=PartnershipStatus.LAPSED)
    with pytest.raises(DomainError, match="Only a current partnership"):
        funding_change_build(circle=circle, data=terms(renews=ours.pk))


def test_agreements_of_another_circle_are_refused(trio):
    circle, _people = trio
    other_circle, others = make_circle(members=1)
    theirs = agreement_in(other_circle, others)
    with pytest.raises(DomainError, match="circle's current agreements"):
        funding_change_build(circle=circle, data=terms(agreements=[theirs]))


def test_an_end_date_passed_before_the_decision_begins_nothing(trio):
    circle, people = trio
    proposal = propose_funding(circle, people[0], ends_on=timezone.localdate() + timedelta(days=2))
    proposal = vote_and_close(proposal, people, ["yes", "yes", None])
    assert proposal.status == ProposalStatus.PASSED
    assert proposal.effect_applied is False
    assert "end date had passed" in proposal.effect_note
    assert not Partnership.objects.exists()


# --- Renewal ----------------------------------------------------------------------------


def test_a_renewal_ends_the_old_one_and_starts_the_new_one(trio):
    circle, people = trio
    old = accept(circle, people)
    new = accept(circle, people, renews=old, ends_on=old.ends_on + timedelta(days=365))
    old.refresh_from_db()
    assert old.status == PartnershipStatus.RENEWED
    assert old.ended_at == new.decision.closed_at
    assert new.renews == old
    assert new.status == PartnershipStatus.ACTIVE
    assert new.decision.effect_note == ""
    # Nothing to remind of or lapse for the old one, ever.
    for day in [old.ends_on - timedelta(days=30), old.ends_on + timedelta(days=1)]:
        with time_machine.travel(noon(day), tick=False):
            assert partnership_reminders_send() == 0
            assert partnerships_lapse_due() == 0
    old.refresh_from_db()
    assert old.status == PartnershipStatus.RENEWED
    assert old.reminded_at is None
    assert not Notification.objects.filter(
        kind__in=[Kind.PARTNERSHIP_ENDING, Kind.PARTNERSHIP_LAPSED]
    ).exists()


def test_a_renewal_that_passes_after_the_lapse_starts_a_new_term(trio):
    circle, people = trio
    old = accept(circle, people, ends_on=timezone.localdate() + timedelta(days=3))
    renewal = propose_funding(
        circle, people[0], renews=old, ends_on=timezone.localdate() + timedelta(days=400)
    )
    for person in people[:2]:
        ballot_cast(proposal=renewal, voter=person, choice="yes")
    day = old.ends_on + timedelta(days=1)
    with time_machine.travel(noon(day), tick=False):
        assert partnerships_lapse_due() == 1
        ballot_cast(proposal=renewal, voter=people[2], choice="yes")  # the last: it closes
    renewal.refresh_from_db()
    old.refresh_from_db()
    new = Partnership.objects.get(decision=renewal)
    assert old.status == PartnershipStatus.LAPSED
    assert new.status == PartnershipStatus.ACTIVE
    assert new.starts_on == day
    assert new.renews == old
    assert renewal.effect_applied is True
    assert "already lapsed" in renewal.effect_note
    assert "new term" in renewal.effect_note


def test_two_renewals_of_one_partnership_both_passing(trio):
    circle, people = trio
    old = accept(circle, people)
    first = propose_funding(circle, people[0], renews=old)
    second = propose_funding(circle, people[1], renews=old)
    for proposal in [first, second]:
        for person in people:
            ballot_cast(proposal=proposal, voter=person, choice="yes")
    second.refresh_from_db()
    assert Partnership.objects.get(decision=first).renews == old
    assert Partnership.objects.get(decision=second).renews is None
    assert second.effect_applied is True
    assert "already been renewed" in second.effect_note


# --- Reminders --------------------------------------------------------------------------


def ending_notices():
    return Notification.objects.filter(kind=Kind.PARTNERSHIP_ENDING)


def test_members_are_reminded_once_thirty_days_before_the_end(trio):
    circle, people = trio
    partnership = accept(circle, people)
    end = partnership.ends_on
    with time_machine.travel(noon(end - timedelta(days=31)), tick=False):
        assert partnership_reminders_send() == 0
    assert not ending_notices().exists()
    with time_machine.travel(noon(end - timedelta(days=30)), tick=False):
        assert partnership_reminders_send() == 1
        assert partnership_reminders_send() == 0  # a retried run sends nothing more
    assert sorted(ending_notices().values_list("recipient_id", flat=True)) == sorted(
        p.pk for p in people
    )
    notice = ending_notices().first()
    assert partnership.partner in notice.text
    assert "lapses then unless the circle renews it" in notice.text
    assert f"renews={partnership.pk}" in notice.url
    assert "kind=accept_funding" in notice.url
    partnership.refresh_from_db()
    assert partnership.reminded_at == noon(end - timedelta(days=30))
    with time_machine.travel(noon(end - timedelta(days=2)), tick=False):
        assert tasks.send_partnership_reminders() == 0
    assert ending_notices().count() == len(people)


def test_a_partnership_accepted_close_to_its_end_is_reminded_of_at_once(trio):
    circle, people = trio
    accept(circle, people, ends_on=timezone.localdate() + timedelta(days=10))
    assert tasks.send_partnership_reminders() == 1
    assert ending_notices().count() == 3


def test_a_lost_mark_still_sends_nothing_twice(trio):
    """Even if the mark were lost, each member is told once (the notice's once-key)."""
    circle, people = trio
    partnership = accept(circle, people, ends_on=timezone.localdate() + timedelta(days=10))
    assert partnership_reminders_send() == 1
    Partnership.objects.filter(pk=partnership.pk).update(reminded_at=None)
    partnership_reminders_send()
    assert ending_notices().count() == 3


# --- Lapse ------------------------------------------------------------------------------


def test_it_holds_on_its_end_date_and_lapses_the_day_after_told_once(trio):
    circle, people = trio
    partnership = accept(circle, people)
    end = partnership.ends_on
    with time_machine.travel(datetime.combine(end, time(23, 59), tzinfo=UTC), tick=False):
        assert partnerships_lapse_due() == 0
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.ACTIVE
    after = datetime.combine(end + timedelta(days=1), time(0, 1), tzinfo=UTC)
    with time_machine.travel(after, tick=False):
        assert tasks.lapse_partnerships() == 1
        assert partnerships_lapse_due() == 0
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.LAPSED
    assert partnership.ended_at == after
    told = Notification.objects.filter(kind=Kind.PARTNERSHIP_LAPSED)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(p.pk for p in people)
    assert partnership.partner in told.first().text
    with time_machine.travel(after + timedelta(days=3), tick=False):
        assert partnerships_lapse_due() == 0
    assert told.count() == len(people)
    partnership.refresh_from_db()
    assert partnership.ended_at == after


def test_a_renewal_passed_before_the_end_is_never_lapsed(trio):
    circle, people = trio
    old = accept(circle, people, ends_on=timezone.localdate() + timedelta(days=20))
    new = accept(circle, people, renews=old, ends_on=timezone.localdate() + timedelta(days=300))
    with time_machine.travel(noon(old.ends_on + timedelta(days=1)), tick=False):
        assert partnerships_lapse_due() == 0
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == PartnershipStatus.RENEWED
    assert new.status == PartnershipStatus.ACTIVE


@pytest.mark.django_db(transaction=True)
def test_runs_at_once_remind_and_lapse_once():
    circle, people = make_circle(members=3)
    accept(circle, people, ends_on=timezone.localdate() + timedelta(days=10))
    lapsing = accept(circle, people, partner="Lapsing", ends_on=timezone.localdate() + timedelta(1))
    Partnership.objects.filter(pk=lapsing.pk).update(reminded_at=timezone.now())
    results = run_at_once(partnership_reminders_send, 3)
    assert sorted(results) == [0, 0, 1]
    assert ending_notices().count() == len(people)
    with time_machine.travel(noon(lapsing.ends_on + timedelta(days=1)), tick=False):
        results = run_at_once(partnerships_lapse_due, 3)
    assert sorted(results) == [0, 0, 1]
    assert Notification.objects.filter(kind=Kind.PARTNERSHIP_LAPSED).count() == len(people)


def test_the_beat_runs_both_tasks():
    tasks_run = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "governance.legitimacy.tasks.send_partnership_reminders" in tasks_run
    assert "governance.legitimacy.tasks.lapse_partnerships" in tasks_run


# --- Reads ------------------------------------------------------------------------------


def test_current_ones_come_first_then_past_ones(trio):
    circle, people = trio
    assert home_partnerships(circle=circle, membership=None) is None
    later = accept(circle, people, partner="Later", ends_on=timezone.localdate() + timedelta(400))
    sooner = accept(circle, people, partner="Sooner", ends_on=timezone.localdate() + timedelta(9))
    gone = accept(circle, people, partner="Gone", ends_on=timezone.localdate() + timedelta(5))
    with time_machine.travel(noon(timezone.localdate() + timedelta(days=6)), tick=False):
        partnerships_lapse_due()
    assert list(partnerships_of(circle=circle)) == [sooner, later, gone]
    section = home_partnerships(circle=circle, membership=None)
    assert section == {"current": [sooner, later], "past": [gone]}


def test_the_report_gets_every_partnership_of_the_period_without_names(trio):
    circle, people = trio
    today = timezone.localdate()
    research = accept(
        circle,
        people,
        partnership_kind="research",
        partner="City University",
        research_returns="A summary in plain words.",
        returns_by=today + timedelta(days=100),
        ends_on=today + timedelta(days=200),
        agreements=[agreement_in(circle, people, title="Privacy")],
    )
    later = today + timedelta(days=300)
    report = partnerships_for_report(circle=circle, start=today, end=today + timedelta(days=30))
    assert report == [
        {
            "partner": "City University",
            "kind": "research",
            "offered": "£2,000 a year for the food pantry.",
            "asks": "A yearly letter on how the money was used.",
            "agreements": ["Privacy"],
            "will_not_accept": "No names or data about members. No say over who we help.",
            "research_returns": "A summary in plain words.",
            "returns_by": research.returns_by.isoformat(),
            "starts_on": today.isoformat(),
            "ends_on": research.ends_on.isoformat(),
            "status": "active",
        }
    ]
    document = json.dumps(report)
    assert not any(person.display_name in document for person in people)
    assert partnerships_for_report(circle=circle, start=later, end=later) == []
    before = today - timedelta(days=10)
    assert partnerships_for_report(circle=circle, start=before, end=before) == []
    other, _others = make_circle(members=1)
    assert partnerships_for_report(circle=other, start=today, end=later) == []


def test_a_partnership_renewed_early_leaves_the_report_from_then_on(trio):
    circle, people = trio
    today = timezone.localdate()
    old = accept(circle, people, partner="Old", ends_on=today + timedelta(days=100))
    with time_machine.travel(noon(today + timedelta(days=10)), tick=False):
        accept(circle, people, partner="New", renews=old, ends_on=today + timedelta(days=400))
    later = today + timedelta(days=50)
    assert [
        p["partner"] for p in partnerships_for_report(circle=circle, start=later, end=later)
    ] == ["New"]
    both = partnerships_for_report(circle=circle, start=today, end=later)
    assert [(p["partner"], p["status"]) for p in both] == [("Old", "renewed"), ("New", "active")]


@pytest.mark.parametrize("field", ["partner", "offered", "asks", "will_not_accept"])
def test_the_terms_name_no_member(trio, field):
    circle, people = trio
    name = people[1].display_name
    with pytest.raises(DomainError, match=f"The terms name {name}"):
        propose_funding(circle, people[0], **{field: f"Interviews with {name} about her recovery."})
