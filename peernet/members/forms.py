from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from peernet.forms import MemberTextField, member_formfield
from peernet.members import constants
from peernet.members.choices import Delivery, HelpCategory, Topic, time_zone_choices
from peernet.members.models import NotificationSettings, Profile

DISPLAY_NAME_HELP = _("Any name you like. It does not have to be your real name.")


def display_name_field() -> forms.CharField:
    return MemberTextField(
        label=_("Display name"),
        max_length=constants.DISPLAY_NAME_MAX_LENGTH,
        help_text=DISPLAY_NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )


class SignupForm(AllauthSignupForm):
    """Email and display name. Nothing else is ever asked."""

    display_name = display_name_field()

    field_order = ["email", "display_name"]


class LoginForm(AllauthLoginForm):
    """Email, and a password for those who chose one; without a password, a code is emailed."""

    def _setup_password_field(self) -> None:
        password = self.fields["password"]
        password.required = False
        password.help_text = _("Only if you set one. Leave it empty and we email you a code.")


class ProfileForm(forms.ModelForm):
    display_name = display_name_field()
    help_categories = forms.MultipleChoiceField(
        label=_("I can help with"),
        choices=HelpCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Profile
        formfield_callback = member_formfield
        fields = ["pronouns", "bio", "languages", "area", "help_categories", "lived_experience"]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 3}),
            "lived_experience": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "area": _("Coarse and optional, like a neighbourhood or town. Never an address."),
            "lived_experience": _(
                "Only fellow members of circles you choose can see this. "
                "Leave it empty if you like."
            ),
        }

    field_order = ["display_name", *Meta.fields]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)


class NotificationSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("My time zone"),
        help_text=_("Your digest goes out at the hour you choose, in this time zone."),
    )
    digest_hour = forms.TypedChoiceField(
        label=_("Send my digest at"),
        coerce=int,
        choices=[(h, f"{h:02d}:00") for h in range(constants.HOURS_IN_DAY)],
    )

    class Meta:
        model = NotificationSettings
        fields = [
            *Topic.values,
            "digest_frequency",
            "digest_weekday",
            "digest_hour",
        ]
        widgets = {name: forms.RadioSelect for name in [*Topic.values, "digest_frequency"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.initial.get("time_zone") or ""
        self.fields["time_zone"].choices = time_zone_choices(current)
        for name in Topic.values:
            self.fields[name].choices = Delivery.choices


class AccountDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account is deleted for good and cannot be brought back."),
        error_messages={"required": _("Tick the box to confirm, or go back to keep your account.")},
    )
