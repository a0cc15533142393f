from datetime import date

from django.conf import settings
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from peernet.members.choices import Topic


class Kind(models.TextChoices):
    JOIN_REQUEST = "join_request", _("Someone asked to join")
    REQUEST_DECIDED = "request_decided", _("Your join request was answered")
    NEW_RESPONSE = "new_response", _("Someone responded to your post")
    NEW_MESSAGE = "new_message", _("New message")
    POST_MATCHED = "post_matched", _("A post you can help with")
    NEW_POST = "new_post", _("New post in your circle")
    POST_EXPIRING = "post_expiring", _("Your post expires soon")
    RESPONSE_NUDGE = "response_nudge", _("A response is waiting for you")
    PROPOSAL_OPENED = "proposal_opened", _("New proposal")
    DECISION_MADE = "decision_made", _("A decision was made")
    VOTE_REMINDER = "vote_reminder", _("Reminder to vote")
    MEMBER_REMOVED = "member_removed", _("You were removed from a circle")
    REMOVAL_PROPOSED = "removal_proposed", _("A proposal to remove you from a circle")
    ROTA_DRAWN = "rota_drawn", _("You were drawn for the care rota")
    REPORT_RECEIVED = "report_received", _("A report for the care rota")
    REPORT_REPLY = "report_reply", _("News about your report")
    STORY_CONSENT = "story_consent", _("A story names you and asks your consent")
    STORY_ANSWERED = "story_answered", _("An answer about your story")
    PARTNERSHIP_ENDING = "partnership_ending", _("A partnership ends soon")
    PARTNERSHIP_LAPSED = "partnership_lapsed", _("A partnership lapsed")
    SHARED_POST_MATCHED = (
        "shared_post_matched",
        _("A need shared by another circle you can help with"),
    )
    NETWORK_DECIDED = "network_decided", _("A network of your circle decided")


TOPIC_OF_KIND = {
    Kind.JOIN_REQUEST: Topic.MEMBERSHIP,
    Kind.REQUEST_DECIDED: Topic.MEMBERSHIP,
    Kind.MEMBER_REMOVED: Topic.MEMBERSHIP,
    Kind.REMOVAL_PROPOSED: Topic.MEMBERSHIP,
    Kind.NEW_RESPONSE: Topic.RESPONSES,
    Kind.NEW_MESSAGE: Topic.RESPONSES,
    Kind.RESPONSE_NUDGE: Topic.RESPONSES,
    Kind.POST_MATCHED: Topic.POSTS,
    Kind.NEW_POST: Topic.POSTS,
    Kind.POST_EXPIRING: Topic.POSTS,
    Kind.PROPOSAL_OPENED: Topic.PROPOSALS,
    Kind.DECISION_MADE: Topic.PROPOSALS,
    Kind.VOTE_REMINDER: Topic.VOTE_REMINDERS,
    Kind.ROTA_DRAWN: Topic.CARE,
    Kind.REPORT_RECEIVED: Topic.CARE,
    Kind.REPORT_REPLY: Topic.CARE,
    Kind.STORY_CONSENT: Topic.RESPONSES,
    Kind.STORY_ANSWERED: Topic.RESPONSES,
    Kind.PARTNERSHIP_ENDING: Topic.PROPOSALS,
    Kind.PARTNERSHIP_LAPSED: Topic.PROPOSALS,
    Kind.SHARED_POST_MATCHED: Topic.POSTS,
    Kind.NETWORK_DECIDED: Topic.PROPOSALS,
}


# A notification about a circle reaches only its members, except these, which tell someone
# outside it (a removed member, an applicant) what the circle decided about them.
OUTSIDE_CIRCLE_KINDS = {Kind.REQUEST_DECIDED, Kind.MEMBER_REMOVED}


FORMER_MEMBER = _("a former member")


def person_name(user) -> str:
    """How a notification or an email names someone: a deleted account is a former member."""
    return user.display_name if user is not None else str(FORMER_MEMBER)


# Params that hold a date, stored as ISO 8601 ("2026-12-28") and shown as the reader's
# language writes dates ("28 de diciembre de 2026"), never as it was when recorded.
DATE_PARAMS = frozenset({"until"})


def shown_param(key: str, value):
    """A notification param as the reader sees it, in the active language."""
    if key in DATE_PARAMS and isinstance(value, str):
        try:
            return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    return value


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One thing that happened, for one member, in their language. Always shown in the app."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    circle = models.ForeignKey(
        "circles.Circle", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Who acted (asked to join, responded, wrote). Their name is filled in when the
    # notification is shown, so it follows a rename and an account deletion with no search.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The untranslated text, with %(name)s placeholders filled from params (and the
    # actor's name as %(name)s) in the reader's language when it is shown.
    message = models.TextField()
    params = models.JSONField(default=dict, blank=True)
    # Written before names were references (migration 0003): the text itself names people.
    names_in_text = models.BooleanField(default=False)
    url = models.CharField(max_length=300, blank=True)
    # Set for reminders and other once-only notices, so a repeated task records nothing new.
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The notification in the active language, naming the actor as they are now, its
        dates written as the reader's language writes them."""
        params = {key: shown_param(key, value) for key, value in self.params.items()}
        return translation.gettext(self.message) % {**params, "name": person_name(self.actor)}

    @property
    def topic(self) -> str:
        return TOPIC_OF_KIND[self.kind]


class EmailDelivery(models.Model):
    """Every email Peernet sends, keyed so that a retried or duplicated task sends it once."""

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    # The member it is for, when it is for a member (an invite goes to an address).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="email_deliveries",
    )
    template = models.CharField(max_length=60)
    language = models.CharField(max_length=8)
    # The topic an unsubscribe link in this email turns off; empty for transactional email.
    topic = models.CharField(max_length=20, blank=True)
    # Plain values the template shows; a person appears as {"person": id} and is named
    # when the email is sent (emails.PERSON), so no name is stored here.
    context = models.JSONField(default=dict)
    # An email that tells of a notification shows its text, rendered when it is sent.
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Written before names were references (migration 0003): the context names people.
    names_in_text = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Set, and committed, just before the SMTP conversation; cleared again if it fails.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at"])]

    def __str__(self) -> str:
        return self.key
