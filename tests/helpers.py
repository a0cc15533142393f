"""Helpers the whole suite shares."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def captured(func) -> tuple[list[str], object]:
    """Run func and return (the SQL it ran, its result)."""
    with CaptureQueriesContext(connection) as ctx:
        result = func()
    return [q["sql"] for q in ctx.captured_queries], result


def count_queries(func, *args, **kwargs) -> tuple[int, object]:
    """Run func and return (number of SQL queries it made, its result)."""
    queries, result = captured(lambda: func(*args, **kwargs))
    return len(queries), result


def _cold_cache() -> None:
    """Each measured view is a first view: nothing it would find in the cache (a board, a
    circle, badges, the unread count) is there, and a session falls back to the database.
    So the two counts compare like with like, whatever grow_data made stale."""
    # Imported here, so this module imports without Django set up (the benchmarks use it).
    from django.core.cache import cache

    cache.clear()


def assert_query_budget(func, *, budget: int, grow_data, label: str = "") -> int:
    """The same page under small and large data: same query count, within budget.

    `func` makes the request and returns the response; `grow_data` adds the large data.
    """
    _cold_cache()
    small_sql, response = captured(func)
    assert response.status_code == 200, response.status_code
    grow_data()
    _cold_cache()
    large_sql, response = captured(func)
    assert response.status_code == 200, response.status_code
    small, large = len(small_sql), len(large_sql)
    listing = "\n".join(s[:160] for s in large_sql)
    assert small == large, f"{label} queries grew with the data: {small} -> {large}\n{listing}"
    assert large <= budget, f"{label} made {large} queries, budget {budget}\n{listing}"
    return large


# Variables the suite sets for itself that a production process must not inherit.
TEST_ONLY_ENV = {"DEBUG", "SECRET_KEY", "CELERY_TASK_ALWAYS_EAGER", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def production_like_env(**overrides: str) -> dict[str, str]:
    """This process's environment without the suite's own switches, plus overrides."""
    import os

    return {**{k: v for k, v in os.environ.items() if k not in TEST_ONLY_ENV}, **overrides}


def run_at_once(func, times: int) -> list:
    """Call func from `times` threads released together; each result or raised exception."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(times)
    results: list = [None] * times

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = func()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def circle_form_data(**fields) -> dict:
    """Every field of the circle settings form, as a browser posts them; override any."""
    return {
        "name": "A circle",
        "purpose": "",
        "topics": "",
        "area": "",
        "language": "en",
        "visibility": "public",
        "join_policy": "open",
        "approvals_needed": "1",
        "care_rota_days": "30",
        **fields,
    }
