"""Writes for offers and needs: posts, responses, conversations, and the status table."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from circles import constants
from circles.board_cache import author_name_changed, board_changed
from circles.lifecycle import (
    AUTHOR,
    DECISION,
    SCHEDULER,
    responding_statuses,
    running_statuses,
    sources_of,
    still_running,
    takes_responses,
    takes_thanks,
    transition_allowed,
)
from circles.models import (
    Circle,
    Invite,
    Message,
    Post,
    PostKind,
    PostStatus,
    Response,
    Urgency,
)
from circles.selectors import membership_of, post_author_account
from peernet import limits
from peernet.errors import DomainError, full_clean_or_refuse
from peernet.limits import limit_hit
from peernet.members.choices import Delivery
from peernet.members.models import Profile, User
from peernet.members.selectors import (
    blocked_either_way,
    blocks_between,
    is_blocked_between,
    who_can_help,
)
from peernet.notify.models import Kind
from peernet.notify.services import notify


def _no_longer_possible(post: Post) -> DomainError:
    return DomainError(
        _("This post is %(status)s, so that is no longer possible.")
        % {"status": post.get_status_display()}
    )


def _transition(post: Post, new: str, by: str) -> None:
    if not transition_allowed(current=post.status, new=new, by=by):
        raise _no_longer_possible(post)
    post.status = new


def _save(post: Post, fields: list[str] | None = None) -> None:
    """Every write to a post goes through here, so its circle's cached board goes stale."""
    post.save(update_fields=fields)
    board_changed(circle_ids=[post.circle_id])


def _lock_post(post: Post) -> Post:
    return Post.objects.select_for_update(of=("self",)).select_related("circle").get(pk=post.pk)


def _require_author(post: Post, user: User) -> None:
    if post.author_id != user.pk:
        raise DomainError(_("Only the person who posted this can do that."))


def _expiry(lifetime: timedelta) -> datetime:
    if not timedelta(0) < lifetime <= constants.POST_MAX_LIFETIME:
        raise DomainError(_("A post lasts between one day and 90 days."))
    return timezone.now() + lifetime


@transaction.atomic
def post_create(
    *,
    circle: Circle,
    author: User,
    kind: str,
    title: str,
    category: str,
    details: str = "",
    urgency: str = "",
    area: str = "",
    anonymous: bool = False,
    lifetime: timedelta = constants.POST_DEFAULT_LIFETIME,
) -> Post:
    limit_hit(limits.POSTS, key=limits.member_key(author))
    if membership_of(circle=circle, user=author) is None:
        raise DomainError(_("Only members can post in this circle."))
    is_need = kind == PostKind.NEED
    post = Post(
        circle=circle,
        author=author,
        kind=kind,
        title=title.strip(),
        details=details.strip(),
        category=category,
        urgency=(urgency or Urgency.NORMAL) if is_need else "",
        area=area.strip(),
        anonymous=anonymous and is_need,
        expires_at=_expiry(lifetime),
    )
    full_clean_or_refuse(post)
    _save(post)
    _announce_new_post(post)
    return post


def _announce_new_post(post: Post) -> None:
    """A new need reaches members who can help with its category; a new offer reaches the
    authors of open needs in its category; then everyone else who asked to hear of new
    posts right away hears of it. Each person once; nothing ever says who posted, and no
    one in a block with the author hears of it."""
    if post.kind == PostKind.NEED:
        told = _notify_matching_helpers(post)
    else:
        told = _notify_needs_it_may_meet(post)
    others = (
        User.objects.filter(
            memberships__circle=post.circle,
            memberships__left_at__isnull=True,
            notification_settings__posts=Delivery.NOW,
        )
        .exclude(pk=post.author_id)
        .exclude(pk__in=told)
        .exclude(pk__in=blocked_either_way(post.author))
    )
    notify(
        recipients=others,
        kind=Kind.NEW_POST,
        message=gettext_noop("New need in %(circle)s: “%(title)s”.")
        if post.kind == PostKind.NEED
        else gettext_noop("New offer in %(circle)s: “%(title)s”."),
        params={"circle": post.circle.name, "title": post.title},
        url=post.get_absolute_url(),
        circle=post.circle,
        once_key=f"new-post:{post.pk}",
    )


