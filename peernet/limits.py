"""Limits on floods: how often one member, or one email address, may do an action that reaches
other people.

Each limit is generous enough that a person using Peernet never meets it, and tight enough that
a script or a stuck key stops soon. A service calls `limit_hit()` before it writes anything;
past the limit it raises `RateLimited`, a DomainError, so the view shows the form again with
what was typed and says when to try again. Attempts are counted in the shared cache by
django-ratelimit, in a fixed window per key (Redis in production, a file cache in `make run`).
"""

import math
from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage

from peernet.errors import DomainError


@dataclass(frozen=True)
class Limit:
    """At most `count` attempts at `action` per `period`, for each key."""

    action: str
    count: int
    period: timedelta

    @property
    def group(self) -> str:
        return f"peernet.limits.{self.action}"


POSTS = Limit("posts", 10, timedelta(hours=1))
RESPONSES = Limit("responses", 20, timedelta(hours=1))
MESSAGES = Limit("messages", 60, timedelta(minutes=10))
REPORTS = Limit("reports", 10, timedelta(hours=1))
JOIN_REQUESTS = Limit("join-requests", 10, timedelta(hours=1))
# A network question opens a proposal in every member circle and tells all their members.
NETWORK_QUESTIONS = Limit("network-questions", 5, timedelta(days=1))
# Invites by email, counted for the member who sends them and for the address they go to.
INVITE_EMAILS = Limit("invite-emails", 20, timedelta(days=1))
INVITE_EMAILS_TO_ADDRESS = Limit("invite-emails-to-address", 3, timedelta(days=1))

SECONDS_PER_MINUTE = 60
MINUTES_PER_HOUR = 60


class RateLimited(DomainError):
    """A limit refused the action; seconds_left says when it will be possible again."""

    def __init__(self, *, seconds_left: int):
        super().__init__(try_again_message(seconds=seconds_left))
        self.seconds_left = seconds_left


def try_again_message(*, seconds: int) -> str:
    """What a person past a limit reads: minutes (at least one) under an hour, else hours."""
    minutes = max(1, math.ceil(seconds / SECONDS_PER_MINUTE))
    if minutes < MINUTES_PER_HOUR:
        when = ngettext(
            "Please try again in about %(count)d minute.",
            "Please try again in about %(count)d minutes.",
            minutes,
        ) % {"count": minutes}
    else:
        hours = math.ceil(minutes / MINUTES_PER_HOUR)
        when = ngettext(
            "Please try again in about %(count)d hour.",
            "Please try again in about %(count)d hours.",
            hours,
        ) % {"count": hours}
    return " ".join([_("You have done this many times in a short while."), when])


def member_key(user) -> str:
    return f"user:{user.pk}"


def address_key(email: str) -> str:
    return f"email:{email.strip().lower()}"


def limit_hit(limit: Limit, *, key: str) -> None:
    """Count one attempt at limit's action for key; raise RateLimited past the limit."""
    usage = get_usage(
        None,
        group=limit.group,
        key=lambda _group, _request: key,
        rate=(limit.count, int(limit.period.total_seconds())),
        increment=True,
    )
    # None: limits are switched off (RATELIMIT_ENABLE), or the cache lost the count and
    # RATELIMIT_FAIL_OPEN lets the attempt through.
    if usage is not None and usage["should_limit"]:
        raise RateLimited(seconds_left=usage["time_left"])


def refusal_status(error: DomainError, *, otherwise: int = HTTPStatus.OK) -> int:
    """The status of a page that shows a refusal again: 429 when a limit refused it."""
    return HTTPStatus.TOO_MANY_REQUESTS if isinstance(error, RateLimited) else otherwise
