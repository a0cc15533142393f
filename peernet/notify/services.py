"""Notifications: one service every event calls, reminders and digests that beat runs.

Every notification is recorded in the app. Email follows the member's preference for the
notification's topic: right away, in the digest, or not at all.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Max, TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from circles.models import Circle, Membership
from peernet.members.choices import Delivery, DigestFrequency
from peernet.members.models import NotificationSettings, User
from peernet.members.selectors import notification_settings_for
from peernet.notify import constants
from peernet.notify.digest import SECTIONS
from peernet.notify.emails import claimable, queue_delivery
from peernet.notify.models import (
    OUTSIDE_CIRCLE_KINDS,
    TOPIC_OF_KIND,
    EmailDelivery,
    Kind,
    Notification,
)
from peernet.notify.registry import in_circle

DEFAULTS = NotificationSettings()
FORMER_MEMBER = gettext_lazy("a former member")


def _render(text, params: dict, language: str) -> str:
    with translation.override(language):
        return str(text) % params


def notify(
    *,
    recipients: Iterable[User],
    kind: Kind,
    text,
    params: dict | None = None,
    url: str = "",
    circle: Circle | None = None,
    once_key: str | None = None,
) -> list[Notification]:
    """Record a notification for each recipient, in their language, and email those who
    asked for this topic right away. `text` is a lazy translatable string with %(name)s
    placeholders. With once_key, each recipient is notified once whatever the retries."""
    people = [u for u in recipients if u.is_active]
    if circle is not None and kind not in OUTSIDE_CIRCLE_KINDS and people:
        # Leaving a circle ends its notifications.
        members = in_circle(circle.pk, [u.pk for u in people])
        people = [u for u in people if u.pk in members]
    if not people:
        return []
    try:
        with transaction.atomic():
            return _notify(people, kind, text, params or {}, url, circle, once_key)
    except IntegrityError:
        # A concurrent run recorded some of the same once-only notices; record the rest.
        with transaction.atomic():
            return _notify(people, kind, text, params or {}, url, circle, once_key)


def _notify(people, kind, text, params, url, circle, once_key) -> list[Notification]:
    keys = {u.pk: f"{once_key}:{u.pk}" for u in people} if once_key else {}
    if keys:
        done = set(Notification.objects.filter(key__in=keys.values()).values_list("key", flat=True))
        people = [u for u in people if keys[u.pk] not in done]
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=u,
            kind=kind,
            circle=circle,
            text=_render(text, params, u.language)[:300],
            url=url,
            key=keys.get(u.pk),
        )
        for u in people
    )
    topic = TOPIC_OF_KIND[kind]
    prefs = {s.user_id: s for s in NotificationSettings.objects.filter(user__in=people)}
    deliveries = EmailDelivery.objects.bulk_create(
        EmailDelivery(
            key=f"notification:{n.pk}",
            to=n.recipient.email,
            recipient=n.recipient,
            template="notification",
            context={"text": n.text, "url": url, "kind": kind},
            language=n.recipient.language,
            topic=topic,
        )
        for n in notifications
        if prefs.get(n.recipient_id, DEFAULTS).delivery_for(topic) == Delivery.NOW
    )
    for delivery in deliveries:
        queue_delivery(delivery.pk)
    return notifications


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.unread().filter(recipient=user)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def emails_send_pending(*, now=None) -> int:
    """Queue every email recorded but not sent a while after it was made."""
    now = now or timezone.now()
    pending = EmailDelivery.objects.filter(
        claimable(now=now), created_at__lte=now - constants.PENDING_EMAIL_GRACE
    )
    ids = list(pending.order_by("pk").values_list("pk", flat=True)[: constants.PENDING_EMAIL_BATCH])
    for pk in ids:
        queue_delivery(pk)
    return len(ids)


# --- Vote reminders -------------------------------------------------------------------


def vote_reminders_send(*, now=None) -> int:
    """Once per proposal, 24 hours before it closes, remind voters who have not voted."""
    from django.db.models import Exists, OuterRef
    from django.utils.translation import gettext_lazy as _

    from governance.models import Ballot, Proposal
    from governance.selectors import active_voters

    now = now or timezone.now()
    soon = Proposal.objects.open().filter(
        closes_at__gt=now, closes_at__lte=now + constants.VOTE_REMINDER_BEFORE
    )
    sent = 0
    for proposal in soon.select_related("circle"):
        voted = Ballot.objects.filter(proposal=proposal, voter_id=OuterRef("user_id"))
        waiting = User.objects.filter(
            pk__in=active_voters(proposal=proposal).exclude(Exists(voted)).values("user_id")
        )
        sent += len(
            notify(
                recipients=waiting,
                kind=Kind.VOTE_REMINDER,
                text=_("Voting on “%(title)s” in %(circle)s closes within a day."),
                params={"title": proposal.title, "circle": proposal.circle.name},
                url=f"/c/{proposal.circle.slug}/proposals/{proposal.pk}/",
                circle=proposal.circle,
                once_key=f"vote-reminder:{proposal.pk}",
            )
        )
    return sent


# --- Digests ----------------------------------------------------------------------------


def _period(settings_row: NotificationSettings, now: datetime) -> str | None:
    """The digest period due now for this member, in their time zone, or None."""
    try:
        local = now.astimezone(ZoneInfo(settings_row.user.time_zone))
    except (KeyError, ValueError):
        local = now.astimezone(ZoneInfo("UTC"))
    # Only during the chosen hour: a day with no news at that hour sends nothing that day,
    # rather than a digest at whatever later hour the first news arrives.
    if local.hour != settings_row.digest_hour:
        return None
    if settings_row.digest_frequency == DigestFrequency.DAILY:
        return f"daily:{local.date().isoformat()}"
    if local.weekday() != settings_row.digest_weekday:
        return None
    year, week, _day = local.isocalendar()
    return f"weekly:{year}-W{week:02d}"


def digest_preview_send(*, user: User, now=None) -> bool:
    """Send this member's digest now, as of their last one (or a week), to preview it."""
    now = now or timezone.now()
    row = notification_settings_for(user=user)
    key = f"digest-preview:{user.pk}:{now.isoformat()}"
    return bool(_record_digests({user.pk: (row, key)}, now, lookback=DigestFrequency.WEEKLY))


