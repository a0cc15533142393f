"""Reads for circles, and the permission checks every circle view uses."""

from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, FilteredRelation, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from circles import constants
from circles.models import (
    Circle,
    FormerAddress,
    Invite,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Message,
    Post,
    PostKind,
    Response,
    Visibility,
)
from peernet.cache_versions import cached, versions_replace
from peernet.exports import iso
from peernet.members.models import Block, User
from peernet.members.selectors import blocks_between


def membership_of(*, circle: Circle, user: User) -> Membership | None:
    """The person's active membership, or None. Site staff get nothing special."""
    if not user.is_authenticated:
        return None
    return Membership.objects.active().filter(circle=circle, user=user).first()


def active_member_ids(circle_id: int, user_ids) -> set[int]:
    """Which of these people are members of the circle now."""
    return set(
        Membership.objects.active()
        .filter(circle_id=circle_id, user_id__in=list(user_ids))
        .values_list("user_id", flat=True)
    )


def circles_of_members(user_ids) -> dict[int, set[int]]:
    """{user_id: {circle_id, ...}}: the circles each of these people is a member of now."""
    circles_of = defaultdict(set)
    rows = Membership.objects.active().filter(user_id__in=list(user_ids))
    for user_id, circle_id in rows.values_list("user_id", "circle_id"):
        circles_of[user_id].add(circle_id)
    return dict(circles_of)


def circle_names(circle_ids) -> dict[int, str]:
    return dict(Circle.objects.filter(pk__in=list(circle_ids)).values_list("pk", "name"))


def active_member_count(*, circle: Circle) -> int:
    return Membership.objects.active().filter(circle=circle).count()


# What circle_for_viewer keeps per address and person, valid while the address's version is.
VIEWER_ENTRY_KEY = "circle-for-viewer:v1:{slug}:{user}"
CIRCLE_VERSION_KEY = "circle-version:{slug}"


def circle_changed(*, slugs) -> None:
    """A circle, or someone's membership of it, changed: what circle_for_viewer kept for
    these addresses is stale (now, and again at commit). Every write to a circle or a
    membership calls it, since the membership it keeps is who may see a private circle."""
    versions_replace(CIRCLE_VERSION_KEY.format(slug=slug) for slug in slugs)


def circle_for_viewer(*, slug: str, user: User) -> tuple[Circle, Membership | None]:
    """The circle if this person may know it exists: private circles are 404 to outsiders.

    Every circle page asks, so the answer is kept in the cache per address and person
    until circle_changed; else one query (the viewer's active membership outer-joined)."""
    found = cached(
        VIEWER_ENTRY_KEY.format(slug=slug, user=user.pk or "-"),
        [CIRCLE_VERSION_KEY.format(slug=slug)],
        lambda: _circle_with_membership(slug=slug, user=user),
        constants.CIRCLE_CACHE_SECONDS,
    )
    if found is None:
        raise Http404
    circle, membership = found
    if circle.visibility == Visibility.PRIVATE and membership is None:
        raise Http404
    return circle, membership


def _circle_with_membership(*, slug: str, user: User) -> tuple[Circle, Membership | None] | None:
    circles = Circle.objects.filter(slug=slug)
    if user.is_authenticated:
        circles = circles.annotate(
            viewer_membership=FilteredRelation(
                "memberships",
                condition=Q(memberships__user=user, memberships__left_at__isnull=True),
            )
        ).select_related("viewer_membership")
    circle = circles.first()
    if circle is None:
        return None
    return circle, getattr(circle, "viewer_membership", None)


def circle_moved_for_viewer(*, slug: str, user: User) -> Circle | None:
    """The circle that used to have this address, if this person may know where it went."""
    former = FormerAddress.objects.filter(slug=slug).select_related("circle").first()
    if former is None:
        return None
    circle = former.circle
    if circle.visibility == Visibility.PUBLIC or membership_of(circle=circle, user=user):
        return circle
    return None


def directory_circles(*, text: str = "", topic: str = "", area: str = "") -> QuerySet[Circle]:
    circles = Circle.objects.public().with_member_count()
    if text:
        circles = circles.filter(
            Q(name__icontains=text) | Q(purpose__icontains=text) | Q(topics__icontains=text)
        )
    if topic:
        circles = circles.filter(topics__icontains=topic)
    if area:
        circles = circles.filter(area__icontains=area)
    return circles.order_by("name", "pk")


