"""Putting a question to a network: a member of one of its circles asks, for that circle."""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.networks import constants
from governance.networks.models import NetworkMethod, QuestionKind
from peernet.forms import MemberTextField, SubmittedOnceForm

# Admitting a circle is asked only by that circle's own proposal to join.
ASKED_KINDS = (QuestionKind.ADOPT_AGREEMENT, QuestionKind.CHANGE_METHOD, QuestionKind.RESOLUTION)
# The fields each kind needs, beyond the title and the reason.
KIND_FIELDS = {
    QuestionKind.ADOPT_AGREEMENT: ("agreement_text",),
    QuestionKind.CHANGE_METHOD: ("method",),
    QuestionKind.RESOLUTION: (),
}


class AskQuestionForm(SubmittedOnceForm):
    """The kind's fields are all in the page (no script needed); only the chosen kind's are
    required and used."""

    circle = forms.TypedChoiceField(
        label=_("Asked by"),
        coerce=int,
        help_text=_("The question is put in the name of this circle."),
    )
    kind = forms.ChoiceField(
        label=_("What kind of question"),
        choices=[(kind.value, kind.label) for kind in ASKED_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of question it is.")},
    )
    title = MemberTextField(label=_("Title"), max_length=constants.QUESTION_TITLE_MAX_LENGTH)
    reason = MemberTextField(
        label=_("Why"),
        max_length=constants.QUESTION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Every member circle decides it by its own proposal, so explain it for members "
            "who don't know your circle. Markdown works."
        ),
    )
    agreement_title = MemberTextField(
        label=_("For a shared agreement: its title"),
        max_length=constants.SHARED_AGREEMENT_TITLE_MAX_LENGTH,
        required=False,
        help_text=_("Leave it empty to use the question's title."),
    )
    agreement_text = MemberTextField(
        label=_("For a shared agreement: its text"),
        max_length=constants.SHARED_AGREEMENT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("Markdown works."),
    )
    method = forms.ChoiceField(
        label=_("For a change of how the network decides: the new way"),
        choices=NetworkMethod.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    REQUIRED_MESSAGES = {
        "agreement_text": _("Write the shared agreement's text."),
        "method": _("Choose the new way the network would decide."),
    }

    def __init__(self, *args, network, circles, **kwargs):
        """circles: the asker's circles in the network now; the first is the default."""
        self.network = network
        super().__init__(*args, **kwargs)
        self.fields["circle"].choices = [(circle.pk, circle.name) for circle in circles]
        if len(circles) == 1:
            self.fields["circle"].widget = forms.HiddenInput()
        if circles:
            self.fields["circle"].initial = circles[0].pk
        others = [m for m in NetworkMethod.values if m != network.method]
        self.fields["method"].initial = others[0] if others else None

    def clean(self):
        data = super().clean()
        for name in KIND_FIELDS.get(data.get("kind"), ()):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, self.REQUIRED_MESSAGES[name])
        return data

    def change_data(self) -> dict:
        """The kind's own change, as question_ask reads it."""
        data = self.cleaned_data
        match data["kind"]:
            case QuestionKind.ADOPT_AGREEMENT:
                return {"title": data["agreement_title"], "text": data["agreement_text"]}
            case QuestionKind.CHANGE_METHOD:
                return {"method": data["method"]}
        return {}
