"""`make bench`'s tools: wrk's output read back, CPU time from /proc, and the anchor page the
board is measured against (tests/bench/anchor_urls.py)."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.bench.anchor_urls import ANCHOR_CIRCLE_SLUG, ANCHOR_PATH, ANCHOR_ROW_MARKER, ANCHOR_ROWS
from tests.bench.load import children_of, cpu_ms_between, parse_wrk, ticks_of
from tests.helpers import captured

# Real output of `wrk -t1 -c8 -d3s --latency` on this machine: a board page under gunicorn
# (2 sync workers; each closes the connection after answering, which wrk takes in its stride).
WRK_BOARD = """\
Running 3s test @ http://127.0.0.1:38997/c/bench/board/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   387.87ms   74.74ms 623.78ms   68.97%
    Req/Sec    20.30      7.05    30.00     59.26%
  Latency Distribution
     50%  380.22ms
     75%  402.15ms
     90%  493.55ms
     99%  623.78ms
  58 requests in 3.07s, 779.83KB read
Requests/sec:     18.92
Transfer/sec:    254.37KB
"""

# Real output on this machine against a server that answered 404 to every request.
WRK_NOT_FOUND = """\
Running 1s test @ http://127.0.0.1:18765/nonexistent
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.76ms    0.88ms  14.63ms   90.06%
    Req/Sec     2.15k   116.00     2.32k    81.82%
  Latency Distribution
     50%    2.63ms
     75%    3.00ms
     90%    3.42ms
     99%    5.57ms
  2351 requests in 1.10s, 1.17MB read
  Non-2xx or 3xx responses: 2351
Requests/sec:   2137.23
Transfer/sec:      1.06MB
"""

BURN_S = 0.3
# What a child that burns BURN_S of CPU is seen to spend, allowing clock-tick rounding and
# the few milliseconds around the burn (a reply on a pipe, the loop's last lap).
BURN_MS_RANGE = (250, 500)
BURNER = f"""
import sys, time
print("ready", flush=True)
sys.stdin.readline()
start = time.process_time()
while time.process_time() - start < {BURN_S}:
    pass
print("done", flush=True)
sys.stdin.readline()
"""


def test_wrk_output_gives_requests_per_second_and_percentiles():
    result = parse_wrk(WRK_BOARD)

    assert result.requests == 58
    assert result.seconds == pytest.approx(3.07)
    assert result.requests_per_s == pytest.approx(18.92)
    assert result.p50_ms == pytest.approx(380.22)
    assert result.p99_ms == pytest.approx(623.78)
    assert result.problems() == []


def test_wrk_output_with_error_answers_is_a_problem():
    result = parse_wrk(WRK_NOT_FOUND)

    assert result.non_2xx_3xx == 2351
    assert result.p50_ms == pytest.approx(2.63)
    assert result.problems() == ["2351 non-2xx/3xx responses"]


def with_socket_errors(output: str, errors: str) -> str:
    return output.replace("Requests/sec:", f"  Socket errors: {errors}\nRequests/sec:")


def test_socket_errors_other_than_a_few_closes_are_problems():
    few_closes = with_socket_errors(WRK_NOT_FOUND, "connect 0, read 3, write 0, timeout 2")
    many_closes = with_socket_errors(WRK_BOARD, "connect 0, read 3, write 0, timeout 0")

    result = parse_wrk(few_closes)

    assert result.socket_errors == {"connect": 0, "read": 3, "write": 0, "timeout": 2}
    assert result.problems() == ["2351 non-2xx/3xx responses", "2 socket timeout errors"]
    assert parse_wrk(many_closes).problems() == ["3 socket read errors"]


def test_latency_units_other_than_milliseconds():
    output = WRK_BOARD.replace("50%  380.22ms", "50%  812.00us").replace(
        "99%  623.78ms", "99%    1.20s"
    )

    result = parse_wrk(output)

    assert result.p50_ms == pytest.approx(0.812)
    assert result.p99_ms == pytest.approx(1200)


def test_output_without_figures_is_refused():
    with pytest.raises(ValueError, match="requests in"):
        parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_cpu_time_of_a_child_that_burns_a_known_amount():
    child = subprocess.Popen(
        [sys.executable, "-c", BURNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline() == "ready\n"
        assert child.pid in children_of(os.getpid())
        before = ticks_of([child.pid])
        child.stdin.write("go\n")
        child.stdin.flush()
        assert child.stdout.readline() == "done\n"
        after = ticks_of([child.pid])
    finally:
        child.stdin.close()
        child.wait(timeout=10)

    low, high = BURN_MS_RANGE
    assert low <= cpu_ms_between(before, after) <= high


def test_a_process_that_ended_makes_the_sum_fail():
    with pytest.raises(RuntimeError, match="ended"):
        cpu_ms_between({1: 5, 99: 7}, {1: 9})


@pytest.fixture
def bench_circle(user):
    """The circle the anchor page lists, with more open posts than it shows."""
    from circles.models import Post, PostStatus
    from tests.factories import CircleFactory, make_member

    circle = CircleFactory(slug=ANCHOR_CIRCLE_SLUG)
    make_member(circle, user)
    now = timezone.now()
    Post.objects.bulk_create(
        Post(
            circle=circle,
            author=user,
            kind="offer",
            title=f"Anchor post {n:02}",
            category="food",
            status=PostStatus.OPEN,
            created_at=now - timedelta(minutes=n),
            expires_at=now + timedelta(days=14),
        )
        for n in range(ANCHOR_ROWS + 5)
    )
    return circle


@override_settings(ROOT_URLCONF="tests.bench.anchor_urls")
def test_anchor_page_makes_one_query_beyond_session_and_user(client, user, bench_circle):
    client.force_login(user)

    queries, response = captured(lambda: client.get(f"/{ANCHOR_PATH}"))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(ANCHOR_ROW_MARKER) == ANCHOR_ROWS
    assert "Anchor post 00" in page
    assert f"Anchor post {ANCHOR_ROWS - 1:02}" in page
    assert f"Anchor post {ANCHOR_ROWS:02}" not in page
    beyond_session_and_user = [
        sql for sql in queries if "django_session" not in sql and '"members_user"' not in sql
    ]
    assert len(beyond_session_and_user) == 1, queries
    assert '"circles_post"' in beyond_session_and_user[0]


@override_settings(ROOT_URLCONF="tests.bench.anchor_urls")
def test_anchor_page_sends_visitors_to_sign_in(client, bench_circle):
    response = client.get(f"/{ANCHOR_PATH}")

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_request_login_code"))
