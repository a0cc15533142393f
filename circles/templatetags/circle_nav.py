from django import template

from circles.nav import waiting_counts

register = template.Library()

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
def circle_waiting(context, circle) -> dict[str, int]:
    """What waits for the viewer in this circle (circles.nav), in one query."""
    return waiting_counts(circle=circle, user=context["user"])


@register.filter
def changed_from_default(form, names: str) -> bool:
    """Whether any of these fields (comma-separated) differs from its default: the board
    opens its filter disclosure when a filter in it is applied."""
    return any(
        (form[name].value() or "") != (form.fields[name].initial or "") for name in names.split(",")
    )
