from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from circles import constants
from circles.models import Circle, Membership, PostKind, PostStatus, Urgency
from circles.starters import founding_steps
from peernet.choices import form_choices_in
from peernet.forms import (
    MemberTextField,
    PlainSelect,
    PlainTextInput,
    SubmittedOnceForm,
    member_formfield,
)
from peernet.members.choices import HelpCategory


class CircleForm(forms.ModelForm):
    class Meta:
        model = Circle
        formfield_callback = member_formfield
        fields = Circle.SETTING_FIELDS
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 6}),
            "visibility": forms.RadioSelect,
            "join_policy": forms.RadioSelect,
        }
        help_texts = {
            "purpose": _("What the circle is for. Markdown works: *emphasis*, lists, links."),
            "topics": _("Words people might search for, separated by commas."),
            "area": _("Coarse, like a town or a neighbourhood. Leave empty for online circles."),
            "approvals_needed": _(
                "For approval circles: how many members must approve (or decline) a request."
            ),
        }

    approvals_needed = forms.IntegerField(
        label=_("Approvals needed"),
        min_value=1,
        max_value=constants.APPROVALS_NEEDED_MAX,
        initial=1,
    )
    care_rota_days = forms.IntegerField(
        label=_("Care rota drawn again every (days)"),
        min_value=constants.CARE_ROTA_DAYS_MIN,
        max_value=constants.CARE_ROTA_DAYS_MAX,
        initial=constants.CARE_ROTA_DAYS_DEFAULT,
        help_text=_("A few members drawn by lot look after reports for this long, then others."),
    )


STARTER_TEXT_ROWS = 9


class CircleCreateForm(SubmittedOnceForm, CircleForm):
    """The circle's settings, and the founding steps (circles.starters) to adopt with it:
    each a checkbox, ticked at first, and its text to edit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = founding_steps()
        for step in self.steps:
            self.fields[f"adopt_{step.key}"] = forms.BooleanField(
                label=_("Adopt “%(title)s”") % {"title": step.title},
                required=False,
                initial=True,
                help_text=step.help_text,
            )
            self.fields[f"text_{step.key}"] = MemberTextField(
                label=_("Text of “%(title)s”") % {"title": step.title},
                required=False,
                max_length=step.max_length,
                initial=step.initial,
                widget=forms.Textarea(attrs={"rows": STARTER_TEXT_ROWS}),
            )

    @property
    def settings_fields(self) -> list:
        return [self[name] for name in Circle.SETTING_FIELDS]

    @property
    def starters(self) -> list[dict]:
        return [
            {
                "step": step,
                "adopt": self[f"adopt_{step.key}"],
                "text": self[f"text_{step.key}"],
            }
            for step in self.steps
        ]

    def clean(self):
        data = super().clean()
        for step in self.steps:
            text = f"text_{step.key}"
            # A text over its length already has its own message.
            if data.get(f"adopt_{step.key}") and not data.get(text) and text not in self.errors:
                self.add_error(
                    text,
                    _("“%(title)s” is ticked but has no text: write it, or untick it.")
                    % {"title": step.title},
                )
        return data

    def circle_data(self) -> dict:
        """The circle's settings, as circle_create takes them."""
        return {name: self.cleaned_data[name] for name in Circle.SETTING_FIELDS}

    def founding(self) -> dict[str, str]:
        """What the founder adopts: {step key: text}, for the ticked steps only."""
        return {
            step.key: self.cleaned_data[f"text_{step.key}"]
            for step in self.steps
            if self.cleaned_data.get(f"adopt_{step.key}")
        }


class DirectoryForm(forms.Form):
    q = MemberTextField(label=_("Search"), required=False, max_length=100)
    topic = MemberTextField(label=_("Topic"), required=False, max_length=50)
    area = MemberTextField(label=_("Area"), required=False, max_length=80)


class JoinRequestForm(forms.Form):
    message = MemberTextField(
        label=_("Why would you like to join? (optional)"),
        required=False,
        max_length=constants.JOIN_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A sentence or two is enough. Members of the circle will read it."),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])


class InviteForm(SubmittedOnceForm):
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=constants.INVITE_MAX_LIFETIME.days,
        initial=constants.INVITE_DEFAULT_LIFETIME.days,
    )
    max_uses = forms.IntegerField(
        label=_("How many people can use it"),
        min_value=1,
        max_value=constants.INVITE_MAX_USES_LIMIT,
        initial=constants.INVITE_DEFAULT_MAX_USES,
    )
    email = forms.EmailField(
        label=_("Send it to an email address (optional)"),
        required=False,
        help_text=_("An emailed invite works once, for that person."),
    )


class SharingForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = list(Membership.SHARE_FIELDS)


class BoardFilterForm(forms.Form):
    """The board's filters, on the page most viewed: widgets rendered without templates."""

    q = MemberTextField(label=_("Search"), required=False, max_length=100, widget=PlainTextInput)
    kind = forms.ChoiceField(
        label=_("Offers or needs"),
        required=False,
        choices=[("", _("Both")), *PostKind.choices],
        widget=PlainSelect,
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("Any")), *HelpCategory.choices],
        widget=PlainSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), *[c for c in PostStatus.choices if c[0] != PostStatus.REMOVED]],
        initial=PostStatus.OPEN,
        widget=PlainSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in form_choices_in(type(self), get_language()).items():
            self.fields[name].choices = choices


def board_link_query(filters: dict) -> dict:
    """The board's filters as its page links carry them: empty ones left out, but an empty
    status kept, since no status at all means "open"."""
    return {name: value for name, value in filters.items() if value or name == "status"}


class PostForm(SubmittedOnceForm):
    kind = forms.ChoiceField(
        label=_("What are you posting?"),
        choices=[(PostKind.OFFER, _("An offer")), (PostKind.NEED, _("A need"))],
        widget=forms.RadioSelect,
    )
    title = MemberTextField(label=_("Title"), max_length=constants.POST_TITLE_MAX_LENGTH)
    details = MemberTextField(
        label=_("Details (optional)"),
        required=False,
        max_length=constants.POST_DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Markdown works. Do not include an address or phone number; share those in "
            "the private conversation."
        ),
    )
    category = forms.ChoiceField(label=_("Category"), choices=HelpCategory.choices)
    urgency = forms.ChoiceField(
        label=_("How urgent (needs only)"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        required=False,
    )
    area = MemberTextField(
        label=_("General area (optional)"),
        required=False,
        max_length=constants.POST_AREA_MAX_LENGTH,
    )
    days = forms.IntegerField(
        label=_("Keep it up for (days)"),
        min_value=1,
        max_value=constants.POST_MAX_LIFETIME.days,
        initial=constants.POST_DEFAULT_LIFETIME.days,
    )
    anonymous = forms.BooleanField(
        label=_("Post this need anonymously: the circle sees “a member”"),
        required=False,
        help_text=_(
            "Nobody, not even site staff, can see it is yours. People reach you through Peernet."
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("anonymous") and data.get("kind") == PostKind.OFFER:
            self.add_error("anonymous", _("Only needs can be posted anonymously."))
        return data


class MessageForm(SubmittedOnceForm):
    text = MemberTextField(
        label=_("Message"),
        max_length=constants.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FulfilForm(forms.Form):
    thank_you = MemberTextField(
        label=_("A public thank-you note (optional)"),
        required=False,
        max_length=constants.THANK_YOU_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtendForm(forms.Form):
    days = forms.IntegerField(
        label=_("More days"), min_value=1, max_value=constants.POST_MAX_LIFETIME.days, initial=14
    )
