"""Published reports: public at their own address, as a page, JSON and Markdown."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_safe

from circles.access import circle_view
from circles.selectors import membership_of
from governance.legitimacy.selectors import reports as selectors
from peernet.exports import download

# A published report never changes, so a copy may be kept; a day, in case the circle is
# deleted and takes its reports with it.
REPORT_CACHE_CONTROL = "public, max-age=86400"


@require_safe
@circle_view()
def circle_reports(request, circle, membership) -> HttpResponse:
    if not selectors.reports_listed_for(circle=circle, membership=membership):
        raise Http404
    context = {
        "circle": circle,
        "membership": membership,
        "reports": selectors.reports_of(circle=circle),
    }
    return render(request, "legitimacy/circle_reports.html", context)


def _robots(response: HttpResponse, report) -> HttpResponse:
    """A private or unlisted circle chose to be seen at this address, not to be searched."""
    if not selectors.reports_listed_for(circle=report.circle, membership=None):
        response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def report_page(request, public_id: str) -> HttpResponse:
    report = selectors.published_report(public_id=public_id)
    membership = membership_of(circle=report.circle, user=request.user)
    context = {
        "report": report,
        "doc": selectors.report_document(report),
        "correction": selectors.correction_of(report),
        "membership": membership,
        "circle_shown": selectors.reports_listed_for(circle=report.circle, membership=membership),
    }
    return _robots(render(request, "legitimacy/report.html", context), report)


def _file(content: str, *, content_type: str, filename: str) -> HttpResponse:
    """A download like any other, but one a shared cache may keep: it never changes."""
    response = download(content, content_type=content_type, filename=filename)
    response["Cache-Control"] = REPORT_CACHE_CONTROL
    return response


@require_safe
def report_json(request, public_id: str) -> HttpResponse:
    """The stored document itself, byte for byte: its SHA-256 is the one the page states."""
    report = selectors.published_report(public_id=public_id)
    response = _file(
        report.document,
        content_type="application/json; charset=utf-8",
        filename=f"report-{report.public_id}.json",
    )
    return _robots(response, report)


@require_safe
def report_markdown(request, public_id: str) -> HttpResponse:
    report = selectors.published_report(public_id=public_id)
    doc = selectors.report_document(report)
    with translation.override(doc["language"]):
        content = render_to_string(
            "legitimacy/report.md", {"report": report, "doc": doc}, request=request
        )
    response = _file(
        content,
        content_type="text/markdown; charset=utf-8",
        filename=f"report-{report.public_id}.md",
    )
    return _robots(response, report)
