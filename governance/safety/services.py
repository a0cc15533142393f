"""Writes for safety: reports, the rota's answers, and drawing the care rota by lot.

The rota removes nothing: anything with consequences is a proposal the circle votes on.
"""

import random
import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from circles.models import Circle, Membership
from circles.selectors import membership_of
from governance.safety import constants
from governance.safety.models import Reason, Report, ReportMessage, RotaSeat, Target
from governance.safety.selectors import Item, current_rota, handler_ids, may_block
from peernet import limits
from peernet.errors import DomainError
from peernet.members.models import User
from peernet.members.services import block_create
from peernet.notify.models import Kind
from peernet.notify.services import notify

REPORT_WAITING = gettext_noop("A report in %(circle)s is waiting for the care rota.")


def _lot() -> random.Random:
    return secrets.SystemRandom()


# --- Drawing the rota ---------------------------------------------------------------------


def _draw(pool: list[list[int]], wanted: int, rng: random.Random) -> list[tuple[int, bool]]:
    """Up to `wanted` ids, tier by tier: a later tier is drawn from only when the earlier
    ones are exhausted. Returns (id, drawn from the first two tiers: the willing)."""
    drawn = []
    for tier, ids in enumerate(pool):
        take = min(wanted - len(drawn), len(ids))
        drawn += [(uid, tier < 2) for uid in rng.sample(sorted(ids), take)]
    return drawn


def _tiers(willing: set[int], others: set[int], served_last: set[int]) -> list[list[int]]:
    """Who is drawn first: the willing who did not just serve, then the willing who did,
    then everyone else in the same order. Taking turns, without leaving a seat empty."""
    return [
        list(willing - served_last),
        list(willing & served_last),
        list(others - served_last),
        list(others & served_last),
    ]


def _members(circle_id: int) -> dict[int, bool]:
    rows = Membership.objects.active().filter(circle_id=circle_id)
    return dict(rows.values_list("user_id", "care_rota_willing"))


def _seat_by_lot(
    *, circle_id: int, excluded: set[int], served_last: set[int], wanted: int, rng, **fields
) -> list[RotaSeat]:
    """Draw up to `wanted` of the circle's members, none of `excluded`, the willing first,
    and give each a seat (with `fields`: its period, and the report it is for)."""
    members = _members(circle_id)
    eligible = set(members) - excluded
    willing = {uid for uid in eligible if members[uid]}
    drawn = _draw(_tiers(willing, eligible - willing, served_last), wanted, rng)
    seats = RotaSeat.objects.bulk_create(
        RotaSeat(circle_id=circle_id, member_id=uid, volunteered=v, **fields) for uid, v in drawn
    )
    return list(RotaSeat.objects.filter(pk__in=[s.pk for s in seats]).select_related("member"))


def _notify_drawn(seats: list[RotaSeat], circle: Circle) -> None:
    for seat in seats:
        notify(
            recipients=[seat.member],
            kind=Kind.ROTA_DRAWN,
            message=gettext_noop(
                "You were drawn by lot for the care rota of %(circle)s, until %(until)s. "
                "If you can't take this turn, decline it and someone else is drawn."
            ),
            params={"circle": circle.name, "until": seat.ends_at.date().isoformat()},
            url=_care_url(circle),
            circle=circle,
            once_key=f"rota-seat:{seat.pk}",
        )


def _care_url(circle: Circle) -> str:
    return reverse("safety:care", args=[circle.slug])


