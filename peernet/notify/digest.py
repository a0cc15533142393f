"""Helpers for the digest sections that apps register (registry.DigestSection)."""

from collections import defaultdict
from collections.abc import Iterable


def grouped_by_circle(rows: Iterable[tuple[int, object, dict]]) -> dict[int, list]:
    """(circle_id, time, item) rows, newest first, as {circle_id: [(time, item), ...]}."""
    grouped = defaultdict(list)
    for circle_id, when, item in rows:
        grouped[circle_id].append((when, item))
    return grouped
