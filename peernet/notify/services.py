"""Notifications: one service every event calls, reminders and digests that beat runs.

Every notification is recorded in the app. Email follows the member's preference for the
notification's topic: right away, in the digest, or not at all.
"""

import re
from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max, TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation

from peernet.members.choices import Delivery, DigestFrequency
from peernet.members.models import NotificationSettings, User
from peernet.members.selectors import (
    blocked_either_way,
    blocked_ids_of,
    notification_settings_for,
    time_zone_of,
)
from peernet.notify import constants
from peernet.notify.emails import claimable, queue_delivery
from peernet.notify.models import (
    FORMER_MEMBER,
    OUTSIDE_CIRCLE_KINDS,
    TOPIC_OF_KIND,
    EmailDelivery,
    Kind,
    Notification,
)
from peernet.notify.registry import BY, circle_directory, digest_sections, in_circle
from peernet.notify.selectors import notices_changed

DEFAULTS = NotificationSettings()


def notify(
    *,
    recipients: Iterable[User],
    kind: Kind,
    message: str,
    params: dict | None = None,
    actor: User | None = None,
    url: str = "",
    circle=None,
    once_key: str | None = None,
    urgent: bool = False,
) -> list[Notification]:
    """Record a notification for each recipient and email those who asked for this topic
    right away. `message` is untranslated text marked with gettext_noop, with %(name)s
    placeholders: params fills them, and %(name)s is the actor's name. Each member reads it
    in their own language, when it is shown. With once_key, each recipient is notified once
    whatever the retries. No one hears of someone in a block with them: recipients in a
    block with the actor are left out (callers that name no actor leave them out
    themselves, through peernet.members.selectors.blocked_either_way). An urgent notice
    (someone may be in danger) is emailed at once whatever the recipients' preferences."""
    people = [u for u in recipients if u.is_active]
    if actor is not None and people:
        blocked = set(blocked_either_way(actor))
        people = [u for u in people if u.pk not in blocked]
    if circle is not None and kind not in OUTSIDE_CIRCLE_KINDS and people:
        # Leaving a circle ends its notifications.
        members = in_circle(circle.pk, [u.pk for u in people])
        people = [u for u in people if u.pk in members]
    if not people:
        return []
    fields = {
        "kind": kind,
        "circle": circle,
        "actor": actor,
        "message": message,
        "params": params or {},
        "url": url,
    }
    try:
        with transaction.atomic():
            return _notify(people, fields, once_key, urgent)
    except IntegrityError:
        # A concurrent run recorded some of the same once-only notices; record the rest.
        with transaction.atomic():
            return _notify(people, fields, once_key, urgent)


def _notify(people, fields: dict, once_key, urgent: bool) -> list[Notification]:
    keys = {u.pk: f"{once_key}:{u.pk}" for u in people} if once_key else {}
    if keys:
        done = set(Notification.objects.filter(key__in=keys.values()).values_list("key", flat=True))
        people = [u for u in people if keys[u.pk] not in done]
    notifications = Notification.objects.bulk_create(
        Notification(recipient=u, key=keys.get(u.pk), **fields) for u in people
    )
    notices_changed(n.recipient_id for n in notifications)
    topic = TOPIC_OF_KIND[fields["kind"]]
    prefs = {s.user_id: s for s in NotificationSettings.objects.filter(user__in=people)}
    deliveries = EmailDelivery.objects.bulk_create(
        EmailDelivery(
            key=f"notification:{n.pk}",
            to=n.recipient.email,
            recipient=n.recipient,
            template="notification",
            notification=n,
            context={"url": n.url, "kind": n.kind},
            language=n.recipient.language,
            topic=topic,
        )
        for n in notifications
        if urgent or prefs.get(n.recipient_id, DEFAULTS).delivery_for(topic) == Delivery.NOW
    )
    for delivery in deliveries:
        queue_delivery(delivery.pk)
    return notifications


def notifications_mark_read(
    *, user: User, ids: Iterable[int] | None = None, url: str | None = None
) -> int:
    """Mark read: all of the member's notifications, those ids, or those about one page
    (opening a conversation reads what told of it)."""
    unread = Notification.objects.unread().filter(recipient=user)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    if url is not None:
        unread = unread.filter(url=url)
    marked = unread.update(read_at=timezone.now())
    if marked:
        notices_changed([user.pk])
    return marked


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


# --- Digests ----------------------------------------------------------------------------


def _period(settings_row: NotificationSettings, now: datetime) -> str | None:
    """The digest period due now for this member, in their time zone, or None."""
    local = now.astimezone(time_zone_of(settings_row.user))
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
    directory = circle_directory()
    circles_of = directory.circles_of(list(due))
    since_of = {
        uid: last_sent.get(uid) or now - constants.DIGEST_LOOKBACK[lookback or row.digest_frequency]
        for uid, (row, _key) in due.items()
    }
    blocked_of = blocked_ids_of(list(due))
    all_circles = set().union(*circles_of.values()) if circles_of else set()
    earliest = min(since_of.values())
    names = directory.names(all_circles)
    fetched = [(s.topic, s.title, s.fetch(all_circles, earliest)) for s in digest_sections()]
    deliveries = []
    for uid, (row, key) in due.items():
        sections = _sections_for(
            row,
            circles_of.get(uid, set()),
            since_of[uid],
            fetched,
            names,
            blocked_of.get(uid, set()),
        )
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


def _sections_for(row, circle_ids, since, fetched, names, blocked: set[int]) -> list[dict]:
    """The reader's sections: news of their circles since `since`, leaving out what
    someone in a block with them did (an item's BY, which never reaches the email)."""
    sections = []
    for topic, title, by_circle in fetched:
        if row.delivery_for(topic) == Delivery.OFF:
            continue
        items = [
            {"circle": names[cid], **{k: v for k, v in item.items() if k != BY}}
            for cid in sorted(circle_ids, key=lambda c: names[c])
            for created, item in by_circle.get(cid, [])
            if created > since and item.get(BY) not in blocked
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
    """An account is being deleted. Notifications and emails name people by reference, so
    they need nothing; emails addressed to it without an account (invites) are dropped.

    Rows written before names were references (names_in_text) name people in their text:
    there, and only there, the name is replaced by text search. They age out."""
    EmailDelivery.objects.filter(to__iexact=user.email, recipient__isnull=True).delete()
    name = user.display_name.strip()
    if not name:
        return
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    escaped = re.compile(rf"(?<!\w){re.escape(name.replace('%', '%%'))}(?!\w)")
    notices = Notification.objects.filter(names_in_text=True, message__contains=name).exclude(
        recipient=user
    )
    changed = []
    for notice in notices.select_related("recipient"):
        notice.message = _without_name(notice.message, escaped, notice.recipient.language)
        changed.append(notice)
    Notification.objects.bulk_update(changed, ["message"])
    deliveries = (
        EmailDelivery.objects.filter(names_in_text=True)
        .exclude(recipient=user)
        .annotate(as_text=Cast("context", TextField()))
        .filter(as_text__contains=name)
    )
    changed = []
    for delivery in deliveries:
        delivery.context = _without_name(delivery.context, pattern, delivery.language)
        changed.append(delivery)
    EmailDelivery.objects.bulk_update(changed, ["context"])
