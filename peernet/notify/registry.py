"""What higher apps contribute to notifications. Each fills these in its AppConfig.ready(),
so notify, a base app, never imports them."""

from collections.abc import Callable, Iterable

# Who among these people is a member of this circle now: circles knows, notify asks.
CircleAudience = Callable[[int, Iterable[int]], set[int]]

_circle_audience: CircleAudience | None = None


def register_circle_audience(audience: CircleAudience) -> None:
    global _circle_audience
    _circle_audience = audience


def in_circle(circle_id: int, user_ids: Iterable[int]) -> set[int]:
    if _circle_audience is None:
        raise RuntimeError("No app registered who belongs to a circle.")
    return _circle_audience(circle_id, user_ids)
