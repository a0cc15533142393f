from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import QuerySet

from peernet.cache_versions import forget, versions_replace
from peernet.members.models import User
from peernet.notify import constants
from peernet.notify.models import Notification

UNREAD_COUNT_KEY = "notify:unread:{user}"
# A version token per member that every change to their notifications replaces, for what is
# cached from them elsewhere (the circle navigation's unread conversations).
NOTICES_VERSION_KEY = "notify:version:{user}"


def notices_version_key(user_id: int) -> str:
    return NOTICES_VERSION_KEY.format(user=user_id)


def unread_count(*, user: User) -> int:
    """The count in the navigation of every signed-in page, cached per member until one of
    their notifications is recorded or read (unread_counts_forget)."""
    key = UNREAD_COUNT_KEY.format(user=user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.unread().filter(recipient=user).count()
        cache.set(key, count, constants.UNREAD_COUNT_CACHE_TIMEOUT.total_seconds())
    return count


def unread_counts_forget(user_ids: Iterable[int]) -> None:
    """Forget these members' cached unread counts; a writer calls it in its transaction
    (now and again at commit: peernet.cache_versions)."""
    user_ids = set(user_ids)
    versions_replace(notices_version_key(pk) for pk in user_ids)
    forget(UNREAD_COUNT_KEY.format(user=pk) for pk in user_ids)


def notifications_for(*, user: User) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
