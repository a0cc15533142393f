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


def is_listed_for(report: PublishedReport, membership: Membership | None) -> bool:
    """A private or unlisted circle's report is public at its address, but the circle is not
    named as its publisher (nor search engines invited) except to its members."""
    return membership is not None or report.circle.visibility == Visibility.PUBLIC


def home_reports(*, circle: Circle, membership: Membership | None) -> dict | None:
    """The circle home's list of published reports: on a public circle's home for everyone,
    otherwise for its members."""
    if membership is None and circle.visibility != Visibility.PUBLIC:
        return None
    reports = list(reports_of(circle=circle))
    return {"reports": reports} if reports else None
