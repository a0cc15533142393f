from collections.abc import Iterable

from django.db.models import QuerySet

from peernet.cache_versions import cached, versions_replace
from peernet.members.models import User
from peernet.notify import constants
from peernet.notify.models import Notification

UNREAD_COUNT_KEY = "notify:unread:{user}"
# A version token per member that every change to their notifications replaces: their unread
# count is kept under it, and so is what the circle navigation counts from them.
NOTICES_VERSION_KEY = "notify:version:{user}"


def notices_version_key(user_id: int) -> str:
    return NOTICES_VERSION_KEY.format(user=user_id)


def unread_count(*, user: User) -> int:
    """The count in the navigation of every signed-in page, kept in the cache until one of
    the member's notifications is recorded or read (notices_changed)."""
    return cached(
        UNREAD_COUNT_KEY.format(user=user.pk),
        [notices_version_key(user.pk)],
        lambda: Notification.objects.unread().filter(recipient=user).count(),
        int(constants.UNREAD_COUNT_CACHE_TIMEOUT.total_seconds()),
    )


def notices_changed(user_ids: Iterable[int]) -> None:
    """These members' notifications changed: what is cached from them is stale. Writers
    call it inside their transaction (peernet.cache_versions)."""
    versions_replace(notices_version_key(pk) for pk in set(user_ids))


def notifications_for(*, user: User) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
