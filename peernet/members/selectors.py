from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django.db import connection
from django.db.models import Case, F, Q, QuerySet, When
from django.utils.translation import gettext as _

from peernet.cache_versions import cached
from peernet.members.models import Block, NotificationSettings, Profile, User


def profile_for_user(*, user: User) -> Profile:
    """The member's profile; accounts made outside signup (staff, old data) get an empty one."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def notification_settings_for(*, user: User) -> NotificationSettings:
    return NotificationSettings.objects.get_or_create(user=user)[0]


def time_zone_of(user: User) -> ZoneInfo:
    """The member's time zone; UTC if theirs is unknown on this machine."""
    name = user.time_zone
    return ZoneInfo(name if name in available_time_zones() else "UTC")


@cache
def available_time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


# --- Blocks -------------------------------------------------------------------------------


def blocked_either_way(user) -> QuerySet:
    """The ids of everyone in a block with this person, whichever of the two blocked: a
    lazy subquery, so `.exclude(author__in=blocked_either_way(viewer))` adds no query."""
    if user is None or not user.is_authenticated:
        return Block.objects.none().values_list("blocked_id", flat=True)
    return (
        Block.objects.filter(Q(blocker=user) | Q(blocked=user))
        .annotate(other=Case(When(blocker=user, then=F("blocked_id")), default=F("blocker_id")))
        .values_list("other", flat=True)
    )


# The ids blocked_ids_either_way keeps per person, under a version that block writes replace.
BLOCKED_IDS_KEY = "blocked-either-way:{user}"
BLOCKS_VERSION_KEY = "blocks-version:{user}"
BLOCKED_IDS_TIMEOUT = 60 * 60


def blocked_ids_either_way(user) -> frozenset[int]:
    """The ids of everyone in a block with this person, as a set, read from the cache when
    it can be: the board asks on every page view, and most people block nobody."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return cached(
        BLOCKED_IDS_KEY.format(user=user.pk),
        [BLOCKS_VERSION_KEY.format(user=user.pk)],
        lambda: frozenset(blocked_either_way(user)),
        BLOCKED_IDS_TIMEOUT,
    )


def blocks_between(first, second) -> QuerySet[Block]:
    """The block rows between two people, in either direction. Each side is a user, an id
    or an expression (OuterRef("author_id")), so it also serves as an Exists() subquery."""
    return Block.objects.filter(Q(blocker=first, blocked=second) | Q(blocker=second, blocked=first))


def is_blocked_between(first: User | int | None, second: User | int | None) -> bool:
    """Whether either of the two blocked the other (each a user or an account id; None, a
    deleted account, is in no block)."""
    first, second = (getattr(x, "pk", x) for x in (first, second))
    if first is None or second is None:
        return False
    return blocks_between(first, second).exists()


def blocked_ids_of(user_ids: Iterable[int]) -> dict[int, set[int]]:
    """{user_id: {ids of everyone in a block with them, either way}}, in one query."""
    ids = list(user_ids)
    blocked = defaultdict(set)
    rows = Block.objects.filter(Q(blocker_id__in=ids) | Q(blocked_id__in=ids))
    for blocker_id, blocked_id in rows.values_list("blocker_id", "blocked_id"):
        blocked[blocker_id].add(blocked_id)
        blocked[blocked_id].add(blocker_id)
    return {uid: blocked[uid] for uid in ids if uid in blocked}


def blocks_made_by(*, user: User) -> QuerySet[Block]:
    """The people this member blocked, for their "Blocked members" page: newest first."""
    return (
        Block.objects.filter(blocker=user).select_related("blocked").order_by("-created_at", "-pk")
    )


def block_made(*, blocker: User, blocked_id: int) -> Block | None:
    """This member's block of that account, or None (one direction only: nobody is told
    who blocked them)."""
    return (
        Block.objects.filter(blocker=blocker, blocked_id=blocked_id)
        .select_related("blocked")
        .first()
    )


def block_problem(*, blocker: User, blocked: User) -> str | None:
    """Why this person cannot block that one, or None."""
    if blocker.pk == blocked.pk:
        return _("You can't block yourself.")
    return None


def who_can_help(profiles: QuerySet[Profile], category: str) -> list[int]:
    """The users, among these profiles, who said they can help with category: in the query
    on PostgreSQL, in Python on SQLite (`make run`), which has no JSON containment lookup."""
    if connection.features.supports_json_field_contains:
        chosen = profiles.filter(help_categories__contains=[category])
        return list(chosen.values_list("user_id", flat=True))
    return [
        profile.user_id
        for profile in profiles.only("user_id", "help_categories")
        if category in (profile.help_categories or [])
    ]
