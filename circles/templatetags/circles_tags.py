from django import template

from circles.board_cache import anonymous_author_marker
from circles.selectors import post_author_name

register = template.Library()


@register.simple_tag(takes_context=True)
def post_author(context, post) -> str:
    """How this post's author is named to whoever is looking (selectors.post_author_name).
    In a list shared by every viewer, an anonymous author is a marker filled in per viewer."""
    if post.anonymous and context.get("anonymous_author_marker"):
        return anonymous_author_marker(post)
    return post_author_name(post, viewer=context.get("user"))
