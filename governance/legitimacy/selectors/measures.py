"""What a circle counts of its own mutual aid over a period, never about one person.

A period runs from `start` to `end`, both days included, in local dates (settings.TIME_ZONE).
"The period's posts" are the posts created in it; a post the circle removed by decision
never counts, nor does anything said or done on it.

- needs_posted: the period's needs. needs_met: of those, the ones fulfilled by now.
- offers_taken_up: the period's offers on which the author accepted someone (in progress
  or fulfilled).
- first_response_time: median hours from a period's need to its first response, over the
  needs that had one (whenever it came). met_time: median hours from a period's need to
  being fulfilled, over the fulfilled ones. Each needs 5 needs to say anything.
- active_members: the people who, in the period and in this circle, posted, responded,
  wrote in a conversation about one of its posts, voted or commented on one of its
  proposals: each person once.
- conversations: responses made in the period to the circle's posts (each opens one).
- categories: the period's posts by kind of help. The people behind a kind are the authors
  of its posts and those who responded to them. A kind with fewer than 5 people behind it
  goes into "other" (with the posts whose kind is "Other"); if "other" still has fewer than
  5 people, it is left out.
- languages: the active members by the languages they list on their profile, counting only
  those who share their languages with this circle (a member's own choice). Names are
  split on , ; / "and" "y", and compared case-blind. A language fewer than 5 of them speak
  goes into "other", left out in turn if that has fewer than 5 people.
- decisions: the circle's proposals closed (passed or failed) in the period.
  decision_turnout: the median, over those decisions, of ballots cast as a percentage of
  the electorate; needs 5 decisions.

Small numbers (constants.SMALL_NUMBER_FLOOR, 5): a count under it has no value and reads
"fewer than 5"; a period in which fewer than 5 members were active shows no figure at all.

The whole of it takes at most seven queries whatever the data (aggregates with conditional
counts, one union for the people active), and works on SQLite as on PostgreSQL: medians are
computed here, not in SQL.
"""

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from statistics import median

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from circles.models import Membership, Message, Post, PostKind, PostStatus, Response
from governance.legitimacy import constants
from governance.legitimacy.models import ImpactSettings, Measure
from governance.models import Ballot, Comment, Proposal
from peernet.members.choices import HelpCategory

FLOOR = constants.SMALL_NUMBER_FLOOR
OTHER = "other"  # the key of a breakdown's folded part
SECONDS_IN_HOUR = 3600

POST_COUNTS = {Measure.NEEDS_POSTED, Measure.NEEDS_MET, Measure.OFFERS_TAKEN_UP}
TIMES = {Measure.FIRST_RESPONSE_TIME, Measure.MET_TIME}
DECISIONS = {Measure.DECISIONS, Measure.DECISION_TURNOUT}

_LANGUAGE_SEPARATORS = re.compile(r"[,;/]|\s+(?:and|y)\s+", re.IGNORECASE)


def in_measure_order(keys: Iterable[str]) -> list[str]:
    """These measures in Measure's order (the order every page and report shows them in)."""
    wanted = set(keys)
    return [m for m in Measure.values if m in wanted]


def counted_measures(*, circle) -> list[str]:
    """The measures the circle chose to count, in Measure order; [] until it chooses."""
    chosen = ImpactSettings.objects.filter(circle=circle).values_list("measures", flat=True).first()
    return in_measure_order(chosen or ())


def period_bounds(*, start: date, end: date) -> tuple[datetime, datetime]:
    """The period as [since, until): local midnight of start to local midnight after end."""
    zone = timezone.get_default_timezone()
    since = timezone.make_aware(datetime.combine(start, time.min), zone)
    until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone)
    return since, until


def language_names(text: str) -> set[str]:
    """The languages a profile lists, free text like "English, Spanish y Català"."""
    return {
        name.strip().casefold() for name in _LANGUAGE_SEPARATORS.split(text or "") if name.strip()
    }


