from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, Message, Post
from governance.models import Comment
from governance.safety import constants


class Reason(models.TextChoices):
    HARASSMENT = "harassment", _("Harassment")
    THREAT = "threat", _("Threat or violence")
    DISCRIMINATION = "discrimination", _("Discrimination")
    SPAM = "spam", _("Spam or scam")
    DANGER = "danger", _("Someone may be in danger")
    OTHER = "other", _("Other")


class Target(models.TextChoices):
    POST = "post", _("a post")
    MESSAGE = "message", _("a message")
    COMMENT = "comment", _("a comment on a proposal")
    MEMBER = "member", _("a member")


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(handled_at__isnull=True)


class Report(models.Model):
    """A member asks the circle's care rota to look at something. Who reported is shown
    to no one: not to the member it concerns, and not to the rota."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The member it concerns: the item's author, or the member reported.
    reported = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    target = models.CharField(max_length=8, choices=Target.choices)
    # "post:12": one report per member and item, whatever the item is.
    item = models.CharField(max_length=40)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    words = models.TextField(
        _("what happened (optional)"), max_length=constants.REPORT_WORDS_MAX_LENGTH, blank=True
    )
    share_conversation = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    handled_note = models.CharField(
        _("what the rota did"), max_length=constants.REPORT_NOTE_MAX_LENGTH, blank=True
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["reporter", "item"], name="one_report_per_item"),
            models.CheckConstraint(
                condition=Q(reason__in=Reason.values), name="report_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(target__in=Target.values), name="report_target_valid"
            ),
        ]
        indexes = [models.Index(fields=["circle", "handled_at"])]

    def __str__(self) -> str:
        return f"Report {self.pk} in {self.circle_id}"

    def get_absolute_url(self) -> str:
        return reverse("safety:report_detail", args=[self.circle.slug, self.pk])

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None


class ReportMessage(models.Model):
    """The rota and the reporter write to each other, privately."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=constants.REPORT_MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Message {self.pk} on report {self.report_id}"


class RotaSeatQuerySet(models.QuerySet):
    def current(self, *, now=None):
        now = now or timezone.now()
        return self.filter(declined_at__isnull=True, ends_at__gt=now)

    def turns(self):
        """The circle's rota, not the members drawn for one report."""
        return self.filter(report__isnull=True)


class RotaSeat(models.Model):
    """One member's turn on the care rota, drawn by lot; or, with a report, a member drawn
    to handle that one report in place of a rota member it concerns."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="rota_seats")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rota_seats"
    )
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="substitutes"
    )
    drawn_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    # Drawn from the members who said they are willing, or, when too few were, from all.
    volunteered = models.BooleanField(default=False)
    declined_at = models.DateTimeField(null=True, blank=True)

    objects = RotaSeatQuerySet.as_manager()

    class Meta:
        ordering = ["-drawn_at", "pk"]
        indexes = [models.Index(fields=["circle", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.member_id} on the rota of {self.circle_id}"
