"""Network views: the directory, a network's page, a circle's networks."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from circles.access import circle_view
from governance.networks import constants
from governance.networks.access import network_view
from governance.networks.selectors import networks as selectors
from governance.networks.selectors.viewers import chooses_to_be_named


@require_safe
def directory(request) -> HttpResponse:
    page = Paginator(selectors.public_networks(), constants.NETWORKS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "mine": list(selectors.networks_of_user(user=request.user))}
    return render(request, "networks/directory.html", context)


@require_safe
@network_view()
def network_page(request, viewer) -> HttpResponse:
    shown = selectors.network_page(viewer=viewer, page_number=request.GET.get("page"))
    return render(request, "networks/network.html", {"network": viewer.network, "shown": shown})


@require_safe
@circle_view(members_only=True)
def circle_networks(request, circle, membership) -> HttpResponse:
    context = {
        "circle": circle,
        "networks": selectors.networks_of_circle(circle=circle),
        "chooses_to_be_named": chooses_to_be_named(circle),
    }
    return render(request, "networks/circle_networks.html", context)
