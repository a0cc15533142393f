"""Form pieces every app uses for what members type."""

from django import forms
from django.db import models

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
