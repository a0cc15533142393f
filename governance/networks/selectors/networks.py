"""Reads about networks, for each kind of viewer."""

from governance.effects import ChangeRow
from governance.models import Proposal


def found_rows(proposal: Proposal) -> list[ChangeRow]:
    raise NotImplementedError


def join_rows(proposal: Proposal) -> list[ChangeRow]:
    raise NotImplementedError


def leave_rows(proposal: Proposal) -> list[ChangeRow]:
    raise NotImplementedError


def question_rows(proposal: Proposal) -> list[ChangeRow]:
    raise NotImplementedError


def linked_byline(proposal: Proposal) -> str:
    raise NotImplementedError
