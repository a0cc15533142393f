from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from circles.models import Circle
from governance import constants


class Threshold(models.TextChoices):
    MAJORITY = "majority", _("Simple majority: more yes than no")
    SUPERMAJORITY = "supermajority", _("Supermajority: at least two thirds of yes and no")


class Method(models.TextChoices):
    MAJORITY = "majority", _("Vote: the threshold decides")
    CONSENSUS = "consensus", _("Consensus: any block stops it")


class BallotSecrecy(models.TextChoices):
    OPEN = "open", _("Open: members see who voted how")
    SECRET = "secret", _("Secret: members see totals after the vote closes")


class FundingRule(models.TextChoices):
    """How the circle accepts funding or a partnership: never on less than two thirds."""

    SUPERMAJORITY = "supermajority", _("At least two thirds of yes and no")
    CONSENSUS = "consensus", _("Consensus: two thirds, and any block stops it")


class DecisionSettings(models.Model):
    """How a circle decides. Changed only by a proposal, which always needs a supermajority."""

    circle = models.OneToOneField(
        Circle, on_delete=models.CASCADE, related_name="decision_settings"
    )
    voting_days = models.PositiveSmallIntegerField(
        _("voting window (days)"), default=constants.VOTING_DAYS_DEFAULT
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (% of voters who must cast a ballot)"),
        default=constants.QUORUM_PERCENT_DEFAULT,
    )
    threshold = models.CharField(
        _("threshold"), max_length=16, choices=Threshold.choices, default=Threshold.MAJORITY
    )
    method = models.CharField(
        _("method"), max_length=16, choices=Method.choices, default=Method.MAJORITY
    )
    ballots = models.CharField(
        _("ballots"), max_length=8, choices=BallotSecrecy.choices, default=BallotSecrecy.OPEN
    )
    funding_rule = models.CharField(
        _("accepting funding or a partnership"),
        max_length=16,
        choices=FundingRule.choices,
        default=FundingRule.SUPERMAJORITY,
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(voting_days__gte=constants.VOTING_DAYS_MIN)
                & Q(voting_days__lte=constants.VOTING_DAYS_MAX),
                name="voting_days_in_range",
            ),
            models.CheckConstraint(condition=Q(quorum_percent__lte=100), name="quorum_in_range"),
        ]

    def __str__(self) -> str:
        return f"Decision settings of {self.circle_id}"


class AgreementStatus(models.TextChoices):
    ACTIVE = "active", _("in force")
    REPEALED = "repealed", _("repealed")


class Agreement(models.Model):
    """A living rule of the circle. Its title and text are those of its latest version."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField(_("title"), max_length=constants.AGREEMENT_TITLE_MAX_LENGTH)
    text = models.TextField(_("text"), max_length=constants.AGREEMENT_TEXT_MAX_LENGTH)
    status = models.CharField(
        max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.ACTIVE
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class AgreementVersion(models.Model):
    """Every change to an agreement, each made by one decision."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=constants.AGREEMENT_TITLE_MAX_LENGTH)
    text = models.TextField(max_length=constants.AGREEMENT_TEXT_MAX_LENGTH)
    repealed = models.BooleanField(default=False)
    decision = models.ForeignKey(
        "governance.Proposal", on_delete=models.PROTECT, related_name="agreement_versions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="one_version_number_per_agreement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} v{self.number}"


