"""What notify holds about a member: the notifications they were sent, and the emails
addressed to them without an account. Registered in NotifyConfig.ready()."""

from peernet.exports import iso
from peernet.members.models import User
from peernet.members.registry import MemberData
from peernet.notify.models import Notification
from peernet.notify.services import member_notices_forget


def member_export(user: User) -> dict:
    notices = Notification.objects.filter(recipient=user).select_related("actor")
    return {
        "notifications": [
            {"text": n.text, "url": n.url, "created": iso(n.created_at), "read": iso(n.read_at)}
            for n in notices.order_by("created_at")
        ]
    }


CONTRIBUTION = MemberData(
    order=40,
    export=member_export,
    release=lambda user: member_notices_forget(user=user),
)
