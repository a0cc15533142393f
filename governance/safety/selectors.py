"""Reads for safety: what a member may report, who handles a report, the rota, the counts.

Who reported is never part of what a page shows: handlers see "the member who reported",
and the member a report concerns never sees the report at all.
"""

from dataclasses import dataclass
from statistics import median

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from circles.models import Circle, Membership, Message
from circles.selectors import conversation_for, fellow_member, post_author_name, post_in_circle
from governance.models import Comment
from governance.safety import constants
from governance.safety.models import Reason, Report, RotaSeat, Target
from peernet.members.models import User
from peernet.notify.models import FORMER_MEMBER


@dataclass(frozen=True)
class Item:
    """What a report is about, as the reporter saw it."""

    target: str
    key: str
    reported: User | None
    fields: dict  # post / message / comment, for the report's foreign keys

    @property
    def post(self):
        return self.fields.get("post")

    @property
    def message(self):
        return self.fields.get("message")


def reportable_item(*, circle: Circle, viewer: User, target: str, pk: int) -> Item:
    """The item, if the viewer can see it in this circle; a 404 otherwise."""
    key = f"{target}:{pk}"
    match target:
        case Target.POST:
            post = post_in_circle(circle=circle, pk=pk, viewer=viewer)
            return Item(target, key, post.author, {"post": post})
        case Target.MESSAGE:
            message = get_object_or_404(
                Message.objects.select_related("response__post", "sender"),
                pk=pk,
                response__post__circle=circle,
            )
            # As the conversation page reads it: still open to its two sides after a block.
            post = post_in_circle(circle=circle, pk=message.response.post_id)
            conversation_for(post=post, pk=message.response_id, user=viewer)
            return Item(target, key, message.sender, {"message": message})
        case Target.COMMENT:
            comment = get_object_or_404(
                Comment.objects.select_related("author", "proposal"), pk=pk, proposal__circle=circle
            )
            return Item(target, key, comment.author, {"comment": comment})
        case Target.MEMBER:
            return Item(target, key, fellow_member(circle=circle, pk=pk), {})
    raise Http404


def _post_of(post, message):
    return post if post is not None else getattr(getattr(message, "response", None), "post", None)


def hides_author(*, post=None, message=None) -> bool:
    """Whether the member a report concerns is an anonymous need's author (of the need, or
    of a message in its conversation), whom no page, offer or proposal may name."""
    need = _post_of(post, message)
    if need is None or not need.anonymous:
        return False
    return message is None or message.sender_id == need.author_id


def author_name(*, reported: User | None, viewer: User, post=None, message=None) -> str:
    """Whom a report concerns, as the viewer may see it: an anonymous need stays so."""
    if post is not None or hides_author(message=message):
        return post_author_name(_post_of(post, message), viewer)
    return reported.display_name if reported is not None else str(FORMER_MEMBER)


def may_block(item: Item) -> bool:
    """Reporting a message or a member offers to block them too; never an anonymous need's
    author, whom blocking would name."""
    return (
        item.target in (Target.MESSAGE, Target.MEMBER)
        and item.reported is not None
        and not hides_author(post=item.post, message=item.message)
    )


def may_name_member(*, report: Report) -> bool:
    """Whether the rota may propose removing the member a report concerns: never when that
    would name an anonymous need's author."""
    return report.reported_id is not None and not hides_author(
        post=report.post, message=report.message
    )


# --- The rota -----------------------------------------------------------------------------


def _active(seats: QuerySet[RotaSeat], circle_id: int) -> QuerySet[RotaSeat]:
    """Seats of members still in the circle: leaving ends a turn."""
    members = Membership.objects.active().filter(circle_id=circle_id).values("user_id")
    return seats.filter(member_id__in=members)


def current_rota(*, circle: Circle, now=None) -> QuerySet[RotaSeat]:
    seats = RotaSeat.objects.turns().current(now=now).filter(circle=circle)
    return _active(seats, circle.pk).select_related("member").order_by("drawn_at", "pk")


