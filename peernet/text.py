"""Text that members write: control characters removed, and text nobody can see is empty.

Zero-width joiners stay inside words and emoji (scripts and family emoji need them); what is
refused is a title or a name made of nothing visible at all.
"""

import unicodedata

INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"}
# Letters and symbols that draw nothing, used to fake an empty name.
BLANK_CHARACTERS = {"\u115f", "\u1160", "\u2800", "\u3164", "\uffa0"}
KEPT_IN_MULTILINE = {"\n", "\t"}


def without_control_characters(value: str, *, multiline: bool) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    kept = KEPT_IN_MULTILINE if multiline else set()
    return "".join(ch for ch in value if ch in kept or unicodedata.category(ch) != "Cc")


def is_visible(value: str) -> bool:
    return any(
        unicodedata.category(ch) not in INVISIBLE_CATEGORIES and ch not in BLANK_CHARACTERS
        for ch in value
    )


def member_text(value: str, *, multiline: bool = False) -> str:
    """value as it is stored: no control characters, trimmed, or "" if nothing shows."""
    value = without_control_characters(value, multiline=multiline).strip()
    return value if is_visible(value) else ""