class ProposalKind(models.TextChoices):
    ADD_AGREEMENT = "add_agreement", _("Add an agreement")
    AMEND_AGREEMENT = "amend_agreement", _("Amend an agreement")
    REPEAL_AGREEMENT = "repeal_agreement", _("Repeal an agreement")
    CHANGE_CIRCLE_SETTINGS = "change_circle_settings", _("Change the circle's settings")
    CHANGE_DECISION_SETTINGS = "change_decision_settings", _("Change how the circle decides")
    CHANGE_CRISIS_PLAN = "change_crisis_plan", _("Change the crisis plan")
    REMOVE_MEMBER = "remove_member", _("Remove a member")
    REMOVE_POST = "remove_post", _("Remove a post")
    RESOLUTION = "resolution", _("Resolution (no automatic effect)")
    # Legitimacy (governance.legitimacy supplies their forms and effects).
    CHOOSE_MEASURES = "choose_measures", _("Choose what the circle counts")
    PUBLISH_REPORT = "publish_report", _("Publish a report")
    ACCEPT_FUNDING = "accept_funding", _("Accept funding or a partnership")
    # Networks (governance.networks supplies their forms and effects).
    FOUND_NETWORK = "found_network", _("Found a network of circles")
    JOIN_NETWORK = "join_network", _("Ask to join a network of circles")
    LEAVE_NETWORK = "leave_network", _("Leave a network of circles")
    NETWORK_QUESTION = "network_question", _("A network's question: this circle's vote")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open for votes")
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed")
    WITHDRAWN = "withdrawn", _("withdrawn")


CLOSED_STATUSES = (ProposalStatus.PASSED, ProposalStatus.FAILED)


class ProposalQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ProposalStatus.OPEN)

    def closed(self):
        return self.filter(status__in=CLOSED_STATUSES)

    def due(self, *, now=None):
        return self.open().filter(closes_at__lte=now or timezone.now())


class Proposal(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(_("kind"), max_length=32, choices=ProposalKind.choices)
    title = models.CharField(_("title"), max_length=constants.PROPOSAL_TITLE_MAX_LENGTH)
    reason = models.TextField(_("reason"), max_length=constants.PROPOSAL_REASON_MAX_LENGTH)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="proposals"
    )
    # The exact change: {"after": {...}, "before": {...}} plus the target's id, by kind.
    change = models.JSONField(default=dict, blank=True)
    target_agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals_about_me",
    )
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The rules in force when it opened; a later change of settings does not touch it.
    quorum_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    threshold = models.CharField(max_length=16, choices=Threshold.choices, blank=True)
    method = models.CharField(max_length=16, choices=Method.choices, blank=True)
    ballots = models.CharField(max_length=8, choices=BallotSecrecy.choices, blank=True)
    # The tally, written once at close.
    electorate_size = models.PositiveIntegerField(null=True, blank=True)
    ballots_cast = models.PositiveIntegerField(null=True, blank=True)
    yes_count = models.PositiveIntegerField(null=True, blank=True)
    no_count = models.PositiveIntegerField(null=True, blank=True)
    abstain_count = models.PositiveIntegerField(null=True, blank=True)
    block_count = models.PositiveIntegerField(null=True, blank=True)
    quorum_met = models.BooleanField(null=True, blank=True)
    threshold_met = models.BooleanField(null=True, blank=True)
    effect_applied = models.BooleanField(null=True, blank=True)
    effect_note = models.CharField(max_length=300, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="withdrawn") | Q(opened_at__isnull=False),
                name="opened_proposal_has_open_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "closes_at"]),
            models.Index(fields=["circle", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:proposal", args=[self.circle.slug, self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_secret(self) -> bool:
        return self.ballots == BallotSecrecy.SECRET


class Voter(models.Model):
    """The electorate, fixed when the proposal opens."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="voters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_seat_per_voter")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.proposal_id}"


class Choice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")
    BLOCK = "block", pgettext_lazy("consensus vote", "Block")


class Ballot(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="ballot_set")
    # Null once the voter deleted their account: a closed decision keeps its ballots.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="ballots"
    )
    choice = models.CharField(max_length=8, choices=Choice.choices)
    reason = models.CharField(max_length=constants.BALLOT_REASON_MAX_LENGTH, blank=True)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "voter"], name="one_ballot_per_voter"),
            models.CheckConstraint(
                condition=Q(choice__in=Choice.values), name="ballot_choice_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} on {self.proposal_id}"


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=constants.COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.proposal_id}"
