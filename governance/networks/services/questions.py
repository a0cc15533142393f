"""Network questions, one circle, one vote: opened as a linked proposal in every member
circle, settled once when all have closed or at the deadline."""

from governance.effects import Outcome
from governance.models import Proposal


def question_ask(*, network, circle, asker, kind: str, title: str, reason: str, data: dict):
    """A member of a member circle puts a question to the network."""
    raise NotImplementedError


def question_open(
    *, network, kind, title, reason, change, asked_by_circle, asked_by, subject_circle=None
):
    """Open the question and its linked proposals, in a bounded number of queries."""
    raise NotImplementedError


def question_settle(*, question_id: int, now=None) -> bool:
    """Settle the question if every linked proposal has closed or its deadline passed.
    True if this call settled it; safe to call any number of times, at once."""
    raise NotImplementedError


def questions_settle_due(*, now=None) -> int:
    raise NotImplementedError


def linked_proposal_closed(proposal_id: int) -> None:
    """governance tells us, after commit, that a linked proposal closed or was withdrawn."""
    raise NotImplementedError


def linked_change_build(*, circle, data: dict) -> dict:
    raise NotImplementedError


def linked_apply(proposal: Proposal) -> Outcome:
    """A circle's yes is its vote; the network applies the outcome once, when settled."""
    return Outcome(None)
