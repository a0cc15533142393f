"""The governance news a digest is made of: each section in one query for all circles."""

from django.utils.translation import gettext_lazy as _

from governance.models import Proposal
from peernet.members.choices import Topic
from peernet.notify.digest import grouped_by_circle
from peernet.notify.registry import DigestSection


def proposals_opened(circle_ids, since):
    rows = (
        Proposal.objects.filter(circle_id__in=circle_ids, opened_at__gt=since)
        .select_related("circle")
        .order_by("-opened_at")
    )
    return grouped_by_circle(
        (p.circle_id, p.opened_at, {"text": p.title, "url": p.get_absolute_url()}) for p in rows
    )


def decisions_made(circle_ids, since):
    rows = (
        Proposal.objects.closed()
        .filter(circle_id__in=circle_ids, closed_at__gt=since)
        .select_related("circle")
        .order_by("-closed_at")
    )
    return grouped_by_circle(
        (
            p.circle_id,
            p.closed_at,
            {"text": p.title, "status": p.status, "url": p.get_absolute_url()},
        )
        for p in rows
    )


SECTIONS = [
    DigestSection(30, Topic.PROPOSALS, _("Proposals opened"), proposals_opened),
    DigestSection(40, Topic.PROPOSALS, _("Decisions made"), decisions_made),
]
