"""Reads for governance: settings, electorates, tallies, where a proposal stands, logs."""

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from circles.models import Circle, Membership
from governance.models import (
    Agreement,
    AgreementStatus,
    Ballot,
    Choice,
    DecisionSettings,
    Method,
    Proposal,
    ProposalStatus,
    Threshold,
    Voter,
)
from governance.rules import quorum_met, quorum_needed, threshold_met
from peernet.members.models import User


def decision_settings_for(*, circle: Circle) -> DecisionSettings:
    return DecisionSettings.objects.get_or_create(circle=circle)[0]


def active_voters(*, proposal: Proposal) -> QuerySet[Voter]:
    """The electorate as it stands: the snapshot, less anyone who has left the circle since."""
    still_member = Membership.objects.filter(
        circle_id=proposal.circle_id, user_id=OuterRef("user_id"), left_at__isnull=True
    )
    return Voter.objects.filter(proposal=proposal).filter(Exists(still_member))


def counted_ballots(*, proposal: Proposal) -> QuerySet[Ballot]:
    """Ballots of voters still in the electorate; a leaver's ballot leaves with them."""
    seat = active_voters(proposal=proposal).filter(user_id=OuterRef("voter_id"))
    return Ballot.objects.filter(proposal=proposal).filter(Exists(seat))


def can_vote(*, proposal: Proposal, user: User) -> bool:
    if not user.is_authenticated:
        return False
    return active_voters(proposal=proposal).filter(user=user).exists()


def turnout(*, proposal: Proposal) -> dict[str, int]:
    voted = Ballot.objects.filter(proposal=proposal, voter_id=OuterRef("user_id"))
    return active_voters(proposal=proposal).aggregate(
        electorate=Count("pk"), voted=Count("pk", filter=Q(Exists(voted)))
    )


def tally(*, proposal: Proposal) -> dict[str, int]:
    """Electorate size and each choice's count, in one query whatever the electorate size."""
    choice = Ballot.objects.filter(proposal=proposal, voter_id=OuterRef("user_id")).values(
        "choice"
    )[:1]
    return (
        active_voters(proposal=proposal)
        .annotate(choice=Subquery(choice))
        .aggregate(
            electorate=Count("pk"),
            **{c: Count("pk", filter=Q(choice=c)) for c in Choice.values},
        )
    )


def ballot_of(*, proposal: Proposal, user: User) -> Ballot | None:
    if not user.is_authenticated:
        return None
    return Ballot.objects.filter(proposal=proposal, voter=user).first()


def _ballots_as_counted(proposal: Proposal) -> QuerySet[Ballot]:
    """Open: the ballots that would count now. Closed: every ballot kept at close, including
    those of members who left or deleted their account since (a decision never changes)."""
    if not proposal.is_closed:
        return counted_ballots(proposal=proposal)
    member_at_close = Membership.objects.filter(
        circle_id=proposal.circle_id, user_id=OuterRef("voter_id")
    ).filter(Q(left_at__isnull=True) | Q(left_at__gt=proposal.closed_at))
    return Ballot.objects.filter(proposal=proposal).filter(
        Q(voter__isnull=True) | Exists(member_at_close)
    )


def visible_ballots(*, proposal: Proposal) -> QuerySet[Ballot]:
    """Who voted how, for open ballots only; secret ballots never show a choice."""
    return _ballots_as_counted(proposal).select_related("voter").order_by("cast_at")


def voters_who_voted(*, proposal: Proposal) -> QuerySet[User]:
    return User.objects.filter(pk__in=_ballots_as_counted(proposal).values("voter_id")).order_by(
        "display_name"
    )


def agreements_of(*, circle: Circle, include_repealed: bool = False) -> QuerySet[Agreement]:
    agreements = Agreement.objects.filter(circle=circle)
    if not include_repealed:
        agreements = agreements.filter(status=AgreementStatus.ACTIVE)
    return agreements.order_by("title", "pk")


def agreement_in_circle(*, circle: Circle, pk: int) -> Agreement:
    agreement = Agreement.objects.filter(circle=circle, pk=pk).first()
    if agreement is None:
        raise Http404
    return agreement


def agreement_history(*, agreement: Agreement):
    return agreement.versions.select_related("decision").order_by("-number")


def proposal_in_circle(*, circle: Circle, pk: int) -> Proposal:
    proposal = (
        Proposal.objects.filter(circle=circle, pk=pk)
        .select_related("proposer", "target_user", "target_agreement")
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def proposals_in_progress(*, circle: Circle) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(
            circle=circle, status__in=[ProposalStatus.DRAFT, ProposalStatus.OPEN]
        )
        .select_related("proposer")
        .order_by("closes_at", "-created_at")
    )