def impact_measures(*, circle, start: date, end: date, keys: Sequence[str]) -> dict:
    """The measures `keys` for the period, JSON-ready. See the module's docstring."""
    wanted = set(keys)
    since, until = period_bounds(start=start, end=end)
    posts = Post.objects.visible().filter(
        circle=circle, created_at__gte=since, created_at__lt=until
    )
    people = _active_people(circle=circle, since=since, until=until)
    if Measure.LANGUAGES in wanted:
        rows = list(people.values_list("share_languages", "user__profile__languages"))
        active = len(rows)
    else:
        rows, active = [], people.count()
    result = {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "floor": FLOOR,
        "enough_members": active >= FLOOR,
        "figures": [],
    }
    if active < FLOOR:
        return result

    counts = _post_counts(posts) if wanted & (POST_COUNTS | {Measure.CATEGORIES}) else {}
    figures = {m: _count(m, counts[m]) for m in POST_COUNTS & wanted}
    if wanted & TIMES:
        figures.update(_times(posts))
    figures[Measure.ACTIVE_MEMBERS] = _count(Measure.ACTIVE_MEMBERS, active)
    if Measure.CONVERSATIONS in wanted:
        held = _responses(circle=circle, since=since, until=until).count()
        figures[Measure.CONVERSATIONS] = _count(Measure.CONVERSATIONS, held)
    if Measure.CATEGORIES in wanted:
        figures[Measure.CATEGORIES] = _categories(posts, counts)
    if Measure.LANGUAGES in wanted:
        figures[Measure.LANGUAGES] = _languages(rows)
    if wanted & DECISIONS:
        figures.update(_decisions(circle=circle, since=since, until=until))
    result["figures"] = [figures[m] for m in in_measure_order(wanted)]
    return result


# --- The queries -----------------------------------------------------------------------


def _responses(*, circle, since: datetime, until: datetime) -> QuerySet:
    return Response.objects.filter(
        post__circle=circle, created_at__gte=since, created_at__lt=until
    ).exclude(post__status=PostStatus.REMOVED)


def _active_people(*, circle, since: datetime, until: datetime) -> QuerySet:
    """The memberships (current or ended) of the people active in the period: one row per
    person, since a person has one membership per circle."""
    in_period = {"created_at__gte": since, "created_at__lt": until}
    acts = [
        Post.objects.visible().filter(circle=circle, **in_period).values("author_id"),
        _responses(circle=circle, since=since, until=until).values("responder_id"),
        Message.objects.filter(response__post__circle=circle, **in_period)
        .exclude(response__post__status=PostStatus.REMOVED)
        .values("sender_id"),
        Ballot.objects.filter(
            proposal__circle=circle, cast_at__gte=since, cast_at__lt=until
        ).values("voter_id"),
        Comment.objects.filter(proposal__circle=circle, **in_period).values("author_id"),
    ]
    acts = [act.order_by() for act in acts]
    who = acts[0].union(*acts[1:]).order_by()
    return Membership.objects.filter(circle=circle, user_id__in=who)


def _post_counts(posts: QuerySet) -> dict:
    need = Q(kind=PostKind.NEED)
    taken = Q(kind=PostKind.OFFER, status__in=[PostStatus.IN_PROGRESS, PostStatus.FULFILLED])
    return posts.aggregate(
        **{
            Measure.NEEDS_POSTED: Count("pk", filter=need),
            Measure.NEEDS_MET: Count("pk", filter=need & Q(status=PostStatus.FULFILLED)),
            Measure.OFFERS_TAKEN_UP: Count("pk", filter=taken),
        },
        **{f"category_{c}": Count("pk", filter=Q(category=c)) for c in HelpCategory.values},
    )


def _times(posts: QuerySet) -> dict:
    needs = posts.filter(kind=PostKind.NEED).annotate(first=Min("responses__created_at"))
    needs = needs.filter(Q(first__isnull=False) | Q(status=PostStatus.FULFILLED))
    to_first, to_met = [], []
    for made, first, status, fulfilled in needs.values_list(
        "created_at", "first", "status", "fulfilled_at"
    ):
        if first is not None:
            to_first.append(first - made)
        if status == PostStatus.FULFILLED and fulfilled is not None:
            to_met.append(fulfilled - made)
    return {
        Measure.FIRST_RESPONSE_TIME: _median_hours(Measure.FIRST_RESPONSE_TIME, to_first),
        Measure.MET_TIME: _median_hours(Measure.MET_TIME, to_met),
    }


