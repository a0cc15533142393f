"""Board page under gunicorn on PostgreSQL: requests per second as a ratio to /healthz.

Seeds one public circle with 2,000 posts, counts the queries of a board page with the test
client, then serves the same database with gunicorn in production mode (DEBUG=false) and
hammers /healthz and the board from client threads, the board as a signed-in member.
"""

import http.client
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta

from benchdb import ROOT, bench_database, timed

POSTS = 2_000
AUTHORS = 20
CIRCLE_SLUG = "bench"
BOARD_URL = f"/c/{CIRCLE_SLUG}/board/"
MY_BOARD_URL = "/board/"
HEALTHZ_URL = "/healthz"
HOST = "127.0.0.1"
WORKERS = 2
CLIENTS = 8
WARM_UP_S = 1.0
DURATION_S = 5.0
STARTUP_TIMEOUT_S = 30.0
RATIO_GOAL = 0.35


def seed():
    """The circle, a signed-in viewer, other authors and POSTS posts; returns (viewer, title)."""
    from django.db import connection
    from django.utils import timezone

    from circles.models import Circle, Membership, Post, PostKind, PostStatus, Urgency
    from peernet.members.choices import HelpCategory
    from peernet.members.models import Profile, User

    circle = Circle.objects.create(name="Bench", slug=CIRCLE_SLUG, visibility="public")
    users = User.objects.bulk_create(
        [User(email="viewer@bench.test", display_name="Viewer")]
        + [User(email=f"a{n}@bench.test", display_name=f"Author {n:02}") for n in range(AUTHORS)]
    )
    Profile.objects.bulk_create(Profile(user=u) for u in users)
    Membership.objects.bulk_create(Membership(circle=circle, user=u) for u in users)

    now = timezone.now()
    statuses = [PostStatus.OPEN] * 7 + [
        PostStatus.IN_PROGRESS,
        PostStatus.FULFILLED,
        PostStatus.WITHDRAWN,
        PostStatus.EXPIRED,
        PostStatus.REMOVED,
    ]
    categories = HelpCategory.values
    urgencies = Urgency.values
    posts = []
    for n in range(POSTS):
        kind = PostKind.NEED if n % 2 else PostKind.OFFER
        posts.append(
            Post(
                circle=circle,
                author=users[n % len(users)],
                kind=kind,
                title=f"Bench post {n:04}",
                details="Some details about what is offered or needed. " * 3,
                category=categories[n % len(categories)],
                urgency=urgencies[n % len(urgencies)] if kind == PostKind.NEED else "",
                anonymous=kind == PostKind.NEED and n % 50 == 1,
                status=statuses[n % len(statuses)],
                created_at=now - timedelta(minutes=n),
                expires_at=now + timedelta(days=14),
            )
        )
    Post.objects.bulk_create(posts)
    with connection.cursor() as cursor:
        # What autovacuum does in production after a bulk load: fresh planner statistics.
        cursor.execute("ANALYZE")
    newest_open = Post.objects.open().in_circle(circle).order_by("-created_at", "-pk").first()
    return users[0], newest_open.title


def count_queries(viewer, expected_title: str) -> dict[str, int]:
    """Queries of /healthz, one board and one my-board page through the test client."""
    from django.test import Client

    client = Client()
    client.force_login(viewer)
    queries = {}
    for url in (HEALTHZ_URL, BOARD_URL, MY_BOARD_URL):
        _ms, queries[url], response = timed(lambda url=url: client.get(url), repeat=3)
        assert response.status_code == 200, (url, response.status_code)
        if url != HEALTHZ_URL:
            assert expected_title in response.content.decode(), f"{url} does not list the posts"
    return queries


def session_cookie(viewer) -> str:
    """A Cookie header value for a real, saved session of the viewer."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(viewer)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def get(conn: http.client.HTTPConnection, url: str, headers: dict) -> tuple[int, bytes]:
    conn.request("GET", url, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def production_env(static_root: str) -> dict[str, str]:
    """This environment (DATABASE_URL already points at peernet_bench) in production mode."""
    from django.conf import settings

    from tests.helpers import production_like_env

    return production_like_env(
        DEBUG="false",
        # Required without DEBUG; this process's key, so the session it signed stays valid.
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS=HOST,
        # Production redirects plain HTTP to HTTPS; this benchmark talks plain HTTP.
        SECURE_SSL_REDIRECT="false",
        # Production serves hashed static files from a manifest that collectstatic writes.
        STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
    )


def start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    from scripts.demo_site import gunicorn_command

    return subprocess.Popen(gunicorn_command(port, WORKERS), cwd=ROOT, env=env)


def wait_until_up(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            if get(conn, HEALTHZ_URL, {})[0] == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {HEALTHZ_URL} within {STARTUP_TIMEOUT_S:.0f} s")


def requests_per_second(port: int, url: str, headers: dict) -> float:
    """CLIENTS threads, one HTTPConnection each; 200 responses per second after a warm-up.

    gunicorn's sync workers close the connection after each response; http.client reopens it.
    """
    start = time.monotonic()
    measure_from = start + WARM_UP_S
    stop_at = measure_from + DURATION_S
    counts = [0] * CLIENTS
    errors = []

    def client(index: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        try:
            while (now := time.monotonic()) < stop_at and not errors:
                status, _body = get(conn, url, headers)
                if status != 200:
                    errors.append(f"{url} answered {status}")
                    return
                if now >= measure_from:
                    counts[index] += 1
        except Exception as error:  # reported by the main thread
            errors.append(f"{url}: {error!r}")
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(errors[0])
    return sum(counts) / DURATION_S


def main() -> None:
    viewer, expected_title = seed()
    queries = count_queries(viewer, expected_title)
    board_headers = {"Cookie": session_cookie(viewer)}

    from tests.helpers import free_port

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="peernet-bench-static-") as static_root:
        server = start_gunicorn(production_env(static_root), port)
        try:
            wait_until_up(server, port)
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            status, body = get(conn, BOARD_URL, board_headers)
            conn.close()
            if status != 200 or expected_title not in body.decode():
                raise RuntimeError(f"{BOARD_URL} under gunicorn: {status}, not the board")
            healthz_before = requests_per_second(port, HEALTHZ_URL, {})
            board = requests_per_second(port, BOARD_URL, board_headers)
            healthz_after = requests_per_second(port, HEALTHZ_URL, {})
        finally:
            server.terminate()
            server.wait(timeout=30)

    healthz = (healthz_before + healthz_after) / 2
    ratio = board / healthz
    print(
        f"gunicorn, {WORKERS} sync workers, DEBUG=false, PostgreSQL; {POSTS} posts; "
        f"{CLIENTS} clients, {DURATION_S:.0f} s each after {WARM_UP_S:.0f} s warm-up"
    )
    print(f"{'url':<20}{'requests/s':>12}{'queries/page':>14}")
    print(f"{HEALTHZ_URL + ' (before)':<20}{healthz_before:>12.1f}{queries[HEALTHZ_URL]:>14}")
    print(f"{BOARD_URL:<20}{board:>12.1f}{queries[BOARD_URL]:>14}")
    print(f"{HEALTHZ_URL + ' (after)':<20}{healthz_after:>12.1f}{queries[HEALTHZ_URL]:>14}")
    print(f"{MY_BOARD_URL + ' (client)':<20}{'-':>12}{queries[MY_BOARD_URL]:>14}")
    verdict = "" if ratio >= RATIO_GOAL else "  BELOW GOAL"
    print(f"board/healthz ratio: {ratio:.2f} (goal >= {RATIO_GOAL}){verdict}")


if __name__ == "__main__":
    with bench_database():
        main()
