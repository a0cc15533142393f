from django import forms
from django.utils.translation import gettext_lazy as _

from circles.models import Circle
from governance.legitimacy import constants
from governance.legitimacy.models import Byline
from governance.legitimacy.selectors.stories import nameable_members
from peernet.forms import MemberTextField, SubmittedOnceForm
from peernet.members.models import User


class MemberChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class StoryForm(SubmittedOnceForm):
    title = MemberTextField(label=_("Title"), max_length=constants.STORY_TITLE_MAX_LENGTH)
    text = MemberTextField(
        label=_("The story"),
        max_length=constants.STORY_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Help that happened in this circle, in a few lines of plain text. Name a member "
            "only if you ask them below."
        ),
    )
    byline = forms.ChoiceField(
        label=_("Appear as"),
        choices=Byline.choices,
        initial=Byline.MEMBER,
        widget=forms.RadioSelect,
        help_text=_(
            "This is how the circle and any report it publishes show who wrote the story. "
            "With “a member”, nobody sees it was you."
        ),
    )
    named = MemberChoices(
        label=_("Members the story names"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each person you name is asked first; until everyone named says yes, the story "
            "stays out of reports."
        ),
    )

    def __init__(self, *args, circle: Circle, author: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named"].queryset = nameable_members(circle=circle, author=author)


class ConsentForm(forms.Form):
    """A named member's answer, from the story's page or the list of stories."""

    answer = forms.ChoiceField(choices=[("give", "give"), ("refuse", "refuse")])
    back = forms.ChoiceField(choices=[("story", "story"), ("list", "list")], required=False)