# --- Where an open proposal stands, in plain words -------------------------------------


class WhyNot:
    """Why an open proposal would not pass if it closed now."""

    QUORUM = "quorum"  # too few have voted
    BLOCKED = "blocked"  # consensus, and someone blocks
    TIE = "tie"  # simple majority, as many no as yes
    THRESHOLD = "threshold"  # not enough yes


@dataclass(frozen=True)
class Standing:
    """What an open proposal needs to pass and how far it is, from the rules it opened
    with and the ballots that count now. The same arithmetic as closing (governance.rules).

    The choices (yes, no, ...) are None when ballots are secret or were not counted."""

    electorate: int
    voted: int
    quorum_percent: int
    needed: int
    quorum_reached: bool
    supermajority: bool
    consensus: bool
    secret: bool
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    block: int | None = None
    would_pass: bool | None = None
    why_not: str = ""

    @property
    def missing(self) -> int:
        """Ballots still needed for the quorum."""
        return max(self.needed - self.voted, 0)

    @property
    def shows_choices(self) -> bool:
        return self.yes is not None and self.voted > 0


def _why_not(proposal: Proposal, *, quorum: bool, yes: int, no: int, block: int) -> str:
    if not quorum:
        return WhyNot.QUORUM
    if proposal.method == Method.CONSENSUS and block:
        return WhyNot.BLOCKED
    if proposal.threshold == Threshold.MAJORITY and yes == no and yes > 0:
        return WhyNot.TIE
    return WhyNot.THRESHOLD


def proposal_standing(
    *, proposal: Proposal, counts: dict[str, int] | None = None
) -> Standing | None:
    """Where an open proposal stands; None unless it is open for votes.

    counts: a tally (electorate and each choice) or, for a list, only electorate and
    voted; without it the tally is read in one query."""
    if proposal.status != ProposalStatus.OPEN:
        return None
    if counts is None:
        counts = tally(proposal=proposal)
    electorate = counts["electorate"]
    has_choices = Choice.YES in counts
    voted = sum(counts[c] for c in Choice.values) if has_choices else counts["voted"]
    quorum = quorum_met(electorate=electorate, cast=voted, quorum_percent=proposal.quorum_percent)
    standing = {
        "electorate": electorate,
        "voted": voted,
        "quorum_percent": proposal.quorum_percent,
        "needed": quorum_needed(electorate=electorate, quorum_percent=proposal.quorum_percent),
        "quorum_reached": quorum,
        "supermajority": proposal.threshold == Threshold.SUPERMAJORITY,
        "consensus": proposal.method == Method.CONSENSUS,
        "secret": proposal.is_secret,
    }
    if has_choices and not proposal.is_secret:
        yes, no = counts[Choice.YES], counts[Choice.NO]
        abstain, block = counts[Choice.ABSTAIN], counts[Choice.BLOCK]
        passes = quorum and threshold_met(
            yes=yes, no=no, block=block, threshold=proposal.threshold, method=proposal.method
        )
        standing |= {
            "yes": yes,
            "no": no,
            "abstain": abstain,
            "block": block,
            "would_pass": passes,
            "why_not": ""
            if passes
            else _why_not(proposal, quorum=quorum, yes=yes, no=no, block=block),
        }
    return Standing(**standing)


def _count_of(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("proposal_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def proposals_in_progress_with_standing(
    *, circle: Circle
) -> list[tuple[Proposal, Standing | None]]:
    """Drafts and open proposals, each open one with its turnout and what it needs; one
    query whatever the number of proposals and ballots."""
    still_member = Membership.objects.filter(
        circle_id=circle.pk, user_id=OuterRef("user_id"), left_at__isnull=True
    )
    seats = Voter.objects.filter(proposal_id=OuterRef("pk")).filter(Exists(still_member))
    voted = Ballot.objects.filter(proposal_id=OuterRef("proposal_id"), voter_id=OuterRef("user_id"))
    proposals = proposals_in_progress(circle=circle).annotate(
        electorate_now=_count_of(seats), voted_now=_count_of(seats.filter(Exists(voted)))
    )
    return [
        (
            proposal,
            proposal_standing(
                proposal=proposal,
                counts={"electorate": proposal.electorate_now, "voted": proposal.voted_now},
            ),
        )
        for proposal in proposals
    ]


def decision_log(*, circle: Circle) -> QuerySet[Proposal]:
    return Proposal.objects.closed().filter(circle=circle).order_by("-closed_at", "-pk")
