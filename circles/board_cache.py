"""A circle board's list of posts, rendered once and shared by every member who sees it.

Every member of a circle sees the same list for the same filters, page and language, except
in two ways, both kept out of what is shared:
- an anonymous need names its author as "you" to them alone: the shared HTML carries a
  marker there, filled in for each viewer (`_for_viewer`);
- a block hides its people's posts from both sides: a viewer in any block gets a list of
  their own, keyed by whom their blocks hide.

An entry is valid for one version of the circle's board (`board_changed` replaces it on
every write to the circle's posts, now and again at commit) and one minute, since cards say
"3 minutes ago". Both are stored in the entry and checked, so one key per list is
overwritten rather than keys piling up; the version is read in the same round trip.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from circles import constants, selectors
from circles.models import Circle, Post
from peernet.cache_versions import version_in, versions_replace
from peernet.members.models import User
from peernet.members.selectors import blocked_ids_either_way

VERSION_KEY = "board-version:{circle}"
# v1: the format of _Entry; a new format gets a new prefix, never an entry it cannot read.
ENTRY_KEY = "board-posts:v1:{circle}:{digest}"
# Where an anonymous need's author goes in the shared HTML (never typed by a member: what
# members type is escaped, so it cannot contain "<").
ANONYMOUS_AUTHOR = "<!--anonymous-author:{post}-->"


def board_changed(*, circle_ids) -> None:
    """Some of these circles' posts changed: their boards' cached lists are stale."""
    versions_replace(VERSION_KEY.format(circle=pk) for pk in set(circle_ids))


def author_name_changed(user: User) -> None:
    """The member was renamed, or their account is going ("former member"): their name is
    on the cards of their posts that are not anonymous."""
    circle_ids = Post.objects.filter(author=user, anonymous=False).values_list("circle_id")
    board_changed(circle_ids=[pk for (pk,) in circle_ids.distinct()])


@dataclass(frozen=True)
class _Entry:
    version: str
    minute: int
    html: str
    # Anonymous posts in the list: {post pk: author pk}, for the "you" only the author sees.
    anonymous_authors: dict[int, int | None]


def board_posts(
    *, request, circle: Circle, filters: dict, page_number: str | None, template: str
) -> SafeString:
    """The posts section of the circle's board for this viewer: from the cache when the
    circle's posts have not changed this minute, else rendered (and cached)."""
    viewer = request.user
    hidden = blocked_ids_either_way(viewer)
    if settings.BOARD_CACHE_SECONDS <= 0:
        return _for_viewer(_render(request, circle, filters, page_number, template), viewer)
    key = _entry_key(circle, filters, page_number, hidden)
    version_key = VERSION_KEY.format(circle=circle.pk)
    found = cache.get_many([version_key, key])
    version = version_in(found, version_key)
    minute = int(timezone.now().timestamp() // 60)
    entry = found.get(key)
    if entry is None or entry.version != version or entry.minute != minute:
        html, anonymous_authors = _render(request, circle, filters, page_number, template)
        entry = _Entry(version, minute, html, anonymous_authors)
        cache.set(key, entry, settings.BOARD_CACHE_SECONDS)
    return _for_viewer((entry.html, entry.anonymous_authors), viewer)


def _entry_key(circle: Circle, filters: dict, page_number, hidden: frozenset[int]) -> str:
    # created_at: a circle id a recreated database gives again is another circle.
    parts = [
        circle.created_at.isoformat(),
        get_language() or "",
        repr(sorted(filters.items())),
        str(page_number or "")[: constants.BOARD_PAGE_PARAM_MAX_LENGTH],
        ",".join(map(str, sorted(hidden))),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return ENTRY_KEY.format(circle=circle.pk, digest=digest)


def board_page(*, circles, viewer: User, filters: dict, page_number) -> Page:
    posts = selectors.board(
        circles=circles,
        viewer=viewer,
        kind=filters.get("kind", ""),
        category=filters.get("category", ""),
        status=filters.get("status", ""),
        text=filters.get("q", ""),
    )
    return Paginator(posts, constants.BOARD_PAGE_SIZE).get_page(page_number)


def link_query(filters: dict) -> dict:
    """The filters as the page links carry them: empty ones left out, but an empty status
    kept, since no status at all means "open"."""
    return {name: value for name, value in filters.items() if value or name == "status"}


def _render(request, circle, filters, page_number, template) -> tuple[str, dict[int, int | None]]:
    page = board_page(
        circles=[circle], viewer=request.user, filters=filters, page_number=page_number
    )
    context = {
        "page": page,
        "circle": circle,
        "show_circle": False,
        # The links keep the filters, never whatever else the first visitor's URL held.
        "query": link_query(filters),
        "anonymous_author_marker": True,
    }
    html = render_to_string(f"{template}#posts", context)
    anonymous_authors = {post.pk: post.author_id for post in page if post.anonymous}
    return html, anonymous_authors


def anonymous_author_marker(post: Post) -> SafeString:
    return mark_safe(ANONYMOUS_AUTHOR.format(post=post.pk))  # noqa: S308 (a fixed comment)


def _for_viewer(rendered: tuple[str, dict[int, int | None]], viewer: User) -> SafeString:
    html, anonymous_authors = rendered
    for post_pk, author_pk in anonymous_authors.items():
        mine = viewer.is_authenticated and viewer.pk == author_pk
        html = html.replace(
            ANONYMOUS_AUTHOR.format(post=post_pk), escape(selectors.anonymous_author_name(mine))
        )
    return mark_safe(html)  # noqa: S308 (rendered by our template; the names escaped)
