from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles import constants
from peernet.choices import label_of
from peernet.members.choices import HelpCategory
from peernet.members.selectors import blocked_either_way


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: listed in the directory")
    UNLISTED = "unlisted", _("Unlisted: reachable by its link")
    PRIVATE = "private", _("Private: members only")


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Open: anyone can join")
    APPROVAL = "approval", _("Approval: members approve requests")
    INVITE = "invite", _("Invite only")


class CircleQuerySet(models.QuerySet):
    def public(self):
        return self.filter(visibility=Visibility.PUBLIC)

    def with_member_count(self):
        return self.annotate(
            member_count=models.Count("memberships", filter=Q(memberships__left_at__isnull=True))
        )


class Circle(models.Model):
    name = models.CharField(_("name"), max_length=constants.CIRCLE_NAME_MAX_LENGTH)
    slug = models.SlugField(_("address"), max_length=constants.CIRCLE_SLUG_MAX_LENGTH, unique=True)
    purpose = models.TextField(_("purpose"), max_length=constants.PURPOSE_MAX_LENGTH, blank=True)
    topics = models.CharField(_("topics"), max_length=constants.TOPICS_MAX_LENGTH, blank=True)
    area = models.CharField(_("general area"), max_length=constants.AREA_MAX_LENGTH, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    join_policy = models.CharField(
        _("how people join"), max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.APPROVAL
    )
    approvals_needed = models.PositiveSmallIntegerField(_("approvals needed"), default=1)
    care_rota_days = models.PositiveSmallIntegerField(
        _("care rota drawn again every (days)"), default=constants.CARE_ROTA_DAYS_DEFAULT
    )
    # Written by the circle, started from a template, changed only by a passed proposal.
    crisis_plan = models.TextField(
        _("crisis plan"), max_length=constants.CRISIS_PLAN_MAX_LENGTH, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CircleQuerySet.as_manager()

    # What the circle decides about itself: directly while it is small, by proposal after.
    SETTING_FIELDS = (
        "name",
        "purpose",
        "topics",
        "area",
        "language",
        "visibility",
        "join_policy",
        "approvals_needed",
        "care_rota_days",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approvals_needed__gte=1)
                & Q(approvals_needed__lte=constants.APPROVALS_NEEDED_MAX),
                name="circle_approvals_needed_in_range",
            ),
            models.CheckConstraint(
                condition=Q(care_rota_days__gte=constants.CARE_ROTA_DAYS_MIN)
                & Q(care_rota_days__lte=constants.CARE_ROTA_DAYS_MAX),
                name="circle_care_rota_days_in_range",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="circle_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(join_policy__in=JoinPolicy.values), name="circle_join_policy_valid"
            ),
        ]
        indexes = [models.Index(fields=["visibility", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("circles:home", args=[self.slug])

    @property
    def topic_list(self) -> list[str]:
        return [t.strip() for t in self.topics.split(",") if t.strip()]


class FormerAddress(models.Model):
    """An address a circle had before; it keeps leading there, so old links still work."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="former_addresses")
    slug = models.SlugField(max_length=constants.CIRCLE_SLUG_MAX_LENGTH, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.slug


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(left_at__isnull=True)


class MembershipEnd(models.TextChoices):
    LEFT = "left", _("left")
    REMOVED = "removed", _("removed by a decision of the circle")
    ACCOUNT_DELETED = "account_deleted", _("deleted their account")


class Membership(models.Model):
    """One per person and circle; leaving sets left_at, rejoining clears it."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    ended_because = models.CharField(max_length=20, choices=MembershipEnd.choices, blank=True)
    # What this member shows this circle of their profile. Private by default.
    share_pronouns = models.BooleanField(_("pronouns"), default=True)
    share_languages = models.BooleanField(_("languages"), default=True)
    share_help_categories = models.BooleanField(_("what I can help with"), default=True)
    share_area = models.BooleanField(_("general area"), default=False)
    share_bio = models.BooleanField(_("short bio"), default=False)
    share_lived_experience = models.BooleanField(_("lived experience note"), default=False)
    care_rota_willing = models.BooleanField(
        _("I'm willing to take a turn on the care rota"), default=False
    )

    objects = MembershipQuerySet.as_manager()

    SHARE_FIELDS = (
        "share_pronouns",
        "share_languages",
        "share_help_categories",
        "share_area",
        "share_bio",
        "share_lived_experience",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["circle", "user"], name="one_membership_per_person"),
        ]
        indexes = [models.Index(fields=["circle", "left_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.circle_id}"

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("waiting for members")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class JoinRequest(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(
        _("why I'd like to join"), max_length=constants.JOIN_MESSAGE_MAX_LENGTH, blank=True
    )
    status = models.CharField(
        max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "user"],
                condition=Q(status="pending"),
                name="one_pending_request_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Request {self.pk} to {self.circle_id}"


class JoinRequestReview(models.Model):
    """One member's approval or decline; N of the same kind decide the request."""

    join_request = models.ForeignKey(JoinRequest, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_reviews"
    )
    approve = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["join_request", "reviewer"], name="one_review_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.join_request_id} by {self.reviewer_id}"


class InviteQuerySet(models.QuerySet):
    def usable(self, *, now=None):
        now = now or timezone.now()
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=now, use_count__lt=models.F("max_uses")
        )


class Invite(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="invites")
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    email = models.EmailField(_("sent to"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    max_uses = models.PositiveIntegerField(_("uses allowed"))
    use_count = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InviteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(use_count__lte=models.F("max_uses")), name="invite_uses_within_limit"
            ),
        ]

    def __str__(self) -> str:
        return f"Invite to {self.circle_id}"


class PostKind(models.TextChoices):
    OFFER = "offer", _("Offer")
    NEED = "need", _("Need")


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class PostStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    FULFILLED = "fulfilled", _("fulfilled")
    WITHDRAWN = "withdrawn", _("withdrawn")
    EXPIRED = "expired", _("expired")
    REMOVED = "removed", _("removed by a decision of the circle")


class PostQuerySet(models.QuerySet):
    def visible(self):
        """Everything but posts a circle removed by decision."""
        return self.exclude(status=PostStatus.REMOVED)

    def open(self):
        return self.filter(status=PostStatus.OPEN)

    def in_circle(self, circle):
        return self.filter(circle=circle)

    def not_blocked_for(self, viewer):
        """Without posts by anyone in a block with the viewer, either way, anonymous ones
        too: a subquery in the same query. No viewer, no filter."""
        if viewer is None or not viewer.is_authenticated:
            return self
        return self.exclude(author__in=blocked_either_way(viewer))


class Post(models.Model):
    """An offer or a need in one circle."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="posts"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=PostKind.choices)
    title = models.CharField(_("title"), max_length=constants.POST_TITLE_MAX_LENGTH)
    details = models.TextField(
        _("details"), max_length=constants.POST_DETAILS_MAX_LENGTH, blank=True
    )
    category = models.CharField(_("category"), max_length=16, choices=HelpCategory.choices)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, blank=True)
    area = models.CharField(
        _("general area"), max_length=constants.POST_AREA_MAX_LENGTH, blank=True
    )
    anonymous = models.BooleanField(_("post anonymously"), default=False)
    status = models.CharField(max_length=12, choices=PostStatus.choices, default=PostStatus.OPEN)
    expires_at = models.DateTimeField(_("expires"))
    created_at = models.DateTimeField(default=timezone.now)
    thank_you = models.TextField(
        _("thank-you note"), max_length=constants.THANK_YOU_MAX_LENGTH, blank=True
    )
    accepted_response = models.OneToOneField(
        "circles.Response", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(kind="need"), name="only_needs_are_anonymous"
            ),
            models.CheckConstraint(
                condition=Q(urgency="") | Q(kind="need"), name="only_needs_have_urgency"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PostStatus.values), name="post_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["circle", "status", "-created_at", "-id"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("circles:post", args=[self.circle.slug, self.pk])

    # What a card shows, translated once per language (peernet.choices), not per call.
    @property
    def kind_label(self) -> str:
        return label_of(PostKind, self.kind)

    @property
    def category_label(self) -> str:
        return label_of(HelpCategory, self.category)

    @property
    def status_label(self) -> str:
        return label_of(PostStatus, self.status)


class Response(models.Model):
    """ "I can help" or "I'd like this": a private conversation between author and responder."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="responses")
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="responses"
    )
    created_at = models.DateTimeField(default=timezone.now)
    nudged_at = models.DateTimeField(null=True, blank=True)
    # The responder came from a board beyond the circle (a network's), where the author shared
    # the post; they need not be a member of its circle, so the conversation has its own address.
    via_network = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "responder"], name="one_response_per_person")
        ]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.post_id}"

    def get_absolute_url(self) -> str:
        """The private conversation this response opened."""
        if self.via_network:
            from circles.outside import outside_conversation_url  # it imports this module

            return outside_conversation_url(self)
        post = self.post
        return reverse("circles:conversation", args=[post.circle.slug, post.pk, self.pk])


class Message(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=constants.MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Message {self.pk}"
