"""Networks written directly, for the tests of sharing and the network board: they need
circles that are in a network, not how they came to be (tests/networks/factories.py makes
networks by the circles' own decisions, which is slower)."""

import secrets

from django.utils import timezone

from governance.networks.constants import JOIN_CODE_BYTES
from governance.networks.models import Network, NetworkMembership, NetworkVisibility
from peernet.members.models import Profile
from tests.factories import CircleFactory, make_member


def joined_network(
    member_circles,
    *,
    visibility: str = NetworkVisibility.PUBLIC,
    name: str = "Valley network",
    show_names=(),
) -> Network:
    """A network these circles are in; those in show_names show their name to it."""
    network = Network.objects.create(
        name=name,
        slug=f"{name.lower().replace(' ', '-')}-{secrets.token_hex(3)}",
        purpose="Circles of the valley helping each other.",
        visibility=visibility,
        join_code=secrets.token_urlsafe(JOIN_CODE_BYTES),
    )
    NetworkMembership.objects.bulk_create(
        NetworkMembership(network=network, circle=c, show_name=c in show_names)
        for c in member_circles
    )
    return network


def leave(network: Network, circle) -> None:
    NetworkMembership.objects.active().filter(network=network, circle=circle).update(
        left_at=timezone.now()
    )


def helper_in(circle, *categories, **kwargs):
    """A member of the circle who can help with these categories."""
    person = make_member(circle, **kwargs)
    Profile.objects.filter(user=person).update(help_categories=list(categories))
    return person


def circle(**kwargs):
    return CircleFactory(**kwargs)


class World:
    """A public network of three circles (one private, keeping its name to itself) and a
    circle outside it, each with its people."""

    def __init__(self, *, visibility: str = NetworkVisibility.PUBLIC):
        self.home = circle(name="Huerta", slug="huerta")
        self.hidden = circle(name="Secret garden", slug="secret-garden", visibility="private")
        self.other = circle(name="Riverside", slug="riverside")
        self.outside = circle(name="Elsewhere", slug="elsewhere")
        self.network = joined_network([self.home, self.hidden, self.other], visibility=visibility)
        self.author = make_member(self.home, display_name="Ana Author")
        self.neighbour = helper_in(self.home, "transport", display_name="Nel Neighbour")
        self.helper = helper_in(self.hidden, "transport", display_name="Hana Helper")
        self.other_member = make_member(self.other, display_name="Oli Other")
        self.outsider = helper_in(self.outside, "transport", display_name="Otto Outsider")
