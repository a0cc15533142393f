from django import forms
from django.utils.translation import gettext_lazy as _

from governance.forms import ProposalForm
from governance.legitimacy import constants
from governance.legitimacy.forms.period import add_period_fields, clean_period
from governance.legitimacy.models import Measure
from governance.legitimacy.selectors.measures import counted_measures


class MeasuresProposalForm(ProposalForm):
    """Choose what the circle counts: it starts from what it counts now."""

    def add_change_fields(self) -> None:
        self.fields["measures"] = forms.MultipleChoiceField(
            label=_("What the circle would count"),
            choices=Measure.choices,
            widget=forms.CheckboxSelectMultiple,
            initial=counted_measures(circle=self.circle),
            help_text=_(
                "None of these is about one person, and a number under %(floor)d is never shown."
            )
            % {"floor": constants.SMALL_NUMBER_FLOOR},
            error_messages={"required": _("Choose at least one measure to count.")},
        )


class ImpactPeriodForm(forms.Form):
    """The period the impact page shows: in the past, in order, at most two years."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_period_fields(self)

    def clean(self):
        data = super().clean()
        clean_period(self)
        return data
