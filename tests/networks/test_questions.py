"""Network questions: asked by a member of a member circle, opened as a linked proposal in
every member circle under its own rules, settled once, with their effects."""

import pytest
import time_machine
from django.utils import timezone

from circles.models import Circle, Membership
from governance.models import DecisionSettings, Method, Proposal, ProposalKind, ProposalStatus
from governance.networks.models import (
    LinkedProposal,
    Network,
    NetworkMembership,
    NetworkMethod,
    NetworkQuestion,
    QuestionKind,
    QuestionStatus,
    SharedAgreement,
)
from governance.networks.services.questions import (
    question_announce_decided,
    question_ask,
    question_settle,
)
from peernet.errors import DomainError
from peernet.members.models import User
from peernet.notify.models import Kind, Notification
from tests.factories import make_member
from tests.networks.factories import (
    all_decide,
    circle_votes,
    circles,
    decide,
    linked,
    members,
    settle,
)

pytestmark = pytest.mark.django_db

OPENING_BUDGET = 20
MANY_CIRCLES = 200


def ask(network, circle, kind=QuestionKind.RESOLUTION, data=None, **fields):
    return question_ask(
        network=network,
        circle=circle,
        asker=fields.pop("asker", None) or members(circle)[0],
        kind=kind,
        title=fields.pop("title", "Meet in spring"),
        reason=fields.pop("reason", "To plan the year together."),
        data=data or {},
    )


# --- Opening ----------------------------------------------------------------------------


def test_a_question_opens_a_linked_proposal_in_every_member_circle_under_its_rules(valley):
    network, (a, b, c) = valley
    DecisionSettings.objects.filter(circle=b).update(
        voting_days=3, quorum_percent=80, method=Method.CONSENSUS
    )
    make_member(c)
    question = ask(network, a, title="Meet in spring")

    assert (question.status, question.method, question.asked_by_circle) == (
        QuestionStatus.OPEN,
        NetworkMethod.MAJORITY,
        a,
    )
    links = {link.circle_id: link.proposal for link in question.links.select_related("proposal")}
    assert set(links) == {a.pk, b.pk, c.pk}
    for proposal in links.values():
        assert proposal.kind == ProposalKind.NETWORK_QUESTION
        assert proposal.status == ProposalStatus.OPEN
        assert proposal.title == "Valley network: Meet in spring"
        assert proposal.reason == "To plan the year together."
        assert proposal.change == {"question_id": question.pk}
    # No proposer anywhere, the asker's circle included: a circle's vote is no one's to withdraw.
    assert {link.proposer for link in links.values()} == {None}
    # Each circle's own rules, frozen now.
    assert (links[b.pk].quorum_percent, links[b.pk].method) == (80, Method.CONSENSUS)
    assert links[b.pk].closes_at - links[b.pk].opened_at == timezone.timedelta(days=3)
    assert links[a.pk].closes_at - links[a.pk].opened_at == timezone.timedelta(days=7)
    assert question.closes_at == max(p.closes_at for p in links.values())
    # The electorate: each circle's members now.
    assert set(links[c.pk].voters.values_list("user_id", flat=True)) == {u.pk for u in members(c)}
    assert links[c.pk].voters.count() == 2


def test_a_long_title_is_cut_to_fit_a_proposal(solo):
    network, a = solo
    question = ask(network, a, title="word " * 35)
    assert len(linked(question, a).title) == 120
    assert linked(question, a).title.endswith("…")


def test_opening_across_200_circles_takes_at_most_20_queries(django_assert_max_num_queries):
    people = User.objects.bulk_create(
        User(email=f"wide{i}@example.org", display_name=f"Wide {i}")
        for i in range(MANY_CIRCLES * 2)
    )
    wide = Circle.objects.bulk_create(
        Circle(name=f"Wide {i}", slug=f"wide-{i}", visibility="public") for i in range(MANY_CIRCLES)
    )
    Membership.objects.bulk_create(
        Membership(circle=circle, user=person)
        for index, circle in enumerate(wide)
        for person in people[2 * index : 2 * index + 2]
    )
    # Some circles have their own rules; the others never changed the defaults.
    DecisionSettings.objects.bulk_create(
        DecisionSettings(circle=circle, voting_days=10) for circle in wide[:50]
    )
    network = Network.objects.create(name="Wide", slug="wide", purpose="Wide.", join_code="w")
    NetworkMembership.objects.bulk_create(
        NetworkMembership(network=network, circle=circle) for circle in wide
    )

    with django_assert_max_num_queries(OPENING_BUDGET):
        question = ask(network, wide[0], asker=people[0])

    assert LinkedProposal.objects.filter(question=question).count() == MANY_CIRCLES
    proposals = Proposal.objects.filter(network_link__question=question)
    assert proposals.filter(status=ProposalStatus.OPEN).count() == MANY_CIRCLES
    assert proposals.filter(voters__isnull=False).distinct().count() == MANY_CIRCLES
    assert DecisionSettings.objects.filter(circle__in=wide).count() == MANY_CIRCLES
    assert question.closes_at - question.opened_at == timezone.timedelta(days=10)


