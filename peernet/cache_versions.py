"""Things kept in the cache until a write makes them stale, told apart by version tokens.

Each cached value is stored with the tokens of the version keys it was computed under, and
used only while they are still current. A write replaces the tokens (`versions_replace`) at
once, so the writer's own next read sees the change, and again at commit, because a page
read between the two saw the rows as they were before the commit. A reader that computed
from old rows stores them under the old tokens, which nobody matches again: no race leaves a
stale value in use. A token is random, never a count: a version the cache lost comes back
new, never equal to an old one.
"""

import secrets
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction

TOKEN_BYTES = 8


def versions_replace(keys: Iterable[str]) -> None:
    keys = list(dict.fromkeys(keys))
    if not keys:
        return

    def replace():
        cache.set_many({key: secrets.token_hex(TOKEN_BYTES) for key in keys}, timeout=None)

    replace()
    transaction.on_commit(replace)


def version_in(found: dict, key: str) -> str:
    """The current token of a version key read with cache.get_many; one made if missing."""
    if token := found.get(key):
        return token
    cache.add(key, secrets.token_hex(TOKEN_BYTES), timeout=None)
    return cache.get(key) or ""


def cached(key: str, versions: list[str], compute: Callable[[], object], timeout: int):
    """compute()'s value, kept under key while the version keys keep their tokens: one
    round trip to the cache when it is there. None is never kept (a missing thing)."""
    found = cache.get_many([key, *versions])
    tokens = [version_in(found, version) for version in versions]
    entry = found.get(key)
    if entry is not None and entry[0] == tokens:
        return entry[1]
    value = compute()
    if value is not None:
        cache.set(key, (tokens, value), timeout)
    return value
