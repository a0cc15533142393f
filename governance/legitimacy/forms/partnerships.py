"""The proposal to accept funding or a partnership: its terms, what the circle will not
accept, an end date, and for research what comes back to the circle."""

import re

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from governance.forms import ProposalForm
from governance.legitimacy import constants
from governance.legitimacy.days import day_of
from governance.legitimacy.forms.period import DateInput
from governance.legitimacy.models import Partnership, PartnershipKind
from governance.legitimacy.selectors.partnerships import renewable_partnerships
from governance.legitimacy.services.partnerships import funding_terms_problems
from governance.selectors import agreements_of
from peernet.converters import IdConverter
from peernet.forms import MemberTextField

# What a renewal starts from: the terms of the partnership it renews, ready to edit.
RENEWED_TERMS = ("partner", "offered", "asks", "will_not_accept", "research_returns")


def _text(label, *, required=True, help_text="", rows=4, max_length=None):
    return MemberTextField(
        label=label,
        required=required,
        max_length=max_length or constants.PARTNERSHIP_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class FundingProposalForm(ProposalForm):
    """The field of the kind is "partnership_kind": "kind" is the proposal's own kind."""

    def add_change_fields(self) -> None:
        self.fields["partnership_kind"] = forms.ChoiceField(
            label=_("What is it?"),
            choices=PartnershipKind.choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Choose whether it is funding, a partnership or research.")
            },
        )
        self.fields["partner"] = MemberTextField(
            label=_("Partner"),
            max_length=constants.PARTNER_NAME_MAX_LENGTH,
            help_text=_("Who offers it: an organisation, a funder, a research team."),
        )
        self.fields["offered"] = _text(_("What is offered"))
        self.fields["asks"] = _text(
            _("What the partner asks in return"),
            required=False,
            help_text=_("Reports, credit, data, a say in something. Leave empty if nothing."),
        )
        agreements = agreements_of(circle=self.circle)
        if agreements.exists():
            self.fields["agreements"] = forms.ModelMultipleChoiceField(
                label=_("Agreements these conditions touch"),
                queryset=agreements,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        self.fields["will_not_accept"] = _text(
            _("What the circle will not accept"),
            help_text=_(
                "For example: no names or data about members, no say over who we help, "
                "no reports about any one person."
            ),
        )
        self.fields["will_not_accept"].error_messages["required"] = _(
            "Say what the circle will not accept, so everyone can hold the partner to it."
        )
        self.fields["ends_on"] = forms.DateField(
            label=_("End date"),
            widget=DateInput(),
            help_text=_(
                "The last day it holds. Members are reminded 30 days before; after it, it "
                "lapses unless the circle renews it by proposal. At most three years away."
            ),
        )
        self.fields["research_returns"] = _text(
            _("For research: what comes back to the circle"),
            required=False,
            help_text=_("Findings in plain words, the data about the circle, a meeting."),
        )
        self.fields["returns_by"] = forms.DateField(
            label=_("For research: comes back by"),
            required=False,
            widget=DateInput(),
            help_text=_("On or before the end date."),
        )
        current = renewable_partnerships(circle=self.circle)
        self.fields["renews"] = forms.ModelChoiceField(
            label=_("This renews a current partnership"),
            queryset=current,
            required=False,
            empty_label=_("No, it is new"),
            error_messages={
                "invalid_choice": _(
                    "Only a current partnership of this circle can be renewed: choose one, or none."
                )
            },
        )
        self.fields["renews"].label_from_instance = lambda p: (
            _("%(partner)s, until %(date)s")
            % {
                "partner": p.partner,
                "date": formats.date_format(p.ends_on, "DATE_FORMAT"),
            }
        )
        if not current.exists():
            # Nothing to choose from; a renewal posted anyway is still refused, with why.
            self.fields["renews"].widget = forms.HiddenInput()
        if not self.is_bound:
            self._start_from_renewed(current)

    def _start_from_renewed(self, current) -> None:
        """A "propose renewing" link names the partnership: start from its terms. If it is
        no longer current (it lapsed since the reminder), start a new one from them."""
        wanted = str(self.initial.pop("renews", None) or "")
        if not re.fullmatch(IdConverter.regex, wanted):
            return
        earlier = Partnership.objects.filter(circle=self.circle, pk=int(wanted)).first()
        if earlier is None:
            return
        if current.filter(pk=earlier.pk).exists():
            self.initial["renews"] = earlier.pk
            title = _("Renew the partnership with %(partner)s")
        else:
            title = _("Accept %(partner)s again")
        self.initial.setdefault("title", title % {"partner": earlier.partner})
        self.initial.setdefault("partnership_kind", earlier.kind)
        for field in RENEWED_TERMS:
            self.initial.setdefault(field, getattr(earlier, field))
        if "agreements" in self.fields:
            still = self.fields["agreements"].queryset.filter(
                pk__in=[a["id"] for a in earlier.agreements]
            )
            self.initial.setdefault("agreements", list(still.values_list("pk", flat=True)))

    def clean(self):
        data = super().clean()
        problems = funding_terms_problems(data=data, today=day_of())
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data
