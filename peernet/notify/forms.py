from django import forms

from peernet.converters import ID_MAX_DIGITS


class MarkReadForm(forms.Form):
    """One notification by id, or all of them when there is none."""

    id = forms.IntegerField(required=False, min_value=1, max_value=10**ID_MAX_DIGITS - 1)
    next = forms.CharField(required=False, max_length=2000)
