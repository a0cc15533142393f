"""Writes for circles: create, settings, join, requests, invites, sharing, leave."""

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from circles import constants
from circles.crisis_plan import crisis_plan_template
from circles.models import (
    Circle,
    Invite,
    JoinPolicy,
    JoinRequest,
    JoinRequestReview,
    JoinRequestStatus,
    Membership,
    MembershipEnd,
    Visibility,
)
from circles.nav import waiting_changed
from circles.selectors import active_member_count, circle_changed, membership_of
from circles.services.addresses import address_for_visibility, free_slug
from circles.starters import founding_apply
from peernet import limits
from peernet.errors import DomainError, full_clean_or_refuse
from peernet.limits import limit_hit
from peernet.members.models import User
from peernet.notify.emails import PERSON, email_send
from peernet.notify.models import Kind
from peernet.notify.services import notify


def _normalise_topics(topics: str) -> str:
    seen: list[str] = []
    for topic in topics.split(","):
        topic = " ".join(topic.split()).lower()
        if topic and topic not in seen:
            seen.append(topic)
    return ", ".join(seen)


def circle_create(
    *, creator: User, name: str, founding: dict[str, str] | None = None, **settings_fields
) -> Circle:
    """Anyone signed in creates a circle and is its first member, with no special power.

    founding: what the founder adopts at once, {founding step key: text} (circles.starters),
    applied in the same transaction: the circle exists with all of it, or not at all."""
    settings_fields["topics"] = _normalise_topics(settings_fields.get("topics", ""))
    visibility = settings_fields.get("visibility", Visibility.PRIVATE)
    for _attempt in range(constants.SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                slug = free_slug(name, visibility)
                circle = Circle(name=name.strip(), slug=slug, **settings_fields)
                circle.crisis_plan = crisis_plan_template(language=circle.language)
                # The address is unique by a database constraint, checked on save.
                full_clean_or_refuse(circle, validate_unique=False)
                circle.save()
                Membership.objects.create(circle=circle, user=creator)
                # An address once used by a circle of an older database is new again.
                circle_changed(slugs=[circle.slug])
                founding_apply(circle=circle, founder=creator, adopted=founding or {})
                return circle
        except IntegrityError:
            # Another circle took the same address at the same moment; pick again.
            continue
    raise DomainError(_("Could not find a free address for this circle. Try another name."))


def circle_crisis_plan_set(*, circle: Circle, text: str) -> Circle:
    """Write the crisis plan. Only a passed proposal calls this."""
    circle.crisis_plan = text.strip()
    full_clean_or_refuse(circle, exclude=["slug"])
    circle.save(update_fields=["crisis_plan"])
    circle_changed(slugs=[circle.slug])
    return circle


def settings_editable_directly(*, circle: Circle) -> bool:
    return active_member_count(circle=circle) < constants.GOVERNANCE_THRESHOLD_MEMBERS


def circle_apply_settings(*, circle: Circle, changes: dict) -> Circle:
    """Write setting changes. Callers decide who may: the bootstrap rule or a passed proposal."""
    unknown = set(changes) - set(Circle.SETTING_FIELDS)
    if unknown:
        raise ValueError(f"not circle settings: {sorted(unknown)}")
    if "topics" in changes:
        changes = {**changes, "topics": _normalise_topics(changes["topics"])}
    old_visibility = circle.visibility
    for field, value in changes.items():
        setattr(circle, field, value)
    full_clean_or_refuse(circle, exclude=["slug"])
    circle.save(update_fields=[*changes])
    circle_changed(slugs=[circle.slug])
    address_for_visibility(circle=circle, old_visibility=old_visibility)
    return circle


@transaction.atomic
def circle_update_settings(*, circle: Circle, member: User, changes: dict) -> Circle:
    """The bootstrap rule: direct edits only while the circle has fewer than 3 members."""
    circle = Circle.objects.select_for_update().get(pk=circle.pk)
    if membership_of(circle=circle, user=member) is None:
        raise DomainError(_("Only members can change a circle's settings."))
    if not settings_editable_directly(circle=circle):
        raise DomainError(
            _("This circle has %(n)d or more members: its settings change only by a proposal.")
            % {"n": constants.GOVERNANCE_THRESHOLD_MEMBERS}
        )
    return circle_apply_settings(circle=circle, changes=changes)


def membership_add(*, circle: Circle, user: User) -> Membership:
    """Make user an active member, reviving an old membership.

    No policy check: for callers that already decided (an approval, an invite, demo data).
    Callers inside a request hold the circle lock.
    """
    membership, created = Membership.objects.get_or_create(circle=circle, user=user)
    if not created and membership.left_at is not None:
        membership.left_at = None
        membership.ended_because = ""
        membership.joined_at = timezone.now()
        membership.save(update_fields=["left_at", "ended_because", "joined_at"])
    JoinRequest.objects.filter(circle=circle, user=user, status=JoinRequestStatus.PENDING).update(
        status=JoinRequestStatus.APPROVED, decided_at=timezone.now()
    )
    waiting_changed(circle_ids=[circle.pk])
    circle_changed(slugs=[circle.slug])
    return membership


def member_memberships_release(*, user: User) -> None:
    """An account is being deleted: its memberships and join requests go with it, so they
    no longer count on anyone's badges."""
    circle_ids = set(Membership.objects.filter(user=user).values_list("circle_id", flat=True))
    circle_ids |= set(JoinRequest.objects.filter(user=user).values_list("circle_id", flat=True))
    waiting_changed(circle_ids=circle_ids)


def _lock_circle(circle: Circle) -> Circle:
    # Every membership change takes this lock, so two joins or approvals at once serialise.
    return Circle.objects.select_for_update().get(pk=circle.pk)


@transaction.atomic
def circle_join(*, circle: Circle, user: User) -> Membership:
    circle = _lock_circle(circle)
    if membership_of(circle=circle, user=user):
        raise DomainError(_("You are already a member of this circle."))
    if circle.join_policy != JoinPolicy.OPEN:
        raise DomainError(_("This circle does not take members by one click."))
    return membership_add(circle=circle, user=user)


@transaction.atomic
def join_request_create(*, circle: Circle, user: User, message: str) -> JoinRequest:
    limit_hit(limits.JOIN_REQUESTS, key=limits.member_key(user))
    circle = _lock_circle(circle)
    if membership_of(circle=circle, user=user):
        raise DomainError(_("You are already a member of this circle."))
    if circle.join_policy != JoinPolicy.APPROVAL:
        raise DomainError(_("This circle does not take join requests."))
    if JoinRequest.objects.filter(
        circle=circle, user=user, status=JoinRequestStatus.PENDING
    ).exists():
        raise DomainError(_("You have already asked to join; the members will answer soon."))
    join_request = JoinRequest.objects.create(circle=circle, user=user, message=message.strip())
    waiting_changed(circle_ids=[circle.pk])
    notify(
        recipients=User.objects.filter(
            memberships__circle=circle, memberships__left_at__isnull=True
        ),
        kind=Kind.JOIN_REQUEST,
        message=gettext_noop("%(name)s asked to join %(circle)s."),
        params={"circle": circle.name},
        actor=user,
        url=reverse("circles:requests", args=[circle.slug]),
        circle=circle,
    )
    return join_request


@transaction.atomic
def join_request_review(*, join_request: JoinRequest, member: User, approve: bool) -> JoinRequest:
    """A member approves or declines; the circle's N matching reviews decide it."""
    circle = _lock_circle(join_request.circle)
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if membership_of(circle=circle, user=member) is None:
        raise DomainError(_("Only members can answer join requests."))
    if join_request.status != JoinRequestStatus.PENDING:
        raise DomainError(_("This request has already been answered."))
    JoinRequestReview.objects.update_or_create(
        join_request=join_request, reviewer=member, defaults={"approve": approve}
    )
    waiting_changed(circle_ids=[circle.pk])
    # A member who has since left takes their answer with them, as they do a ballot.
    same = join_request.reviews.filter(
        approve=approve,
        reviewer__memberships__circle=circle,
        reviewer__memberships__left_at__isnull=True,
    ).count()
    if same >= circle.approvals_needed:
        join_request.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
        join_request.decided_at = timezone.now()
        join_request.save(update_fields=["status", "decided_at"])
        if approve:
            membership_add(circle=circle, user=join_request.user)
        _tell_applicant(join_request, circle)
    return join_request


def _tell_applicant(join_request: JoinRequest, circle: Circle) -> None:
    approved = join_request.status == JoinRequestStatus.APPROVED
    notify(
        recipients=[join_request.user],
        kind=Kind.REQUEST_DECIDED,
        message=gettext_noop("Welcome to %(circle)s: the members approved your request.")
        if approved
        else gettext_noop("The members of %(circle)s did not approve your request this time."),
        params={"circle": circle.name},
        url=circle.get_absolute_url() if approved else reverse("circles:directory"),
        circle=circle,
    )


@transaction.atomic
def join_request_withdraw(*, join_request: JoinRequest, user: User) -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.user_id != user.pk:
        raise DomainError(_("Only the person who asked can withdraw a request."))
    if join_request.status != JoinRequestStatus.PENDING:
        raise DomainError(_("This request has already been answered."))
    join_request.status = JoinRequestStatus.WITHDRAWN
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_at"])
    waiting_changed(circle_ids=[join_request.circle_id])
    return join_request


def invite_create(
    *,
    circle: Circle,
    member: User,
    lifetime: timedelta = constants.INVITE_DEFAULT_LIFETIME,
    max_uses: int = constants.INVITE_DEFAULT_MAX_USES,
    email: str = "",
) -> Invite:
    if email:
        limit_hit(limits.INVITE_EMAILS, key=limits.member_key(member))
        limit_hit(limits.INVITE_EMAILS_TO_ADDRESS, key=limits.address_key(email))
    if membership_of(circle=circle, user=member) is None:
        raise DomainError(_("Only members can invite people."))
    if not timedelta(0) < lifetime <= constants.INVITE_MAX_LIFETIME:
        raise DomainError(_("An invite lasts between one day and 90 days."))
    if not 1 <= max_uses <= constants.INVITE_MAX_USES_LIMIT:
        raise DomainError(_("An invite can be used between 1 and 500 times."))
    invite = Invite.objects.create(
        circle=circle,
        token=secrets.token_urlsafe(constants.INVITE_TOKEN_BYTES),
        created_by=member,
        email=email,
        expires_at=timezone.now() + lifetime,
        max_uses=1 if email else max_uses,
    )
    if email:
        email_send(
            to=email,
            template="invite",
            context={
                "inviter": {PERSON: member.pk},
                "circle_name": circle.name,
                "invite_path": reverse("circles:invite", args=[invite.token]),
                "expires_at": invite.expires_at.date().isoformat(),
            },
            language=circle.language,
        )
    return invite


def invite_revoke(*, invite: Invite, member: User) -> Invite:
    if membership_of(circle=invite.circle, user=member) is None:
        raise DomainError(_("Only members can revoke invites."))
    Invite.objects.filter(pk=invite.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    invite.refresh_from_db()
    return invite


def invite_problem(invite: Invite) -> str | None:
    """Why an invite cannot be used, in words for the person holding it; None if usable."""
    if invite.revoked_at:
        return _("This invite was withdrawn by the circle.")
    if invite.expires_at <= timezone.now():
        return _("This invite has expired.")
    if invite.use_count >= invite.max_uses:
        return _("This invite has been used as many times as it allows.")
    return None


@transaction.atomic
def invite_accept(*, invite: Invite, user: User) -> Membership:
    circle = _lock_circle(invite.circle)
    invite = Invite.objects.select_for_update().get(pk=invite.pk)
    if membership_of(circle=circle, user=user):
        raise DomainError(_("You are already a member of this circle."))
    if problem := invite_problem(invite):
        raise DomainError(problem)
    invite.use_count += 1
    invite.save(update_fields=["use_count"])
    return membership_add(circle=circle, user=user)


def membership_update_care_rota(*, membership: Membership, willing: bool) -> Membership:
    """Whether this member is willing to be drawn first for the circle's care rota."""
    membership.care_rota_willing = willing
    membership.save(update_fields=["care_rota_willing"])
    circle_changed(slugs=[membership.circle.slug])
    return membership


def membership_update_sharing(*, membership: Membership, **flags: bool) -> Membership:
    unknown = set(flags) - set(Membership.SHARE_FIELDS)
    if unknown:
        raise ValueError(f"not sharing flags: {sorted(unknown)}")
    for field, value in flags.items():
        setattr(membership, field, bool(value))
    membership.save(update_fields=[*flags])
    circle_changed(slugs=[membership.circle.slug])
    return membership


@transaction.atomic
def membership_end(*, circle: Circle, user: User, because: str = MembershipEnd.LEFT) -> Membership:
    """Leave (or be removed by a decision). The circle and what was written stay."""
    circle = _lock_circle(circle)
    membership = membership_of(circle=circle, user=user)
    if membership is None:
        raise DomainError(_("You are not a member of this circle."))
    membership.left_at = timezone.now()
    membership.ended_because = because
    membership.save(update_fields=["left_at", "ended_because"])
    waiting_changed(circle_ids=[circle.pk])
    circle_changed(slugs=[circle.slug])
    return membership
