"""Helpers the whole suite shares."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(func, *args, **kwargs) -> tuple[int, object]:
    """Run func and return (number of SQL queries it made, its result)."""
    with CaptureQueriesContext(connection) as ctx:
        result = func(*args, **kwargs)
    return len(ctx.captured_queries), result


def assert_query_budget(func, *, budget: int, grow_data, label: str = "") -> int:
    """The same page under small and large data: same query count, within budget.

    `func` makes the request and returns the response; `grow_data` adds the large data.
    """
    small, response = count_queries(func)
    assert response.status_code == 200, response.status_code
    grow_data()
    large, response = count_queries(func)
    assert response.status_code == 200, response.status_code
    assert small == large, f"{label} queries grew with the data: {small} -> {large}"
    assert large <= budget, f"{label} made {large} queries, budget {budget}"
    return large


# Variables the suite sets for itself that a production process must not inherit.
TEST_ONLY_ENV = {"DEBUG", "SECRET_KEY", "CELERY_TASK_ALWAYS_EAGER", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def production_like_env(**overrides: str) -> dict[str, str]:
    """This process's environment without the suite's own switches, plus overrides."""
    import os

    return {**{k: v for k, v in os.environ.items() if k not in TEST_ONLY_ENV}, **overrides}
