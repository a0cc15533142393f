"""Signed, expiring unsubscribe links: they work without logging in, for one topic or all."""

from dataclasses import dataclass

from django.core import signing

from peernet.members.choices import Topic
from peernet.members.models import NotificationSettings, User
from peernet.members.selectors import notification_settings_for

SALT = "peernet.members.unsubscribe"
ALL_TOPICS = "all"
LINK_MAX_AGE_SECONDS = 60 * 60 * 24 * 90


@dataclass(frozen=True)
class Unsubscribe:
    user: User
    topic: str | None  # None: every email


def unsubscribe_tokens(*, user: User, topics: list[str | None]) -> list[str]:
    """Signed and expiring; each names the member's random unsubscribe key, not the account."""
    key = notification_settings_for(user=user).unsubscribe_key
    return [
        signing.dumps({"k": key, "t": topic or ALL_TOPICS}, salt=SALT, compress=True)
        for topic in topics
    ]


def unsubscribe_token(*, user: User, topic: str | None) -> str:
    return unsubscribe_tokens(user=user, topics=[topic])[0]


def unsubscribe_from_token(token: str) -> Unsubscribe | None:
    """The request a token carries, or None if it is forged, expired or points at nobody."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    topic = data.get("t")
    if topic != ALL_TOPICS and topic not in Topic.values:
        return None
    row = (
        NotificationSettings.objects.filter(
            unsubscribe_key=str(data.get("k")), user__is_active=True
        )
        .select_related("user")
        .first()
    )
    if row is None:
        return None
    return Unsubscribe(user=row.user, topic=None if topic == ALL_TOPICS else topic)
