from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.forms import ProposalForm
from governance.legitimacy import constants
from governance.legitimacy.days import day_of
from governance.legitimacy.forms.period import add_period_fields, clean_period, last_twelve_months
from governance.legitimacy.models import Measure, PublishedReport
from governance.legitimacy.selectors.measures import counted_measures
from governance.legitimacy.selectors.reports import correctable_reports
from governance.legitimacy.selectors.stories import stories_usable
from peernet.forms import MemberTextField


class ReportProposalForm(ProposalForm):
    """Propose publishing a report: the period, which of the circle's measures, which
    consented stories, an introduction, and the name the circle wants to be known by."""

    def add_change_fields(self):
        add_period_fields(self)
        counted = counted_measures(circle=self.circle)
        self.fields["measures"] = forms.MultipleChoiceField(
            label=gettext_lazy("Measures to publish"),
            choices=[(key, Measure(key).label) for key in counted],
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": gettext_lazy("Choose at least one of the measures the circle counts.")
            },
            help_text=gettext_lazy(
                "From what the circle counts. Numbers under %(n)d show as “fewer than %(n)d”."
            )
            % {"n": constants.SMALL_NUMBER_FLOOR}
            if counted
            else gettext_lazy(
                "The circle has not chosen what it counts yet: propose “Choose what the "
                "circle counts” first."
            ),
        )
        self.fields["stories"] = forms.ModelMultipleChoiceField(
            label=gettext_lazy("Stories to include"),
            queryset=stories_usable(circle=self.circle),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=gettext_lazy("Only stories that everyone they name has consented to."),
        )
        self.fields["stories"].label_from_instance = lambda story: story.title
        self.fields["introduction"] = MemberTextField(
            label=gettext_lazy("Introduction"),
            max_length=constants.REPORT_INTRODUCTION_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 6}),
            help_text=gettext_lazy(
                "In the circle's own words: who you are and what this report shows. Name no "
                "one. Markdown works."
            ),
        )
        self.fields["known_as"] = MemberTextField(
            label=gettext_lazy("The name the circle wants to be known by"),
            max_length=constants.REPORT_NAME_MAX_LENGTH,
            initial=self.circle.name,
            help_text=gettext_lazy(
                "The report is public at its own address, even for a private circle."
            ),
        )
        self.fields["replaces"] = forms.ModelChoiceField(
            label=gettext_lazy("Does it correct an earlier report?"),
            queryset=correctable_reports(circle=self.circle),
            required=False,
            empty_label=gettext_lazy("No, it is a new report"),
        )
        self.fields["replaces"].label_from_instance = _report_label
        if not self.is_bound:
            start, end = last_twelve_months(day_of())
            self.initial.setdefault("title", _("Publish our report"))
            self.initial.setdefault("period_start", start)
            self.initial.setdefault("period_end", end)
            self.initial.setdefault("measures", counted)

    def clean(self):
        cleaned = super().clean()
        clean_period(self)
        return cleaned


def _report_label(report: PublishedReport) -> str:
    return _("%(name)s, %(start)s to %(end)s") % {
        "name": report.known_as,
        "start": report.period_start.isoformat(),
        "end": report.period_end.isoformat(),
    }
