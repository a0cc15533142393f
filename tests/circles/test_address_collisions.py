"""Address collisions that tests/circles/test_addresses.py leaves out: names with no letters
to make an address from, names longer than an address, names that differ only in accents or
case, a circle coming back to the public, and a hidden circle going public onto a taken name.
"""

import re

import pytest
from django.urls import reverse

from circles import constants
from circles.models import Circle, FormerAddress
from circles.services import circle_create, circle_update_settings
from tests.factories import UserFactory
from tests.helpers import circle_form_data

pytestmark = pytest.mark.django_db

SETTINGS = {"join_policy": "approval", "approvals_needed": 1, "language": "en"}
SUFFIX = r"[a-z0-9]{4,}"


def create(name, visibility="public", creator=None):
    return circle_create(
        creator=creator or UserFactory(), name=name, visibility=visibility, **SETTINGS
    )


def test_names_with_nothing_to_spell_an_address_share_a_fallback_without_clashing(client):
    first = create("🌱🌱🌱")
    second = create("…!?")
    third = create("Ωμέγα")  # no Latin letters either
    assert first.slug == "circle"
    slugs = [first.slug, second.slug, third.slug]
    assert len(set(slugs)) == 3
    for circle in (second, third):
        assert re.fullmatch(rf"circle-{SUFFIX}", circle.slug), circle.slug
    # Each address leads to its own circle.
    for circle in (first, second, third):
        page = client.get(reverse("circles:home", args=[circle.slug]))
        assert page.status_code == 200
        assert f"<h1>{circle.name}</h1>" in page.content.decode()


def test_names_that_differ_only_in_accents_case_or_spacing_get_distinct_addresses():
    circles = [create(name) for name in ("Café Club", "cafe club", "CAFÉ   CLUB", "café-club")]
    assert circles[0].slug == "cafe-club"
    assert len({c.slug for c in circles}) == 4
    for circle in circles[1:]:
        assert re.fullmatch(rf"cafe-club-{SUFFIX}", circle.slug), circle.slug


@pytest.mark.parametrize("visibility", ["public", "private"])
def test_long_names_that_share_their_start_fit_the_address_and_do_not_clash(visibility):
    stem = "Neighbours who share tools, seeds and rides across the whole valley"
    names = [f"{stem} north side", f"{stem} south side", f"{stem} north side"]
    assert all(len(n) <= constants.CIRCLE_NAME_MAX_LENGTH for n in names)
    circles = [create(name, visibility) for name in names]
    assert len({c.slug for c in circles}) == 3
    for circle in circles:
        assert len(circle.slug) <= constants.CIRCLE_SLUG_MAX_LENGTH
        assert circle.slug.startswith("neighbours-who-share-tools")
        assert not circle.slug.startswith("-") and not circle.slug.endswith("-")
        assert "--" not in circle.slug
        circle.full_clean()  # the stored address is a valid one


def test_going_private_and_public_again_returns_to_the_same_readable_address(client):
    founder = UserFactory()
    circle = create("Tool Library", creator=founder)
    circle_update_settings(circle=circle, member=founder, changes={"visibility": "private"})
    circle.refresh_from_db()
    secret = circle.slug
    assert secret != "tool-library"

    circle_update_settings(circle=circle, member=founder, changes={"visibility": "public"})
    circle.refresh_from_db()
    assert circle.slug == "tool-library"
    # The readable address is the live one again, not also a former one pointing at itself.
    assert list(FormerAddress.objects.filter(circle=circle).values_list("slug", flat=True)) == [
        secret
    ]
    answer = client.get(reverse("circles:home", args=[secret]))
    assert answer.status_code == 301
    assert answer.url == reverse("circles:home", args=["tool-library"])
    assert client.get(reverse("circles:home", args=["tool-library"])).status_code == 200


def test_a_hidden_circle_going_public_onto_a_taken_name_gets_a_suffix(client):
    founder = UserFactory()
    hidden = create("Seed Swap", "private", creator=founder)
    public = create("Seed Swap")
    assert public.slug == "seed-swap"

    circle_update_settings(circle=hidden, member=founder, changes={"visibility": "public"})
    hidden.refresh_from_db()
    assert re.fullmatch(rf"seed-swap-{SUFFIX}", hidden.slug), hidden.slug
    public.refresh_from_db()
    assert public.slug == "seed-swap"
    assert Circle.objects.get(slug="seed-swap") == public
    page = client.get(reverse("circles:home", args=["seed-swap"])).content.decode()
    assert public.get_visibility_display() in page
    assert Circle.objects.filter(name="Seed Swap").count() == 2


def test_creating_a_circle_through_the_page_with_a_taken_name_gets_its_own_address(client):
    taken = create("Repair Cafe")
    person = UserFactory()
    client.force_login(person)
    form = client.get(reverse("circles:create"))
    key = form.context["form"].initial["submission"]
    answer = client.post(
        reverse("circles:create"),
        circle_form_data(name="Repair Cafe", submission=key),
    )
    assert answer.status_code == 302
    mine = Circle.objects.get(memberships__user=person)
    assert mine != taken
    assert re.fullmatch(rf"repair-cafe-{SUFFIX}", mine.slug), mine.slug
    assert answer.url == reverse("circles:home", args=[mine.slug])
    # The first circle's address still leads to the first circle.
    assert client.get(reverse("circles:members", args=[taken.slug])).status_code == 403
    assert client.get(reverse("circles:members", args=[mine.slug])).status_code == 200
