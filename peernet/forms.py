"""Form pieces every app uses for what members type."""

import html

from django import forms
from django.db import models
from django.utils.safestring import mark_safe

from peernet.text import member_text


class MemberTextField(forms.CharField):
    """A CharField for member-written text: control characters go, invisible text is empty
    (so a required field says so), and multi-line text keeps its line breaks and tabs."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return member_text(value, multiline=isinstance(self.widget, forms.Textarea)) or (
            self.empty_value
        )


def member_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """ModelForm's formfield_callback: text columns become MemberTextFields."""
    if type(db_field) in (models.CharField, models.TextField) and not db_field.choices:
        return db_field.formfield(form_class=MemberTextField, **kwargs)
    return db_field.formfield(**kwargs)


class SubmissionKeyField(forms.Field):
    """The hidden one-time key of a create form (peernet.submissions). Never an error: a key
    that is missing or mangled only means the send is not de-duplicated."""

    widget = forms.HiddenInput
    MAX_LENGTH = 300

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        if isinstance(value, str) and len(value) <= self.MAX_LENGTH and value.isprintable():
            return value
        return ""


class SubmittedOnceForm(forms.Form):
    """A create form: it carries a one-time key, kept out of cleaned_data."""

    submission = SubmissionKeyField()
    submission_key = ""

    def clean(self):
        data = super().clean()
        self.submission_key = data.pop("submission", "")
        return data


def _attributes(attrs: dict) -> str:
    """HTML attributes as Django's flatatt writes them (True: the name alone; False and None:
    left out), escaped with the standard library: the cheap path of the two widgets below."""
    return "".join(
        f" {name}" if value is True else f' {name}="{html.escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


class PlainTextInput(forms.TextInput):
    """A text input rendered in Python: no widget templates on a page that must be cheap."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, {**(attrs or {}), "type": self.input_type})
        final["name"] = name
        if value not in (None, ""):
            final["value"] = self.format_value(value)
        return mark_safe(f"<input{_attributes(final)}>")  # noqa: S308 (escaped above)


class PlainSelect(forms.Select):
    """A single select rendered in Python: no template per option (a board's filters have
    about twenty options, each once a template render), and plain escaping per option."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = "" if value is None else str(value)
        options = "".join(
            f'<option value="{html.escape(str(option))}"'
            f"{' selected' if str(option) == chosen else ''}>{html.escape(str(label))}</option>"
            for option, label in self.choices
        )
        return mark_safe(f"<select{_attributes(final)}>{options}</select>")  # noqa: S308
