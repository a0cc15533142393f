"""Networks of circles. A circle founds, joins and leaves a network only by its own passed
proposal; the network decides one circle, one vote, through a linked proposal in each member
circle, under that circle's own rules."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, Post
from governance.models import Proposal
from governance.networks import constants


class NetworkMethod(models.TextChoices):
    MAJORITY = "majority", _("Majority of circles: more circles say yes than no")
    CONSENSUS = "consensus", _("Consensus of circles: at least one yes and no circle says no")


class NetworkVisibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone can see the network's page")
    PRIVATE = "private", _("Private: only members of its circles see it")


class Network(models.Model):
    name = models.CharField(_("name"), max_length=constants.NETWORK_NAME_MAX_LENGTH)
    slug = models.SlugField(_("address"), max_length=constants.NETWORK_SLUG_MAX_LENGTH, unique=True)
    purpose = models.TextField(_("purpose"), max_length=constants.NETWORK_PURPOSE_MAX_LENGTH)
    method = models.CharField(
        _("how the network decides"),
        max_length=10,
        choices=NetworkMethod.choices,
        default=NetworkMethod.MAJORITY,
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=NetworkVisibility.choices,
        default=NetworkVisibility.PRIVATE,
    )
    join_code = models.CharField(max_length=32, unique=True)
    founded_by = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=NetworkMethod.values), name="network_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=NetworkVisibility.values),
                name="network_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:network", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.visibility == NetworkVisibility.PUBLIC


class NetworkMembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(left_at__isnull=True)


class NetworkMembership(models.Model):
    """A circle in a network: from the decision that brought it in to the one that took it
    out. Leaving sets left_at; joining again makes a new row."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="network_memberships")
    # A private circle shows the other circles "a private circle" unless it decided this.
    show_name = models.BooleanField(_("show the circle's name to the network"), default=False)
    joined_at = models.DateTimeField(default=timezone.now)
    # The circle's own decision to found or join, and the network's to admit it.
    joined_by = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    admitted_by = models.ForeignKey(
        "networks.NetworkQuestion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    left_at = models.DateTimeField(null=True, blank=True)
    left_by = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = NetworkMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "circle"],
                condition=Q(left_at__isnull=True),
                name="one_active_network_membership",
            ),
        ]
        indexes = [
            models.Index(fields=["network", "left_at"]),
            models.Index(fields=["circle", "left_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.circle_id} in {self.network_id}"

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class QuestionKind(models.TextChoices):
    ADMIT_CIRCLE = "admit_circle", _("Admit a circle")
    ADOPT_AGREEMENT = "adopt_agreement", _("Adopt a shared agreement")
    CHANGE_METHOD = "change_method", _("Change how the network decides")
    RESOLUTION = "resolution", _("Resolution (no automatic effect)")


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("open: circles are deciding")
    PASSED = "passed", _("passed")
    FAILED = "failed", _("did not pass")


class NetworkQuestionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=QuestionStatus.OPEN)

    def due(self, *, now=None):
        return self.open().filter(closes_at__lte=now or timezone.now())


class NetworkQuestion(models.Model):
    """A question put to the network: one linked proposal in each member circle, each
    circle's outcome its one vote. Settled once, under a lock, when every linked proposal
    has closed or at its deadline."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    title = models.CharField(_("title"), max_length=constants.QUESTION_TITLE_MAX_LENGTH)
    reason = models.TextField(_("why"), max_length=constants.QUESTION_REASON_MAX_LENGTH)
    # The exact change, by kind: {"title", "text"}, {"before", "after"} or the circle asking in.
    change = models.JSONField(default=dict, blank=True)
    asked_by_circle = models.ForeignKey(
        Circle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The circle an admission is about; it has no vote on it.
    subject_circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The network's way of deciding when it opened; a later change does not touch it.
    method = models.CharField(max_length=10, choices=NetworkMethod.choices)
    status = models.CharField(
        max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.OPEN
    )
    opened_at = models.DateTimeField(default=timezone.now)
    # The latest of its linked proposals' own deadlines.
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # The tally, written once when settled.
    circles_count = models.PositiveIntegerField(null=True, blank=True)
    yes_circles = models.PositiveIntegerField(null=True, blank=True)
    no_circles = models.PositiveIntegerField(null=True, blank=True)
    abstain_circles = models.PositiveIntegerField(null=True, blank=True)
    effect_applied = models.BooleanField(null=True, blank=True)
    effect_note = models.CharField(max_length=300, blank=True)

    objects = NetworkQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "subject_circle"],
                condition=Q(status="open", kind="admit_circle"),
                name="one_open_admission_per_circle",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="network_question_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("networks:question", args=[self.network.slug, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == QuestionStatus.OPEN

    @property
    def passed(self) -> bool:
        return self.status == QuestionStatus.PASSED


class CircleVote(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    ABSTAIN = "abstain", _("abstained")


class LinkedProposal(models.Model):
    """A network question as one member circle decides it: a proposal in that circle."""

    question = models.ForeignKey(NetworkQuestion, on_delete=models.CASCADE, related_name="links")
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="+")
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="network_link")
    # The circle's one vote, recorded when the question is settled, and why when it abstains.
    vote = models.CharField(max_length=8, choices=CircleVote.choices, blank=True)
    vote_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "circle"], name="one_link_per_circle"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} in {self.circle_id}"

    @property
    def vote_reason(self) -> str:
        """Why the circle abstained, in the reader's language ("" if it did not)."""
        return gettext(self.vote_note) if self.vote_note else ""


class SharedAgreement(models.Model):
    """An agreement the network adopted by a question."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField(_("title"), max_length=constants.SHARED_AGREEMENT_TITLE_MAX_LENGTH)
    text = models.TextField(_("text"), max_length=constants.SHARED_AGREEMENT_TEXT_MAX_LENGTH)
    adopted_by = models.OneToOneField(
        NetworkQuestion, on_delete=models.PROTECT, related_name="adopted_agreement"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class SharedPost(models.Model):
    """A post its author chose to show on a network's board. Off by default."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="network_shares")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="shared_posts")
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-shared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "network"], name="one_share_per_network"),
        ]
        indexes = [models.Index(fields=["network", "-shared_at"])]

    def __str__(self) -> str:
        return f"{self.post_id} on {self.network_id}"
