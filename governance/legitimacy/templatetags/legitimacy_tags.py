"""How a circle's figures read: small numbers as "fewer than 5", times in hours or days."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.legitimacy import constants
from governance.legitimacy.models import Measure
from governance.legitimacy.selectors.measures import OTHER
from peernet.choices import label_of
from peernet.members.choices import HelpCategory

register = template.Library()

# Longer waits than this read in days.
HOURS_SHOWN_UP_TO = 48
HOURS_IN_DAY = 24


def _number(value: float) -> str:
    """1 decimal at most, in the language's own way of writing it: 2.5, 3, 2,5."""
    value = round(value, 1)
    if value == int(value):
        return number_format(int(value))
    return number_format(value, decimal_pos=1)


def _plural(value: float) -> int:
    """The count ngettext picks a plural form by: 1 for exactly one, else the number."""
    return 1 if value == 1 else max(int(value), 2)


def _fewer() -> str:
    return _("fewer than %(n)d") % {"n": constants.SMALL_NUMBER_FLOOR}


@register.filter
def figure_value(figure: dict) -> str:
    """A figure (or a breakdown's part) as it reads: "fewer than 5", "12", "2.5 hours",
    "3 days", "62%"; a median of too few, "not shown: fewer than 5 needs". A breakdown
    itself has no single value: its parts do."""
    if figure.get("unit") == "breakdown":
        return ""
    value = figure.get("value")
    if figure.get("below_floor") or value is None:
        # A median of fewer than 5: "fewer than 5" alone would read as 5 hours or 5%.
        match figure.get("unit"):
            case "hours":
                return _("not shown: fewer than %(n)d needs") % {"n": constants.SMALL_NUMBER_FLOOR}
            case "percent":
                return _("not shown: fewer than %(n)d decisions") % {
                    "n": constants.SMALL_NUMBER_FLOOR
                }
        return _fewer()
    match figure.get("unit"):
        case "hours" if value > HOURS_SHOWN_UP_TO:
            days = round(value / HOURS_IN_DAY, 1)
            return ngettext("%(n)s day", "%(n)s days", _plural(days)) % {"n": _number(days)}
        case "hours":
            return ngettext("%(n)s hour", "%(n)s hours", _plural(value)) % {"n": _number(value)}
        case "percent":
            return _("%(n)s%%") % {"n": number_format(value)}
    return number_format(value)


@register.filter
def part_value(part: dict, measure: str) -> str:
    """A breakdown's part with what it counts: "12 posts", "fewer than 5 posts", "7 people"."""
    value = part.get("value")
    if part.get("below_floor") or value is None:
        if measure == Measure.CATEGORIES:
            return _("fewer than %(n)d posts") % {"n": constants.SMALL_NUMBER_FLOOR}
        return _("fewer than %(n)d people") % {"n": constants.SMALL_NUMBER_FLOOR}
    if measure == Measure.CATEGORIES:
        return ngettext("%(n)s post", "%(n)s posts", value) % {"n": number_format(value)}
    return ngettext("%(n)s person", "%(n)s people", value) % {"n": number_format(value)}


@register.filter
def measure_label(key: str) -> str:
    return label_of(Measure, key)


@register.filter
def part_label(part: dict, measure: str) -> str:
    """A part's name: a kind of help, or a language as members wrote it."""
    key = part.get("key", "")
    if measure == Measure.CATEGORIES:
        return _("Other kinds of help") if key == OTHER else label_of(HelpCategory, key)
    if key == OTHER:
        return _("Other languages")
    return key.title()
