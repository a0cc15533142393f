from django import template

from circles.selectors import post_author_name

register = template.Library()


@register.simple_tag(takes_context=True)
def post_author(context, post) -> str:
    """How this post's author is named to whoever is looking (selectors.post_author_name)."""
    return post_author_name(post, viewer=context.get("user"))
