"""Network views: asking a question, and a question's page."""

from django.http import Http404


def ask(request, slug):
    raise Http404


def question_page(request, slug, pk):
    raise Http404