def circles_of_user(*, user: User) -> QuerySet[Circle]:
    """The person's circles. The membership filter is a subquery, so .with_member_count()
    on it counts every current member (filtering on the join would leave only the person)."""
    mine = Membership.objects.active().filter(user=user).values("circle_id")
    return Circle.objects.filter(pk__in=mine).order_by("name")


def members_of(*, circle: Circle, viewer: User | None = None) -> QuerySet[Membership]:
    """The circle's members; with a viewer, each marked `blocked_by_viewer` in the same
    query (only the viewer's own blocks: nobody learns who blocked them)."""
    members = (
        Membership.objects.active()
        .filter(circle=circle)
        .select_related("user", "user__profile")
        .order_by("user__display_name", "pk")
    )
    if viewer is not None and viewer.is_authenticated:
        members = members.annotate(
            blocked_by_viewer=Exists(
                Block.objects.filter(blocker=viewer, blocked_id=OuterRef("user_id"))
            )
        )
    return members


def fellow_member(*, circle: Circle, pk: int) -> User:
    """A current member of this circle, by account id; a 404 for anyone else."""
    membership = (
        Membership.objects.active().filter(circle=circle, user_id=pk).select_related("user").first()
    )
    if membership is None:
        raise Http404
    return membership.user


def pending_requests(*, circle: Circle) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(circle=circle, status=JoinRequestStatus.PENDING)
        .select_related("user")
        .prefetch_related("reviews")
        .order_by("created_at")
    )


def pending_request_of(*, circle: Circle, user: User) -> JoinRequest | None:
    if not user.is_authenticated:
        return None
    return JoinRequest.objects.filter(
        circle=circle, user=user, status=JoinRequestStatus.PENDING
    ).first()


def join_request_for_member(*, circle: Circle, pk: int) -> JoinRequest:
    request = JoinRequest.objects.filter(circle=circle, pk=pk).select_related("user").first()
    if request is None:
        raise Http404
    return request


def invites_of(*, circle: Circle) -> QuerySet[Invite]:
    return Invite.objects.filter(circle=circle).select_related("created_by")


def invite_by_token(*, token: str) -> Invite:
    """The invite, with its circle (members counted) and who made it; a 404 otherwise."""
    invite = (
        Invite.objects.filter(token=token)
        .select_related("created_by")
        .prefetch_related(Prefetch("circle", queryset=Circle.objects.with_member_count()))
        .first()
    )
    if invite is None:
        raise Http404
    return invite


# --- Offers and needs --------------------------------------------------------------------


def post_author_account(post: Post) -> User | None:
    """The author, where others may know who wrote it: None for an anonymous need (and
    for a deleted account). Notifications and emails name this account and no other."""
    return None if post.anonymous else post.author


def post_author_name(post: Post, viewer: User | None = None) -> str:
    """How a post's author is named: on its pages (to viewer), in the circle's record (no
    viewer). The one rule: an anonymous need says "a member" to everyone but its author."""
    if post.anonymous:
        mine = viewer is not None and viewer.is_authenticated and viewer.pk == post.author_id
        return anonymous_author_name(mine)
    return post.author.display_name if post.author else _("former member")


def anonymous_author_name(mine: bool) -> str:
    return _("you (others see “a member”)") if mine else _("a member")


def post_export_fields(post: Post) -> dict:
    """A post as plain data, for a member's export and a circle's record. No author: a
    member's own export needs none, and the record names it with post_author_name."""
    return {
        "kind": post.kind,
        "title": post.title,
        "details": post.details,
        "category": post.category,
        "urgency": post.urgency,
        "area": post.area,
        "status": post.status,
        "created": iso(post.created_at),
        "expires": iso(post.expires_at),
        "thank_you": post.thank_you,
    }


def board(
    *,
    circles: QuerySet[Circle] | list[Circle],
    hidden: frozenset[int],
    kind: str = "",
    category: str = "",
    status: str = "",
    text: str = "",
) -> QuerySet[Post]:
    """Posts of these circles, newest first, filtered; never posts removed by decision,
    nor posts by the people hidden from the viewer by a block either way, anonymous ones
    too (hidden: blocked_ids_either_way, no filter at all when there are none). The posts
    come with their authors; `with_circles` gives them their circles."""
    posts = Post.objects.visible().filter(circle__in=circles)
    if hidden:
        posts = posts.exclude(author_id__in=hidden)
    if kind:
        posts = posts.filter(kind=kind)
    if category:
        posts = posts.filter(category=category)
    if status:
        posts = posts.filter(status=status)
    if text:
        posts = posts.filter(Q(title__icontains=text) | Q(details__icontains=text))
    return posts.select_related("author").order_by("-created_at", "-pk")


