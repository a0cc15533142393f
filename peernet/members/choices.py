from functools import cache
from zoneinfo import available_timezones

from django.db import models
from django.utils.translation import gettext_lazy as _


class HelpCategory(models.TextChoices):
    """The fixed categories of mutual aid, shared by profiles and posts."""

    FOOD = "food", _("Food")
    HOUSING = "housing", _("Housing")
    TRANSPORT = "transport", _("Transport")
    CHILDCARE = "childcare", _("Childcare")
    HEALTH = "health", _("Health and wellbeing")
    EMOTIONAL = "emotional", _("Emotional support")
    MONEY = "money", _("Money")
    ITEMS = "items", _("Items")
    SKILLS = "skills", _("Skills and learning")
    ERRANDS = "errands", _("Errands")
    OTHER = "other", _("Other")


class Topic(models.TextChoices):
    """What a notification is about; each member chooses how each topic reaches them."""

    POSTS = "posts", _("New offers and needs, and matches for what I can help with")
    RESPONSES = "responses", _("Responses and messages about my posts")
    PROPOSALS = "proposals", _("Proposals opened and decisions made")
    VOTE_REMINDERS = "vote_reminders", _("Reminders to vote")
    MEMBERSHIP = "membership", _("Join requests and membership")
    CARE = "care", _("The care rota: my turns, and reports I handle or made")


class Delivery(models.TextChoices):
    NOW = "now", _("Email me right away")
    DIGEST = "digest", _("Put it in my digest")
    OFF = "off", _("Only in Peernet")


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    NEVER = "never", _("Never")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


# --- Time zones ---------------------------------------------------------------------------

UTC_ZONE = "UTC"
# The regions of the time-zone database people live in, each a group of the picker.
TIME_ZONE_REGIONS = {
    "Africa": _("Africa"),
    "America": _("America"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific"),
}
# Offered first, in this order: where most members are likely to live.
COMMON_TIME_ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Madrid",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Mexico_City",
    "America/Bogota",
    "America/Lima",
    "America/Argentina/Buenos_Aires",
    "America/Santiago",
    "America/Sao_Paulo",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Asia/Kolkata",
    "Asia/Manila",
    "Asia/Tokyo",
    "Australia/Sydney",
]
# Old names the database keeps as links to a zone listed under its current name
# (tzdata's "backward" file), left out of the picker inside the regions above.
LEGACY_ZONE_NAMES = frozenset({
    "Africa/Asmera", "Africa/Timbuktu", "America/Argentina/ComodRivadavia", "America/Atka",
    "America/Buenos_Aires", "America/Catamarca", "America/Coral_Harbour", "America/Cordoba",
    "America/Ensenada", "America/Fort_Wayne", "America/Godthab", "America/Indianapolis",
    "America/Jujuy", "America/Knox_IN", "America/Louisville", "America/Mendoza",
    "America/Montreal", "America/Nipigon", "America/Pangnirtung", "America/Porto_Acre",
    "America/Rainy_River", "America/Rosario", "America/Santa_Isabel", "America/Shiprock",
    "America/Thunder_Bay", "America/Virgin", "America/Yellowknife", "Asia/Ashkhabad",
    "Asia/Calcutta", "Asia/Choibalsan", "Asia/Chongqing", "Asia/Chungking", "Asia/Dacca",
    "Asia/Harbin", "Asia/Istanbul", "Asia/Kashgar", "Asia/Katmandu", "Asia/Macao",
    "Asia/Rangoon", "Asia/Saigon", "Asia/Tel_Aviv", "Asia/Thimbu", "Asia/Ujung_Pandang",
    "Asia/Ulan_Bator", "Atlantic/Faeroe", "Atlantic/Jan_Mayen", "Australia/ACT",
    "Australia/Canberra", "Australia/Currie", "Australia/LHI", "Australia/NSW",
    "Australia/North", "Australia/Queensland", "Australia/South", "Australia/Tasmania",
    "Australia/Victoria", "Australia/West", "Australia/Yancowinna", "Europe/Belfast",
    "Europe/Kiev", "Europe/Nicosia", "Europe/Tiraspol", "Europe/Uzhgorod", "Europe/Zaporozhye",
    "Pacific/Enderbury", "Pacific/Johnston", "Pacific/Ponape", "Pacific/Samoa", "Pacific/Truk",
    "Pacific/Yap",
})  # fmt: skip


def time_zone_label(name: str, *, with_region: bool = False) -> str:
    """A zone's name as people read it: "New York", "Argentina / Buenos Aires"
    (with_region: "America / New York", for a list with no region heading)."""
    parts = name.replace("_", " ").split("/")
    return " / ".join(parts if with_region or len(parts) == 1 else parts[1:])


def is_pickable_zone(name: str) -> bool:
    """A zone the picker lists under a region: current names only, no "Etc/GMT+3",
    "US/Eastern", "GB", "EST5EDT", "Factory" or "localtime"."""
    region, _slash, place = name.partition("/")
    return region in TIME_ZONE_REGIONS and bool(place) and name not in LEGACY_ZONE_NAMES


@cache
def _all_zones() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def _grouped_time_zones() -> tuple:
    zones = _all_zones()
    by_region = {region: [] for region in TIME_ZONE_REGIONS}
    for name in sorted(zones, key=time_zone_label):
        if is_pickable_zone(name):
            by_region[name.partition("/")[0]].append((name, time_zone_label(name)))
    common = [
        (name, time_zone_label(name, with_region=True))
        for name in COMMON_TIME_ZONES
        if name in zones
    ]
    return (
        (_("Common"), common),
        *((TIME_ZONE_REGIONS[region], by_region[region]) for region in TIME_ZONE_REGIONS),
    )


def time_zone_choices(current: str = "") -> list:
    """The time-zone picker's groups: common zones first, then one group per region.
    A member's zone that the picker leaves out (an old alias such as "US/Eastern") is kept
    as its own first choice, so saving the form does not change it behind their back."""
    groups = list(_grouped_time_zones())
    listed = {name for _group, zones in groups for name, _label in zones}
    if current and current not in listed and current in _all_zones():
        groups.insert(0, (_("Your current time zone"), [(current, current.replace("_", " "))]))
    return groups
