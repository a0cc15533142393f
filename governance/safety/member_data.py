"""What safety holds about a member: the reports they made (never reports about them, which
would say who reported), what they wrote to a care rota, and their turns on rotas."""

from governance.safety.models import Report, ReportMessage, RotaSeat
from peernet.exports import iso
from peernet.members.models import User
from peernet.members.registry import MemberData


def member_export(user: User) -> dict:
    reports = Report.objects.filter(reporter=user).select_related("circle")
    written = ReportMessage.objects.filter(sender=user).select_related("report__circle")
    turns = RotaSeat.objects.filter(member=user).select_related("circle")
    return {
        "reports_made": [
            {
                "circle": r.circle.name,
                "about": r.target,
                "reason": r.reason,
                "words": r.words,
                "made": iso(r.created_at),
                "handled": iso(r.handled_at),
            }
            for r in reports.order_by("created_at")
        ],
        "care_rota_messages": [
            {"circle": m.report.circle.name, "text": m.text, "written": iso(m.created_at)}
            for m in written.order_by("created_at")
        ],
        "care_rota_turns": [
            {
                "circle": t.circle.name,
                "drawn": iso(t.drawn_at),
                "until": iso(t.ends_at),
                "declined": iso(t.declined_at),
            }
            for t in turns.order_by("drawn_at")
        ],
    }


def member_release(user: User) -> None:
    """A report outlives its reporter's account (the rota may still be acting on it, and the
    circle's record counts it), but what they wrote goes with them."""
    Report.objects.filter(reporter=user).update(words="")
    ReportMessage.objects.filter(sender=user).delete()


CONTRIBUTION = MemberData(order=35, export=member_export, release=member_release)
