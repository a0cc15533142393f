"""Network views: the board, sharing a post, a shared post, responding and the conversation."""

from django.http import Http404


def board(request, slug):
    raise Http404


def share(request, slug, pk):
    raise Http404


def shared_post(request, pk):
    raise Http404


def respond(request, pk):
    raise Http404


def conversation(request, pk, response_pk):
    raise Http404
