"""Path parameters checked before a view sees them: anything else is a plain 404.

A row id fits PostgreSQL's bigint, and a token is URL-safe base64 of a bounded length, so
neither a huge number nor a NUL byte ever reaches int() or the database.
"""

from django.urls import register_converter

ID_MAX_DIGITS = 18  # below 2**63, the largest bigint
TOKEN_MAX_LENGTH = 200


class IdConverter:
    regex = f"[0-9]{{1,{ID_MAX_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class TokenConverter:
    """Invite tokens (URL-safe base64) and signed values (which add ':' and '.')."""

    regex = f"[A-Za-z0-9_\\-:.]{{1,{TOKEN_MAX_LENGTH}}}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IdConverter, "id")
register_converter(TokenConverter, "token")
