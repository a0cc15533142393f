from django import template

from circles.nav import waiting_counts

register = template.Library()


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
