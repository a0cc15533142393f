"""A network's cost as it grows: the network board with 3 member circles and with 200 circles
and 5,000 shared posts (budget: 12 queries, the same for both), and opening a question
across 200 circles, one linked proposal in each (budget: 20 queries)."""

import secrets
from datetime import timedelta

from benchdb import bench_database, timed

SMALL_CIRCLES, LARGE_CIRCLES = 3, 200
SMALL_POSTS, LARGE_POSTS = 60, 5_000
MEMBERS_PER_CIRCLE = 5
ROUNDS = 5
QUESTION_ROUNDS = 3
BOARD_BUDGET = 12
QUESTION_BUDGET = 20


def seed_network(name: str, circles: int, posts: int, rng_seed: int):
    """A public network of `circles` circles of a few members each (every third private),
    with `posts` posts shared with it. Returns (network, a member of its first circle)."""
    import random

    from django.utils import timezone

    from circles.models import Circle, Membership, Post, PostKind, PostStatus
    from governance.networks.constants import JOIN_CODE_BYTES
    from governance.networks.models import Network, NetworkMembership, SharedPost
    from peernet.members.choices import HelpCategory
    from peernet.members.models import Profile, User

    rng = random.Random(rng_seed)
    now = timezone.now()
    network = Network.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        purpose="Bench",
        visibility="public",
        join_code=secrets.token_urlsafe(JOIN_CODE_BYTES),
    )
    member_circles = Circle.objects.bulk_create(
        Circle(
            name=f"{name} circle {n}",
            slug=f"{network.slug}-circle-{n}",
            visibility="private" if n % 3 == 2 else "public",
        )
        for n in range(circles)
    )
    NetworkMembership.objects.bulk_create(
        NetworkMembership(network=network, circle=c, show_name=n % 2 == 0)
        for n, c in enumerate(member_circles)
    )
    users = User.objects.bulk_create(
        User(email=f"{network.slug}-{n}@bench.test", display_name=f"{name} member {n}")
        for n in range(circles * MEMBERS_PER_CIRCLE)
    )
    Profile.objects.bulk_create(Profile(user=u) for u in users)
    Membership.objects.bulk_create(
        Membership(circle=member_circles[n // MEMBERS_PER_CIRCLE], user=u)
        for n, u in enumerate(users)
    )
    statuses = [s for s in PostStatus.values if s != PostStatus.REMOVED]
    shared = Post.objects.bulk_create(
        (
            Post(
                circle=member_circles[n % circles],
                author=users[(n % circles) * MEMBERS_PER_CIRCLE + n % MEMBERS_PER_CIRCLE],
                kind=PostKind.NEED if n % 2 else PostKind.OFFER,
                title=f"Shared post {n}",
                category=rng.choice(HelpCategory.values),
                status=rng.choice(statuses),
                anonymous=n % 2 == 1 and n % 5 == 0,
                created_at=now - timedelta(minutes=n),
                expires_at=now + timedelta(days=30),
            )
            for n in range(posts)
        ),
        batch_size=2000,
    )
    SharedPost.objects.bulk_create(
        (SharedPost(post=p, network=network) for p in shared), batch_size=2000
    )
    return network, users[0]


def board_figures(label: str, network, viewer) -> int:
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(viewer)
    url = reverse("networks:board", args=[network.slug])

    def cold():
        cache.clear()  # a first view: nothing it would find in the cache is there
        return client.get(url)

    ms, queries, response = timed(cold, repeat=ROUNDS)
    assert response.status_code == 200, response.status_code
    print(f"board, {label:<28} {ms:7.1f} ms median of {ROUNDS}, {queries} queries")
    return queries


def question_figures(network, asker) -> int:
    import time

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from circles.models import Membership
    from governance.networks.models import Network, QuestionKind
    from governance.networks.services.questions import question_open

    circle = Membership.objects.get(user=asker).circle
    times, counts = [], []
    for _ in range(QUESTION_ROUNDS):
        # As a caller does: the network's row locked, so its circles are those in it now.
        # Announcing the linked proposals is queued on commit, outside what is measured.
        with transaction.atomic():
            Network.objects.select_for_update().get(pk=network.pk)
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                question = question_open(
                    network=network,
                    kind=QuestionKind.RESOLUTION,
                    title="We meet in spring",
                    reason="Bench",
                    change={},
                    asked_by_circle=circle,
                    asked_by=asker,
                )
                times.append((time.perf_counter() - start) * 1000)
            counts.append(len(ctx.captured_queries))
    times.sort()
    print(
        f"question_open, {question.links.count()} circles    {times[len(times) // 2]:7.1f} ms "
        f"median of {QUESTION_ROUNDS}, {counts[-1]} queries (budget {QUESTION_BUDGET})"
    )
    return counts[-1]


def main() -> None:
    small, small_viewer = seed_network("Small network", SMALL_CIRCLES, SMALL_POSTS, 1)
    large, large_viewer = seed_network("Large network", LARGE_CIRCLES, LARGE_POSTS, 2)
    print(
        f"data                           {SMALL_CIRCLES} circles / {SMALL_POSTS} shared posts; "
        f"{LARGE_CIRCLES} circles / {LARGE_POSTS} shared posts"
    )
    few = board_figures(f"{SMALL_CIRCLES} circles", small, small_viewer)
    many = board_figures(f"{LARGE_CIRCLES} circles, {LARGE_POSTS} posts", large, large_viewer)
    same = "the same" if few == many else "NOT the same"
    print(f"board queries                  {same} with 3 and 200 circles (budget {BOARD_BUDGET})")
    try:
        question_figures(large, large_viewer)
    except NotImplementedError:
        print("question_open                  not written yet")


if __name__ == "__main__":
    with bench_database():
        main()
