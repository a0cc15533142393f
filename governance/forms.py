import re

from django import forms
from django.utils.translation import gettext_lazy as _

from circles.constants import CRISIS_PLAN_MAX_LENGTH
from circles.forms import CircleForm
from circles.models import Circle
from circles.selectors import members_of
from governance import constants
from governance.models import BallotSecrecy, Choice, FundingRule, Method, ProposalKind, Threshold
from governance.selectors import agreements_of
from peernet.converters import IdConverter
from peernet.forms import MemberTextField, SubmittedOnceForm
from peernet.members.models import User


class ProposalForm(SubmittedOnceForm):
    """Title and reason; each kind adds the fields of its exact change."""

    title = MemberTextField(label=_("Title"), max_length=constants.PROPOSAL_TITLE_MAX_LENGTH)
    reason = MemberTextField(
        label=_("Why"),
        max_length=constants.PROPOSAL_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Explain the change for the members who will vote. Markdown works."),
    )
    open_now = forms.BooleanField(
        label=_("Open for votes now (otherwise it is saved as a draft)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, circle: Circle, proposer, **kwargs):
        self.circle = circle
        self.proposer = proposer
        super().__init__(*args, **kwargs)
        self.add_change_fields()

    def add_change_fields(self) -> None:
        """Kinds with something to change add their fields here."""


def _agreement_choice(circle: Circle) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Agreement"), queryset=agreements_of(circle=circle), empty_label=None
    )


def _agreement_text_fields(form: forms.Form) -> None:
    form.fields["title_new"] = MemberTextField(
        label=_("Agreement title"), max_length=constants.AGREEMENT_TITLE_MAX_LENGTH
    )
    form.fields["text"] = MemberTextField(
        label=_("Agreement text"),
        max_length=constants.AGREEMENT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown works."),
    )


class AddAgreementForm(ProposalForm):
    def add_change_fields(self):
        _agreement_text_fields(self)


class AmendAgreementForm(ProposalForm):
    def add_change_fields(self):
        self.fields["agreement"] = _agreement_choice(self.circle)
        # Fixed once chosen (by a link, or on the page that asks which): the text below is
        # that agreement's, and a menu here would let it replace another agreement's text.
        self.fields["agreement"].widget = forms.HiddenInput()
        _agreement_text_fields(self)
        if not self.is_bound:
            self._start_from_current_text()

    def _start_from_current_text(self) -> None:
        """An amendment starts from the agreement's current wording, ready to edit: the
        one a link chose, or the one the menu shows first."""
        choices = self.fields["agreement"].queryset
        wanted = str(self.initial.get("agreement") or "")
        chosen = re.fullmatch(IdConverter.regex, wanted)
        agreement = choices.filter(pk=int(wanted)).first() if chosen else None
        agreement = agreement or choices.first()
        if agreement is None:
            return
        self.initial["agreement"] = agreement.pk
        self.initial.setdefault("title_new", agreement.title)
        self.initial.setdefault("text", agreement.text)
        self.fields["text"].help_text = _(
            "This is the current text of “%(title)s”: change what should change. Markdown works."
        ) % {"title": agreement.title}


class RepealAgreementForm(ProposalForm):
    def add_change_fields(self):
        self.fields["agreement"] = _agreement_choice(self.circle)


class CircleSettingsForm(ProposalForm):
    def add_change_fields(self):
        # The very fields of the circle's own settings form: same labels, limits and checks.
        current = CircleForm(instance=self.circle)
        for name in Circle.SETTING_FIELDS:
            field = current.fields[name]
            field.initial = current.initial[name]
            self.fields[name] = field


class DecisionSettingsForm(ProposalForm):
    def add_change_fields(self):
        from governance.selectors import decision_settings_for

        current = decision_settings_for(circle=self.circle)
        self.fields["voting_days"] = forms.IntegerField(
            label=_("Voting window (days)"),
            min_value=constants.VOTING_DAYS_MIN,
            max_value=constants.VOTING_DAYS_MAX,
            initial=current.voting_days,
        )
        self.fields["quorum_percent"] = forms.IntegerField(
            label=_("Quorum (% of voters who must cast a ballot)"),
            min_value=0,
            max_value=100,
            initial=current.quorum_percent,
        )
        for name, label, choices in [
            ("threshold", _("Threshold"), Threshold.choices),
            ("method", _("Method"), Method.choices),
            ("ballots", _("Ballots"), BallotSecrecy.choices),
            ("funding_rule", _("Accepting funding or a partnership"), FundingRule.choices),
        ]:
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                widget=forms.RadioSelect,
                initial=getattr(current, name),
            )


