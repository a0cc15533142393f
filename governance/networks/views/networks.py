"""Network views: the directory, a network's page, a circle's networks."""

from django.http import Http404


def directory(request):
    raise Http404


def network_page(request, slug):
    raise Http404


def circle_networks(request, slug):
    raise Http404
