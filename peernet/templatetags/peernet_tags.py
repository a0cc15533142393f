from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

from peernet.markdown import SUMMARY_MAX_CHARS, clip_words, markdown_plain_text, render_markdown

register = template.Library()

# Anything newer than this reads "just now", never "0 minutes ago".
JUST_NOW = timedelta(minutes=1)


@register.filter(name="markdown")
def markdown_filter(text: str):
    return render_markdown(text)


@register.filter
def plain_summary(text: str, limit: int = SUMMARY_MAX_CHARS) -> str:
    """Markdown as the plain text a reader sees, clipped on a word with "…" (for lists)."""
    return clip_words(markdown_plain_text(text), int(limit))


@register.filter
def ago(value: datetime | None) -> str:
    """How long ago, in words: "just now" under a minute, else "3 hours ago"."""
    if not value:
        return ""
    if timezone.now() - value < JUST_NOW:
        return _("just now")
    return _("%(when)s ago") % {"when": timesince(value)}


@register.filter
def time_left(value: datetime | None) -> str:
    """How long until, in words: "less than a minute" at the end, never "0 minutes"."""
    if not value:
        return ""
    if value - timezone.now() < JUST_NOW:
        return _("less than a minute")
    return timeuntil(value)
