"""What a circle counts, for a year with 10,000 posts: queries and median milliseconds of
every measure at once, and of the impact page a member opens (budget: 15 queries)."""

import random
from datetime import timedelta

from benchdb import bench_database, timed

MEMBERS = 1_000
POSTS = 10_000
DECISIONS = 60
ROUNDS = 3
LANGUAGES = ["English", "English, Spanish", "Spanish y Catalan", "Arabic / French", "Tagalog", ""]


def main() -> None:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from circles.models import Circle, Membership, Message, Post, Response
    from governance.legitimacy.models import ImpactSettings, Measure
    from governance.legitimacy.selectors.measures import impact_measures
    from governance.models import Ballot, Comment, Proposal, ProposalKind
    from peernet.members.choices import HelpCategory
    from peernet.members.models import Profile, User

    rng = random.Random(11)
    now = timezone.now()
    year_ago = now - timedelta(days=365)
    circle = Circle.objects.create(name="Big circle", slug="big", visibility="private")
    users = User.objects.bulk_create(
        User(email=f"m{n}@bench.test", display_name=f"Member {n}") for n in range(MEMBERS)
    )
    Profile.objects.bulk_create(
        Profile(user=u, languages=LANGUAGES[n % len(LANGUAGES)]) for n, u in enumerate(users)
    )
    Membership.objects.bulk_create(Membership(circle=circle, user=u) for u in users)
    ImpactSettings.objects.create(circle=circle, measures=Measure.values)

    def moment():
        return year_ago + timedelta(seconds=rng.randrange(365 * 24 * 3600))

    statuses = ["open", "in_progress", "fulfilled", "fulfilled", "withdrawn", "expired"]
    posts = []
    for n in range(POSTS):
        made = moment()
        status = rng.choice(statuses)
        posts.append(
            Post(
                circle=circle,
                author=rng.choice(users),
                kind="need" if n % 2 else "offer",
                title=f"Post {n}",
                category=rng.choice(HelpCategory.values),
                status=status,
                created_at=made,
                expires_at=made + timedelta(days=30),
                fulfilled_at=made + timedelta(hours=rng.randrange(1, 400))
                if status == "fulfilled"
                else None,
            )
        )
    posts = Post.objects.bulk_create(posts, batch_size=2000)
    responses = Response.objects.bulk_create(
        (
            Response(
                post=p,
                responder=rng.choice(users),
                created_at=p.created_at + timedelta(hours=rng.randrange(1, 72)),
            )
            for p in posts
            if rng.random() < 0.8
        ),
        batch_size=2000,
    )
    Message.objects.bulk_create(
        (
            Message(response=r, sender=r.responder, text="Hi", created_at=r.created_at)
            for r in responses
            for _ in range(2)
        ),
        batch_size=2000,
    )
    for n in range(DECISIONS):
        closed = moment()
        proposal = Proposal.objects.create(
            circle=circle,
            kind=ProposalKind.RESOLUTION,
            title=f"Decision {n}",
            reason="Bench",
            status="passed",
            opened_at=closed - timedelta(days=7),
            closes_at=closed,
            closed_at=closed,
            electorate_size=MEMBERS,
            ballots_cast=rng.randrange(200, MEMBERS),
        )
        voters = rng.sample(users, proposal.ballots_cast)
        Ballot.objects.bulk_create(
            Ballot(proposal=proposal, voter=v, choice="yes", cast_at=closed) for v in voters
        )
        Comment.objects.bulk_create(
            Comment(proposal=proposal, author=v, text="Yes", created_at=closed) for v in voters[:5]
        )

    start, end = timezone.localdate(year_ago), timezone.localdate(now)
    ms, queries, result = timed(
        lambda: impact_measures(circle=circle, start=start, end=end, keys=Measure.values),
        repeat=ROUNDS,
    )
    active = next(f for f in result["figures"] if f["measure"] == "active_members")["value"]
    print(f"data                 {POSTS} posts, {len(responses)} responses, {DECISIONS} decisions")
    print(f"impact_measures      {ms:.1f} ms median of {ROUNDS}, {queries} queries (budget 15);")
    print(f"                     {active} members active, all {len(Measure.values)} measures")

    client = Client()
    client.force_login(users[0])
    url = reverse("legitimacy:impact", args=[circle.slug])
    ms, queries, response = timed(lambda: client.get(url), repeat=ROUNDS)
    assert response.status_code == 200, response.status_code
    print(f"impact page          {ms:.1f} ms median of {ROUNDS}, {queries} queries")


if __name__ == "__main__":
    with bench_database():
        main()
