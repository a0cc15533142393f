"""How a proposal is decided: the arithmetic of quorum and threshold, in one place.

Closing a proposal (services) and saying in plain words where an open one stands
(selectors) both read these, so the words always match the decision.
"""

from governance import constants
from governance.models import Method, Threshold

# From the least demanding threshold to the most.
THRESHOLD_ORDER = (Threshold.MAJORITY, Threshold.SUPERMAJORITY)


def threshold_for(*, circle_threshold: str, floor: str | None) -> str:
    """The circle's threshold, raised to the kind's floor if it has one: a kind can only make
    a decision harder, and a consensus circle's method still applies on top."""
    if floor is None:
        return circle_threshold
    return max(circle_threshold, floor, key=THRESHOLD_ORDER.index)


def method_for(*, circle_method: str, floor: str | None) -> str:
    """Consensus if the circle decides by consensus or the kind's floor asks for it."""
    return Method.CONSENSUS if Method.CONSENSUS in (circle_method, floor) else circle_method


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
