"""Signed, expiring unsubscribe links: they work without logging in, for one topic or all."""

from dataclasses import dataclass

from django.core import signing

from peernet.members.choices import Topic
from peernet.members.models import User

SALT = "peernet.members.unsubscribe"
ALL_TOPICS = "all"
LINK_MAX_AGE_SECONDS = 60 * 60 * 24 * 90


@dataclass(frozen=True)
class Unsubscribe:
    user: User
    topic: str | None  # None: every email


def unsubscribe_token(*, user: User, topic: str | None) -> str:
    return signing.dumps({"u": user.pk, "t": topic or ALL_TOPICS}, salt=SALT, compress=True)


def unsubscribe_from_token(token: str) -> Unsubscribe | None:
    """The request a token carries, or None if it is forged, expired or points at nobody."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    topic = data.get("t")
    if topic != ALL_TOPICS and topic not in Topic.values:
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        return None
    return Unsubscribe(user=user, topic=None if topic == ALL_TOPICS else topic)
