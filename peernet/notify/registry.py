"""What higher apps contribute to notifications and digests. Each fills these in its
AppConfig.ready(), so notify, a base app, never imports them."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class CircleDirectory:
    """Who belongs to which circle: circles knows, notify asks."""

    # (circle_id, user_ids) -> those of the users who are members of it now.
    members_among: Callable[[int, Iterable[int]], set[int]]
    # user_ids -> {user_id: {circle_id, ...}} for the circles each is a member of now.
    circles_of: Callable[[Iterable[int]], dict[int, set[int]]]
    # circle_ids -> {circle_id: name}.
    names: Callable[[Iterable[int]], dict[int, str]]


@dataclass(frozen=True)
class DigestSection:
    """One section of the digest. fetch(circle_ids, since) returns {circle_id: [(time,
    item), ...]}, newest first, in one query for all circles; an item is a dict of plain
    values the digest template shows (never an author's name, so an anonymous need stays
    anonymous; a person is {"person": id}). An item about what someone did carries their
    id under BY: a reader in a block with them does not get it, and the email never
    holds it."""

    order: int
    topic: str
    title: Promise
    fetch: Callable[[Iterable[int], object], dict[int, list]]


# The key of a digest item that names, for block filtering only, who it is about.
BY = "by"

_directory: CircleDirectory | None = None
_sections: list[DigestSection] = []


def register_circle_directory(directory: CircleDirectory) -> None:
    global _directory
    _directory = directory


def circle_directory() -> CircleDirectory:
    if _directory is None:
        raise RuntimeError("No app registered who belongs to which circle.")
    return _directory


def in_circle(circle_id: int, user_ids: Iterable[int]) -> set[int]:
    return circle_directory().members_among(circle_id, user_ids)


def register_digest_section(section: DigestSection) -> None:
    if section not in _sections:
        _sections.append(section)
        _sections.sort(key=lambda s: s.order)


def digest_sections() -> list[DigestSection]:
    return list(_sections)
