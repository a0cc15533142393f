"""What each kind of proposal changes: how the change is written down, shown and applied.

A proposal records its exact change when it is made ({"before": ..., "after": ...});
closing a passed proposal applies it in the same transaction. An effect that can no longer
apply (the agreement was repealed since, the member already left) is recorded as not
applied, with the reason, instead of failing the decision.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from circles.models import Circle, MembershipEnd
from circles.selectors import membership_of
from circles.services import (
    circle_apply_settings,
    circle_crisis_plan_set,
    membership_end,
    post_remove_by_decision,
)
from governance.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    DecisionSettings,
    Proposal,
    ProposalKind,
    Threshold,
)
from peernet.errors import DomainError, full_clean_or_refuse
from peernet.notify.models import Kind
from peernet.notify.services import notify

DECISION_SETTING_FIELDS = (
    "voting_days",
    "quorum_percent",
    "threshold",
    "method",
    "ballots",
    "funding_rule",
)
AGREEMENT_FIELDS = ("title", "text")


@dataclass(frozen=True)
class Outcome:
    applied: bool | None  # None: this kind has no automatic effect
    note: str = ""


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: str
    after: str


def _settings_change(current, fields: tuple[str, ...], wanted: dict) -> dict:
    before, after = {}, {}
    for field in fields:
        if field in wanted and wanted[field] != getattr(current, field):
            before[field] = getattr(current, field)
            after[field] = wanted[field]
    if not after:
        raise DomainError(_("Change at least one setting: these are the current ones."))
    return {"before": before, "after": after}


def _agreement_snapshot(agreement: Agreement) -> dict:
    return {"title": agreement.title, "text": agreement.text}


@dataclass(frozen=True)
class KindEffects:
    """What an app above governance supplies for a proposal kind of its own (legitimacy's
    reports and partnerships): the change it records, how a passed one applies, the template
    that shows the change on the proposal's page, the same change as rows for the circle's
    record, and the least threshold it may pass with, whatever the circle's own."""

    build: Callable[..., dict]  # (circle=, data=) -> change, or raises DomainError
    apply: Callable[[Proposal], "Outcome"]
    template: str
    rows: Callable[[Proposal], list["ChangeRow"]]
    threshold_floor: str | None = None
    # (the circle's decision settings) -> Method.CONSENSUS when the circle chose consensus
    # for this kind alone; None to decide by the circle's own method.
    method_floor: Callable[[DecisionSettings], str | None] | None = None
    # Told, after the transaction commits, that a proposal of this kind closed (passed or
    # not) or was withdrawn: a network question counts each circle's outcome as its vote.
    closed: Callable[[int], None] | None = None
    # Who a proposal of this kind comes from, in place of "proposed by <member>" (a network's
    # question reaches circles none of whose members asked it).
    byline: Callable[[Proposal], str] | None = None


_kind_effects: dict[str, KindEffects] = {}

# Governance's own kinds that never pass on less than a supermajority: how the circle decides.
THRESHOLD_FLOORS = {ProposalKind.CHANGE_DECISION_SETTINGS: Threshold.SUPERMAJORITY}


def register_kind_effects(kind: str, effects: KindEffects) -> None:
    _kind_effects[kind] = effects


def change_template(proposal: Proposal) -> str | None:
    """The template that shows a registered kind's change, or None for governance's own."""
    registered = _kind_effects.get(proposal.kind)
    return registered.template if registered else None


def byline(proposal: Proposal) -> str | None:
    """Who a registered kind's proposal comes from, or None: its proposer."""
    registered = _kind_effects.get(proposal.kind)
    if registered is None or registered.byline is None:
        return None
    return registered.byline(proposal)


def after_close(proposal: Proposal) -> None:
    """Once the closing (or withdrawing) transaction commits, tell a registered kind."""
    registered = _kind_effects.get(proposal.kind)
    if registered is not None and registered.closed is not None:
        transaction.on_commit(lambda: registered.closed(proposal.pk))


def method_floor(kind: str, rules: DecisionSettings) -> str | None:
    """The method a proposal of this kind needs at least, in a circle with these rules."""
    registered = _kind_effects.get(kind)
    if registered is None or registered.method_floor is None:
        return None
    return registered.method_floor(rules)