def _categories(posts: QuerySet, counts: dict) -> dict:
    authors = posts.exclude(author_id=None).order_by().values_list("category", "author_id")
    responders = (
        Response.objects.filter(post__in=posts.values("pk"))
        .exclude(responder_id=None)
        .order_by()
        .values_list("post__category", "responder_id")
    )
    behind: dict[str, set] = {}
    for category, person in authors.union(responders).order_by():
        behind.setdefault(category, set()).add(person)
    posts_of = {c: counts[f"category_{c}"] for c in HelpCategory.values}
    order = [c for c in HelpCategory.values if c != HelpCategory.OTHER]
    return _breakdown(Measure.CATEGORIES, behind, order=order, value_of=posts_of.get)


def _languages(rows: Iterable[tuple[bool, str | None]]) -> dict:
    speakers: dict[str, set] = {}
    for person, (shares, languages) in enumerate(rows):
        if shares:
            for name in language_names(languages or ""):
                speakers.setdefault(name, set()).add(person)
    order = sorted((n for n in speakers if n != OTHER), key=lambda n: (-len(speakers[n]), n))
    return _breakdown(Measure.LANGUAGES, speakers, order=order, value_of=None)


def _decisions(*, circle, since: datetime, until: datetime) -> dict:
    closed = Proposal.objects.closed().filter(
        circle=circle, closed_at__gte=since, closed_at__lt=until
    )
    tallies = list(closed.values_list("ballots_cast", "electorate_size"))
    turnouts = [cast * 100 / size for cast, size in tallies if size and cast is not None]
    enough = len(tallies) >= FLOOR and len(turnouts) >= FLOOR
    return {
        Measure.DECISIONS: _count(Measure.DECISIONS, len(tallies)),
        Measure.DECISION_TURNOUT: {
            "measure": Measure.DECISION_TURNOUT.value,
            "unit": "percent",
            "value": round(median(turnouts)) if enough else None,
            "below_floor": not enough,
        },
    }


# --- Keeping small numbers out ---------------------------------------------------------


def _shown(n: int) -> int | None:
    return n if n >= FLOOR else None


def _count(measure: str, n: int) -> dict:
    return {"measure": str(measure), "unit": "count", "value": _shown(n), "below_floor": n < FLOOR}


def _median_hours(measure: str, waits: list[timedelta]) -> dict:
    enough = len(waits) >= FLOOR
    hours = median(w.total_seconds() for w in waits) / SECONDS_IN_HOUR if enough else None
    return {
        "measure": str(measure),
        "unit": "hours",
        "value": round(hours, 1) if enough else None,
        "below_floor": not enough,
    }


def _part(key: str, n: int) -> dict:
    return {"key": key, "value": _shown(n), "below_floor": n < FLOOR}


def _breakdown(measure: str, groups: dict[str, set], *, order: list[str], value_of) -> dict:
    """Parts of at least FLOOR people each, in `order`; the groups with fewer people, and
    any group keyed OTHER, fold into one OTHER part, left out if it has fewer people too.
    A part's value is value_of(key) (summed over a fold), or else its number of people."""
    parts, folded_keys, folded_people = [], [], set()
    for key in order:
        people = groups.get(key, set())
        if len(people) >= FLOOR:
            parts.append(_part(key, value_of(key) if value_of else len(people)))
        elif people:
            folded_keys.append(key)
            folded_people |= people
    if OTHER in groups:
        folded_keys.append(OTHER)
        folded_people |= groups[OTHER]
    if len(folded_people) >= FLOOR:
        value = sum(value_of(k) for k in folded_keys) if value_of else len(folded_people)
        parts.append(_part(OTHER, value))
    return {
        "measure": str(measure),
        "unit": "breakdown",
        "value": None,
        "below_floor": not parts,
        "parts": parts,
    }
