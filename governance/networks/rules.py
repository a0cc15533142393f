"""One circle, one vote: how a circle's vote follows from its linked proposal, and how a
network question's outcome follows from the circles' votes."""

from django.utils.translation import gettext_noop

from governance.models import Proposal, ProposalStatus
from governance.networks.models import CircleVote, NetworkMethod

# Why a circle abstained. Kept untranslated; LinkedProposal.vote_reason reads it in the
# reader's language.
NOTE_NO_QUORUM = gettext_noop("did not reach its quorum")
NOTE_LEFT = gettext_noop("left the network")
NOTE_UNDECIDED = gettext_noop("did not decide")


def circle_vote(proposal: Proposal, *, in_network: bool = True) -> tuple[str, str]:
    """(vote, why it abstained) from the circle's linked proposal: a circle no longer in the
    network when the question is settled abstains; otherwise passed is yes; failed is no if
    its quorum was met and someone voted yes, no or block, else abstain; withdrawn or still
    open at the deadline is abstain."""
    if not in_network:
        # As a member's ballot does not count in a circle they left before it decided.
        return CircleVote.ABSTAIN, NOTE_LEFT
    if proposal.status == ProposalStatus.PASSED:
        return CircleVote.YES, ""
    if proposal.status == ProposalStatus.FAILED:
        if not proposal.quorum_met:
            return CircleVote.ABSTAIN, NOTE_NO_QUORUM
        if proposal.yes_count == proposal.no_count == proposal.block_count == 0:
            # Only abstentions, or no ballot at all where the quorum is nil: it did not decide.
            return CircleVote.ABSTAIN, NOTE_UNDECIDED
        return CircleVote.NO, ""
    return CircleVote.ABSTAIN, NOTE_UNDECIDED


def network_passes(*, yes: int, no: int, method: str) -> bool:
    """Majority: more circles said yes than no. Consensus: at least one circle said yes and
    none said no. Circles that abstained, or did not decide, count on neither side."""
    if method == NetworkMethod.CONSENSUS:
        return yes >= 1 and no == 0
    return yes > no


def count_votes(votes) -> dict[str, int]:
    counts = dict.fromkeys(CircleVote.values, 0)
    for vote in votes:
        counts[vote] += 1
    return counts