def _notify_needs_it_may_meet(offer: Post) -> set[int]:
    """Authors of open needs in the offer's category hear of it, once each, about their
    newest such need. Returns who was told."""
    needs = (
        Post.objects.filter(
            circle=offer.circle,
            kind=PostKind.NEED,
            category=offer.category,
            status__in=responding_statuses(),
            author__isnull=False,
        )
        .exclude(author_id=offer.author_id)
        .exclude(author__in=blocked_either_way(offer.author))
        .order_by("author_id", "-created_at")
        .select_related("author")
    )
    newest = {}
    for need in needs:
        newest.setdefault(need.author_id, need)
    for need in newest.values():
        notify(
            recipients=[need.author],
            kind=Kind.POST_MATCHED,
            message=gettext_noop(
                "An offer in %(circle)s may help with your need “%(need)s”: “%(title)s”."
            ),
            params={"circle": offer.circle.name, "need": need.title, "title": offer.title},
            url=offer.get_absolute_url(),
            circle=offer.circle,
            once_key=f"offer-matched:{offer.pk}",
        )
    return set(newest)


def _notify_matching_helpers(post: Post) -> set[int]:
    """Members who said they can help with this category hear of a new need in it.
    Returns who was told."""
    profiles = (
        Profile.objects.filter(
            user__memberships__circle=post.circle,
            user__memberships__left_at__isnull=True,
        )
        .exclude(user_id=post.author_id)
        .exclude(user__in=blocked_either_way(post.author))
    )
    helpers = who_can_help(profiles, post.category)
    notify(
        recipients=User.objects.filter(pk__in=helpers),
        kind=Kind.POST_MATCHED,
        message=gettext_noop("A need in %(circle)s matches what you can help with: “%(title)s”."),
        params={"circle": post.circle.name, "title": post.title},
        url=post.get_absolute_url(),
        circle=post.circle,
        once_key=f"matched:{post.pk}",
    )
    return set(helpers)


@transaction.atomic
def response_create(
    *, post: Post, responder: User, text: str, via_network: bool = False
) -> Response:
    """ "I can help" / "I'd like this": opens a private conversation with the author.
    via_network: the caller (a network's board) has checked the responder may see the post."""
    limit_hit(limits.RESPONSES, key=limits.member_key(responder))
    post = _lock_post(post)
    if not via_network and membership_of(circle=post.circle, user=responder) is None:
        raise DomainError(_("Only members can respond."))
    if post.author_id == responder.pk:
        raise DomainError(_("This is your own post."))
    if not takes_responses(status=post.status) or is_blocked_between(post.author_id, responder):
        raise DomainError(_("This post is no longer open for responses."))
    if Response.objects.filter(post=post, responder=responder).exists():
        raise DomainError(_("You have already responded; continue in your conversation."))
    response = Response.objects.create(post=post, responder=responder, via_network=via_network)
    Message.objects.create(response=response, sender=responder, text=text.strip())
    if post.author:
        notify(
            recipients=[post.author],
            kind=Kind.NEW_RESPONSE,
            message=gettext_noop("%(name)s responded to your post “%(title)s”."),
            params={"title": post.title},
            actor=responder,
            url=response.get_absolute_url(),
            circle=post.circle,
        )
    return response


def conversation_is_open(*, response: Response) -> bool:
    return still_running(status=response.post.status) and response.responder_id is not None


