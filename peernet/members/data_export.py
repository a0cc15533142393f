"""Everything Peernet holds about one member, as one JSON-ready dict.

Only what the member wrote, chose or was sent: never another member's messages, email
address or private details, even where the member took part (a conversation's other side).
"""

from django.db.models import Count
from django.utils import timezone

from circles.models import Flag, JoinRequest, Membership, Message, Post, Response
from circles.selectors import post_export_fields
from governance.models import Ballot, Comment, Proposal
from peernet.exports import iso
from peernet.members.models import User
from peernet.members.selectors import notification_settings_for, profile_for_user
from peernet.notify.models import Notification

EXPORT_FORMAT_VERSION = 1
PROFILE_FIELDS = ["pronouns", "bio", "languages", "area", "help_categories", "lived_experience"]
SETTINGS_FIELDS = [
    "posts",
    "responses",
    "proposals",
    "vote_reminders",
    "membership",
    "digest_frequency",
    "digest_weekday",
    "digest_hour",
]


def _account(user: User) -> dict:
    from allauth.account.models import EmailAddress

    return {
        "email": user.email,
        "display_name": user.display_name,
        "language": user.language,
        "time_zone": user.time_zone,
        "joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
        "has_password": user.has_usable_password(),
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("email")
        ],
    }


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


def _responses(user: User) -> list[dict]:
    rows = Response.objects.filter(responder=user).select_related("post__circle")
    return [
        {"circle": r.post.circle.name, "post": r.post.title, "created": iso(r.created_at)}
        for r in rows.order_by("created_at")
    ]


def _messages(user: User) -> list[dict]:
    rows = Message.objects.filter(sender=user).select_related("response__post__circle")
    return [
        {
            "circle": m.response.post.circle.name,
            "post": m.response.post.title,
            "conversation": m.response_id,
            "text": m.text,
            "sent": iso(m.created_at),
        }
        for m in rows.order_by("created_at", "pk")
    ]


def _governance(user: User) -> dict:
    ballots = Ballot.objects.filter(voter=user).select_related("proposal__circle")
    proposals = Proposal.objects.filter(proposer=user).select_related("circle")
    comments = Comment.objects.filter(author=user).select_related("proposal__circle")
    return {
        "ballots": [
            {
                "circle": b.proposal.circle.name,
                "proposal": b.proposal.title,
                "choice": b.choice,
                "reason": b.reason,
                "cast": iso(b.cast_at),
            }
            for b in ballots.order_by("cast_at")
        ],
        "proposals": [
            {
                "circle": p.circle.name,
                "title": p.title,
                "kind": p.kind,
                "reason": p.reason,
                "status": p.status,
                "created": iso(p.created_at),
            }
            for p in proposals.order_by("created_at")
        ],
        "comments": [
            {
                "circle": c.proposal.circle.name,
                "proposal": c.proposal.title,
                "text": c.text,
                "written": iso(c.created_at),
            }
            for c in comments.order_by("created_at")
        ],
    }


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


def member_data_export(*, user: User) -> dict:
    """The member's whole record, for the "download my data" button."""
    profile = profile_for_user(user=user)
    prefs = notification_settings_for(user=user)
    flags = Flag.objects.filter(flagger=user).select_related("post__circle")
    return {
        "format": "peernet-member-export",
        "version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": _account(user),
        "profile": {f: getattr(profile, f) for f in PROFILE_FIELDS},
        "notification_preferences": {f: getattr(prefs, f) for f in SETTINGS_FIELDS},
        "memberships": _memberships(user),
        "join_requests": _join_requests(user),
        "posts": _posts(user),
        "responses": _responses(user),
        "messages_written": _messages(user),
        "flags": [
            {"circle": f.post.circle.name, "post": f.post.title, "reason": f.reason}
            for f in flags.order_by("created_at")
        ],
        **_governance(user),
        "notifications": [
            {"text": n.text, "url": n.url, "created": iso(n.created_at), "read": iso(n.read_at)}
            for n in Notification.objects.filter(recipient=user).order_by("created_at")
        ],
    }
