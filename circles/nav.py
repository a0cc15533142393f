"""What waits for a member in a circle: the counts on the circle navigation's badges.

Each count is a function (circle=, user=) -> QuerySet of the things waiting for this member.
Circles registers its own in CirclesConfig.ready(); governance registers "open votes I have
not cast" in its own ready(), so circles never imports upward. All of a page's counts are
taken in one query, whatever the data, and cached (waiting_counts).
"""

from collections.abc import Callable

from django.db.models import Exists, IntegerField, QuerySet, Subquery

from circles import constants
from circles.models import Circle, JoinRequest, JoinRequestStatus, Membership
from peernet.cache_versions import cached, versions_replace
from peernet.members.models import User
from peernet.notify.models import Kind, Notification
from peernet.notify.selectors import notices_version_key

ENTRY_KEY = "circle-nav:v1:{circle}:{user}"
CIRCLE_VERSION_KEY = "circle-nav-version:{circle}"
PERSON_VERSION_KEY = "circle-nav-person:{user}"

# The names the navigation reads.
JOIN_REQUESTS = "join_requests"
OPEN_VOTES = "open_votes"
UNREAD_CONVERSATIONS = "unread_conversations"

# The notifications that stand for a conversation waiting to be read.
CONVERSATION_KINDS = (Kind.NEW_MESSAGE, Kind.NEW_RESPONSE)

WaitingFor = Callable[..., QuerySet]

_counts: dict[str, WaitingFor] = {}


def register_waiting_count(name: str, waiting: WaitingFor) -> None:
    """waiting(circle=, user=) returns the things in the circle waiting for this member."""
    _counts[name] = waiting


class _CountOf(Subquery):
    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS waiting)"
    output_field = IntegerField()


def waiting_changed(*, circle_ids=(), user_ids=()) -> None:
    """Something the badges count changed: for every member of these circles (a join
    request, a proposal opened or closed, who is a member), or for these people alone (their
    own vote). Their cached counts are stale."""
    versions_replace(
        [CIRCLE_VERSION_KEY.format(circle=pk) for pk in set(circle_ids)]
        + [PERSON_VERSION_KEY.format(user=pk) for pk in set(user_ids)]
    )


def waiting_counts(*, circle: Circle, user: User) -> dict[str, int]:
    """{name: how many wait} for a member of the circle; {} for anyone else. Kept in the
    cache per member and circle until waiting_changed, or a change to the member's
    notifications (their unread conversations); else one query."""
    if not user.is_authenticated or not _counts:
        return {}
    return cached(
        ENTRY_KEY.format(circle=circle.pk, user=user.pk),
        [
            CIRCLE_VERSION_KEY.format(circle=circle.pk),
            PERSON_VERSION_KEY.format(user=user.pk),
            notices_version_key(user.pk),
        ],
        lambda: _count_waiting(circle=circle, user=user),
        constants.NAV_COUNTS_CACHE_SECONDS,
    )


def _count_waiting(*, circle: Circle, user: User) -> dict[str, int]:
    member = Membership.objects.active().filter(circle=circle, user=user)
    row = (
        Circle.objects.filter(pk=circle.pk)
        .values(
            _member=Exists(member),
            **{
                f"_{name}": _CountOf(waiting(circle=circle, user=user).order_by())
                for name, waiting in _counts.items()
            },
        )
        .first()
    )
    if not row or not row["_member"]:
        return {}
    return {name: row[f"_{name}"] for name in _counts}


def join_requests_to_review(*, circle: Circle, user: User) -> QuerySet:
    """Pending requests to join that this member has not answered yet."""
    return (
        JoinRequest.objects.filter(circle=circle, status=JoinRequestStatus.PENDING)
        .exclude(user=user)
        .exclude(reviews__reviewer=user)
        .values("pk")
    )


def unread_conversations(*, circle: Circle, user: User) -> QuerySet:
    """Conversations in the circle with a message or a response this member has not read."""
    return (
        Notification.objects.unread()
        .filter(recipient=user, circle=circle, kind__in=CONVERSATION_KINDS)
        .values("url")
        .distinct()
    )
