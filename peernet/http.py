"""Small pieces of request handling that every app shares."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme


def local_url(request: HttpRequest, target: str) -> str | None:
    """target if it is a path on this site that is safe to redirect to, else None."""
    if not target or not target.isprintable() or " " in target:
        return None
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return target


# The same URL answers with a page or a fragment, so a cache must key on the headers that choose.
FRAGMENT_VARY = ["HX-Request", "HX-History-Restore-Request"]


def wants_fragment(request: HttpRequest) -> bool:
    """htmx is swapping part of a page it shows. Not when it restores history after missing
    its cache: it sends HX-Request then too, but needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_page_or_fragment(
    request: HttpRequest, template: str, fragment: str, context: dict, *, status: int = 200
) -> HttpResponse:
    """The whole page, or only its `{% partialdef fragment %}` when htmx swaps it in."""
    name = f"{template}#{fragment}" if wants_fragment(request) else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, FRAGMENT_VARY)
    return response
