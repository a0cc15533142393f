from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from peernet.members.models import NotificationSettings, Profile, User


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
