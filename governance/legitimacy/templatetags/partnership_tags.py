from django import template

from governance.legitimacy.models import Partnership
from governance.legitimacy.selectors.partnerships import partnership_from_change

register = template.Library()


@register.simple_tag
def partnership_terms(change: dict) -> Partnership:
    """{% partnership_terms change as terms %}: a proposal's terms, shown like an accepted
    partnership's."""
    return partnership_from_change(change)
