"""How a proposal is decided: the arithmetic of quorum and threshold, in one place.

Closing a proposal (services) and saying in plain words where an open one stands
(selectors) both read these, so the words always match the decision.
"""

from governance import constants
from governance.models import Method, ProposalKind, Threshold

# Kinds that need at least a supermajority whatever the circle's usual threshold: how the
# circle decides, and taking money or a partner's conditions. A consensus circle's method
# still applies to them, so a circle can only make them harder, never easier.
SUPERMAJORITY_FLOOR_KINDS = frozenset(
    {ProposalKind.CHANGE_DECISION_SETTINGS, ProposalKind.ACCEPT_FUNDING}
)


def threshold_for(*, kind: str, circle_threshold: str) -> str:
    """The threshold a proposal of this kind opens with in a circle with this threshold."""
    if kind in SUPERMAJORITY_FLOOR_KINDS:
        return Threshold.SUPERMAJORITY
    return circle_threshold


def quorum_met(*, electorate: int, cast: int, quorum_percent: int) -> bool:
    """Ballots cast (abstentions and blocks included) over the electorate."""
    if electorate == 0:
        return False
    return cast * 100 >= quorum_percent * electorate


def quorum_needed(*, electorate: int, quorum_percent: int) -> int:
    """The fewest ballots that meet the quorum (with an electorate, see quorum_met)."""
    return -(-quorum_percent * electorate // 100)


def threshold_met(*, yes: int, no: int, block: int, threshold: str, method: str) -> bool:
    if method == Method.CONSENSUS and block:
        return False
    if threshold == Threshold.SUPERMAJORITY:
        return yes > 0 and (
            yes * constants.SUPERMAJORITY_DENOMINATOR
            >= constants.SUPERMAJORITY_NUMERATOR * (yes + no)
        )
    return yes > no
