from django import forms
from django.utils.translation import gettext_lazy as _

from circles import constants
from circles.models import Circle, Membership


class CircleForm(forms.ModelForm):
    class Meta:
        model = Circle
        fields = [
            "name",
            "purpose",
            "topics",
            "area",
            "language",
            "visibility",
            "join_policy",
            "approvals_needed",
        ]
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
        label=_("approvals needed"),
        min_value=1,
        max_value=constants.APPROVALS_NEEDED_MAX,
        initial=1,
    )


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=50)
    area = forms.CharField(label=_("Area"), required=False, max_length=80)


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Why would you like to join? (optional)"),
        required=False,
        max_length=constants.JOIN_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A sentence or two is enough. Members of the circle will read it."),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])


class InviteForm(forms.Form):
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
