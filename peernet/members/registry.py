"""What the apps above members hold about a member. Each registers, in its
AppConfig.ready(), its part of the member's data export and its step of account deletion,
so members, a base app, never imports them."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MemberData:
    # Order among the apps: the export's sections and the deletion's steps follow it.
    order: int
    # member -> {section name: JSON-ready data}: only what the member wrote, chose or was sent.
    export: Callable[[object], dict]
    # member -> None: run inside the deletion's transaction, before the account row goes.
    release: Callable[[object], None]


_contributions: list[MemberData] = []


def register_member_data(contribution: MemberData) -> None:
    if contribution not in _contributions:
        _contributions.append(contribution)
        _contributions.sort(key=lambda c: c.order)


def member_data_contributions() -> list[MemberData]:
    return list(_contributions)


# Apps that keep a member's name in something rendered ahead (a cached board) register here
# to hear that it changed: member -> None, run inside the change's transaction.
_name_changed: list[Callable[[object], None]] = []


def register_name_changed(callback: Callable[[object], None]) -> None:
    if callback not in _name_changed:
        _name_changed.append(callback)


def name_changed(user) -> None:
    for callback in _name_changed:
        callback(user)
