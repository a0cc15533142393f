import pytest

from tests.networks.factories import circles, found_network, network_of


@pytest.fixture
def three(db):
    """Three circles of one member each."""
    return circles(3)


@pytest.fixture
def valley(three):
    """A public network, deciding by majority, of three one-member circles."""
    return network_of(three), three


@pytest.fixture
def solo(db):
    """A public network, deciding by majority, founded by one one-member circle: the
    cheapest network, for what needs no other circle."""
    (founder,) = circles(1)
    return found_network(founder), founder