@transaction.atomic
def message_send(*, response: Response, sender: User, text: str) -> Message:
    limit_hit(limits.MESSAGES, key=limits.member_key(sender))
    post = _lock_post(response.post)
    response.post = post
    if sender.pk not in (post.author_id, response.responder_id):
        raise DomainError(_("Only the two people in this conversation can write in it."))
    if is_blocked_between(post.author_id, response.responder_id):
        # The same words for both: the blocked member is never told they were blocked.
        raise DomainError(_("This conversation is closed."))
    if not conversation_is_open(response=response):
        raise DomainError(
            _("This conversation is closed because the post is %(status)s.")
            % {"status": post.get_status_display()}
        )
    message = Message.objects.create(response=response, sender=sender, text=text.strip())
    to_author = sender.pk == response.responder_id
    recipient = post.author if to_author else response.responder
    if recipient:
        # The responder never learns an anonymous author's name, here or by email.
        named = sender if to_author else post_author_account(post)
        notify(
            recipients=[recipient],
            kind=Kind.NEW_MESSAGE,
            message=gettext_noop("New message from a member about “%(title)s”.")
            if named is None
            else gettext_noop("New message from %(name)s about “%(title)s”."),
            params={"title": post.title},
            actor=named,
            url=response.get_absolute_url(),
            # Someone who came from a network need not be a member, and a private circle's
            # name is not theirs to see.
            circle=None if response.via_network else post.circle,
        )
    return message


@transaction.atomic
def response_accept(*, post: Post, author: User, response: Response) -> Post:
    """The author accepts a responder: the post is in progress with them. Once."""
    post = _lock_post(post)
    _require_author(post, author)
    if response.post_id != post.pk:
        raise DomainError(_("That response is not about this post."))
    _transition(post, PostStatus.IN_PROGRESS, AUTHOR)
    post.accepted_response = response
    _save(post, ["status", "accepted_response"])
    return post


@transaction.atomic
def post_fulfil(*, post: Post, author: User, thank_you: str = "") -> Post:
    post = _lock_post(post)
    _require_author(post, author)
    _transition(post, PostStatus.FULFILLED, AUTHOR)
    post.thank_you = thank_you.strip()
    post.fulfilled_at = timezone.now()
    _save(post, ["status", "thank_you", "fulfilled_at"])
    return post


@transaction.atomic
def post_thank(*, post: Post, author: User, thank_you: str) -> Post:
    post = _lock_post(post)
    _require_author(post, author)
    if not takes_thanks(status=post.status):
        raise DomainError(_("A thank-you note goes on a fulfilled post."))
    post.thank_you = thank_you.strip()
    _save(post, ["thank_you"])
    return post


@transaction.atomic
def post_withdraw(*, post: Post, author: User) -> Post:
    post = _lock_post(post)
    _require_author(post, author)
    _transition(post, PostStatus.WITHDRAWN, AUTHOR)
    _save(post, ["status"])
    return post


@transaction.atomic
def post_extend(*, post: Post, author: User, lifetime: timedelta) -> Post:
    """Give a post more time (at most 90 days from now); an expired post opens again."""
    post = _lock_post(post)
    _require_author(post, author)
    if transition_allowed(current=post.status, new=PostStatus.OPEN, by=AUTHOR):
        _transition(post, PostStatus.OPEN, AUTHOR)
    elif not still_running(status=post.status):
        raise _no_longer_possible(post)
    base = max(post.expires_at, timezone.now())
    post.expires_at = min(base + lifetime, timezone.now() + constants.POST_MAX_LIFETIME)
    post.expiry_reminded_at = None
    _save(post, ["status", "expires_at", "expiry_reminded_at"])
    return post


@transaction.atomic
def post_remove_by_decision(*, post_id: int) -> tuple[bool, str]:
    """A passed "remove post" proposal, as the status table allows. Returns (applied, why
    not): a decision's effect that cannot apply is recorded, not raised."""
    post = Post.objects.select_for_update().filter(pk=post_id).first()
    if post is None or post.status == PostStatus.REMOVED:
        return False, _("The post was already gone.")
    try:
        _transition(post, PostStatus.REMOVED, DECISION)
    except DomainError as refused:
        return False, refused.message
    _save(post, ["status"])
    return True, ""


