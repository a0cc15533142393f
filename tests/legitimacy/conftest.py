import pytest

from tests.factories import make_circle


@pytest.fixture
def five(db):
    """A circle of five members: the fewest whose activity a report can show."""
    return make_circle(members=5)