def test_members_hear_of_their_circles_linked_proposal_after_commit(
    valley, django_capture_on_commit_callbacks
):
    network, (a, b, c) = valley
    asker = members(a)[0]
    colleague = make_member(a)
    with django_capture_on_commit_callbacks(execute=True):
        question = ask(network, a, asker=asker)
    opened = Notification.objects.filter(kind=Kind.PROPOSAL_OPENED)
    # The asker too: the linked proposal is their circle's, not theirs.
    assert set(opened.values_list("recipient", flat=True)) == {
        asker.pk,
        colleague.pk,
        members(b)[0].pk,
        members(c)[0].pk,
    }
    note = opened.get(recipient=members(b)[0])
    assert note.url == linked(question, b).get_absolute_url()


@pytest.mark.parametrize(
    ("kind", "data", "fields", "message"),
    [
        (QuestionKind.ADMIT_CIRCLE, {}, {}, "only by its own decision to ask"),
        ("promote_someone", {}, {}, "Choose what kind of question"),
        (QuestionKind.CHANGE_METHOD, {"method": "majority"}, {}, "already decides this way"),
        (QuestionKind.CHANGE_METHOD, {"method": "loudest"}, {}, "Choose how the network"),
        (QuestionKind.ADOPT_AGREEMENT, {"text": "  "}, {}, "Write the text"),
        (QuestionKind.RESOLUTION, {}, {"title": "  "}, "Give the question a title."),
        (QuestionKind.RESOLUTION, {}, {"reason": ""}, "Say why you are asking"),
        (QuestionKind.RESOLUTION, {}, {"title": "t" * 201}, "at most 200 characters"),
    ],
)
def test_bad_questions_are_refused_with_a_clear_message(solo, kind, data, fields, message):
    network, a = solo
    with pytest.raises(DomainError, match=message):
        ask(network, a, kind, data, **fields)
    assert not NetworkQuestion.objects.exists()


def test_only_members_of_a_circle_in_the_network_ask(valley):
    network, (a, b, c) = valley
    (outside,) = circles(1)
    with pytest.raises(DomainError, match="Only members of a circle in the network"):
        ask(network, a, asker=members(b)[0])
    with pytest.raises(DomainError, match="Your circle is not in that network"):
        ask(network, outside)
    decide(c, ProposalKind.LEAVE_NETWORK, {"network": network})
    with pytest.raises(DomainError, match="Your circle is not in that network"):
        ask(network, c)


# --- Settling ---------------------------------------------------------------------------


def test_a_question_waits_while_a_circle_is_still_deciding(valley):
    network, (a, b, _c) = valley
    question = ask(network, a)
    circle_votes(question, a, "yes")
    circle_votes(question, b, "yes")
    assert question_settle(question_id=question.pk) is False
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN and question.yes_circles is None


def test_the_last_circle_deciding_settles_it_when_that_commits(
    valley, django_capture_on_commit_callbacks
):
    network, (a, b, c) = valley
    question = ask(network, a)
    with django_capture_on_commit_callbacks(execute=True):
        circle_votes(question, a, "yes")
        circle_votes(question, b, "no")
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN
    with django_capture_on_commit_callbacks(execute=True):
        circle_votes(question, c, "yes")
    question.refresh_from_db()
    assert (question.status, question.yes_circles, question.no_circles) == (
        QuestionStatus.PASSED,
        2,
        1,
    )
    assert question_settle(question_id=question.pk) is False  # once only


def test_the_outcome_reaches_each_member_once_without_naming_a_circle(
    valley, django_capture_on_commit_callbacks
):
    network, (a, b, c) = valley
    both = make_member(b, user=members(a)[0])  # a member of two circles in the network
    question = ask(network, a, title="Meet in spring")
    decide(c, ProposalKind.LEAVE_NETWORK, {"network": network})
    with django_capture_on_commit_callbacks(execute=True):
        for circle in (a, b):
            circle_votes(question, circle, "yes")
    question.refresh_from_db()
    assert question.status == QuestionStatus.PASSED

    decided = Notification.objects.filter(kind=Kind.NETWORK_DECIDED)
    # c left the network: its member is not told.
    assert sorted(decided.values_list("recipient", flat=True)) == sorted(
        {person.pk for person in members(a) + members(b)}
    )
    note = decided.get(recipient=both)
    assert (note.circle, note.url) == (None, question.get_absolute_url())
    assert note.params == {"network": "Valley network", "title": "Meet in spring"}
    assert "passed" in note.message
    assert question_announce_decided(question_id=question.pk) == 0
    assert decided.count() == 2


