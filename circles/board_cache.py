"""A circle board's list of posts, rendered once and shared by every member who sees it.

Every member of a circle sees the same list for the same filters, page and language, except
in two ways, both kept out of what is shared:
- an anonymous need names its author as "you" to them alone: the shared HTML carries a
  marker there, filled in for each viewer (`_for_viewer`), and the entry holds no author,
  only a keyed hash that matches the author's own account;
- a block hides its people's posts from both sides: a viewer in any block gets a list of
  their own, keyed by whom their blocks hide (the same set renders the list).

An entry is valid for one version of the circle's board (`board_changed` replaces it on
every write to the circle's posts, now and again at commit) and one minute, since cards say
"3 minutes ago". Both are stored in the entry and checked, and the version is read in the
same round trip. Only lists anyone can ask for again are kept: a page that exists, without
a search (searches are one person's, and unbounded), so entries stay as many as a circle's
filters, pages and languages, each kept at most BOARD_CACHE_SECONDS.
"""

import hashlib
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from circles import selectors
from circles.forms import board_link_query
from circles.models import Circle, Post
from peernet.cache_versions import version_in, versions_replace
from peernet.members.models import User
from peernet.members.selectors import blocked_ids_either_way

VERSION_KEY = "board-version:{circle}"
# v2: the format of _Entry; a new format gets a new prefix, never an entry it cannot read.
ENTRY_KEY = "board-posts:v2:{circle}:{digest}"
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
    # {post pk: keyed hash of post and author} of the anonymous needs in the list.
    anonymous_authors: dict[int, str]


def board_posts(
    *, viewer: User, circle: Circle, filters: dict, page_number: str | None, template: str
) -> SafeString:
    """The posts section of the circle's board for this viewer: from the cache when the
    circle's posts have not changed this minute, else rendered (and kept when shareable)."""
    hidden = blocked_ids_either_way(viewer)
    page_number = selectors.board_page_number(page_number)
    if settings.BOARD_CACHE_SECONDS <= 0 or filters.get("q"):
        entry, _shareable = _render(circle, filters, page_number, hidden, template)
        return _for_viewer(entry, viewer)
    key = _entry_key(circle, filters, page_number, hidden)
    version_key = VERSION_KEY.format(circle=circle.pk)
    found = cache.get_many([version_key, key])
    version = version_in(found, version_key)
    minute = int(timezone.now().timestamp() // 60)
    entry = found.get(key)
    if entry is None or entry.version != version or entry.minute != minute:
        entry, shareable = _render(circle, filters, page_number, hidden, template)
        entry = replace(entry, version=version, minute=minute)
        if shareable:
            cache.set(key, entry, settings.BOARD_CACHE_SECONDS)
    return _for_viewer(entry, viewer)


def _entry_key(circle: Circle, filters: dict, page_number: int, hidden: frozenset[int]) -> str:
    # created_at: a circle id a recreated database gives again is another circle.
    parts = [
        circle.created_at.isoformat(),
        get_language() or "",
        repr(sorted(filters.items())),
        str(page_number),
        ",".join(map(str, sorted(hidden))),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return ENTRY_KEY.format(circle=circle.pk, digest=digest)


def _render(circle, filters, page_number, hidden, template) -> tuple[_Entry, bool]:
    """The shared list, and whether it is worth sharing: the page asked for exists."""
    page = selectors.board_page(
        circles=[circle], hidden=hidden, filters=filters, page_number=page_number
    )
    context = {
        "page": page,
        "circle": circle,
        "show_circle": False,
        # The links keep the filters, never whatever else the first visitor's URL held.
        "query": board_link_query(filters),
        "anonymous_author_marker": True,
    }
    html = render_to_string(f"{template}#posts", context)
    anonymous = {post.pk: _author_mark(post.pk, post.author_id) for post in page if post.anonymous}
    return _Entry("", 0, html, anonymous), page.number == page_number


def _author_mark(post_pk: int, author_pk: int | None) -> str:
    """Who wrote an anonymous need, as the cache keeps it: a hash only this server can make,
    which tells the author's own account apart and names nobody."""
    return salted_hmac(
        "board-anonymous-author", f"{post_pk}:{author_pk}", algorithm="sha256"
    ).hexdigest()


def anonymous_author_marker(post: Post) -> SafeString:
    return mark_safe(ANONYMOUS_AUTHOR.format(post=post.pk))  # noqa: S308 (a fixed comment)


def _for_viewer(entry: _Entry, viewer: User) -> SafeString:
    html = entry.html
    for post_pk, mark in entry.anonymous_authors.items():
        mine = viewer.is_authenticated and _author_mark(post_pk, viewer.pk) == mark
        html = html.replace(
            ANONYMOUS_AUTHOR.format(post=post_pk), escape(selectors.anonymous_author_name(mine))
        )
    return mark_safe(html)  # noqa: S308 (rendered by our template; the names escaped)
