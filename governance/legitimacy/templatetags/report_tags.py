from datetime import date

from django import template

from governance.legitimacy.models import PartnershipKind, PartnershipStatus
from peernet.choices import label_of

register = template.Library()


@register.filter
def iso_date(value: str | None) -> date | None:
    """A date as a report's JSON holds it (YYYY-MM-DD), for the date filter."""
    return date.fromisoformat(value) if value else None


@register.filter
def partnership_kind(value: str) -> str:
    return label_of(PartnershipKind, value)


@register.filter
def partnership_status(value: str) -> str:
    return label_of(PartnershipStatus, value)
