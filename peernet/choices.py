"""Choice labels looked up once per language.

`post.get_kind_display()` rebuilds a dict of every choice and translates on each call; a board
of 20 cards makes 60 such calls. `label_of` translates each choices class once per language.
"""

from functools import cache

from django.db import models
from django.utils.translation import get_language


@cache
def _labels(choices: type[models.Choices], language: str | None) -> dict[str, str]:
    # Called with the language active, so str() translates into it.
    return {value: str(label) for value, label in choices.choices}


def label_of(choices: type[models.Choices], value: str) -> str:
    """The label of value in the active language (the value itself if it is not a choice)."""
    return _labels(choices, get_language()).get(value, value)
