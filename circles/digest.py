"""The circle news a digest is made of: each section in one query for all circles."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from circles.models import JoinRequest, JoinRequestStatus, Post, PostStatus
from peernet.members.choices import Topic
from peernet.notify.digest import grouped_by_circle
from peernet.notify.emails import PERSON
from peernet.notify.registry import BY, DigestSection


def _posts(circle_ids, since, *, status: str, at: str, fields: tuple[str, ...] = ()):
    """Posts in a status whose `at` time is after since, newest first, as digest items."""
    rows = (
        Post.objects.filter(circle_id__in=circle_ids, status=status, **{f"{at}__gt": since})
        .select_related("circle")
        .order_by(f"-{at}")
    )
    return grouped_by_circle(
        (
            p.circle_id,
            getattr(p, at),
            # BY: left out for readers in a block with the author (anonymous too); never shown.
            {
                "text": p.title,
                "url": p.get_absolute_url(),
                BY: p.author_id,
                **{field: getattr(p, field) for field in fields},
            },
        )
        for p in rows
    )


def new_posts(circle_ids, since):
    return _posts(circle_ids, since, status=PostStatus.OPEN, at="created_at", fields=("kind",))


def fulfilled_posts(circle_ids, since):
    return _posts(circle_ids, since, status=PostStatus.FULFILLED, at="fulfilled_at")


def join_requests(circle_ids, since):
    rows = (
        JoinRequest.objects.filter(
            circle_id__in=circle_ids, status=JoinRequestStatus.PENDING, created_at__gt=since
        )
        .select_related("circle")
        .order_by("-created_at")
    )
    return grouped_by_circle(
        (
            r.circle_id,
            r.created_at,
            {
                "text": {PERSON: r.user_id},
                "url": reverse("circles:requests", args=[r.circle.slug]),
                BY: r.user_id,
            },
        )
        for r in rows
    )


SECTIONS = [
    DigestSection(10, Topic.POSTS, _("New offers and needs"), new_posts),
    DigestSection(20, Topic.POSTS, _("Help that happened"), fulfilled_posts),
    DigestSection(50, Topic.MEMBERSHIP, _("People asking to join"), join_requests),
]
