import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peernet.members import constants
from peernet.members.choices import Delivery, DigestFrequency, HelpCategory, Topic, Weekday
from peernet.members.managers import UserManager


class User(AbstractBaseUser, PermissionsMixin):
    """An account: an email to log in with and a display name. Nothing else is asked."""

    email = models.EmailField(_("email"), unique=True)
    display_name = models.CharField(_("display name"), max_length=constants.DISPLAY_NAME_MAX_LENGTH)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    is_staff = models.BooleanField(_("site staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.display_name or _("former member")


class Profile(models.Model):
    """What a member may tell others about themselves. Every field is optional."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    pronouns = models.CharField(_("pronouns"), max_length=constants.PRONOUNS_MAX_LENGTH, blank=True)
    bio = models.TextField(_("short bio"), max_length=constants.BIO_MAX_LENGTH, blank=True)
    languages = models.CharField(
        _("languages I speak"), max_length=constants.LANGUAGES_MAX_LENGTH, blank=True
    )
    area = models.CharField(_("general area"), max_length=constants.AREA_MAX_LENGTH, blank=True)
    help_categories = models.JSONField(_("I can help with"), default=list, blank=True)
    lived_experience = models.TextField(
        _("lived experience I am open to sharing"),
        max_length=constants.LIVED_EXPERIENCE_MAX_LENGTH,
        blank=True,
    )

    class Meta:
        verbose_name = _("profile")

    def __str__(self) -> str:
        return f"Profile of {self.user_id}"

    @property
    def help_category_labels(self) -> list[str]:
        labels = dict(HelpCategory.choices)
        return [labels[c] for c in self.help_categories if c in labels]


def new_unsubscribe_key() -> str:
    return secrets.token_urlsafe(constants.UNSUBSCRIBE_KEY_BYTES)


class NotificationSettings(models.Model):
    """How each topic reaches the member, and when their digest goes out (their own time)."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="notification_settings"
    )
    posts = models.CharField(
        Topic.POSTS.label, max_length=8, choices=Delivery.choices, default=Delivery.DIGEST
    )
    responses = models.CharField(
        Topic.RESPONSES.label, max_length=8, choices=Delivery.choices, default=Delivery.NOW
    )
    proposals = models.CharField(
        Topic.PROPOSALS.label, max_length=8, choices=Delivery.choices, default=Delivery.DIGEST
    )
    vote_reminders = models.CharField(
        Topic.VOTE_REMINDERS.label, max_length=8, choices=Delivery.choices, default=Delivery.NOW
    )
    membership = models.CharField(
        Topic.MEMBERSHIP.label, max_length=8, choices=Delivery.choices, default=Delivery.NOW
    )
    care = models.CharField(
        Topic.CARE.label, max_length=8, choices=Delivery.choices, default=Delivery.NOW
    )
    digest_frequency = models.CharField(
        _("digest"), max_length=8, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY
    )
    digest_weekday = models.PositiveSmallIntegerField(
        _("weekly digest day"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    digest_hour = models.PositiveSmallIntegerField(
        _("send at (hour, my time)"), default=constants.DIGEST_HOUR_DEFAULT
    )
    # What an unsubscribe link names instead of the account: random, so the link says nothing.
    unsubscribe_key = models.CharField(
        max_length=64, unique=True, default=new_unsubscribe_key, editable=False
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest_hour__lt=constants.HOURS_IN_DAY),
                name="digest_hour_in_day",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification settings of {self.user_id}"

    def delivery_for(self, topic: str) -> str:
        return getattr(self, topic)


class Block(models.Model):
    """One member blocks another, across every circle: neither sees, answers or hears of
    the other's posts and conversations. The blocked member is never told. Votes and
    electorates are untouched."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(_("blocked on"), default=timezone.now)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="one_block_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"Block {self.blocker_id} → {self.blocked_id}"
