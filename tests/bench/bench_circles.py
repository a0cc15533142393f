"""Directory and members page: median time and queries with 5 and with 500 circles or members."""

from benchdb import bench_database, timed

SIZES = [5, 500]


def main() -> None:
    from django.test import Client

    from circles.models import Circle, Membership
    from peernet.members.models import Profile, User

    viewer = User.objects.create(email="viewer@bench.test", display_name="Viewer")
    Profile.objects.create(user=viewer)
    client = Client()
    client.force_login(viewer)
    home = Circle.objects.create(name="Home", slug="home", visibility="public")
    Membership.objects.create(circle=home, user=viewer)
    print(f"{'page':<12}{'rows':>6}{'median ms':>12}{'queries':>9}")
    for size in SIZES:
        have = Circle.objects.count() - 1
        Circle.objects.bulk_create(
            Circle(name=f"Circle {n:04}", slug=f"c-{n}", visibility="public")
            for n in range(have, size)
        )
        users = User.objects.bulk_create(
            User(email=f"m{n}@bench.test", display_name=f"Member {n:04}")
            for n in range(home.memberships.count() - 1, size - 1)
        )
        Profile.objects.bulk_create(Profile(user=u) for u in users)
        Membership.objects.bulk_create(Membership(circle=home, user=u) for u in users)
        for label, url in [("directory", "/circles/"), ("members", "/c/home/members/")]:
            ms, queries, response = timed(lambda url=url: client.get(url))
            assert response.status_code == 200, response.status_code
            print(f"{label:<12}{size:>6}{ms:>12.1f}{queries:>9}")


if __name__ == "__main__":
    with bench_database():
        main()