def threshold_floor(kind: str) -> str | None:
    """The least threshold a proposal of this kind opens with, or None: the circle's own."""
    if kind in _kind_effects:
        return _kind_effects[kind].threshold_floor
    return THRESHOLD_FLOORS.get(kind)


def build_change(*, kind: str, circle: Circle, data: dict) -> dict:
    """The change a new proposal records, from the form's cleaned data. Raises if empty."""
    if kind in _kind_effects:
        return _kind_effects[kind].build(circle=circle, data=data)
    match kind:
        case ProposalKind.ADD_AGREEMENT:
            return {"before": {}, "after": {f: data[f] for f in AGREEMENT_FIELDS}}
        case ProposalKind.AMEND_AGREEMENT:
            agreement = data["agreement"]
            after = {f: data[f] for f in AGREEMENT_FIELDS}
            if after == _agreement_snapshot(agreement):
                raise DomainError(_("The new wording is the same as the current one."))
            return {"before": _agreement_snapshot(agreement), "after": after}
        case ProposalKind.REPEAL_AGREEMENT:
            return {"before": _agreement_snapshot(data["agreement"]), "after": {}}
        case ProposalKind.CHANGE_CIRCLE_SETTINGS:
            return _settings_change(circle, Circle.SETTING_FIELDS, data)
        case ProposalKind.CHANGE_DECISION_SETTINGS:
            current = DecisionSettings.objects.get_or_create(circle=circle)[0]
            return _settings_change(current, DECISION_SETTING_FIELDS, data)
        case ProposalKind.CHANGE_CRISIS_PLAN:
            text = data["crisis_plan"].strip()
            if text == circle.crisis_plan:
                raise DomainError(_("The new plan is the same as the current one."))
            return {"before": {"crisis_plan": circle.crisis_plan}, "after": {"crisis_plan": text}}
        case ProposalKind.REMOVE_MEMBER:
            return {"before": {"member": data["member"].display_name}, "after": {}}
        case ProposalKind.REMOVE_POST:
            post = data["post"]
            return {"before": {"post": post.title}, "after": {}, "post_id": post.pk}
        case ProposalKind.RESOLUTION:
            return {"before": {}, "after": {}}
    raise ValueError(f"unknown proposal kind {kind!r}")


# --- Showing a change -------------------------------------------------------------------


def _label_and_display(model, field: str, value) -> tuple[str, str]:
    model_field = model._meta.get_field(field)
    label = str(model_field.verbose_name)
    if model_field.choices:
        value = dict(model_field.flatchoices).get(value, value)
    return label[:1].upper() + label[1:], "" if value is None else str(value)


def change_rows(proposal: Proposal) -> list[ChangeRow]:
    if proposal.kind in _kind_effects:
        return _kind_effects[proposal.kind].rows(proposal)
    before = proposal.change.get("before", {})
    after = proposal.change.get("after", {})
    model = {
        ProposalKind.CHANGE_CIRCLE_SETTINGS: Circle,
        ProposalKind.CHANGE_CRISIS_PLAN: Circle,
        ProposalKind.CHANGE_DECISION_SETTINGS: DecisionSettings,
    }.get(proposal.kind, Agreement)
    rows = []
    for field in dict.fromkeys([*before, *after]):
        if field in {"member", "post"}:
            label = _("Member") if field == "member" else _("Post")
            # An empty name: the member has since deleted their account.
            name = str(before.get(field) or _("former member"))
            rows.append(ChangeRow(label, name, _("(removed)")))
            continue
        label, old = _label_and_display(model, field, before.get(field))
        _label, new = _label_and_display(model, field, after.get(field))
        rows.append(ChangeRow(label, old, new if field in after else _("(repealed)")))
    return rows


# --- Applying a passed proposal ---------------------------------------------------------


def _new_version(
    agreement: Agreement, proposal: Proposal, *, repealed: bool = False, first: bool = False
) -> None:
    number = 1 if first else agreement.versions.count() + 1
    AgreementVersion.objects.create(
        agreement=agreement,
        number=number,
        title=agreement.title,
        text=agreement.text,
        repealed=repealed,
        decision=proposal,
    )


