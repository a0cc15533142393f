"""One decorator for every circle view, so no view forgets a permission check.

Order matters: a private circle is a 404 to outsiders (even signed out), then sign-in,
then membership (a visible circle's members-only page is a 403 that offers to join).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from circles.models import Visibility
from circles.selectors import circle_for_viewer, circle_moved_for_viewer, pending_request_of

MEMBERS_ONLY_STATUS = 403


def circle_view(*, members_only: bool = False, login: bool = False, hidden: bool = False):
    """hidden: a members-only page whose very existence is kept from non-members (404)."""
    members_only = members_only or hidden

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            try:
                circle, membership = circle_for_viewer(slug=slug, user=request.user)
            except Http404:
                return _to_new_address(request, slug)
            if (members_only or login) and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if hidden and membership is None:
                raise Http404
            if members_only and membership is None:
                context = {
                    "circle": circle,
                    "pending_request": pending_request_of(circle=circle, user=request.user),
                }
                return render(
                    request, "circles/members_only.html", context, status=MEMBERS_ONLY_STATUS
                )
            return view(request, circle, membership, *args, **kwargs)

        return wrapper

    return decorator


def _to_new_address(request, slug: str):
    """An old address of a circle this person may see: the same page at its new address."""
    circle = circle_moved_for_viewer(slug=slug, user=request.user)
    if circle is None:
        raise Http404
    match = request.resolver_match
    url = reverse(match.view_name, kwargs={**match.kwargs, "slug": circle.slug})
    if query := request.META.get("QUERY_STRING"):
        url = f"{url}?{query}"
    # A hidden circle's move is told only to its members, so it must not be cached as permanent.
    return redirect(url, permanent=circle.visibility == Visibility.PUBLIC)
