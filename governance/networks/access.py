"""One decorator for every network view (/n/<slug>/...), so no view forgets a permission check.

Order matters, as for circles: a private network is a 404 to anyone not in one of its member
circles (even signed out); then, for members-only pages of a public network, sign-in, then a
403 page. Site staff get no more than anyone else.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from governance.networks.selectors.viewers import network_for_viewer

MEMBERS_ONLY_STATUS = 403


def network_view(*, members_only: bool = False):
    """The view gets (request, viewer: NetworkViewer, *args): the network and the viewer's
    circles in it."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            viewer = network_for_viewer(slug=slug, user=request.user)
            if members_only and not viewer.is_member:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                return render(
                    request,
                    "networks/members_only.html",
                    {"network": viewer.network},
                    status=MEMBERS_ONLY_STATUS,
                )
            return view(request, viewer, *args, **kwargs)

        return wrapper

    return decorator
