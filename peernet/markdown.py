"""Markdown that members write, rendered and sanitised (no scripts, no styles, safe links)."""

import re
from html import unescape

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> SafeString:
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


# How much of a purpose a list (the directory) shows before "…".
SUMMARY_MAX_CHARS = 200
ELLIPSIS = "…"
BLOCK_EDGE = re.compile(r"<(?=/?(?:p|li|br|h\d|blockquote|pre|ul|ol|hr)\b)")


def markdown_plain_text(text: str) -> str:
    """What a reader sees of the Markdown, as one line of plain text: no "*" or "#"
    syntax, no tags, entities decoded, blocks and list items joined by spaces."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    # A space at every block's edge, so "<li>rides</li><li>meals</li>" does not run
    # together; inline tags ("**bold**er") join as they read.
    spaced = nh3.clean(BLOCK_EDGE.sub(" <", html), tags=set(), attributes={})
    return " ".join(unescape(spaced).split())


def clip_words(text: str, limit: int = SUMMARY_MAX_CHARS) -> str:
    """text cut to at most `limit` characters on a word boundary, with "…" if cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS) + 1]
    head, _space, _rest = cut.rpartition(" ")
    clipped = (head or cut[: limit - len(ELLIPSIS)]).rstrip(" ,;:.-\u2013\u2014")
    return clipped + ELLIPSIS