def _apply_agreement(proposal: Proposal) -> Outcome:
    after = proposal.change["after"]
    if proposal.kind == ProposalKind.ADD_AGREEMENT:
        agreement = Agreement.objects.create(circle=proposal.circle, **after)
        _new_version(agreement, proposal, first=True)
        proposal.target_agreement = agreement  # saved with the tally
        return Outcome(True)
    agreement = Agreement.objects.select_for_update().get(pk=proposal.target_agreement_id)
    if agreement.status == AgreementStatus.REPEALED:
        return Outcome(False, _("The agreement had been repealed by a later decision."))
    if proposal.kind == ProposalKind.AMEND_AGREEMENT:
        agreement.title, agreement.text = after["title"], after["text"]
        agreement.save(update_fields=["title", "text"])
        _new_version(agreement, proposal)
    else:
        agreement.status = AgreementStatus.REPEALED
        agreement.save(update_fields=["status"])
        _new_version(agreement, proposal, repealed=True)
    return Outcome(True)


def _apply_circle_settings(proposal: Proposal) -> Outcome:
    circle = Circle.objects.select_for_update().get(pk=proposal.circle_id)
    circle_apply_settings(circle=circle, changes=proposal.change["after"])
    return Outcome(True)


def _apply_crisis_plan(proposal: Proposal) -> Outcome:
    circle = Circle.objects.select_for_update().get(pk=proposal.circle_id)
    circle_crisis_plan_set(circle=circle, text=proposal.change["after"]["crisis_plan"])
    return Outcome(True)


def _apply_decision_settings(proposal: Proposal) -> Outcome:
    current = DecisionSettings.objects.select_for_update().get_or_create(
        circle_id=proposal.circle_id
    )[0]
    for field, value in proposal.change["after"].items():
        setattr(current, field, value)
    full_clean_or_refuse(current)
    current.save()
    return Outcome(True)


def _apply_remove_member(proposal: Proposal) -> Outcome:
    member = proposal.target_user
    if member is None or membership_of(circle=proposal.circle, user=member) is None:
        return Outcome(False, _("The member had already left the circle."))
    membership_end(circle=proposal.circle, user=member, because=MembershipEnd.REMOVED)
    notify(
        recipients=[member],
        kind=Kind.MEMBER_REMOVED,
        message=gettext_noop(
            "By the decision “%(title)s”, you are no longer a member of %(circle)s. "
            "What you wrote stays with the circle."
        ),
        params={"title": proposal.title, "circle": proposal.circle.name},
        url=reverse("circles:directory"),
        circle=proposal.circle,
    )
    return Outcome(True)


def _apply_remove_post(proposal: Proposal) -> Outcome:
    return Outcome(*post_remove_by_decision(post_id=proposal.change["post_id"]))


APPLY = {
    ProposalKind.ADD_AGREEMENT: _apply_agreement,
    ProposalKind.AMEND_AGREEMENT: _apply_agreement,
    ProposalKind.REPEAL_AGREEMENT: _apply_agreement,
    ProposalKind.CHANGE_CIRCLE_SETTINGS: _apply_circle_settings,
    ProposalKind.CHANGE_DECISION_SETTINGS: _apply_decision_settings,
    ProposalKind.CHANGE_CRISIS_PLAN: _apply_crisis_plan,
    ProposalKind.REMOVE_MEMBER: _apply_remove_member,
    ProposalKind.REMOVE_POST: _apply_remove_post,
    ProposalKind.RESOLUTION: lambda proposal: Outcome(None),
}


def outcome_of(apply: Callable[[], Outcome]) -> Outcome:
    """Run an effect in its own savepoint: a change that is no longer valid is recorded as
    not applied, with the reason, instead of failing the decision that made it."""
    try:
        with transaction.atomic():
            return apply()
    except DomainError as error:
        return Outcome(
            False, _("The change is no longer valid: %(error)s") % {"error": error.message}
        )


def apply_effect(proposal: Proposal) -> Outcome:
    """Apply a passed proposal's change. Runs inside the closing transaction."""
    registered = _kind_effects.get(proposal.kind)
    return outcome_of(lambda: (registered.apply if registered else APPLY[proposal.kind])(proposal))
