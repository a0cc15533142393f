"""What governance holds about a member: their part of the member's export, and what
deleting the account does to their votes. Registered in GovernanceConfig.ready()."""

from governance.models import Ballot, Comment, Proposal
from governance.services import member_votes_release
from peernet.exports import iso
from peernet.members.models import User
from peernet.members.registry import MemberData


def member_export(user: User) -> dict:
    ballots = Ballot.objects.filter(voter=user).select_related("proposal__circle")
    proposals = Proposal.objects.filter(proposer=user).select_related("circle")
    comments = Comment.objects.filter(author=user).select_related("proposal__circle")
    return {
        "ballots": [
            {
                "circle": b.proposal.circle.name,
                "proposal": b.proposal.title,
                "choice": b.choice,
                "reason": b.reason,
                "cast": iso(b.cast_at),
            }
            for b in ballots.order_by("cast_at")
        ],
        "proposals": [
            {
                "circle": p.circle.name,
                "title": p.title,
                "kind": p.kind,
                "reason": p.reason,
                "status": p.status,
                "created": iso(p.created_at),
            }
            for p in proposals.order_by("created_at")
        ],
        "comments": [
            {
                "circle": c.proposal.circle.name,
                "proposal": c.proposal.title,
                "text": c.text,
                "written": iso(c.created_at),
            }
            for c in comments.order_by("created_at")
        ],
    }


CONTRIBUTION = MemberData(
    order=30,
    export=member_export,
    release=lambda user: member_votes_release(user=user),
)
