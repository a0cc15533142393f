"""Query budgets: the board pages run the same queries with 10 and with 2,000 posts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from circles.models import HelpCategory, Post, PostKind, PostStatus
from tests.factories import make_circle, make_member
from tests.helpers import assert_query_budget

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
    used = assert_query_budget(
        lambda: client.get(url, filters),
        budget=BOARD_BUDGET,
        grow_data=lambda: _posts(circles, people, LARGE - SMALL, start=SMALL),
        label=f"{page} board",
    )
    assert used > 0
    assert Post.objects.count() == LARGE
