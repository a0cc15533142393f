"""The board's cost under gunicorn on PostgreSQL, against an anchor page, measured with wrk.

Seeds one public circle with 2,000 posts, counts each page's queries with the test client,
then serves the same database with gunicorn as production does (2 sync workers, DEBUG=false,
static files collected) and loads each page with wrk: requests per second, the median and 99th
percentile latency, and the CPU milliseconds each request cost the server: gunicorn's workers
(not the master, which only supervises them), the PostgreSQL backends of the bench database
and redis-server (the board's fragment cache, sessions), read from /proc before and after.

The anchor page (tests/bench/anchor_urls.py) is the floor of a signed-in page: the full
middleware stack, one indexed query, a 20-row template. "board/anchor" is its CPU per request
divided by the board's: 1.0 is a board as cheap as the anchor. A second server with
BOARD_CACHE_SECONDS=0 gives the figures of a cache miss.
"""

import http.client
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from benchdb import ROOT, bench_database, timed
from load import children_of, cpu_ms_between, run_wrk, ticks_of, wait_until_idle, wrk_path

POSTS = 2_000
AUTHORS = 20
CIRCLE_SLUG = "bench"
HOST = "127.0.0.1"
WORKERS = 2
WRK_THREADS = 1
WRK_CONNECTIONS = 8
WARM_UP_S = 1
MEASURE_S = 3
# Each server's pages are measured this many times over, in turn, and each page reports its
# median round: CPU per request drifts with what else the machine does, and taking the pages
# in turn lets the drift touch them alike rather than one page's whole run.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
STARTUP_TIMEOUT_S = 30.0
SETTINGS_MODULE = "tests.bench.anchor_settings"
HIT_GOAL = 1.0
MISS_GOAL = 0.6

HEALTHZ, ANCHOR, LANDING, BOARD, FILTERED, MY_BOARD = (
    "/healthz",
    "anchor",
    "landing",
    "board",
    "board, filtered",
    "my board",
)
CACHE_ON = "cache on"
CACHE_OFF = "cache off"
POST_TITLE = re.compile(r"Bench post \d{4}")


@dataclass(frozen=True)
class Seeded:
    viewer: object
    newest_open_title: str
    filter_query: str
    filtered_titles: frozenset[str]


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    signed_in: bool
    check: Callable[[str], None]


@dataclass(frozen=True)
class Measured:
    page: str
    server: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    cpu_ms: dict[str, float]  # per request: workers, postgres, redis

    @property
    def cpu_total_ms(self) -> float:
        return sum(self.cpu_ms.values())


def seed() -> Seeded:
    """The circle, a signed-in viewer, other authors and POSTS posts."""
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
    open_posts = Post.objects.open().in_circle(circle).order_by("-created_at", "-pk")
    newest_need = open_posts.filter(kind=PostKind.NEED).first()
    filtered = Post.objects.filter(circle=circle, kind=PostKind.NEED, category=newest_need.category)
    return Seeded(
        viewer=users[0],
        newest_open_title=open_posts.first().title,
        filter_query=f"?kind={PostKind.NEED}&category={newest_need.category}",
        filtered_titles=frozenset(filtered.values_list("title", flat=True)),
    )


def pages(seeded: Seeded) -> dict[str, Page]:
    from django.urls import reverse

    from tests.bench.anchor_urls import ANCHOR_PATH, ANCHOR_ROW_MARKER, ANCHOR_ROWS

    board_url = reverse("circles:board", args=[CIRCLE_SLUG])
    circle_url = reverse("circles:home", args=[CIRCLE_SLUG])

    def healthz(body: str) -> None:
        assert body == "ok", body[:200]

    def anchor(body: str) -> None:
        assert body.count(ANCHOR_ROW_MARKER) == ANCHOR_ROWS, "the anchor lists no 20 rows"
        assert seeded.newest_open_title in body, "the anchor does not list the newest post"

    def landing(body: str) -> None:
        assert f'href="{circle_url}"' in body, "the landing page does not list the circle"

    def board(body: str) -> None:
        assert seeded.newest_open_title in body, "the board does not list the newest post"

    def filtered(body: str) -> None:
        titles = set(POST_TITLE.findall(body))
        assert titles, "the filtered board lists no posts"
        assert titles <= seeded.filtered_titles, (
            f"not of the filter: {titles - seeded.filtered_titles}"
        )

    return {
        HEALTHZ: Page(HEALTHZ, HEALTHZ, False, healthz),
        ANCHOR: Page(ANCHOR, f"/{ANCHOR_PATH}", True, anchor),
        LANDING: Page(LANDING, reverse("home"), True, landing),
        BOARD: Page(BOARD, board_url, True, board),
        FILTERED: Page(FILTERED, board_url + seeded.filter_query, True, filtered),
        MY_BOARD: Page(MY_BOARD, reverse("circles:my_board"), True, board),
    }


