"""Small pieces of request handling that every app shares."""

from django.http import HttpRequest
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
