"""The period a figure or a report covers: in the past, in order, at most two years."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.legitimacy import constants
from governance.legitimacy.days import day_of


class DateInput(forms.DateInput):
    """The browser's date picker, with ISO dates it understands in every language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def last_twelve_months(today: date) -> tuple[date, date]:
    """From the day after the same date a year ago, to today: the period a page starts on."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + timedelta(days=1), today


def period_problem(*, start: date, end: date, today: date | None = None) -> str | None:
    """Why this period cannot be counted, in words for the member, or None."""
    today = today or day_of()
    if end > today or start > today:
        return _("The period cannot be in the future: it must end today or earlier.")
    if start < constants.EARLIEST_DAY:
        return _("Choose dates from %(day)s on.") % {"day": constants.EARLIEST_DAY.isoformat()}
    if start > end:
        return _("The period must start before it ends.")
    if end - start > constants.REPORT_PERIOD_MAX:
        return _("A period can be at most two years long.")
    return None


def add_period_fields(form: forms.Form) -> None:
    form.fields["period_start"] = forms.DateField(label=gettext_lazy("From"), widget=DateInput())
    form.fields["period_end"] = forms.DateField(label=gettext_lazy("To"), widget=DateInput())


def clean_period(form: forms.Form) -> None:
    """Adds the period's problem, if any, to the form (its fields keep what was typed)."""
    start, end = form.cleaned_data.get("period_start"), form.cleaned_data.get("period_end")
    if start and end and (problem := period_problem(start=start, end=end)):
        form.add_error("period_end", problem)
