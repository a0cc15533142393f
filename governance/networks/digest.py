"""The network news a digest is made of: in one query for all circles."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from circles.models import PostStatus
from governance.networks.models import NetworkMembership, SharedPost
from peernet.members.choices import Topic
from peernet.notify.digest import grouped_by_circle
from peernet.notify.registry import BY, DigestSection


def shared_posts(circle_ids, since):
    """Open posts shared since `since` with the networks these circles are in, by the
    networks' other member circles: under each reader's circle, each post once. Never the
    author (BY only leaves them out for a reader in a block with them) nor their circle."""
    sharer_in_network = NetworkMembership.objects.active().filter(
        network=OuterRef("network_id"), circle=OuterRef("post__circle_id")
    )
    rows = (
        SharedPost.objects.filter(
            network__memberships__circle_id__in=list(circle_ids),
            network__memberships__left_at__isnull=True,
            shared_at__gt=since,
            post__status=PostStatus.OPEN,
        )
        .filter(Exists(sharer_in_network))
        .order_by("-shared_at", "-pk")
        .values_list(
            "network__memberships__circle_id",
            "shared_at",
            "post_id",
            "post__circle_id",
            "post__title",
            "post__kind",
            "post__author_id",
        )
    )
    seen = set()
    items = []
    for reader, shared_at, post_id, circle_id, title, kind, author_id in rows:
        if circle_id == reader or (reader, post_id) in seen:
            continue
        seen.add((reader, post_id))
        item = {
            "text": title,
            "url": reverse("networks:shared_post", args=[post_id]),
            "kind": kind,
            BY: author_id,
        }
        items.append((reader, shared_at, item))
    return grouped_by_circle(items)


SECTIONS = [
    DigestSection(15, Topic.POSTS, _("Shared in your networks"), shared_posts),
]
