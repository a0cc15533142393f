"""The author of a post shares it with a network of their circle (off by default), and
members of the network's other circles respond in the same private conversation."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from circles.lifecycle import still_running
from circles.models import Membership, Post, PostKind, Response
from circles.services import response_create
from governance.networks.models import Network, NetworkMembership, SharedPost
from governance.networks.selectors.board import shared_post_seen
from governance.networks.selectors.viewers import circle_label
from peernet.errors import DomainError
from peernet.members.models import Profile, User
from peernet.members.selectors import blocked_either_way, who_can_help
from peernet.notify.models import Kind
from peernet.notify.services import notify


def _require_author(post: Post, user: User) -> None:
    if post.author_id != user.pk:
        raise DomainError(_("Only the person who posted this can share it."))


def _circle_membership(post: Post, network: Network) -> NetworkMembership | None:
    return (
        NetworkMembership.objects.active()
        .filter(network=network, circle_id=post.circle_id)
        .select_related("circle")
        .first()
    )


@transaction.atomic
def post_share(*, post: Post, author: User, network: Network) -> SharedPost:
    """Show the post on the network's board. Sharing it again changes nothing."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    _require_author(post, author)
    if not Membership.objects.active().filter(circle_id=post.circle_id, user=author).exists():
        raise DomainError(_("Only members of the post's circle can share it."))
    if not still_running(status=post.status):
        raise DomainError(
            _("This post is %(status)s, so it can't be shared.")
            % {"status": post.get_status_display()}
        )
    membership = _circle_membership(post, network)
    if membership is None:
        raise DomainError(_("Your circle is not in that network."))
    shared, created = SharedPost.objects.get_or_create(post=post, network=network)
    if created and post.kind == PostKind.NEED:
        _notify_matching_helpers(post, network, membership)
    return shared


def _notify_matching_helpers(post: Post, network: Network, membership: NetworkMembership):
    """Members of the network's other circles who can help with the need's category hear of
    it, once per post and network; nobody in a block with the author. Never the author's
    name, nor a private circle's: the circle as the network shows it to outsiders."""
    label = circle_label(membership.circle, show_name=membership.show_name, viewer_circle_ids=())
    in_post_circle = Membership.objects.active().filter(circle_id=post.circle_id).values("user_id")
    profiles = (
        Profile.objects.filter(
            user__memberships__left_at__isnull=True,
            user__memberships__circle__network_memberships__network=network,
            user__memberships__circle__network_memberships__left_at__isnull=True,
        )
        .exclude(user_id=post.author_id)
        .exclude(user_id__in=in_post_circle)
        .exclude(user__in=blocked_either_way(post.author))
        .distinct()
    )
    notify(
        recipients=User.objects.filter(pk__in=who_can_help(profiles, post.category)),
        kind=Kind.SHARED_POST_MATCHED,
        message=gettext_noop(
            "A member of %(circle)s shared a need in %(network)s that matches what you can "
            "help with: “%(title)s”."
        )
        if label.named
        else gettext_noop(
            "A member of a private circle shared a need in %(network)s that matches what you "
            "can help with: “%(title)s”."
        ),
        params={"circle": label.name, "network": network.name, "title": post.title}
        if label.named
        else {"network": network.name, "title": post.title},
        url=reverse("networks:shared_post", args=[post.pk]),
        circle=None,
        once_key=f"shared-matched:{post.pk}:{network.pk}",
    )


@transaction.atomic
def post_unshare(*, post: Post, author: User, network: Network) -> None:
    """Take the post off the network's board. Conversations already begun stay theirs."""
    _require_author(post, author)
    SharedPost.objects.filter(post=post, network=network).delete()


def shared_response_create(*, post: Post, responder: User, text: str) -> Response:
    """ "I can help" / "I'd like this" from a network's board: a member of the post's own
    circle responds as they would there; anyone else may if the post is shared with a
    network where their circle and the post's are members."""
    seen = shared_post_seen(post=post, viewer=responder)
    if seen is None:
        raise DomainError(_("This post is not shared with a network of yours."))
    return response_create(
        post=post, responder=responder, text=text, via_network=not seen.in_circle
    )