def rota_history(*, circle: Circle) -> QuerySet[RotaSeat]:
    seats = RotaSeat.objects.turns().filter(circle=circle).select_related("member")
    return seats.order_by("-drawn_at", "pk")[: constants.ROTA_HISTORY_SHOWN]


def my_turns(*, circle: Circle, user: User, now=None) -> QuerySet[RotaSeat]:
    """The viewer's own current turns: on the rota, or drawn for one report."""
    seats = RotaSeat.objects.current(now=now).filter(circle=circle, member=user)
    # A turn drawn for one report ends when that report is handled.
    return seats.exclude(report__handled_at__isnull=False)


def handler_ids(*, report: Report, now=None) -> set[int]:
    """Who handles a report: the rota less the two people it concerns, and whoever was
    drawn for this report in their place."""
    seats = RotaSeat.objects.current(now=now).filter(
        Q(report=report) | Q(report__isnull=True, circle_id=report.circle_id)
    )
    ids = set(_active(seats, report.circle_id).values_list("member_id", flat=True))
    return ids - {report.reporter_id, report.reported_id}


def report_for_viewer(*, circle: Circle, user: User, pk: int) -> tuple[Report, set[int]]:
    """A report, for its reporter and its handlers only: a 404 to everyone else.
    Returns the report and who handles it."""
    reports = Report.objects.select_related(
        "post__author",
        "post__circle",
        "message__sender",
        "message__response__post",
        "comment__author",
        "reported",
    )
    report = get_object_or_404(reports, circle=circle, pk=pk)
    handlers = handler_ids(report=report)
    if user.pk not in handlers and user.pk != report.reporter_id:
        raise Http404
    return report, handlers


def reports_to_handle(*, circle: Circle, user: User, now=None) -> QuerySet[Report]:
    """The reports this member handles now, open first."""
    reports = Report.objects.filter(circle=circle)
    substitute_for = RotaSeat.objects.current(now=now).filter(member=user, report__isnull=False)
    mine = Q(pk__in=substitute_for.values("report_id"))
    if my_turns(circle=circle, user=user, now=now).turns().exists():
        mine |= ~Q(reporter=user) & ~Q(reported=user)
    # Open ones first (a null handled_at sorts first, descending), newest first.
    return reports.filter(mine).order_by("-handled_at", "-created_at")[: constants.REPORTS_SHOWN]


def reports_by(*, circle: Circle, user: User) -> QuerySet[Report]:
    return Report.objects.filter(circle=circle, reporter=user)[: constants.REPORTS_SHOWN]


def conversation_shared(*, report: Report) -> QuerySet[Message] | None:
    """The whole conversation, only when the reporter chose to share it."""
    if report.target != Target.MESSAGE or not report.share_conversation:
        return None
    return report.message.response.messages.select_related("sender")


def care_counts(circle: Circle) -> dict:
    """What the circle's record shows of reports: counts per reason and how soon the rota
    first answered. Never content, never names."""
    rows = Report.objects.filter(circle=circle).values("reason")
    rows = rows.annotate(total=Count("pk"), handled=Count("pk", filter=Q(handled_at__isnull=False)))
    by_reason = {r["reason"]: r for r in rows}
    answered = Report.objects.filter(circle=circle, first_response_at__isnull=False)
    waits = [
        (first - made).total_seconds() / 3600
        for made, first in answered.values_list("created_at", "first_response_at")
    ]
    return {
        "reasons": [
            {
                "reason": reason.value,
                "label": str(reason.label),
                "reports": by_reason.get(reason.value, {}).get("total", 0),
                "handled": by_reason.get(reason.value, {}).get("handled", 0),
            }
            for reason in Reason
        ],
        "median_hours_to_first_response": round(median(waits), 1) if waits else None,
    }
