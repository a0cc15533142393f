"""Reads for governance: settings, electorates, tallies, logs."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from circles.models import Circle, Membership
from governance.models import (
    Agreement,
    AgreementStatus,
    Ballot,
    Choice,
    DecisionSettings,
    Proposal,
    ProposalStatus,
    Voter,
)
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


def decision_log(*, circle: Circle) -> QuerySet[Proposal]:
    return Proposal.objects.closed().filter(circle=circle).order_by("-closed_at", "-pk")
