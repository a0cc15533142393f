"""Who a text names: what a circle publishes must not name a member who did not choose to
be named. Stories and a report's introduction both ask here."""

import re

from circles.models import Circle, Membership

# A one-letter name ("A") cannot be told from the word; a two-letter one ("Bo", "Al") is looked
# for only as written, since in any case it is a common word ("al" in Spanish).
NAME_MIN_LENGTH = 2
NAME_ANY_CASE_LENGTH = 3


def name_pattern(name: str) -> re.Pattern:
    """The name as a whole word (or words), however the spaces fall; in any case unless it is
    short. Lookarounds rather than \\b, so a name that starts or ends with a sign still has
    edges."""
    words = r"\s+".join(re.escape(part) for part in name.split())
    flags = re.IGNORECASE if len(name) >= NAME_ANY_CASE_LENGTH else 0
    return re.compile(rf"(?<!\w){words}(?!\w)", flags)


def names_in(text: str, names) -> list[str]:
    """Which of these names the text contains, in the order they first appear."""
    found = []
    for name in {n.strip() for n in names}:
        if len(name) < NAME_MIN_LENGTH:
            continue
        match = name_pattern(name).search(text)
        if match:
            found.append((match.start(), name))
    return [name for _start, name in sorted(found)]


def member_names(*, circle: Circle) -> dict[int, str]:
    """{user id: display name} of the circle's current members."""
    return dict(
        Membership.objects.active()
        .filter(circle=circle)
        .values_list("user_id", "user__display_name")
    )


def members_named_in(*, circle: Circle, text: str) -> list[str]:
    """The display names of current members that the text contains."""
    return names_in(text, member_names(circle=circle).values())
