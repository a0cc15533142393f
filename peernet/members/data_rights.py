"""A member's data rights: everything Peernet holds about them, as one download, and the
deletion of their account. Each app contributes its part through members.registry."""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from peernet.exports import iso
from peernet.members.models import User
from peernet.members.registry import member_data_contributions
from peernet.members.selectors import (
    blocked_either_way,
    blocks_made_by,
    notification_settings_for,
    profile_for_user,
)
from peernet.members.services import blocks_changed

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


def member_data_export(*, user: User) -> dict:
    """The member's whole record, for the "download my data" button. Only what the member
    wrote, chose or was sent: never another member's messages, email address or private
    details, even where the member took part (a conversation's other side)."""
    profile = profile_for_user(user=user)
    prefs = notification_settings_for(user=user)
    data = {
        "format": "peernet-member-export",
        "version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": _account(user),
        "profile": {f: getattr(profile, f) for f in PROFILE_FIELDS},
        "notification_preferences": {f: getattr(prefs, f) for f in SETTINGS_FIELDS},
        # The blocks the member made (never who blocked them); deletion removes both kinds.
        "blocked_members": [
            {"display_name": b.blocked.display_name, "blocked": iso(b.created_at)}
            for b in blocks_made_by(user=user)
        ],
    }
    for contribution in member_data_contributions():
        data.update(contribution.export(user))
    return data


class AccountGone(Exception):
    """The account was already deleted (a second click, another device)."""


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete an account for good, keeping what the circles hold whole.

    Personal fields go with the account row; posts, messages, comments and ballots in
    closed decisions stay, shown as "former member" (anonymous needs stay anonymous);
    open posts are withdrawn and open electorates lose the member and their ballot.
    """
    user = User.objects.select_for_update().filter(pk=user.pk).first()
    if user is None:
        raise AccountGone
    for contribution in member_data_contributions():
        contribution.release(user)
    # Their blocks go with the account: the other side's cached block sets must too.
    blocks_changed(user_ids=[user.pk, *blocked_either_way(user)])
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr="")
    user.delete()
