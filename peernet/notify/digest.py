"""What a digest is made of: sections of circle news, each fetched in one query for all
circles at once. fetch(circle_ids, since) returns {circle_id: [(time, item), ...]}, newest
first; an item is a dict of plain values the digest template shows (never an author's name,
so an anonymous need stays anonymous)."""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from peernet.members.choices import Topic


def _grouped(rows) -> dict[int, list]:
    grouped = defaultdict(list)
    for circle_id, when, item in rows:
        grouped[circle_id].append((when, item))
    return grouped


def proposals_opened(circle_ids, since):
    from governance.models import Proposal

    rows = (
        Proposal.objects.filter(circle_id__in=circle_ids, opened_at__gt=since)
        .select_related("circle")
        .order_by("-opened_at")
    )
    return _grouped(
        (
            p.circle_id,
            p.opened_at,
            {"text": p.title, "url": f"/c/{p.circle.slug}/proposals/{p.pk}/"},
        )
        for p in rows
    )


def decisions_made(circle_ids, since):
    from governance.models import Proposal

    rows = (
        Proposal.objects.closed()
        .filter(circle_id__in=circle_ids, closed_at__gt=since)
        .select_related("circle")
        .order_by("-closed_at")
    )
    return _grouped(
        (
            p.circle_id,
            p.closed_at,
            {
                "text": p.title,
                "status": p.status,
                "url": f"/c/{p.circle.slug}/proposals/{p.pk}/",
            },
        )
        for p in rows
    )


def join_requests(circle_ids, since):
    from circles.models import JoinRequest, JoinRequestStatus

    rows = (
        JoinRequest.objects.filter(
            circle_id__in=circle_ids, status=JoinRequestStatus.PENDING, created_at__gt=since
        )
        .select_related("circle", "user")
        .order_by("-created_at")
    )
    return _grouped(
        (
            r.circle_id,
            r.created_at,
            {"text": r.user.display_name, "url": f"/c/{r.circle.slug}/requests/"},
        )
        for r in rows
    )


def new_posts(circle_ids, since):
    from circles.models import Post, PostStatus
    from circles.selectors import post_url

    rows = (
        Post.objects.filter(circle_id__in=circle_ids, created_at__gt=since, status=PostStatus.OPEN)
        .select_related("circle")
        .order_by("-created_at")
    )
    return _grouped(
        (
            p.circle_id,
            p.created_at,
            {"text": p.title, "kind": p.kind, "url": post_url(p)},
        )
        for p in rows
    )


def fulfilled_posts(circle_ids, since):
    from circles.models import Post, PostStatus
    from circles.selectors import post_url

    rows = (
        Post.objects.filter(
            circle_id__in=circle_ids, status=PostStatus.FULFILLED, fulfilled_at__gt=since
        )
        .select_related("circle")
        .order_by("-fulfilled_at")
    )
    return _grouped(
        (p.circle_id, p.fulfilled_at, {"text": p.title, "url": post_url(p)}) for p in rows
    )


SECTIONS = [
    (Topic.POSTS, _("New offers and needs"), new_posts),
    (Topic.POSTS, _("Help that happened"), fulfilled_posts),
    (Topic.PROPOSALS, _("Proposals opened"), proposals_opened),
    (Topic.PROPOSALS, _("Decisions made"), decisions_made),
    (Topic.MEMBERSHIP, _("People asking to join"), join_requests),
]
