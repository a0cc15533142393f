from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import Circle
from governance.legitimacy import constants
from governance.models import Proposal


class Measure(models.TextChoices):
    """What a circle can choose to count: each computed from what already happens in it,
    none about one person."""

    NEEDS_POSTED = "needs_posted", _("Needs posted")
    NEEDS_MET = "needs_met", _("Needs met")
    OFFERS_TAKEN_UP = "offers_taken_up", _("Offers taken up")
    FIRST_RESPONSE_TIME = "first_response_time", _("Median time from a need to its first response")
    MET_TIME = "met_time", _("Median time from a need to being met")
    ACTIVE_MEMBERS = "active_members", _("Members active")
    CONVERSATIONS = "conversations", _("Conversations held")
    CATEGORIES = "categories", _("Kinds of help")
    LANGUAGES = "languages", _("Languages members speak")
    DECISIONS = "decisions", _("Decisions made")
    DECISION_TURNOUT = "decision_turnout", _("Median turnout in decisions")


class ImpactSettings(models.Model):
    """What the circle counts. Changed only by a passed "choose what we count" proposal."""

    circle = models.OneToOneField(Circle, on_delete=models.CASCADE, related_name="impact_settings")
    measures = models.JSONField(default=list)
    decision = models.ForeignKey(Proposal, on_delete=models.PROTECT, null=True, related_name="+")

    def __str__(self) -> str:
        return f"Measures of {self.circle_id}"


class Byline(models.TextChoices):
    NAME = "name", _("My display name")
    MEMBER = "member", _("“A member”")


class Story(models.Model):
    """A member's short story of help that happened, for the circle's reports."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="stories")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="stories"
    )
    title = models.CharField(_("title"), max_length=constants.STORY_TITLE_MAX_LENGTH)
    text = models.TextField(_("the story"), max_length=constants.STORY_TEXT_MAX_LENGTH)
    byline = models.CharField(
        _("appear as"), max_length=8, choices=Byline.choices, default=Byline.MEMBER
    )
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The first published report that carries it: from then on it can no longer be withdrawn.
    published_in = models.ForeignKey(
        "legitimacy.PublishedReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("legitimacy:story", args=[self.circle.slug, self.pk])


class Consent(models.TextChoices):
    ASKED = "asked", _("asked, no answer yet")
    GIVEN = "given", _("consented")
    REFUSED = "refused", _("declined")


class StoryMention(models.Model):
    """A member a story names. Until they consent, the story cannot go in a report."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="mentions")
    # SET_NULL: a deleted account's refusal outlives it, so a story naming them stays unusable.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="story_mentions",
    )
    consent = models.CharField(max_length=8, choices=Consent.choices, default=Consent.ASKED)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "member"], name="one_mention_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in story {self.story_id}"


class PublishedReport(models.Model):
    """A report the circle decided to publish. Never changes: its document is the canonical
    JSON, stored byte for byte, and sha256 is that document's digest."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="published_reports")
    decision = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="report")
    public_id = models.CharField(max_length=24, unique=True)
    known_as = models.CharField(max_length=constants.REPORT_NAME_MAX_LENGTH)
    period_start = models.DateField()
    period_end = models.DateField()
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    published_at = models.DateTimeField(default=timezone.now)
    document = models.TextField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")), name="report_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.known_as}: {self.period_start} to {self.period_end}"

    def get_absolute_url(self) -> str:
        return reverse("legitimacy:report", args=[self.public_id])


class PartnershipKind(models.TextChoices):
    FUNDING = "funding", _("Funding")
    PARTNERSHIP = "partnership", _("Partnership")
    RESEARCH = "research", _("Research")


class PartnershipStatus(models.TextChoices):
    ACTIVE = "active", _("current")
    RENEWED = "renewed", _("renewed")
    LAPSED = "lapsed", _("lapsed")


class PartnershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(status=PartnershipStatus.ACTIVE)


class Partnership(models.Model):
    """Funding or a partnership the circle accepted by a passed proposal, on its terms. It
    lapses at its end date unless a renewal passed."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="partnerships")
    decision = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="partnership")
    renews = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewal"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=PartnershipKind.choices)
    partner = models.CharField(_("partner"), max_length=constants.PARTNER_NAME_MAX_LENGTH)
    offered = models.TextField(_("what is offered"))
    asks = models.TextField(_("what the partner asks in return"), blank=True)
    # The agreements the conditions touch, as they were when the circle decided.
    agreements = models.JSONField(default=list, blank=True)
    will_not_accept = models.TextField(_("what the circle will not accept"))
    research_returns = models.TextField(_("what comes back to the circle"), blank=True)
    returns_by = models.DateField(_("comes back by"), null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(_("end date"))
    status = models.CharField(
        max_length=8, choices=PartnershipStatus.choices, default=PartnershipStatus.ACTIVE
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")), name="partnership_dates_ordered"
            )
        ]
        indexes = [models.Index(fields=["status", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.partner} ({self.circle_id})"
