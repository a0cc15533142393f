"""Query budgets: the network board runs the same queries with 3 member circles and with
200 circles and 5,000 shared posts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from circles.models import Circle, HelpCategory, Post, PostKind, PostStatus
from governance.networks.models import NetworkMembership, SharedPost
from tests.factories import make_member
from tests.helpers import assert_query_budget
from tests.networks.sharing_setup import circle, joined_network

pytestmark = pytest.mark.django_db

BOARD_BUDGET = 12
SMALL_CIRCLES, LARGE_CIRCLES = 3, 200
SMALL_POSTS, LARGE_POSTS = 30, 5_000


def shared_posts(network, circles, authors, count, *, start=0, newest=None):
    """count posts, spread over the circles, every one shared with the network, the
    newest at `newest`."""
    categories = HelpCategory.values
    statuses = [s for s in PostStatus.values if s != PostStatus.REMOVED]
    now = timezone.now()
    newest = newest or now
    posts = Post.objects.bulk_create(
        Post(
            circle=circles[n % len(circles)],
            author=authors[n % len(authors)],
            kind=PostKind.NEED if n % 2 else PostKind.OFFER,
            title=f"Shared post {n}",
            category=categories[n % len(categories)],
            urgency="normal" if n % 2 else "",
            anonymous=n % 6 == 1,
            status=statuses[n % len(statuses)],
            expires_at=now + timedelta(days=10),
            created_at=newest - timedelta(minutes=n - start),
        )
        for n in range(start, start + count)
    )
    SharedPost.objects.bulk_create(SharedPost(post=p, network=network) for p in posts)


def more_circles(network, count) -> list[Circle]:
    """count more member circles, every third one private (some showing their name)."""
    circles = Circle.objects.bulk_create(
        Circle(
            name=f"Member circle {n}",
            slug=f"member-circle-{n}",
            visibility="private" if n % 3 == 0 else "public",
        )
        for n in range(count)
    )
    NetworkMembership.objects.bulk_create(
        NetworkMembership(network=network, circle=c, show_name=n % 2 == 0)
        for n, c in enumerate(circles)
    )
    return circles


@pytest.mark.parametrize("filters", [{}, {"status": "", "kind": "need", "q": "post"}])
def test_the_board_does_not_grow_with_circles_and_posts(client, filters):
    circles = [circle(visibility="private" if n == 1 else "public") for n in range(SMALL_CIRCLES)]
    network = joined_network(circles)
    viewer = make_member(circles[0])
    authors = [make_member(c) for c in circles]
    shared_posts(network, circles, authors, SMALL_POSTS)
    client.force_login(viewer)
    url = reverse("networks:board", args=[network.slug])

    def grow():
        big = circles + more_circles(network, LARGE_CIRCLES - SMALL_CIRCLES)
        # Newer than the first ones: the first page now holds posts of many circles.
        later = timezone.now() + timedelta(hours=1)
        shared_posts(
            network, big, authors, LARGE_POSTS - SMALL_POSTS, start=SMALL_POSTS, newest=later
        )

    used = assert_query_budget(
        lambda: client.get(url, filters),
        budget=BOARD_BUDGET,
        grow_data=grow,
        label="network board",
    )
    assert used > 0
    assert NetworkMembership.objects.filter(network=network).count() == LARGE_CIRCLES
    assert SharedPost.objects.filter(network=network).count() == LARGE_POSTS
