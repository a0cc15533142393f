"""Each pytest-xdist worker flushes and brokers on a Redis database of its own."""

from tests.workers import _worker_redis_url


def test_each_worker_gets_the_next_database():
    assert _worker_redis_url("redis://127.0.0.1:6379/14", "gw0") == "redis://127.0.0.1:6379/14"
    assert _worker_redis_url("redis://127.0.0.1:6379/14", "gw1") == "redis://127.0.0.1:6379/15"


def test_database_numbers_wrap_within_redis_sixteen():
    assert _worker_redis_url("redis://127.0.0.1:6379/15", "gw2") == "redis://127.0.0.1:6379/1"
    assert _worker_redis_url("redis://host:6379", "gw1") == "redis://host:6379/1"
