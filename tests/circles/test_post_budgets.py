"""Query budgets: the board pages run the same queries with 10 and with 2,000 posts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from circles.board_cache import board_changed
from circles.models import HelpCategory, Post, PostKind, PostStatus
from tests.factories import make_circle, make_member
from tests.helpers import assert_query_budget, count_queries

pytestmark = pytest.mark.django_db

BOARD_BUDGET = 10
SMALL, LARGE = 10, 2_000


def _posts(circles, authors, count, start=0):
    categories = HelpCategory.values
    statuses = [s for s in PostStatus.values if s != PostStatus.REMOVED]
    now = timezone.now()
    Post.objects.bulk_create(
        Post(
            circle=circles[n % len(circles)],
            author=authors[n % len(authors)],
            kind=PostKind.NEED if n % 2 else PostKind.OFFER,
            title=f"Post {n}",
            category=categories[n % len(categories)],
            urgency="normal" if n % 2 else "",
            anonymous=n % 6 == 1,
            status=statuses[n % len(statuses)],
            expires_at=now + timedelta(days=10),
            created_at=now - timedelta(minutes=n),
        )
        for n in range(start, start + count)
    )
    # Written as the services write: the circles' cached boards go stale.
    board_changed(circle_ids=[c.pk for c in circles])


@pytest.fixture
def two_circles():
    first, people = make_circle(members=4)
    second, _ = make_circle(members=1)
    for person in people:
        make_member(second, person)
    return [first, second], people


@pytest.mark.parametrize("page", ["circle", "mine"])
@pytest.mark.parametrize("filters", [{}, {"status": "", "kind": "need", "q": "Post"}])
def test_board_queries_do_not_grow_with_posts(client, two_circles, page, filters):
    circles, people = two_circles
    _posts(circles, people, SMALL)
    client.force_login(people[0])
    url = (
        reverse("circles:board", args=[circles[0].slug])
        if page == "circle"
        else reverse("circles:my_board")
    )

    def cache_miss():
        """The board as after any write to the circle's posts: rendered, not from the cache."""
        board_changed(circle_ids=[c.pk for c in circles])
        return client.get(url, filters)

    client.get(url, filters)  # what is cached per member (their blocks) is cached from here
    used = assert_query_budget(
        cache_miss,
        budget=BOARD_BUDGET,
        grow_data=lambda: _posts(circles, people, LARGE - SMALL, start=SMALL),
        label=f"{page} board",
    )
    assert used > 0
    assert Post.objects.count() == LARGE
    if page == "circle":
        # A second look finds the list in the cache: no query for the posts at all.
        hit, response = count_queries(client.get, url, filters)
        assert response.status_code == 200
        assert hit <= used - POSTS_QUERIES, (hit, used)


POSTS_QUERIES = 2  # the page's COUNT and its SELECT
