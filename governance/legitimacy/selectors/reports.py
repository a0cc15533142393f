"""Reading published reports: the public page, a circle's list, and its home."""

import json

from django.http import Http404

from circles.models import Circle, Membership, Visibility
from governance.legitimacy.models import PublishedReport


def published_report(*, public_id: str) -> PublishedReport:
    """A published report by its public address, whoever asks: publishing made it public."""
    report = (
        PublishedReport.objects.select_related("circle", "replaces")
        .filter(public_id=public_id)
        .first()
    )
    if report is None:
        raise Http404
    return report


def report_document(report: PublishedReport) -> dict:
    return json.loads(report.document)


def correction_of(report: PublishedReport) -> PublishedReport | None:
    """The later report that says it replaces this one, if any."""
    return report.corrections.order_by("published_at", "pk").first()


def reports_of(*, circle: Circle):
    return PublishedReport.objects.filter(circle=circle).only(
        "public_id", "known_as", "period_start", "period_end", "published_at", "replaces_id"
    )


def correctable_reports(*, circle: Circle):
    """The reports a new one may correct: the circle's latest of each line of corrections."""
    return reports_of(circle=circle).filter(corrections__isnull=True)


def reports_listed_for(*, circle: Circle, membership: Membership | None) -> bool:
    """Who sees which reports a circle published: everyone for a public circle, otherwise its
    members (each report is public at its own address, but not tied to the circle)."""
    return membership is not None or circle.visibility == Visibility.PUBLIC


def home_reports(*, circle: Circle, membership: Membership | None) -> dict | None:
    """The circle home's list of published reports, for those reports_listed_for allows."""
    if not reports_listed_for(circle=circle, membership=membership):
        return None
    reports = list(reports_of(circle=circle))
    return {"reports": reports} if reports else None
