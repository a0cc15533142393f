"""The days a circle's figures, reports and partnerships are counted in: the server's time
zone (settings.TIME_ZONE), never that of whoever's request happened to close a vote, so a
published date does not depend on who voted last."""

from datetime import date, datetime

from django.utils import timezone


def day_of(moment: datetime | None = None) -> date:
    """The day of this moment (default: now) in the server's time zone."""
    return timezone.localdate(moment, timezone.get_default_timezone())
