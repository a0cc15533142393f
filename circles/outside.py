"""Posts seen beyond their circle. An app above circles (networks) shows a post its author
shared to members of other circles, who may respond to it: their conversation lives at that
app's address, and the post's page has that app's section (where the author shares it).
Both are registered in its AppConfig.ready(), so circles never imports it."""

from collections.abc import Callable

from django.urls import reverse

from circles.home import HomeSection
from circles.models import Post, Response

# (post=, viewer=) -> the section's context, or None to leave it out.
PostSectionData = Callable[..., dict | None]

_conversation_url_name: list[str] = []
_post_sections: list[tuple[str, PostSectionData]] = []


def register_outside_conversation(url_name: str) -> None:
    """The view (args: post id, response id) where a conversation started from outside the
    post's circle is held, for both its people."""
    _conversation_url_name[:] = [url_name]


def outside_conversation_url(response: Response) -> str:
    return reverse(_conversation_url_name[0], args=[response.post_id, response.pk])


def register_post_section(template: str, build: PostSectionData) -> None:
    _post_sections.append((template, build))


def post_sections(*, post: Post, viewer) -> list[HomeSection]:
    sections = []
    for template, build in _post_sections:
        data = build(post=post, viewer=viewer)
        if data is not None:
            sections.append(HomeSection(template, data))
    return sections
