"""The network board: posts shared with a network by members of its circles; a shared post's
page and its conversations, and who may see each."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from circles.lifecycle import still_running
from circles.models import Circle, Membership, Post, PostStatus, Response
from circles.selectors import board as circle_board
from governance.networks.constants import NETWORK_BOARD_PAGE_SIZE
from governance.networks.models import Network, NetworkMembership, SharedPost
from governance.networks.selectors.viewers import CircleLabel, circle_label, network_for_viewer
from peernet.members.models import User
from peernet.members.selectors import blocked_ids_either_way

# --- Who sees what: the label rule and who may see a network live in selectors.networks ----


def user_circle_ids(*, user: User) -> frozenset[int]:
    if not user.is_authenticated:
        return frozenset()
    return frozenset(
        Membership.objects.active().filter(user=user).values_list("circle_id", flat=True)
    )


def member_circles(*, network: Network) -> QuerySet[Circle]:
    """The network's active member circles, as a subquery."""
    return Circle.objects.filter(
        network_memberships__network=network, network_memberships__left_at__isnull=True
    )


def network_seen_by(*, pk: int, user: User) -> Network:
    """A network this person may know exists, by its id; a 404 otherwise, as if it did not
    exist (selectors.networks.network_for_viewer decides)."""
    network = Network.objects.filter(pk=pk).first()
    if network is None:
        raise Http404
    return network_for_viewer(slug=network.slug, user=user).network


# --- The post's page: its author shares it -------------------------------------------------


def post_share_section(*, post, viewer) -> dict | None:
    """The post page's "share with a network" section, for its author only, when their
    circle is in a network."""
    if not viewer.is_authenticated or viewer.pk != post.author_id:
        return None
    networks = list(
        Network.objects.filter(
            memberships__circle_id=post.circle_id, memberships__left_at__isnull=True
        )
        .annotate(shared=Exists(SharedPost.objects.filter(post=post, network=OuterRef("pk"))))
        .order_by("name", "pk")
    )
    if not networks:
        return None
    return {
        "post": post,
        "networks": networks,
        "can_share": still_running(status=post.status),
        "stays_anonymous": post.anonymous,
    }


# --- The board ------------------------------------------------------------------------------


def network_board(*, network: Network, hidden: frozenset[int], filters: dict) -> QuerySet[Post]:
    """Posts shared with the network by its active member circles, filtered as a circle
    board is, newest first; never posts of the people hidden from the viewer by a block."""
    return circle_board(
        circles=member_circles(network=network),
        hidden=hidden,
        kind=filters.get("kind", ""),
        category=filters.get("category", ""),
        status=filters.get("status", ""),
        text=filters.get("q", ""),
    ).filter(network_shares__network=network)


def network_board_page(
    *, network: Network, viewer: User, viewer_circle_ids, filters: dict, page_number: int
) -> Page:
    """One page of the network board, each post with its circle and `network_label`: the
    same few queries however many circles and posts the network has."""
    posts = network_board(network=network, hidden=blocked_ids_either_way(viewer), filters=filters)
    page = Paginator(posts, NETWORK_BOARD_PAGE_SIZE).get_page(page_number)
    page.object_list = with_labels(list(page.object_list), network, viewer_circle_ids)
    return page


def with_labels(posts: list[Post], network: Network, viewer_circle_ids) -> list[Post]:
    """The posts, each given its circle and its circle's label in this network: one query."""
    if not posts:
        return posts
    memberships = (
        NetworkMembership.objects.active()
        .filter(network=network, circle_id__in={p.circle_id for p in posts})
        .select_related("circle")
    )
    by_circle = {m.circle_id: m for m in memberships}
    # A circle that left between the page's query and this one takes its posts with it.
    posts = [post for post in posts if post.circle_id in by_circle]
    for post in posts:
        membership = by_circle[post.circle_id]
        post.circle = membership.circle
        post.network_label = circle_label(
            membership.circle,
            show_name=membership.show_name,
            viewer_circle_ids=viewer_circle_ids,
        )
    return posts


# --- A shared post and its conversations ----------------------------------------------------


@dataclass(frozen=True)
class SharedPostSeen:
    post: Post
    label: CircleLabel
    # The viewer is a member of the post's own circle: they respond there, as usual.
    in_circle: bool


def shared_post_seen(*, post: Post, viewer: User) -> SharedPostSeen | None:
    """How the viewer sees a post shared with a network where both the post's circle and
    one of theirs are active members; None if no such network. Two queries."""
    if not viewer.is_authenticated:
        return None
    mine = user_circle_ids(user=viewer)
    through = (
        NetworkMembership.objects.active()
        .filter(circle_id=post.circle_id, network__shared_posts__post=post)
        .filter(
            network__memberships__circle_id__in=mine,
            network__memberships__left_at__isnull=True,
        )
        .values_list("show_name", flat=True)
    )
    show_names = list(through)
    if not show_names:
        return None
    label = circle_label(post.circle, show_name=any(show_names), viewer_circle_ids=mine)
    return SharedPostSeen(post=post, label=label, in_circle=post.circle_id in mine)


def shared_post_for_viewer(*, pk: int, viewer: User) -> SharedPostSeen:
    """A shared post, for members of the circles of a network it is shared with; a 404 to
    anyone else, and to anyone in a block with its author, as on a circle board."""
    post = (
        Post.objects.visible()
        .not_blocked_for(viewer)
        .filter(pk=pk)
        .select_related("circle", "author")
        .first()
    )
    seen = shared_post_seen(post=post, viewer=viewer) if post else None
    if seen is None:
        raise Http404
    return seen


def outside_conversation_for(*, post_pk: int, pk: int, user: User) -> Response:
    """A conversation begun from a network's board, for its two people only (a 404 to
    anyone else); still theirs after sharing stopped or a circle left the network."""
    response = (
        Response.objects.filter(pk=pk, post_id=post_pk, via_network=True)
        .exclude(post__status=PostStatus.REMOVED)
        .select_related("post__circle", "post__author", "responder")
        .first()
    )
    if response is None or user.pk not in (response.post.author_id, response.responder_id):
        raise Http404
    return response