@transaction.atomic
def rota_draw(*, circle: Circle, now: datetime | None = None, rng=None) -> list[RotaSeat]:
    """Fill the circle's rota up to its size, by lot. Two draws at once make one rota: the
    circle's row is locked while drawing."""
    now = now or timezone.now()
    rng = rng or _lot()
    circle = Circle.objects.select_for_update().get(pk=circle.pk)
    current = list(current_rota(circle=circle, now=now))
    # The period runs on while any turn of it does, declined or not: everyone declining
    # leaves seats empty until it ends, rather than drawing the same people again.
    running = RotaSeat.objects.turns().filter(circle=circle, ends_at__gt=now)
    ends_at = running.order_by("-ends_at").values_list("ends_at", flat=True).first()
    ends_at = ends_at or now + timezone.timedelta(days=circle.care_rota_days)
    this_period = RotaSeat.objects.turns().filter(circle=circle, ends_at=ends_at)
    declined = set(
        this_period.filter(declined_at__isnull=False).values_list("member_id", flat=True)
    )
    last = RotaSeat.objects.turns().filter(circle=circle, ends_at__lte=now, declined_at=None)
    last = last.order_by("-ends_at")
    last_end = last.values_list("ends_at", flat=True).first()
    served_last = set(
        last.filter(ends_at=last_end).values_list("member_id", flat=True) if last_end else []
    )
    seats = _seat_by_lot(
        circle_id=circle.pk,
        excluded={seat.member_id for seat in current} | declined,
        served_last=served_last,
        wanted=constants.ROTA_SIZE - len(current),
        rng=rng,
        drawn_at=now,
        ends_at=ends_at,
    )
    _notify_drawn(seats, circle)
    return seats


def rotas_draw_due(*, now: datetime | None = None, rng=None) -> int:
    """Draw every rota that is due (its period ended) or short (someone declined or left),
    when someone is left to draw. Returns how many members were drawn."""
    now = now or timezone.now()
    members = dict(
        Membership.objects.active()
        .values("circle_id")
        .annotate(n=Count("pk"))
        .values_list("circle_id", "n")
    )
    still_in = Q(member__memberships__circle_id=F("circle_id"))
    still_in &= Q(member__memberships__left_at__isnull=True)
    seated = dict(
        RotaSeat.objects.turns()
        .current(now=now)
        .filter(still_in)
        .values("circle_id")
        .annotate(n=Count("pk"))
        .values_list("circle_id", "n")
    )
    short = [
        circle_id
        for circle_id, count in members.items()
        if seated.get(circle_id, 0) < min(constants.ROTA_SIZE, count)
    ]
    circles = Circle.objects.filter(pk__in=short).order_by("pk")
    return sum(len(rota_draw(circle=circle, now=now, rng=rng)) for circle in circles)


def _substitutes_draw(report: Report, now: datetime, rng) -> list[RotaSeat]:
    """For each rota member a report concerns, draw another member for this report."""
    rota = {seat.member_id: seat for seat in current_rota(circle=report.circle, now=now)}
    concerned = {report.reporter_id, report.reported_id}
    taken = set(report.substitutes.values_list("member_id", flat=True))
    wanted = len(concerned & set(rota)) - len(
        set(report.substitutes.current(now=now).values_list("member_id", flat=True))
    )
    if wanted <= 0:
        return []
    return _seat_by_lot(
        circle_id=report.circle_id,
        excluded=set(rota) | concerned | taken,
        served_last=set(),
        wanted=wanted,
        rng=rng,
        report=report,
        drawn_at=now,
        ends_at=max(seat.ends_at for seat in rota.values()),
    )


@transaction.atomic
def rota_decline(*, seat: RotaSeat, member: User, now: datetime | None = None, rng=None) -> None:
    """A member drawn by lot declines their turn; the next is drawn at once."""
    now = now or timezone.now()
    seat = RotaSeat.objects.select_for_update().filter(pk=seat.pk, member=member).first()
    if seat is None or seat.declined_at is not None or seat.ends_at <= now:
        raise DomainError(_("This turn is not yours to decline, or it has already ended."))
    seat.declined_at = now
    seat.save(update_fields=["declined_at"])
    if seat.report_id is None:
        rota_draw(circle=seat.circle, now=now, rng=rng)
        return
    drawn = _substitutes_draw(seat.report, now, rng or _lot())
    _notify_handlers(seat.report, REPORT_WAITING, only=[s.member for s in drawn])


# --- Reports --------------------------------------------------------------------------------


def _notify_handlers(
    report: Report, message: str, *, urgent: bool = False, only: list[User] | None = None
) -> None:
    """Tell whoever handles the report (or `only` some of them, newly drawn)."""
    handlers = only if only is not None else User.objects.filter(pk__in=handler_ids(report=report))
    notify(
        recipients=handlers,
        kind=Kind.REPORT_RECEIVED,
        message=message,
        params={"circle": report.circle.name},
        url=report.get_absolute_url(),
        circle=report.circle,
        urgent=urgent,
    )


