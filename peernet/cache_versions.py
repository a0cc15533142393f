"""Cached things that a write makes stale, and the two ways writes say so.

A write inside a transaction changes the cache twice: at once, so the writer's own next read
sees the change, and again at commit, because a page read between the two saw the rows as
they were before the commit and may have cached them.

- `forget(keys)`: delete cached values (a person's unread count, their blocks).
- `versions_replace(keys)`: give version keys new random tokens. An entry records the tokens
  it was built under and is used only while they are current (a circle's board). A token is
  random, never a count: a version the cache lost comes back new, never equal to an old one.
"""

import secrets
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

TOKEN_BYTES = 8


def forget(keys: Iterable[str]) -> None:
    keys = list(dict.fromkeys(keys))
    if not keys:
        return

    def delete():
        cache.delete_many(keys)

    delete()
    transaction.on_commit(delete)


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