def board_page_number(value: str | None) -> int:
    """The page asked for, as a number: anything that is not one is the first page."""
    if (
        value
        and value.isascii()
        and value.isdigit()
        and len(value) <= constants.BOARD_PAGE_PARAM_MAX_LENGTH
    ):
        return max(int(value), 1)
    return 1


def board_page(*, circles, hidden: frozenset[int], filters: dict, page_number: int) -> Page:
    """One page of a board's posts (the last page if page_number is past it), with their
    circles, without the posts of anyone in a block with the viewer (hidden)."""
    circles = list(circles)
    posts = board(
        circles=circles,
        hidden=hidden,
        kind=filters.get("kind", ""),
        category=filters.get("category", ""),
        status=filters.get("status", ""),
        text=filters.get("q", ""),
    )
    page = Paginator(posts, constants.BOARD_PAGE_SIZE).get_page(page_number)
    page.object_list = with_circles(page.object_list, circles)
    return page


def with_circles(posts, circles) -> list[Post]:
    """The posts, each given its circle from these (already loaded): no join, no query."""
    by_id = {circle.pk: circle for circle in circles}
    posts = list(posts)
    for post in posts:
        post.circle = by_id[post.circle_id]
    return posts


def post_in_circle(*, circle: Circle, pk: int, viewer: User | None = None) -> Post:
    """The post, or a 404; with a viewer, a 404 too when its author is in a block with
    them, as if it did not exist (no extra query)."""
    post = (
        Post.objects.visible()
        .not_blocked_for(viewer)
        .filter(circle=circle, pk=pk)
        .select_related("circle", "author", "accepted_response__responder")
        .first()
    )
    if post is None:
        raise Http404
    return post


def matches_for(*, post: Post, viewer: User | None = None) -> QuerySet[Post]:
    """Open posts of the other kind in the same category and circle."""
    other = PostKind.OFFER if post.kind == PostKind.NEED else PostKind.NEED
    return (
        Post.objects.open()
        .not_blocked_for(viewer)
        .filter(circle_id=post.circle_id, kind=other, category=post.category)
        .exclude(pk=post.pk)
        .select_related("circle", "author")
        .order_by("-created_at")[: constants.MATCHES_SHOWN]
    )


def responses_for_author(*, post: Post) -> QuerySet[Response]:
    return post.responses.select_related("responder").annotate(message_count=Count("messages"))


def response_of(*, post: Post, user: User) -> Response | None:
    if not user.is_authenticated:
        return None
    return post.responses.filter(responder=user).first()


def conversation_for(*, post: Post, pk: int, user: User) -> Response:
    """A conversation, for its two participants only; a 404 to anyone else."""
    response = post.responses.filter(pk=pk).select_related("responder").first()
    if response is None or user.pk not in (post.author_id, response.responder_id):
        raise Http404
    response.post = post
    return response


@dataclass(frozen=True)
class ConversationBlock:
    """What a block means for one side of a conversation."""

    # A block either way: the conversation stays readable and nobody can write in it.
    closed: bool
    # The viewer made the block, and may be told so (never the responder about an
    # anonymous author: that would say who wrote the need).
    mine: bool
    # Whom the viewer may block from this page, or None.
    blockable: User | None


def conversation_block_for(*, response: Response, viewer: User) -> ConversationBlock:
    """Blocks between the two sides of a conversation, as its page shows them to viewer.
    The responder is never offered to block an anonymous author, nor told about it."""
    post = response.post
    is_author = viewer.pk == post.author_id
    other_id = response.responder_id if is_author else post.author_id
    if other_id is None:
        return ConversationBlock(closed=False, mine=False, blockable=None)
    blockers = set(blocks_between(viewer.pk, other_id).values_list("blocker_id", flat=True))
    may_name = is_author or not post.anonymous
    mine = may_name and viewer.pk in blockers
    blockable = None
    if may_name and not mine and active_member_ids(post.circle_id, [other_id]):
        blockable = response.responder if is_author else post.author
    return ConversationBlock(closed=bool(blockers), mine=mine, blockable=blockable)


def messages_of(*, response: Response) -> QuerySet[Message]:
    return response.messages.select_related("sender").order_by("created_at", "pk")


def posts_removable_by_decision(*, circle: Circle) -> QuerySet[Post]:
    """The posts a "remove post" proposal may name, newest first."""
    return Post.objects.visible().filter(circle=circle).order_by("-created_at", "-pk")
