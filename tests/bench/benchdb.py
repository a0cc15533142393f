"""Shared set-up for benchmark scripts: a fresh PostgreSQL database, migrated, for one run."""

import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
# A fresh database per run; BENCH_DATABASE names another, so two people can bench at once.
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "peernet_bench")


@contextmanager
def bench_database():
    """Create BENCH_DATABASE, point Django at it, migrate; drop it afterwards."""
    url = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/peernet"))
    admin = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{BENCH_DATABASE}" with (force)')
        conn.execute(f'create database "{BENCH_DATABASE}"')
    os.environ["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{BENCH_DATABASE}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peernet.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, in-memory email

    call_command("migrate", verbosity=0)
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{BENCH_DATABASE}" with (force)')


def timed(func, *, repeat: int = 20) -> tuple[float, int, object]:
    """(median milliseconds, queries of the last run, last result) of func()."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            result = func()
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return times[len(times) // 2], len(ctx.captured_queries), result
