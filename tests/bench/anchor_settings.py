"""Peernet's settings with the benchmark's anchor page added (tests/bench/anchor_urls.py).

Only tests/bench/bench_board.py uses it, for its own process and its gunicorn servers.
"""

from peernet.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.anchor_urls"
