"""What circles hold about a member: their part of the member's export, and what deleting
the account does to them. Registered in CirclesConfig.ready()."""

from django.db.models import Count
from django.utils.translation import gettext as _

from circles.models import JoinRequest, Membership, Message, Post, Response
from circles.selectors import post_export_fields
from circles.services import member_memberships_release, member_posts_release
from peernet.exports import iso
from peernet.members.models import User
from peernet.members.registry import MemberData


def _memberships(user: User) -> list[dict]:
    rows = Membership.objects.filter(user=user).select_related("circle").order_by("joined_at")
    return [
        {
            "circle": m.circle.name,
            "circle_slug": m.circle.slug,
            "joined": iso(m.joined_at),
            "left": iso(m.left_at),
            "ended_because": m.ended_because,
            "shared_with_circle": {f: getattr(m, f) for f in Membership.SHARE_FIELDS},
        }
        for m in rows
    ]


def _posts(user: User) -> list[dict]:
    rows = Post.objects.filter(author=user).select_related("circle").order_by("created_at")
    return [
        {
            "circle": p.circle.name,
            **post_export_fields(p),
            "anonymous": p.anonymous,
            "fulfilled": iso(p.fulfilled_at),
            "responses_received": p.response_count,
        }
        for p in rows.annotate(response_count=Count("responses"))
    ]


def _circle_of(response: Response, user: User) -> str:
    """The post's circle as the person exporting may know it: someone who responded from a
    network's board is not told a private circle's name here either."""
    if response.via_network and response.responder_id == user.pk:
        return _("a circle in one of your networks")
    return response.post.circle.name


def _responses(user: User) -> list[dict]:
    rows = Response.objects.filter(responder=user).select_related("post__circle")
    return [
        {"circle": _circle_of(r, user), "post": r.post.title, "created": iso(r.created_at)}
        for r in rows.order_by("created_at")
    ]


def _messages(user: User) -> list[dict]:
    rows = Message.objects.filter(sender=user).select_related("response__post__circle")
    return [
        {
            "circle": _circle_of(m.response, user),
            "post": m.response.post.title,
            "conversation": m.response_id,
            "text": m.text,
            "sent": iso(m.created_at),
        }
        for m in rows.order_by("created_at", "pk")
    ]


def _join_requests(user: User) -> list[dict]:
    rows = JoinRequest.objects.filter(user=user).select_related("circle")
    return [
        {
            "circle": r.circle.name,
            "message": r.message,
            "status": r.status,
            "asked": iso(r.created_at),
        }
        for r in rows.order_by("created_at")
    ]


def member_export(user: User) -> dict:
    return {
        "memberships": _memberships(user),
        "join_requests": _join_requests(user),
        "posts": _posts(user),
        "responses": _responses(user),
        "messages_written": _messages(user),
    }


def _release(user) -> None:
    member_posts_release(author=user)
    member_memberships_release(user=user)


CONTRIBUTION = MemberData(
    order=20,
    export=member_export,
    release=_release,
)