def test_a_circle_not_admitted_hears_it_on_its_own_proposal(valley):
    network, member_circles = valley
    (newcomer,) = circles(1)
    join = decide(newcomer, ProposalKind.JOIN_NETWORK, {"network": network})
    question = NetworkQuestion.objects.get(subject_circle=newcomer)
    all_decide(question, dict.fromkeys(member_circles, "no"))
    question_announce_decided(question_id=question.pk)
    note = Notification.objects.get(kind=Kind.NETWORK_DECIDED, recipient=members(newcomer)[0])
    assert note.url == join.get_absolute_url()
    assert "did not pass" in note.message


# --- Effects ----------------------------------------------------------------------------


def test_adopting_an_agreement_creates_it_once(valley):
    network, member_circles = valley
    question = ask(
        network,
        member_circles[0],
        QuestionKind.ADOPT_AGREEMENT,
        {"text": "We answer each other's needs within a week."},
        title="Answer within a week",
    )
    assert question.change == {
        "title": "Answer within a week",
        "text": "We answer each other's needs within a week.",
    }
    question = all_decide(question, dict.fromkeys(member_circles, "yes"))
    assert question.effect_applied is True
    assert settle(question).status == QuestionStatus.PASSED
    agreement = SharedAgreement.objects.get(network=network)
    assert (agreement.title, agreement.adopted_by) == ("Answer within a week", question)


def test_a_failed_agreement_is_not_adopted(valley):
    network, (a, b, c) = valley
    question = ask(network, a, QuestionKind.ADOPT_AGREEMENT, {"text": "Tea at four."})
    question = all_decide(question, {a: "yes", b: "no", c: "no"})
    assert question.effect_applied is None
    assert not SharedAgreement.objects.exists()


def test_changing_the_method_leaves_an_open_question_as_it_opened(valley):
    network, (a, b, c) = valley
    earlier = ask(network, a, title="Earlier")
    change = ask(network, a, QuestionKind.CHANGE_METHOD, {"method": NetworkMethod.CONSENSUS})
    assert change.change == {"before": "majority", "after": "consensus"}
    change = all_decide(change, dict.fromkeys((a, b, c), "yes"))
    network.refresh_from_db()
    assert (change.effect_applied, network.method) == (True, NetworkMethod.CONSENSUS)

    # Under consensus one no would stop it; it opened under majority, and passes.
    earlier = all_decide(earlier, {a: "yes", b: "yes", c: "no"})
    assert (earlier.method, earlier.status) == (NetworkMethod.MAJORITY, QuestionStatus.PASSED)
    later = all_decide(ask(network, a, title="Later"), {a: "yes", b: "yes", c: "no"})
    assert (later.method, later.status) == (NetworkMethod.CONSENSUS, QuestionStatus.FAILED)


def test_a_method_change_already_made_is_recorded_as_not_applied(valley):
    network, member_circles = valley
    first = ask(network, member_circles[0], QuestionKind.CHANGE_METHOD, {"method": "consensus"})
    second = ask(network, member_circles[1], QuestionKind.CHANGE_METHOD, {"method": "consensus"})
    all_decide(first, dict.fromkeys(member_circles, "yes"))
    second = all_decide(second, dict.fromkeys(member_circles, "yes"))
    assert second.status == QuestionStatus.PASSED
    assert second.effect_applied is False and "already decided this way" in second.effect_note


def test_a_resolution_has_no_effect_but_its_outcome(valley):
    network, member_circles = valley
    question = all_decide(ask(network, member_circles[0]), dict.fromkeys(member_circles, "yes"))
    network.refresh_from_db()
    assert (question.status, question.effect_applied) == (QuestionStatus.PASSED, None)
    assert network.method == NetworkMethod.MAJORITY
    assert not SharedAgreement.objects.exists()


def test_beat_settles_only_questions_past_their_deadline(valley):
    from governance.networks.services.questions import questions_settle_due

    network, (a, _b, _c) = valley
    question = ask(network, a)
    assert questions_settle_due() == 0
    with time_machine.travel(question.closes_at + timezone.timedelta(seconds=1), tick=False):
        assert questions_settle_due() == 1
        assert questions_settle_due() == 0
    question.refresh_from_db()
    assert (question.status, question.abstain_circles) == (QuestionStatus.FAILED, 3)


def test_no_member_can_withdraw_their_circles_vote_alone(valley):
    from governance.services import proposal_withdraw

    network, (a, _b, _c) = valley
    asker = members(a)[0]
    question = ask(network, a, asker=asker)
    with pytest.raises(DomainError, match="Only the person who made a proposal"):
        proposal_withdraw(proposal=linked(question, a), member=asker)
    assert linked(question, a).status == ProposalStatus.OPEN
