"""Governance's count on the circle navigation (registered in GovernanceConfig.ready())."""

from django.db.models import QuerySet

from circles.models import Circle
from governance.models import Ballot, Proposal, Voter
from peernet.members.models import User


def open_votes_not_cast(*, circle: Circle, user: User) -> QuerySet:
    """Open proposals in the circle on which this member has a vote they have not cast."""
    return (
        Proposal.objects.open()
        .filter(circle=circle, pk__in=Voter.objects.filter(user=user).values("proposal_id"))
        .exclude(pk__in=Ballot.objects.filter(voter=user).values("proposal_id"))
        .values("pk")
    )
