"""A circle's address reveals nothing: no private circle can be detected by naming a new one
after it, an unlisted circle's link cannot be guessed from its name, and old links still work."""

import re

import pytest
from django.urls import reverse
from django.utils.text import slugify

from circles.models import Circle
from circles.services import circle_create, circle_update_settings
from tests.factories import UserFactory, make_member
from tests.helpers import run_at_once

pytestmark = pytest.mark.django_db

SETTINGS = {"join_policy": "approval", "approvals_needed": 1, "language": "en"}


def create(name, visibility, creator=None):
    return circle_create(
        creator=creator or UserFactory(), name=name, visibility=visibility, **SETTINGS
    )


@pytest.mark.parametrize("visibility", ["private", "unlisted"])
def test_naming_a_circle_after_a_hidden_one_reveals_nothing(visibility):
    create("Hearing Voices Peers", visibility)
    probe = create("Hearing Voices Peers", "public")
    assert probe.slug == "hearing-voices-peers"


@pytest.mark.parametrize("visibility", ["private", "unlisted"])
def test_a_hidden_circle_address_is_not_made_from_its_name_alone(visibility):
    circle = create("Night Owls", visibility)
    assert circle.slug.startswith("night-owls-")
    secret = circle.slug.removeprefix("night-owls-")
    assert len(secret) >= 12
    assert re.fullmatch(r"[a-z0-9]+", secret)
    other = create("Night Owls", visibility)
    assert other.slug != circle.slug


def test_a_taken_public_address_gets_a_random_suffix_not_a_sequence():
    first = create("Food Share", "public")
    second = create("Food Share", "public")
    third = create("Food Share", "public")
    assert first.slug == "food-share"
    for circle in (second, third):
        suffix = circle.slug.removeprefix("food-share-")
        assert suffix != circle.slug
        assert not suffix.isdigit()
        assert len(suffix) >= 4


@pytest.mark.django_db(transaction=True)
def test_twenty_circles_with_the_same_name_at_once_are_all_made():
    people = [UserFactory() for _ in range(20)]

    def make():
        return create("Same Name", "public", creator=people.pop())

    results = run_at_once(make, 20)
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    assert Circle.objects.filter(name="Same Name").count() == 20
    assert len({r.slug for r in results}) == 20


def test_going_private_moves_the_address_and_old_links_still_work_for_members(client):
    founder = UserFactory()
    circle = create("Garden Club", "public", creator=founder)
    outsider = UserFactory()
    old = reverse("circles:board", args=[circle.slug]) + "?kind=need"
    circle_update_settings(circle=circle, member=founder, changes={"visibility": "private"})
    circle.refresh_from_db()
    assert circle.slug != "garden-club"
    assert circle.slug.startswith("garden-club-")

    client.force_login(founder)
    answer = client.get(old)
    assert answer.status_code == 302
    assert answer.url == reverse("circles:board", args=[circle.slug]) + "?kind=need"

    client.force_login(outsider)
    assert client.get(old).status_code == 404
    client.logout()
    assert client.get(old).status_code == 404


def test_going_public_gives_a_readable_address_and_the_secret_one_still_works(client):
    founder = UserFactory()
    circle = create("Quiet Readers", "unlisted", creator=founder)
    secret = circle.slug
    make_member(circle)
    circle_update_settings(circle=circle, member=founder, changes={"visibility": "public"})
    circle.refresh_from_db()
    assert circle.slug == slugify("Quiet Readers")
    answer = client.get(reverse("circles:home", args=[secret]))
    assert answer.status_code == 301
    assert answer.url == reverse("circles:home", args=[circle.slug])


def test_a_new_circle_never_takes_an_old_address():
    founder = UserFactory()
    circle = create("Book Swap", "public", creator=founder)
    circle_update_settings(circle=circle, member=founder, changes={"visibility": "private"})
    newcomer = create("Book Swap", "public")
    assert newcomer.slug != "book-swap"
