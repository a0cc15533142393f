"""A circle founds, joins and leaves a network only by its own passed proposal. Each kind's
build (the change a proposal records, or a refusal) and apply (run in the transaction that
closes the passed proposal)."""

from governance.effects import Outcome
from governance.models import Proposal


def found_change_build(*, circle, data: dict) -> dict:
    raise NotImplementedError


def network_found(proposal: Proposal) -> Outcome:
    raise NotImplementedError


def join_change_build(*, circle, data: dict) -> dict:
    raise NotImplementedError


def network_join_ask(proposal: Proposal) -> Outcome:
    """The circle decided to ask: the network's member circles decide whether to admit it."""
    raise NotImplementedError


def leave_change_build(*, circle, data: dict) -> dict:
    raise NotImplementedError


def network_leave(proposal: Proposal) -> Outcome:
    raise NotImplementedError
