"""Each pytest-xdist worker gets its own Redis database.

Tests clear the cache (a FLUSHDB) and some run a real Celery worker on the broker, so two
workers sharing one Redis database would wipe each other's state. This plugin is loaded
with `-p` (pyproject's addopts) so it runs before pytest-django reads the settings.
PostgreSQL needs nothing: pytest-django already gives each worker its own test database.
"""

import os
from urllib.parse import urlsplit, urlunsplit

REDIS_DATABASES = 16


def _worker_redis_url(url: str, worker: str) -> str:
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    index = int(worker.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{(base + index) % REDIS_DATABASES}"))


if (worker := os.environ.get("PYTEST_XDIST_WORKER")) and os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = _worker_redis_url(os.environ["REDIS_URL"], worker)
