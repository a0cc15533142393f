"""Sessions kept in the database and cached (Redis in production, the file cache in `make run`).

A session key Django made is 32 lowercase letters and digits; a cookie carrying anything else
(a NUL byte, say, which PostgreSQL refuses) is treated as no session at all.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

SESSION_KEY_MAX_LENGTH = 40
_ALLOWED = frozenset(VALID_KEY_CHARS)


class SessionStore(CachedDBStore):
    def _validate_session_key(self, key):
        return bool(
            super()._validate_session_key(key)
            and len(key) <= SESSION_KEY_MAX_LENGTH
            and _ALLOWED.issuperset(key)
        )
