from django import forms
from django.utils.translation import gettext_lazy as _

from governance.safety import constants
from governance.safety.models import Reason
from peernet.forms import MemberTextField


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"), choices=Reason.choices, widget=forms.RadioSelect
    )
    words = MemberTextField(
        label=_("What happened (optional)"),
        required=False,
        max_length=constants.REPORT_WORDS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the care rota reads this. The member you report is never told who."),
    )

    def __init__(self, *args, share: bool = False, block_name: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if share:
            self.fields["share_conversation"] = forms.BooleanField(
                label=_("Let the care rota read the whole conversation, not only this message"),
                required=False,
            )
        if block_name:
            self.fields["block"] = forms.BooleanField(
                label=_("Also block %(name)s: they won't be told") % {"name": block_name},
                required=False,
                initial=True,
            )


class ReportMessageForm(forms.Form):
    text = MemberTextField(
        label=_("Write privately"),
        max_length=constants.REPORT_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HandleForm(forms.Form):
    note = MemberTextField(
        label=_("What the rota did"),
        max_length=constants.REPORT_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A short note, for the rota and the member who reported."),
    )


class WillingForm(forms.Form):
    willing = forms.BooleanField(
        label=_("I'm willing to take a turn on the care rota"), required=False
    )
