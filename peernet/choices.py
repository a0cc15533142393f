"""Choice labels translated once per language, not at every use.

`post.get_kind_display()` rebuilds a dict of every choice and translates on each call; a board
of 20 cards makes 60 such calls. `label_of` translates each choices class once per language,
and `form_choices_in` a form's choice fields.
"""

from functools import cache

from django import forms
from django.db import models
from django.utils.translation import get_language


def _as_text(pairs) -> list[tuple[str, str]]:
    # Called with the language active, so str() translates into it.
    return [(value, str(label)) for value, label in pairs]


@cache
def _labels(choices: type[models.Choices], language: str | None) -> dict[str, str]:
    return dict(_as_text(choices.choices))


def label_of(choices: type[models.Choices], value: str) -> str:
    """The label of value in the active language (the value itself if it is not a choice)."""
    return _labels(choices, get_language()).get(value, value)


@cache
def form_choices_in(form_class, language: str | None) -> dict[str, list[tuple[str, str]]]:
    """{field name: choices as text} of a form's choice fields, in the active language."""
    return {
        name: _as_text(field.choices)
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.ChoiceField)
    }
