"""What a circle's proposals about networks show on the proposal's page."""

from django import template

from governance.effects import change_rows
from governance.networks.selectors import networks as selectors
from governance.networks.selectors import questions as question_selectors

register = template.Library()


@register.simple_tag
def network_change_rows(proposal) -> list:
    """{% network_change_rows proposal as rows %}: the change, as the circle's record has it."""
    return change_rows(proposal)


@register.simple_tag
def network_founded_by(proposal):
    return selectors.founded_network(proposal)


@register.simple_tag
def network_admission_of(proposal):
    """The question by which the network decides on a passed proposal to join."""
    return selectors.join_question(proposal)


@register.simple_tag
def network_linked_question(proposal, user):
    return question_selectors.linked_question(proposal=proposal, user=user)


@register.simple_tag
def network_method_explained(method: str) -> str:
    return question_selectors.method_explained(method)
