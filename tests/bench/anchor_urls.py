"""Peernet's URLs plus bench/anchor/: the floor a signed-in page cannot go below.

The anchor page passes through the whole production middleware stack (session, auth,
locale, CSP ...), is login-required, makes ONE indexed query (the newest open posts of the
bench circle, a few fields) and renders them in a small standalone template. The board's
cost is measured against it, so a faster or slower machine moves both alike.
"""

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

from circles.models import Post, PostStatus

ANCHOR_PATH = "bench/anchor/"
ANCHOR_CIRCLE_SLUG = "bench"  # the circle tests/bench/bench_board.py seeds
ANCHOR_ROWS = 20
ANCHOR_ROW_MARKER = "data-anchor-row"
# Compiled once, as production's cached template loader keeps a template.
TEMPLATE = engines["django"].from_string((Path(__file__).parent / "anchor.html").read_text())


@login_required
def anchor(request: HttpRequest) -> HttpResponse:
    posts = (
        Post.objects.filter(circle__slug=ANCHOR_CIRCLE_SLUG, status=PostStatus.OPEN)
        .order_by("-created_at", "-id")
        .values("title", "kind", "category", "created_at")[:ANCHOR_ROWS]
    )
    return HttpResponse(TEMPLATE.render({"posts": posts}, request))


urlpatterns = [
    path(ANCHOR_PATH, anchor, name="bench_anchor"),
    path("", include("peernet.urls")),
]
