from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from circles.nav import waiting_counts

register = template.Library()

NAV_TEMPLATE = "circles/_circle_nav_links.html"
# Circle navigations a process keeps rendered (one per address, language, place and counts).
NAV_HTML_KEPT = 2048

# Pages that belong to one of the circle navigation's places, which is marked current on them.
NAV_PLACE_OF = {
    "circles:post": "circles:board",
    "circles:post_create": "circles:board",
    "governance:proposal": "governance:proposals",
    "governance:proposal_new": "governance:proposals",
    "governance:proposal_kinds": "governance:proposals",
    "circles:sharing": "circles:members",
    "circles:member_block": "circles:members",
}


@register.simple_tag(takes_context=True)
def circle_nav_place(context) -> str:
    """The navigation place (a view name) of the page being shown."""
    match = context["request"].resolver_match
    view_name = match.view_name if match else ""
    return NAV_PLACE_OF.get(view_name, view_name)


@register.simple_tag(takes_context=True)
def circle_nav(context, circle) -> SafeString:
    """The circle navigation, its place marked and its badges counted for the viewer."""
    waiting = waiting_counts(circle=circle, user=context["user"])
    return _circle_nav_html(
        circle.slug, get_language(), circle_nav_place(context), tuple(sorted(waiting.items()))
    )


@lru_cache(maxsize=NAV_HTML_KEPT)
def _circle_nav_html(slug: str, language: str, here: str, waiting: tuple) -> SafeString:
    # Eleven links and their icons on every circle page: rendered once per address,
    # language, place and badge counts, which are all it shows. (A process keeps what it
    # rendered; a template edited while `make run` serves shows after a restart.)
    context = {"circle_slug": slug, "here": here, "waiting": dict(waiting)}
    return mark_safe(render_to_string(NAV_TEMPLATE, context))  # noqa: S308 (our template)


@register.filter
def changed_from_default(form, names: str) -> bool:
    """Whether any of these fields (comma-separated) differs from its default: the board
    opens its filter disclosure when a filter in it is applied."""
    return any(
        (form[name].value() or "") != (form.fields[name].initial or "") for name in names.split(",")
    )