def count_queries(viewer, by_name: dict[str, Page]) -> dict[tuple[str, str], int]:
    """Queries of each page through the test client, {(page, server): count}, the page
    checked as under gunicorn; the third of three requests, so a warm cache for CACHE_ON."""
    from django.test import Client, override_settings

    client = Client()
    client.force_login(viewer)
    queries = {}
    for server, overrides in ((CACHE_ON, {}), (CACHE_OFF, {"BOARD_CACHE_SECONDS": 0})):
        with override_settings(**overrides):
            for page in by_name.values():
                _ms, count, response = timed(lambda page=page: client.get(page.url), repeat=3)
                assert response.status_code == 200, (page.url, response.status_code)
                try:
                    page.check(response.content.decode())
                except AssertionError as error:
                    raise AssertionError(f"{page.url} ({server}): {error}") from error
                queries[page.name, server] = count
    return queries


def session_cookie(viewer) -> str:
    """A Cookie header value for a real, saved session of the viewer."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(viewer)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def production_env(static_root: str, *, board_cache_seconds: int | None) -> dict[str, str]:
    """This environment (DATABASE_URL already points at the bench database) in production
    mode; BOARD_CACHE_SECONDS as given, or production's default when None."""
    from django.conf import settings

    from tests.helpers import production_like_env

    env = production_like_env(
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
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
    env.pop("BOARD_CACHE_SECONDS", None)
    if board_cache_seconds is not None:
        env["BOARD_CACHE_SECONDS"] = str(board_cache_seconds)
    return env


def get(port: int, url: str, headers: dict[str, str]) -> tuple[int, str]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", url, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


@contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[tuple[int, list[int]]]:
    """A production gunicorn on a free port until the block ends: (port, worker pids)."""
    from scripts.demo_site import gunicorn_command
    from tests.helpers import free_port

    port = free_port()
    server = subprocess.Popen(gunicorn_command(port, WORKERS), cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {server.returncode}")
            workers = children_of(server.pid)
            try:
                if len(workers) == WORKERS and get(port, HEALTHZ, {})[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn was not up within {STARTUP_TIMEOUT_S:.0f} s")
            time.sleep(0.2)
        yield port, workers
    finally:
        server.terminate()
        server.wait(timeout=30)


def backends(monitor) -> list[int]:
    """The bench database's PostgreSQL backends but the monitor's own."""
    rows = monitor.execute(
        "select pid from pg_stat_activity where datname = current_database()"
        " and backend_type = 'client backend' and pid <> pg_backend_pid()"
    ).fetchall()
    return [pid for (pid,) in rows]


def wait_until_disconnected(monitor) -> None:
    """Until a stopped server's backends have gone, lest the next server's snapshots see one
    end mid-measurement."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while backends(monitor):
        if time.monotonic() > deadline:
            raise RuntimeError(f"backends {backends(monitor)} outlived their gunicorn")
        time.sleep(0.1)


class ServerCpu:
    """CPU time of what serves a request: gunicorn's workers, the bench database's
    PostgreSQL backends (the app's pool keeps them) and redis-server."""

    def __init__(self, monitor, redis_pid: int, workers: list[int]):
        self.monitor = monitor  # a psycopg connection to the bench database, not counted
        self.redis_pid = redis_pid
        self.workers = workers
        (own_backend,) = monitor.execute("select pg_backend_pid()").fetchone()
        for service, pid in (("PostgreSQL", own_backend), ("redis-server", redis_pid)):
            if not Path(f"/proc/{pid}").exists():
                raise RuntimeError(
                    f"{service} runs elsewhere (no process {pid} here): the CPU it spends "
                    "is measured from /proc, so the bench needs it on this machine"
                )

    def backends(self) -> list[int]:
        return backends(self.monitor)

    def snapshot(self) -> dict[str, dict[int, int]]:
        return {
            "workers": ticks_of(self.workers),
            "postgres": ticks_of(self.backends()),
            "redis": ticks_of([self.redis_pid]),
        }

    def settle(self) -> None:
        wait_until_idle(self.workers)


def measure(port: int, page: Page, cookie: str, cpu: ServerCpu, server: str) -> Measured:
    headers = {"Cookie": cookie} if page.signed_in else {}
    status, body = get(port, page.url, headers)
    if status != 200:
        raise RuntimeError(f"{page.url} answered {status} under gunicorn ({server})")
    page.check(body)

    url = f"http://{HOST}:{port}{page.url}"
    load = {"headers": headers, "threads": WRK_THREADS, "connections": WRK_CONNECTIONS}
    run_wrk(url, seconds=WARM_UP_S, **load)
    cpu.settle()
    before = cpu.snapshot()
    result, output = run_wrk(url, seconds=MEASURE_S, **load)
    cpu.settle()
    after = cpu.snapshot()
    if result.problems():
        raise RuntimeError(f"{page.url} ({server}): {', '.join(result.problems())}\n{output}")
    return Measured(
        page=page.name,
        server=server,
        requests_per_s=result.requests_per_s,
        p50_ms=result.p50_ms,
        p99_ms=result.p99_ms,
        cpu_ms={
            part: cpu_ms_between(before[part], after[part]) / result.requests for part in before
        },
    )


def median_round(rounds: list[Measured]) -> Measured:
    """The round whose CPU per request is the median of a page's rounds."""
    return sorted(rounds, key=lambda m: m.cpu_total_ms)[len(rounds) // 2]


def redis_pid() -> int:
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    try:
        return int(client.info("server")["process_id"])
    finally:
        client.close()


ROW = "{:<17}{:<11}{:>11}{:>9}{:>9}{:>12}  {:<28}{:>8}"


def report(results: list[Measured], queries: dict[tuple[str, str], int]) -> None:
    print(
        f"gunicorn, {WORKERS} sync workers, DEBUG=false, PostgreSQL, {POSTS} posts; wrk "
        f"-t{WRK_THREADS} -c{WRK_CONNECTIONS} --latency, {MEASURE_S} s after a {WARM_UP_S} s "
        f"warm-up, per page; the median of {ROUNDS} rounds, pages in turn"
    )
    print(
        "CPU ms/request: gunicorn's workers (the master excluded) + the bench database's "
        "PostgreSQL backends + redis-server (shared, so others' use of it shows too)"
    )
    print(
        f"'{CACHE_OFF}': a second server with BOARD_CACHE_SECONDS=0, the board's fragment "
        "cache off: cache misses are measured with the cache off"
    )
    print("queries: per page with the test client (cache warm for 'cache on')")
    header = ROW.format(
        "page",
        "server",
        "requests/s",
        "p50 ms",
        "p99 ms",
        "CPU ms/req",
        "workers / postgres / redis",
        "queries",
    )
    print(header)
    print("-" * len(header))
    for m in results:
        parts = " / ".join(f"{m.cpu_ms[part]:.2f}" for part in ("workers", "postgres", "redis"))
        print(
            ROW.format(
                m.page,
                m.server,
                f"{m.requests_per_s:.1f}",
                f"{m.p50_ms:.1f}",
                f"{m.p99_ms:.1f}",
                f"{m.cpu_total_ms:.2f}",
                parts,
                queries[m.page, m.server],
            )
        )
    for server in (CACHE_ON, CACHE_OFF):
        print(ROW.format(MY_BOARD, server, "-", "-", "-", "-", "", queries[MY_BOARD, server]))

    by = {(m.page, m.server): m for m in results}
    print(
        "board/anchor ratio = the anchor's CPU ms/request / the board's, same server; "
        f"goals: cache hit >= {HIT_GOAL}, cache miss >= {MISS_GOAL}"
    )
    for label, server, goal in (
        ("cache hit", CACHE_ON, HIT_GOAL),
        ("cache miss", CACHE_OFF, MISS_GOAL),
    ):
        ratio = by[ANCHOR, server].cpu_total_ms / by[BOARD, server].cpu_total_ms
        verdict = "" if round(ratio, 2) >= goal else "  BELOW GOAL"
        print(f"board/anchor ratio ({label}): {ratio:.2f}{verdict}")
    old = by[BOARD, CACHE_ON].requests_per_s / by[HEALTHZ, CACHE_ON].requests_per_s
    print(f"(the old measure, no goal: board/healthz requests/s, cache on: {old:.2f})")


def main() -> None:
    wrk_path()  # fails at once, saying how to get wrk, when it is missing
    seeded = seed()
    by_name = pages(seeded)
    queries = count_queries(seeded.viewer, by_name)
    cookie = session_cookie(seeded.viewer)

    import psycopg
    from django.db import connection

    # This process's connections would count among the bench database's backends: the one
    # in use goes back to the pool, and the pool closes.
    connection.close()
    connection.close_pool()
    servers = (
        (CACHE_ON, None, (HEALTHZ, ANCHOR, LANDING, BOARD, FILTERED)),
        (CACHE_OFF, 0, (ANCHOR, BOARD, FILTERED)),
    )
    results = []
    with (
        tempfile.TemporaryDirectory(prefix="peernet-bench-static-") as static_root,
        psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as monitor,
    ):
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
            cwd=ROOT,
            env=production_env(static_root, board_cache_seconds=None),
            check=True,
        )
        for server, cache_seconds, names in servers:
            env = production_env(static_root, board_cache_seconds=cache_seconds)
            with gunicorn(env) as (port, workers):
                cpu = ServerCpu(monitor, redis_pid(), workers)
                rounds = {name: [] for name in names}
                for _round in range(ROUNDS):
                    for name in names:
                        rounds[name].append(measure(port, by_name[name], cookie, cpu, server))
                results.extend(median_round(measured) for measured in rounds.values())
            wait_until_disconnected(monitor)
    report(results, queries)


if __name__ == "__main__":
    # The anchor page's URL for this process's test client and for gunicorn alike.
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    with bench_database():
        main()
