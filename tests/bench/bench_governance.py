"""Casting a ballot and closing a proposal with an electorate of 10,000: queries and time."""

import time

from benchdb import bench_database

ELECTORATE = 10_000
BALLOTS_BEFORE_CLOSE = 6_000
CAST_SAMPLES = 50


def main() -> None:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from circles.models import Circle, Membership
    from governance.models import Ballot, ProposalKind
    from governance.services import ballot_cast, proposal_close, proposal_create
    from peernet.members.models import User

    circle = Circle.objects.create(name="Big circle", slug="big", visibility="private")
    users = User.objects.bulk_create(
        User(email=f"v{n}@bench.test", display_name=f"Voter {n}") for n in range(ELECTORATE)
    )
    Membership.objects.bulk_create(Membership(circle=circle, user=u) for u in users)
    started = time.perf_counter()
    proposal = proposal_create(
        circle=circle,
        proposer=users[0],
        kind=ProposalKind.ADD_AGREEMENT,
        title="Welcome everyone",
        reason="Bench",
        data={"title": "Welcome", "text": "All are welcome."},
    )
    open_ms = (time.perf_counter() - started) * 1000
    Ballot.objects.bulk_create(
        Ballot(proposal=proposal, voter=u, choice="yes" if n % 3 else "no")
        for n, u in enumerate(users[CAST_SAMPLES : CAST_SAMPLES + BALLOTS_BEFORE_CLOSE])
    )

    times, queries = [], []
    for voter in users[:CAST_SAMPLES]:
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            ballot_cast(proposal=proposal, voter=voter, choice="yes")
            times.append((time.perf_counter() - start) * 1000)
        queries.append(len(ctx.captured_queries))
    times.sort()

    proposal.closes_at = timezone.now()
    proposal.save(update_fields=["closes_at"])
    # The close itself, in its transaction; announcing the decision is a Celery task queued
    # on commit (eager here), measured on its own.
    with CaptureQueriesContext(connection) as everything:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                closed = proposal_close(proposal=proposal)
                close_ms = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
        announce_ms = (time.perf_counter() - start) * 1000
    announce_queries = len(everything.captured_queries) - len(ctx.captured_queries)

    print(f"electorate                 {ELECTORATE}")
    print(f"open (snapshot electorate) {open_ms:.0f} ms")
    print(
        f"cast a ballot              median {times[len(times) // 2]:.1f} ms, "
        f"max {max(times):.1f} ms, queries {max(queries)} (budget 8)"
    )
    print(
        f"close and tally            {close_ms:.1f} ms, queries {len(ctx.captured_queries)} "
        f"(budget 10); {closed.status}, turnout {closed.ballots_cast}/{closed.electorate_size}"
    )
    print(
        f"announce the decision      {announce_ms:.1f} ms, queries {announce_queries}"
        f" (task after commit: {ELECTORATE} notifications)"
    )


if __name__ == "__main__":
    with bench_database():
        main()
