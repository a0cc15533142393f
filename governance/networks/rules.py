"""One circle, one vote: how a network question's outcome follows from the circles' votes."""

from governance.networks.models import CircleVote, NetworkMethod


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
