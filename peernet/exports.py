"""What members take away: plain data for JSON and Markdown, served as a file to keep."""

import json

from django.http import HttpResponse


def iso(value) -> str | None:
    """A date or time as ISO 8601 text, or None."""
    return value.isoformat() if value else None


def download(content: str, *, content_type: str, filename: str) -> HttpResponse:
    """A file the browser saves rather than shows, kept out of shared caches."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def json_download(data: dict, *, filename: str) -> HttpResponse:
    content = json.dumps(data, ensure_ascii=False, indent=2)
    return download(content, content_type="application/json", filename=filename)