def digests_send(*, now=None, only: Iterable[User] | None = None) -> int:
    """Record the digest of every member whose hour has come, when there is news for them.

    Batched: a fixed number of queries for all members, not a query per member.
    """
    now = now or timezone.now()
    rows = NotificationSettings.objects.exclude(digest_frequency=DigestFrequency.NEVER).filter(
        user__is_active=True
    )
    if only is not None:
        rows = rows.filter(user__in=list(only))
    due = {}
    for row in rows.select_related("user"):
        if period := _period(row, now):
            due[row.user_id] = (row, f"digest:{row.user_id}:{period}")
    if not due:
        return 0
    done = set(
        EmailDelivery.objects.filter(key__in=[key for _, key in due.values()]).values_list(
            "key", flat=True
        )
    )
    due = {uid: v for uid, v in due.items() if v[1] not in done}
    if not due:
        return 0
    return _record_digests(due, now)


def _record_digests(due: dict, now, lookback: str | None = None) -> int:
    """Record a digest for each {user_id: (settings, key)} that has news; queue them."""
    last_sent = dict(
        # Scheduled digests only: a preview does not move "since your last digest".
        EmailDelivery.objects.filter(recipient_id__in=list(due), key__startswith="digest:")
        .values("recipient_id")
        .annotate(last=Max("created_at"))
        .values_list("recipient_id", "last")
    )
    circles_of = defaultdict(set)
    for user_id, circle_id in (
        Membership.objects.active()
        .filter(user_id__in=list(due))
        .values_list("user_id", "circle_id")
    ):
        circles_of[user_id].add(circle_id)
    since_of = {
        uid: last_sent.get(uid) or now - constants.DIGEST_LOOKBACK[lookback or row.digest_frequency]
        for uid, (row, _key) in due.items()
    }
    all_circles = set().union(*circles_of.values()) if circles_of else set()
    earliest = min(since_of.values())
    names = dict(Circle.objects.filter(pk__in=all_circles).values_list("pk", "name"))
    fetched = [(topic, title, fetch(all_circles, earliest)) for topic, title, fetch in SECTIONS]
    deliveries = []
    for uid, (row, key) in due.items():
        sections = _sections_for(row, circles_of[uid], since_of[uid], fetched, names)
        if not sections:
            continue
        user = row.user
        deliveries.append(
            EmailDelivery(
                key=key,
                to=user.email,
                recipient=user,
                template="digest",
                context={"name": user.display_name, "sections": sections},
                language=user.language,
                topic="",
            )
        )
    created = EmailDelivery.objects.bulk_create(
        deliveries, batch_size=constants.DIGEST_BATCH, ignore_conflicts=True
    )
    recorded = EmailDelivery.objects.filter(key__in=[d.key for d in created], sent_at__isnull=True)
    for pk in recorded.values_list("pk", flat=True):
        queue_delivery(pk)
    return len(created)


def _sections_for(row, circle_ids, since, fetched, names) -> list[dict]:
    sections = []
    for topic, title, by_circle in fetched:
        if row.delivery_for(topic) == Delivery.OFF:
            continue
        items = [
            {"circle": names[cid], **item}
            for cid in sorted(circle_ids, key=lambda c: names[c])
            for created, item in by_circle.get(cid, [])
            if created > since
        ][: constants.DIGEST_ITEMS_PER_SECTION]
        if items:
            with translation.override(row.user.language):
                sections.append({"title": str(title), "items": items})
    return sections


def _without_name(value, pattern: re.Pattern, language: str):
    """value (a string, or JSON made of lists and dicts) with the name replaced."""
    if isinstance(value, str):
        with translation.override(language):
            return pattern.sub(str(FORMER_MEMBER), value)
    if isinstance(value, list):
        return [_without_name(v, pattern, language) for v in value]
    if isinstance(value, dict):
        return {k: _without_name(v, pattern, language) for k, v in value.items()}
    return value


@transaction.atomic
def member_notices_forget(*, user: User) -> None:
    """An account is being deleted: other members' notifications and email records stop
    naming it, and emails addressed to it without an account (invites) are dropped."""
    name = user.display_name.strip()
    EmailDelivery.objects.filter(to__iexact=user.email, recipient__isnull=True).delete()
    if not name:
        return
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    notices = Notification.objects.exclude(recipient=user).filter(text__contains=name)
    changed = []
    for notice in notices.select_related("recipient"):
        notice.text = _without_name(notice.text, pattern, notice.recipient.language)
        changed.append(notice)
    Notification.objects.bulk_update(changed, ["text"])
    deliveries = EmailDelivery.objects.exclude(recipient=user).annotate(
        as_text=Cast("context", TextField())
    )
    changed = []
    for delivery in deliveries.filter(as_text__contains=name):
        delivery.context = _without_name(delivery.context, pattern, delivery.language)
        changed.append(delivery)
    EmailDelivery.objects.bulk_update(changed, ["context"])
