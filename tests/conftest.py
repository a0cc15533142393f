import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

# Started first, so that no test process runs one of them alone at the end: the deploy tests
# (one process, about a minute and a half of services starting) and the crawl of the demo.
LONGEST_FIRST = ("tests/test_deploy.py", "tests/test_crawl.py")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's own ordering. Neither depends on it: the deploy tests make their
    own database, and the crawl seeds the demo inside its test's transaction."""
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate limits (allauth's and peernet/limits.py) live in the cache; each test starts with
    none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_flood_limits(settings):
    """A test's setup may post more in a second than a member would in an hour, so the limits
    of peernet/limits.py are off; tests/test_limits.py turns them on. allauth's stay on."""
    settings.RATELIMIT_ENABLE = False


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language, whatever a previous one activated."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Passwords in tests need checking, not a production-strength work factor."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(db):
    from tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def staff(db):
    from tests.factories import UserFactory

    return UserFactory(is_staff=True, is_superuser=True, display_name="Operator")