def report_create(
    *,
    circle: Circle,
    reporter: User,
    item: Item,
    reason: str,
    words: str = "",
    share_conversation: bool = False,
    block: bool = False,
    now: datetime | None = None,
    rng=None,
) -> tuple[Report, bool]:
    """Report something to the circle's care rota. Returns the report and whether it is new:
    reporting the same thing twice keeps one report."""
    now = now or timezone.now()
    if membership_of(circle=circle, user=reporter) is None:
        raise DomainError(_("Only members can report."))
    if item.reported is not None and item.reported.pk == reporter.pk:
        raise DomainError(_("You can't report yourself or something you wrote."))
    if reason not in Reason.values:
        raise DomainError(_("Choose a reason."))
    existing = Report.objects.filter(reporter=reporter, item=item.key).first()
    if existing is not None:
        return existing, False
    limits.limit_hit(limits.REPORTS, key=limits.member_key(reporter))
    try:
        with transaction.atomic():
            report = Report.objects.create(
                circle=circle,
                reporter=reporter,
                reported=item.reported,
                target=item.target,
                item=item.key,
                reason=reason,
                words=words.strip(),
                share_conversation=share_conversation and item.target == Target.MESSAGE,
                created_at=now,
                **item.fields,
            )
            if block and may_block(item):
                block_create(blocker=reporter, blocked=item.reported)
    except IntegrityError:
        return Report.objects.get(reporter=reporter, item=item.key), False
    if not current_rota(circle=circle, now=now).exists():
        rota_draw(circle=circle, now=now, rng=rng)
    _substitutes_draw(report, now, rng or _lot())
    danger = reason == Reason.DANGER
    _notify_handlers(
        report,
        gettext_noop("Someone may be in danger in %(circle)s. The care rota is asked to look now.")
        if danger
        else REPORT_WAITING,
        urgent=danger,
    )
    return report, True


def _require_handler(report: Report, member: User) -> None:
    if member.pk not in handler_ids(report=report):
        raise DomainError(_("Only the care rota handling this report can do that."))


def _first_response(report: Report, now: datetime) -> None:
    Report.objects.filter(pk=report.pk, first_response_at__isnull=True).update(
        first_response_at=now
    )


def report_message_send(
    *, report: Report, sender: User, text: str, now: datetime | None = None
) -> ReportMessage:
    """The rota writes to the reporter, or the reporter answers, privately."""
    now = now or timezone.now()
    from_rota = sender.pk != report.reporter_id
    if from_rota:
        _require_handler(report, sender)
    message = ReportMessage.objects.create(
        report=report, sender=sender, text=text.strip(), created_at=now
    )
    if from_rota:
        _first_response(report, now)
        reporter = [report.reporter] if report.reporter else []
        notify(
            recipients=reporter,
            kind=Kind.REPORT_REPLY,
            message=gettext_noop(
                "%(name)s of the care rota of %(circle)s wrote about your report."
            ),
            params={"circle": report.circle.name},
            actor=sender,
            url=report.get_absolute_url(),
            circle=report.circle,
        )
    else:
        _notify_handlers(
            report, gettext_noop("The member who reported in %(circle)s wrote to the care rota.")
        )
    return message


def report_handle(
    *, report: Report, member: User, note: str, now: datetime | None = None
) -> Report:
    """A rota member marks a report handled, with a short note of what was done."""
    now = now or timezone.now()
    _require_handler(report, member)
    updated = Report.objects.filter(pk=report.pk, handled_at__isnull=True).update(
        handled_at=now, handled_by=member, handled_note=note.strip()
    )
    if not updated:
        raise DomainError(_("This report was already marked handled."))
    _first_response(report, now)
    report.refresh_from_db()
    if report.reporter:
        notify(
            recipients=[report.reporter],
            kind=Kind.REPORT_REPLY,
            message=gettext_noop("The care rota of %(circle)s marked your report handled."),
            params={"circle": report.circle.name},
            url=report.get_absolute_url(),
            circle=report.circle,
        )
    return report
