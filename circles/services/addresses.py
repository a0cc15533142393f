"""Circle addresses (slugs) that reveal nothing.

A public circle's address is made from its name, with a random suffix when that is taken.
A private or unlisted circle's address carries a long random part: nobody reaches it by
guessing from its name, and naming a new circle after it never shows that it exists. An
address a circle had before keeps leading to it (only for its members, unless it is public).
"""

import secrets
from collections.abc import Iterator
from itertools import islice

from django.utils.text import slugify

from circles import constants
from circles.board_cache import board_changed
from circles.models import Circle, FormerAddress, Visibility
from circles.selectors import circle_changed

SLUG_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no l, o, 0, 1 to misread
SLUG_SECRET_LENGTH = 16  # 80 bits
SLUG_SUFFIX_LENGTH = 5
SLUG_FALLBACK = "circle"


def _random_part(length: int) -> str:
    return "".join(secrets.choice(SLUG_ALPHABET) for _ in range(length))


def slug_candidates(name: str, visibility: str) -> Iterator[str]:
    """Addresses to try, in order, for a circle of this name and visibility."""
    room = constants.CIRCLE_SLUG_MAX_LENGTH - SLUG_SECRET_LENGTH - 1
    base = slugify(name)[:room].strip("-") or SLUG_FALLBACK
    if visibility == Visibility.PUBLIC:
        yield base
        while True:
            yield f"{base}-{_random_part(SLUG_SUFFIX_LENGTH)}"
    while True:
        yield f"{base}-{_random_part(SLUG_SECRET_LENGTH)}"


def address_taken(slug: str, *, circle: Circle | None = None) -> bool:
    """In use by a circle, or once used by another circle (its old links still work)."""
    former = FormerAddress.objects.filter(slug=slug)
    if circle is not None:
        former = former.exclude(circle=circle)
    return Circle.objects.filter(slug=slug).exists() or former.exists()


def free_slug(name: str, visibility: str, *, circle: Circle | None = None) -> str:
    for slug in islice(slug_candidates(name, visibility), constants.SLUG_ATTEMPTS):
        if not address_taken(slug, circle=circle):
            return slug
    raise AssertionError("unreachable: a random address is always free")


def address_for_visibility(*, circle: Circle, old_visibility: str) -> None:
    """After a change of visibility: a circle leaving the public gets a secret address, and
    one going public a readable one. The old address is kept, so old links still work."""
    was_public = old_visibility == Visibility.PUBLIC
    if was_public == (circle.visibility == Visibility.PUBLIC):
        return
    new_slug = free_slug(circle.name, circle.visibility, circle=circle)
    FormerAddress.objects.filter(circle=circle, slug=new_slug).delete()
    FormerAddress.objects.create(circle=circle, slug=circle.slug)
    old_slug, circle.slug = circle.slug, new_slug
    circle.save(update_fields=["slug"])
    circle_changed(slugs=[old_slug, new_slug])
    # The board's cards link to posts at the circle's address.
    board_changed(circle_ids=[circle.pk])
