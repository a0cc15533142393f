"""The forms of the proposals a circle makes about networks: found, ask to join, leave."""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.forms import ProposalForm
from governance.networks import constants
from governance.networks.models import NetworkMethod, NetworkVisibility
from governance.networks.selectors.networks import current_networks_of
from governance.networks.selectors.viewers import chooses_to_be_named
from governance.networks.services.founding import network_by_address_or_code
from peernet.forms import MemberTextField

NO_NETWORK_FOUND = _("No network has that address or code.")


def _show_name_field(form: ProposalForm) -> None:
    """Only a private circle chooses: any other circle's name shows anyway. For those the
    field stays, hidden and off, so every proposal records the same change."""
    form.fields["show_name"] = forms.BooleanField(
        label=_("Show our circle's name to the other circles"),
        required=False,
        help_text=_(
            "Our circle is private: unless this is ticked, the network's other circles see "
            "it as “a private circle”. Its members and posts stay private either way."
        ),
    )
    if not chooses_to_be_named(form.circle):
        form.fields["show_name"].widget = forms.HiddenInput()


class FoundNetworkForm(ProposalForm):
    def add_change_fields(self) -> None:
        self.fields["name"] = MemberTextField(
            label=_("The network's name"), max_length=constants.NETWORK_NAME_MAX_LENGTH
        )
        self.fields["purpose"] = MemberTextField(
            label=_("Its purpose"),
            max_length=constants.NETWORK_PURPOSE_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("What the circles will do together. Markdown works."),
        )
        self.fields["method"] = forms.ChoiceField(
            label=_("How the network decides"),
            choices=NetworkMethod.choices,
            widget=forms.RadioSelect,
            initial=NetworkMethod.MAJORITY,
            help_text=_(
                "Each circle decides a network's question by its own proposal, and its "
                "outcome is its one vote. Only a network decision can change this later."
            ),
        )
        self.fields["visibility"] = forms.ChoiceField(
            label=_("Who sees the network"),
            choices=NetworkVisibility.choices,
            widget=forms.RadioSelect,
            initial=NetworkVisibility.PRIVATE,
            help_text=_(
                "A public network's page (its purpose, circles and decisions) is open to "
                "anyone; a private one's only to members of its circles. Its board is only "
                "ever for members of its circles."
            ),
        )
        _show_name_field(self)


class JoinNetworkForm(ProposalForm):
    def add_change_fields(self) -> None:
        self.fields["network"] = MemberTextField(
            label=_("The network's address or joining code"),
            max_length=constants.NETWORK_ADDRESS_MAX_LENGTH,
            help_text=_(
                "A public network's address (like /n/valley-mutual-aid/), or the joining code "
                "a member of one of its circles gave you. A private network is joined only by "
                "its code."
            ),
        )
        _show_name_field(self)

    def clean_network(self):
        """The network itself, so the change names it; a private network's address finds
        nothing, exactly as a missing one does."""
        network = network_by_address_or_code(self.cleaned_data["network"])
        if network is None:
            raise forms.ValidationError(NO_NETWORK_FOUND, code="not_found")
        return network


class LeaveNetworkForm(ProposalForm):
    def add_change_fields(self) -> None:
        self.fields["network"] = forms.ModelChoiceField(
            label=_("Which network to leave"),
            queryset=current_networks_of(circle=self.circle),
            empty_label=None,
            help_text=_(
                "If this passes, the circle leaves at once: its open votes on the network's "
                "questions are withdrawn (it abstains), and its shared posts leave the "
                "network's board. Conversations already started stay."
            ),
            error_messages={
                "required": _("Your circle is not in any network."),
                "invalid_choice": _("Your circle is not in that network."),
            },
        )
