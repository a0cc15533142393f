"""Who may see a network, and how its circles are named to each viewer.

A circle's label in a network, to anyone: its name if the circle is public or unlisted, or if
it decided to show its name to the network; else "a private circle". A viewer's own circle is
always named to them. The name links to the circle's home only where that link tells nothing
new: the viewer's own circle, or a public one (an unlisted circle's address stays unlisted).
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.translation import gettext as _

from circles.models import Circle, Membership, Visibility
from governance.networks.models import Network, NetworkMembership
from peernet.members.models import User


@dataclass(frozen=True)
class NetworkViewer:
    """A network as one person sees it: their own circles, and those of them in it now."""

    network: Network
    circle_ids: frozenset[int] = frozenset()
    member_circle_ids: frozenset[int] = frozenset()

    @property
    def is_member(self) -> bool:
        """A member of one of the network's active member circles: its board, its questions
        and its joining code are theirs."""
        return bool(self.member_circle_ids)


def viewer_circles(*, network: Network, user: User) -> tuple[frozenset[int], frozenset[int]]:
    """(the person's circles, those of them active in the network), in one query."""
    if not user.is_authenticated:
        return frozenset(), frozenset()
    in_network = NetworkMembership.objects.active().filter(
        network=network, circle_id=OuterRef("circle_id")
    )
    rows = (
        Membership.objects.active()
        .filter(user=user)
        .annotate(in_network=Exists(in_network))
        .values_list("circle_id", "in_network")
    )
    mine = dict(rows)
    return frozenset(mine), frozenset(c for c, member in mine.items() if member)


def network_for_viewer(*, slug: str, user: User) -> NetworkViewer:
    """The network if this person may know it exists: a private network is a 404 to anyone
    not in one of its active member circles. Staff get no more than anyone else."""
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise Http404
    circle_ids, member_circle_ids = viewer_circles(network=network, user=user)
    if not network.is_public and not member_circle_ids:
        raise Http404
    return NetworkViewer(network, circle_ids, member_circle_ids)


@dataclass(frozen=True)
class CircleLabel:
    name: str
    url: str = ""  # the circle's home, when the viewer may be shown it
    named: bool = True
    mine: bool = False


def chooses_to_be_named(circle: Circle) -> bool:
    """Only a private circle chooses whether its networks see its name; any other circle's
    name shows anyway."""
    return circle.visibility == Visibility.PRIVATE


def circle_label(circle: Circle, *, show_name: bool, viewer_circle_ids) -> CircleLabel:
    mine = circle.pk in viewer_circle_ids
    if not (mine or show_name or not chooses_to_be_named(circle)):
        return CircleLabel(_("a private circle"), named=False)
    linked = mine or circle.visibility == Visibility.PUBLIC
    return CircleLabel(circle.name, circle.get_absolute_url() if linked else "", mine=mine)


@dataclass(frozen=True)
class Labeller:
    """Names circles to one viewer in one network."""

    viewer_circle_ids: frozenset[int]
    # {circle_id: show_name} of each circle's latest membership: a circle that left is still
    # named (or not) in the questions it voted on as it chose while it was in.
    show_names: dict[int, bool]

    def __call__(self, circle: Circle, *, show_name: bool | None = None) -> CircleLabel:
        if show_name is None:
            show_name = self.show_names.get(circle.pk, False)
        return circle_label(circle, show_name=show_name, viewer_circle_ids=self.viewer_circle_ids)


def labeller(network: Network, viewer_circle_ids, memberships=None) -> Labeller:
    """memberships: every membership the network has had, oldest first, if already read."""
    if memberships is None:
        memberships = NetworkMembership.objects.filter(network=network).order_by("joined_at", "pk")
    return Labeller(frozenset(viewer_circle_ids), {m.circle_id: m.show_name for m in memberships})
