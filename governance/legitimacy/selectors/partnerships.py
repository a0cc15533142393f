"""Reads for funding and partnerships: the circle's current and past ones, shown on its
home to everyone who can see the home (the circle's public account of what it accepted),
and in its published reports."""

from datetime import date

from django.db.models import Case, F, QuerySet, Value, When

from circles.models import Circle, Membership
from governance.legitimacy.days import day_of
from governance.legitimacy.models import Partnership, PartnershipStatus


def partnerships_of(*, circle: Circle) -> QuerySet[Partnership]:
    """Current partnerships first, soonest to end first; then past ones, latest ended first."""
    past = Case(When(status=PartnershipStatus.ACTIVE, then=Value(False)), default=Value(True))
    return (
        Partnership.objects.filter(circle=circle)
        .annotate(is_past=past)
        .order_by("is_past", F("ended_at").desc(nulls_first=True), "ends_on", "-pk")
    )


def renewable_partnerships(*, circle: Circle) -> QuerySet[Partnership]:
    """What a proposal may renew: the circle's current partnerships."""
    return Partnership.objects.current().filter(circle=circle).order_by("partner", "pk")


def partnerships_current_and_past(*, circle: Circle) -> dict:
    """{"current": [...], "past": [...]}, in one query."""
    split: dict[str, list[Partnership]] = {"current": [], "past": []}
    for partnership in partnerships_of(circle=circle):
        split["past" if partnership.is_past else "current"].append(partnership)
    return split


def home_partnerships(*, circle: Circle, membership: Membership | None) -> dict | None:
    """The circle home's section: to everyone who can see the home, or None if the circle
    never accepted any."""
    split = partnerships_current_and_past(circle=circle)
    if not split["current"] and not split["past"]:
        return None
    return split


def partnership_from_change(change: dict) -> Partnership:
    """The partnership a proposal would accept, unsaved, to show its terms like an accepted
    one's (the change holds JSON: ISO dates, the renewed partnership's id)."""
    after = change.get("after", {})
    returns_by, ends_on = after.get("returns_by"), after.get("ends_on")
    terms = Partnership(
        kind=after.get("kind", ""),
        partner=after.get("partner", ""),
        offered=after.get("offered", ""),
        asks=after.get("asks", ""),
        agreements=after.get("agreements", []),
        will_not_accept=after.get("will_not_accept", ""),
        research_returns=after.get("research_returns", ""),
        returns_by=date.fromisoformat(returns_by) if returns_by else None,
        ends_on=date.fromisoformat(ends_on) if ends_on else None,
    )
    if after.get("renews"):
        terms.renews = Partnership.objects.filter(pk=after["renews"]).first()
    return terms


def _term_overlaps(partnership: Partnership, start: date) -> bool:
    """A partnership renewed early ended that day, not at its end date."""
    if partnership.status == PartnershipStatus.RENEWED and partnership.ended_at:
        return day_of(partnership.ended_at) >= start
    return True


def partnerships_for_report(*, circle: Circle, start: date, end: date) -> list[dict]:
    """Every partnership whose term overlaps the period, oldest first, JSON-ready, with no
    member's name: what a published report says the circle accepted."""
    overlapping = Partnership.objects.filter(
        circle=circle, starts_on__lte=end, ends_on__gte=start
    ).order_by("starts_on", "pk")
    return [
        {
            "partner": p.partner,
            "kind": p.kind,
            "offered": p.offered,
            "asks": p.asks,
            "agreements": [agreement["title"] for agreement in p.agreements],
            "will_not_accept": p.will_not_accept,
            "research_returns": p.research_returns,
            "returns_by": p.returns_by.isoformat() if p.returns_by else None,
            "starts_on": p.starts_on.isoformat(),
            "ends_on": p.ends_on.isoformat(),
            "status": p.status,
        }
        for p in overlapping
        if _term_overlaps(p, start)
    ]