def posts_expire_due(*, now=None) -> int:
    """Expire posts whose time is up, from the statuses the table lets the scheduler expire:
    one SELECT (which circles' boards change) and one UPDATE however many are due.
    Idempotent."""
    now = now or timezone.now()
    due = Post.objects.filter(
        status__in=sources_of(PostStatus.EXPIRED, by=SCHEDULER), expires_at__lte=now
    )
    # With `now` fixed, what is due can only shrink between the two (a post extended or
    # fulfilled meanwhile): every circle whose board changes is among these.
    circle_ids = set(due.values_list("circle_id", flat=True).distinct())
    expired = due.update(status=PostStatus.EXPIRED)
    board_changed(circle_ids=circle_ids)
    return expired


def _notify_once_each(rows, field: str, now, notice) -> int:
    """For each row not yet marked in `field`, mark it now and send notice(row)'s
    notification, in one transaction; a row another run marked first is skipped."""
    count = 0
    for row in rows:
        with transaction.atomic():
            unmarked = type(row).objects.filter(pk=row.pk, **{f"{field}__isnull": True})
            if unmarked.update(**{field: now}):
                notify(**notice(row))
                count += 1
    return count


def expiry_reminders_send(*, now=None) -> int:
    """Tell authors, once, two days before their post expires."""
    now = now or timezone.now()
    soon = Post.objects.filter(
        status__in=running_statuses(),
        expires_at__gt=now,
        expires_at__lte=now + constants.EXPIRY_REMINDER_BEFORE,
        expiry_reminded_at__isnull=True,
        author__isnull=False,
    ).select_related("circle", "author")
    return _notify_once_each(
        soon,
        "expiry_reminded_at",
        now,
        lambda post: {
            "recipients": [post.author],
            "kind": Kind.POST_EXPIRING,
            "message": gettext_noop(
                "Your post “%(title)s” expires in two days. Extend it if "
                "you still need or offer this."
            ),
            "params": {"title": post.title},
            "url": post.get_absolute_url(),
            "circle": post.circle,
            "once_key": f"expiring:{post.pk}:{post.expires_at.isoformat()}",
        },
    )


def response_nudges_send(*, now=None) -> int:
    """Nudge authors, once, about a response that has waited 3 days for their reply."""
    now = now or timezone.now()
    author_replied = Message.objects.filter(
        response=OuterRef("pk"), sender_id=OuterRef("post__author_id")
    )
    waiting = (
        Response.objects.filter(
            post__status__in=responding_statuses(),
            post__author__isnull=False,
            created_at__lte=now - constants.RESPONSE_NUDGE_AFTER,
            nudged_at__isnull=True,
        )
        .exclude(Exists(author_replied))
        .exclude(Exists(blocks_between(OuterRef("post__author_id"), OuterRef("responder_id"))))
        .select_related("post__circle", "post__author")
    )
    return _notify_once_each(
        waiting,
        "nudged_at",
        now,
        lambda response: {
            "recipients": [response.post.author],
            "kind": Kind.RESPONSE_NUDGE,
            "message": gettext_noop(
                "Someone responded to “%(title)s” three days ago and is waiting to hear from you."
            ),
            "params": {"title": response.post.title},
            "url": response.get_absolute_url(),
            "circle": response.post.circle,
            "once_key": f"nudge:{response.pk}",
        },
    )


def member_posts_release(*, author: User) -> int:
    """An account is being deleted: its open posts are withdrawn, and invites sent to its
    address forget the address. What the member wrote stays, as "former member"."""
    withdrawn = 0
    for post in Post.objects.filter(
        author=author, status__in=sources_of(PostStatus.WITHDRAWN, by=AUTHOR)
    ):
        post_withdraw(post=post, author=author)
        withdrawn += 1
    Invite.objects.filter(email__iexact=author.email).update(email="")
    # Once the account is gone, their cards name a "former member".
    author_name_changed(author)
    return withdrawn