class CrisisPlanForm(ProposalForm):
    def add_change_fields(self):
        self.fields["crisis_plan"] = MemberTextField(
            label=_("The crisis plan, as it would read"),
            max_length=CRISIS_PLAN_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 14}),
            initial=self.circle.crisis_plan,
            help_text=_("Edit the current plan. Markdown works."),
        )


class RemoveMemberForm(ProposalForm):
    def add_change_fields(self):
        others = members_of(circle=self.circle).exclude(user_id=self.proposer.pk)
        # Not type(self.proposer): the request's user is a lazy object, not the model.
        users = User.objects.filter(pk__in=others.values("user_id"))
        self.fields["member"] = forms.ModelChoiceField(
            label=_("Member"),
            queryset=users.order_by("display_name", "pk"),
            empty_label=None,
            help_text=_("They will be told, can comment, and do not vote on it."),
        )
        self.fields["member"].label_from_instance = lambda user: user.display_name


class RemovePostForm(ProposalForm):
    def add_change_fields(self):
        from circles.selectors import posts_removable_by_decision

        self.fields["post"] = forms.ModelChoiceField(
            label=_("Post"),
            queryset=posts_removable_by_decision(circle=self.circle),
            empty_label=None,
        )


FORMS = {
    ProposalKind.ADD_AGREEMENT: AddAgreementForm,
    ProposalKind.AMEND_AGREEMENT: AmendAgreementForm,
    ProposalKind.REPEAL_AGREEMENT: RepealAgreementForm,
    ProposalKind.CHANGE_CIRCLE_SETTINGS: CircleSettingsForm,
    ProposalKind.CHANGE_DECISION_SETTINGS: DecisionSettingsForm,
    ProposalKind.CHANGE_CRISIS_PLAN: CrisisPlanForm,
    ProposalKind.REMOVE_MEMBER: RemoveMemberForm,
    ProposalKind.REMOVE_POST: RemovePostForm,
    ProposalKind.RESOLUTION: ProposalForm,
}


def register_form(kind: str, form_class: type[ProposalForm]) -> None:
    """An app above governance supplies the form of a proposal kind of its own."""
    FORMS[kind] = form_class


def proposal_kinds() -> list[tuple[str, str]]:
    """The kinds a member can propose: those with a form (an app above governance registers
    its own), in ProposalKind's order."""
    return [(value, label) for value, label in ProposalKind.choices if value in FORMS]


def change_data(cleaned: dict) -> dict:
    """The form's cleaned data as effects.build_change reads it."""
    skip = {"open_now", "reason", "title"}
    data = {k: v for k, v in cleaned.items() if k not in skip}
    if "title_new" in data:
        data["title"] = data.pop("title_new")
    return data


class BallotForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), widget=forms.RadioSelect)
    reason = MemberTextField(
        label=_("Reason (optional)"),
        required=False,
        max_length=constants.BALLOT_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, consensus: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = (
            Choice.choices if consensus else [c for c in Choice.choices if c[0] != Choice.BLOCK]
        )
        self.fields["choice"].choices = choices


class CommentForm(SubmittedOnceForm):
    text = MemberTextField(
        label=_("Add to the discussion"),
        max_length=constants.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
