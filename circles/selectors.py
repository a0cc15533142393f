"""Reads for circles, and the permission checks every circle view uses."""

from django.db.models import Q, QuerySet
from django.http import Http404

from circles.models import Circle, Invite, JoinRequest, JoinRequestStatus, Membership, Visibility
from peernet.members.models import User


def membership_of(*, circle: Circle, user: User) -> Membership | None:
    """The person's active membership, or None. Site staff get nothing special."""
    if not user.is_authenticated:
        return None
    return Membership.objects.active().filter(circle=circle, user=user).first()


def active_member_count(*, circle: Circle) -> int:
    return Membership.objects.active().filter(circle=circle).count()


def circle_for_viewer(*, slug: str, user: User) -> tuple[Circle, Membership | None]:
    """The circle if this person may know it exists: private circles are 404 to outsiders."""
    circle = Circle.objects.filter(slug=slug).with_member_count().first()
    if circle is None:
        raise Http404
    membership = membership_of(circle=circle, user=user)
    if circle.visibility == Visibility.PRIVATE and membership is None:
        raise Http404
    return circle, membership


def directory_circles(*, text: str = "", topic: str = "", area: str = "") -> QuerySet[Circle]:
    circles = Circle.objects.public().with_member_count()
    if text:
        circles = circles.filter(
            Q(name__icontains=text) | Q(purpose__icontains=text) | Q(topics__icontains=text)
        )
    if topic:
        circles = circles.filter(topics__icontains=topic)
    if area:
        circles = circles.filter(area__icontains=area)
    return circles.order_by("name", "pk")


def circles_of_user(*, user: User) -> QuerySet[Circle]:
    return (
        Circle.objects.filter(memberships__user=user, memberships__left_at__isnull=True)
        .with_member_count()
        .order_by("name")
    )


def members_of(*, circle: Circle) -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .filter(circle=circle)
        .select_related("user", "user__profile")
        .order_by("user__display_name", "pk")
    )


def pending_requests(*, circle: Circle) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(circle=circle, status=JoinRequestStatus.PENDING)
        .select_related("user")
        .prefetch_related("reviews")
        .order_by("created_at")
    )


def pending_request_of(*, circle: Circle, user: User) -> JoinRequest | None:
    if not user.is_authenticated:
        return None
    return JoinRequest.objects.filter(
        circle=circle, user=user, status=JoinRequestStatus.PENDING
    ).first()


def join_request_for_member(*, circle: Circle, pk: int) -> JoinRequest:
    request = JoinRequest.objects.filter(circle=circle, pk=pk).select_related("user").first()
    if request is None:
        raise Http404
    return request


def invites_of(*, circle: Circle) -> QuerySet[Invite]:
    return Invite.objects.filter(circle=circle).select_related("created_by")


def invite_by_token(*, token: str) -> Invite:
    invite = Invite.objects.filter(token=token).select_related("circle").first()
    if invite is None:
        raise Http404
    return invite
