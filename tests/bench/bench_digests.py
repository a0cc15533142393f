"""A digest run for 10,000 members in 200 circles: digests per second, queries per member."""

import time

from benchdb import bench_database

MEMBERS = 10_000
CIRCLES = 200


def main() -> None:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from circles.models import Circle, JoinRequest, Membership
    from governance.models import Proposal
    from peernet.celery import app
    from peernet.members.models import NotificationSettings, User
    from peernet.notify.emails import delivery_send
    from peernet.notify.models import EmailDelivery
    from peernet.notify.services import digests_send

    now = timezone.now()
    circles = Circle.objects.bulk_create(
        Circle(name=f"Circle {n}", slug=f"c{n}", visibility="private") for n in range(CIRCLES)
    )
    users = User.objects.bulk_create(
        User(email=f"m{n}@bench.test", display_name=f"Member {n}", language="es" if n % 3 else "en")
        for n in range(MEMBERS)
    )
    Membership.objects.bulk_create(
        Membership(circle=circles[n % CIRCLES], user=u) for n, u in enumerate(users)
    )
    NotificationSettings.objects.bulk_create(
        NotificationSettings(user=u, digest_frequency="daily", digest_hour=now.hour) for u in users
    )
    opened = now - timezone.timedelta(hours=2)
    Proposal.objects.bulk_create(
        Proposal(
            circle=c,
            kind="resolution",
            title=f"Idea for {c.name}",
            reason="r",
            status="open",
            opened_at=opened,
            closes_at=now + timezone.timedelta(days=5),
        )
        for c in circles
    )
    JoinRequest.objects.bulk_create(
        JoinRequest(circle=c, user=users[i], message="hi") for i, c in enumerate(circles[:50])
    )

    # Recording the run; the sends it queues go to Redis for workers, as in production.
    app.conf.task_always_eager = False
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        recorded = digests_send(now=now)
        record_s = time.perf_counter() - start
    app.control.purge()
    app.conf.task_always_eager = True
    queries = len(ctx.captured_queries)

    ids = list(EmailDelivery.objects.filter(template="digest").values_list("pk", flat=True))
    sample = ids[:500]
    start = time.perf_counter()
    for pk in sample:
        delivery_send(delivery_id=pk)
    send_s = time.perf_counter() - start

    print(f"members with a digest due     {MEMBERS} in {CIRCLES} circles")
    print(f"digests recorded              {recorded}")
    print(f"record run                    {record_s:.2f} s, {recorded / record_s:.0f} digests/s")
    print(
        f"queries in the run            {queries}, {queries / MEMBERS:.4f} per member "
        f"(goal at most 0.05)"
    )
    print(
        f"render and send (locmem)      {len(sample) / send_s:.0f} digests/s "
        f"(sample of {len(sample)})"
    )


if __name__ == "__main__":
    with bench_database():
        main()
