from django.db.models import QuerySet

from peernet.members.models import User
from peernet.notify.models import Notification


def unread_count(*, user: User) -> int:
    return Notification.objects.unread().filter(recipient=user).count()


def notifications_for(*, user: User) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
