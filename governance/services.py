"""Writes for governance: proposals, ballots, comments, and closing with the tally."""

import logging

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from circles.models import Circle, Membership
from circles.nav import waiting_changed
from circles.selectors import membership_of
from governance import constants
from governance.effects import (
    after_close,
    apply_effect,
    build_change,
    method_floor,
    threshold_floor,
)
from governance.models import (
    CLOSED_STATUSES,
    Ballot,
    Choice,
    Comment,
    Method,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Voter,
)
from governance.rules import method_for, quorum_met, threshold_for, threshold_met
from governance.selectors import active_voters, can_vote, decision_settings_for, tally, turnout
from peernet.errors import DomainError, full_clean_or_refuse
from peernet.members.models import User
from peernet.notify.models import Kind
from peernet.notify.services import notify

logger = logging.getLogger(__name__)
ELECTORATE_BATCH = 5000


def _require_member(circle: Circle, user: User, message: str) -> None:
    if membership_of(circle=circle, user=user) is None:
        raise DomainError(message)


def proposal_create(
    *,
    circle: Circle,
    proposer: User,
    kind: str,
    title: str,
    reason: str,
    data: dict,
    open_now: bool = True,
) -> Proposal:
    """A member proposes a change; with open_now, voting opens at once."""
    _require_member(circle, proposer, _("Only members can make proposals."))
    change = build_change(kind=kind, circle=circle, data=data)
    target_agreement = data.get("agreement")
    target_user = data.get("member")
    if target_user is not None and membership_of(circle=circle, user=target_user) is None:
        raise DomainError(_("That person is not a member of this circle."))
    with transaction.atomic():
        proposal = Proposal.objects.create(
            circle=circle,
            kind=kind,
            title=title.strip(),
            reason=reason.strip(),
            proposer=proposer,
            change=change,
            target_agreement=target_agreement,
            target_user=target_user,
        )
        if open_now:
            proposal = proposal_open(proposal=proposal, member=proposer)
    return proposal


@transaction.atomic
def proposal_open(*, proposal: Proposal, member: User) -> Proposal:
    """Open for votes: fix the rules and the electorate (the members now, less the one
    a removal concerns)."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.proposer_id != member.pk:
        raise DomainError(_("Only the person who made a draft can open it."))
    if proposal.status != ProposalStatus.DRAFT:
        raise DomainError(_("Only a draft can be opened."))
    _require_member(proposal.circle, member, _("Only members can open proposals."))
    rules = decision_settings_for(circle=proposal.circle)
    proposal.status = ProposalStatus.OPEN
    for field, value in rules_frozen(kind=proposal.kind, rules=rules, now=timezone.now()).items():
        setattr(proposal, field, value)
    proposal.save()
    members = Membership.objects.active().filter(circle_id=proposal.circle_id)
    if proposal.target_user_id:
        members = members.exclude(user_id=proposal.target_user_id)
    Voter.objects.bulk_create(
        (
            Voter(proposal=proposal, user_id=uid)
            for uid in members.values_list("user_id", flat=True)
        ),
        batch_size=ELECTORATE_BATCH,
    )
    waiting_changed(circle_ids=[proposal.circle_id])
    _announce_after_commit("announce_proposal_opened", proposal.pk)
    return proposal


def rules_frozen(*, kind: str, rules, now) -> dict:
    """The fields a proposal of this kind opens with, in a circle with these decision
    settings: the rules in force when it opens, which a later change does not touch."""
    return {
        "opened_at": now,
        "closes_at": now + timezone.timedelta(days=rules.voting_days),
        "quorum_percent": rules.quorum_percent,
        "method": method_for(circle_method=rules.method, floor=method_floor(kind, rules)),
        "ballots": rules.ballots,
        "threshold": threshold_for(circle_threshold=rules.threshold, floor=threshold_floor(kind)),
    }


def _announce_after_commit(task_name: str, proposal_id: int) -> None:
    """Fan-out to the electorate runs in a worker, not in the transaction that decided."""
    from governance import tasks  # tasks import this module

    transaction.on_commit(lambda: getattr(tasks, task_name).delay(proposal_id))


def agreement_adopt_at_founding(*, circle: Circle, founder: User, title: str, text: str):
    """The founder adopts a starter agreement while starting the circle, as its only member.

    It is recorded as what it was: a decision of an electorate of one, closed the moment it
    opened, with the founder's yes, so it shows in the agreements, the decision log and the
    circle's record like any other, and changes later only by a proposal. No one is notified:
    there is no one else yet. Runs inside circle_create's transaction."""
    if not text.strip():
        raise DomainError(_("An agreement needs a text."))
    if len(text.strip()) > constants.AGREEMENT_TEXT_MAX_LENGTH:
        raise DomainError(
            _("An agreement can be at most %(n)d characters long.")
            % {"n": constants.AGREEMENT_TEXT_MAX_LENGTH}
        )
    rules = decision_settings_for(circle=circle)
    now = timezone.now()
    proposal = Proposal(
        circle=circle,
        kind=ProposalKind.ADD_AGREEMENT,
        title=_("Founding agreement: %(title)s") % {"title": title},
        # No name in the text: the proposer is a reference, which follows a rename and an
        # account deletion like every other proposal's.
        reason=_(
            "Adopted by the member who started the circle, when starting it, before anyone "
            "else had joined. Like every agreement, the members can amend or repeal it by "
            "proposal."
        ),
        proposer=founder,
        change={"before": {}, "after": {"title": title.strip(), "text": text.strip()}},
        status=ProposalStatus.PASSED,
        opened_at=now,
        closes_at=now,
        closed_at=now,
        quorum_percent=rules.quorum_percent,
        threshold=rules.threshold,
        method=rules.method,
        ballots=rules.ballots,
        electorate_size=1,
        ballots_cast=1,
        yes_count=1,
        no_count=0,
        abstain_count=0,
        block_count=0,
        quorum_met=True,
        threshold_met=True,
    )
    full_clean_or_refuse(proposal)
    proposal.save()
    Voter.objects.create(proposal=proposal, user=founder)
    Ballot.objects.create(proposal=proposal, voter=founder, choice=Choice.YES, cast_at=now)
    outcome = apply_effect(proposal)
    if not outcome.applied:
        raise DomainError(outcome.note)
    proposal.effect_applied = True
    proposal.save(update_fields=["target_agreement", "effect_applied"])
    return proposal.target_agreement


def proposal_announce_opened(*, proposal_id: int) -> int:
    """The electorate hears that voting is open; a member the proposal would remove, who
    has no vote on it, is told too, so no one is decided about without knowing."""
    proposal = Proposal.objects.select_related("circle", "target_user").get(pk=proposal_id)
    if proposal.kind == ProposalKind.REMOVE_MEMBER and proposal.target_user is not None:
        notify(
            recipients=[proposal.target_user],
            kind=Kind.REMOVAL_PROPOSED,
            message=gettext_noop(
                "Members of %(circle)s have proposed that you stop being a member: "
                "“%(title)s”. You can read the reasons and comment while it is open."
            ),
            params={"circle": proposal.circle.name, "title": proposal.title},
            url=proposal.get_absolute_url(),
            circle=proposal.circle,
            once_key=f"removal-proposed:{proposal.pk}",
        )
    return len(
        notify(
            recipients=_electorate_users(proposal).exclude(pk=proposal.proposer_id),
            kind=Kind.PROPOSAL_OPENED,
            message=gettext_noop("New proposal in %(circle)s: “%(title)s”. Voting is open."),
            params={"circle": proposal.circle.name, "title": proposal.title},
            url=proposal.get_absolute_url(),
            circle=proposal.circle,
            once_key=f"proposal-opened:{proposal.pk}",
        )
    )


def proposal_announce_decided(*, proposal_id: int) -> int:
    proposal = Proposal.objects.select_related("circle").get(pk=proposal_id)
    passed = proposal.status == ProposalStatus.PASSED
    return len(
        notify(
            recipients=_electorate_users(proposal),
            kind=Kind.DECISION_MADE,
            message=gettext_noop("%(circle)s decided: “%(title)s” passed.")
            if passed
            else gettext_noop("%(circle)s decided: “%(title)s” did not pass."),
            params={"circle": proposal.circle.name, "title": proposal.title},
            url=proposal.get_absolute_url(),
            circle=proposal.circle,
            once_key=f"decision:{proposal.pk}",
        )
    )


def vote_reminders_send(*, now=None) -> int:
    """Once per proposal, 24 hours before it closes, remind voters who have not voted."""
    now = now or timezone.now()
    soon = Proposal.objects.open().filter(
        closes_at__gt=now, closes_at__lte=now + constants.VOTE_REMINDER_BEFORE
    )
    sent = 0
    for proposal in soon.select_related("circle"):
        voted = Ballot.objects.filter(proposal=proposal, voter_id=OuterRef("user_id"))
        waiting = User.objects.filter(
            pk__in=active_voters(proposal=proposal).exclude(Exists(voted)).values("user_id")
        )
        sent += len(
            notify(
                recipients=waiting,
                kind=Kind.VOTE_REMINDER,
                message=gettext_noop("Voting on “%(title)s” in %(circle)s closes within a day."),
                params={"title": proposal.title, "circle": proposal.circle.name},
                url=proposal.get_absolute_url(),
                circle=proposal.circle,
                once_key=f"vote-reminder:{proposal.pk}",
            )
        )
    return sent


def _electorate_users(proposal: Proposal):
    return User.objects.filter(pk__in=active_voters(proposal=proposal).values("user_id"))


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, member: User) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.proposer_id != member.pk:
        raise DomainError(_("Only the person who made a proposal can withdraw it."))
    if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.OPEN):
        raise DomainError(_("This proposal is already closed."))
    _withdraw_locked(proposal, now=timezone.now())
    return proposal


def _withdraw_locked(proposal: Proposal, *, now) -> None:
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.closed_at = now
    proposal.save(update_fields=["status", "closed_at"])
    waiting_changed(circle_ids=[proposal.circle_id])
    after_close(proposal)


@transaction.atomic
def proposals_withdraw_open(*, proposal_ids, now=None) -> list[int]:
    """Withdraw those of these proposals still open, whoever proposed them: no member did
    (a network's question, in a circle that has left the network). Returns their ids."""
    proposals = list(
        Proposal.objects.select_for_update()
        .filter(pk__in=proposal_ids, status=ProposalStatus.OPEN)
        .order_by("pk")
    )
    for proposal in proposals:
        _withdraw_locked(proposal, now=now or timezone.now())
    return [p.pk for p in proposals]


def ballot_cast(*, proposal: Proposal, voter: User, choice: str, reason: str = "") -> Ballot:
    """Cast or change a ballot. Only the electorate votes; the last ballot closes it early."""
    with transaction.atomic():
        # The lock orders ballots against closing: none slips in after the tally.
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _check_can_vote(proposal, voter, choice)
        now = timezone.now()
        Ballot.objects.bulk_create(
            [
                Ballot(
                    proposal=proposal,
                    voter=voter,
                    choice=choice,
                    reason=reason.strip(),
                    cast_at=now,
                )
            ],
            update_conflicts=True,
            unique_fields=["proposal", "voter"],
            update_fields=["choice", "reason", "cast_at"],
        )
        waiting_changed(user_ids=[voter.pk])
        counts = turnout(proposal=proposal)
        if counts["voted"] >= counts["electorate"]:
            _close_locked(proposal, now=now)
    return Ballot.objects.get(proposal=proposal, voter=voter)


def _check_can_vote(proposal: Proposal, voter: User, choice: str) -> None:
    if proposal.status == ProposalStatus.DRAFT:
        raise DomainError(_("This proposal is a draft: voting has not opened."))
    if proposal.status != ProposalStatus.OPEN or proposal.closes_at <= timezone.now():
        raise DomainError(_("Voting on this proposal has closed."))
    if choice not in Choice.values:
        raise DomainError(_("Choose yes, no or abstain."))
    if choice == Choice.BLOCK and proposal.method != Method.CONSENSUS:
        raise DomainError(_("Blocking is only possible in circles that decide by consensus."))
    if not can_vote(proposal=proposal, user=voter):
        if proposal.target_user_id == voter.pk:
            raise DomainError(_("You do not vote on a proposal about you; you can comment."))
        raise DomainError(
            _("Only those who were members when this proposal opened can vote on it.")
        )


def comment_add(*, proposal: Proposal, author: User, text: str) -> Comment:
    _require_member(proposal.circle, author, _("Only members can comment."))
    if proposal.is_closed or proposal.status == ProposalStatus.WITHDRAWN:
        raise DomainError(_("This proposal is closed; its discussion is kept as it was."))
    return Comment.objects.create(proposal=proposal, author=author, text=text.strip())


# --- Closing ----------------------------------------------------------------------------


def proposal_close(*, proposal: Proposal, now=None) -> Proposal:
    """Close one proposal if it is still open. Safe to call twice at once: one closes it."""
    with transaction.atomic():
        locked = (
            Proposal.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=proposal.pk, status=ProposalStatus.OPEN)
            .select_related("circle", "target_user")
            .first()
        )
        if locked is None:
            return Proposal.objects.get(pk=proposal.pk)
        _close_locked(locked, now=now or timezone.now())
        return locked


def _close_locked(proposal: Proposal, *, now) -> None:
    counts = tally(proposal=proposal)
    electorate = counts["electorate"]
    yes, no = counts[Choice.YES], counts[Choice.NO]
    abstain, block = counts[Choice.ABSTAIN], counts[Choice.BLOCK]
    cast = yes + no + abstain + block
    proposal.electorate_size = electorate
    proposal.ballots_cast = cast
    proposal.yes_count, proposal.no_count = yes, no
    proposal.abstain_count, proposal.block_count = abstain, block
    proposal.quorum_met = quorum_met(
        electorate=electorate, cast=cast, quorum_percent=proposal.quorum_percent
    )
    proposal.threshold_met = threshold_met(
        yes=yes, no=no, block=block, threshold=proposal.threshold, method=proposal.method
    )
    passed = proposal.quorum_met and proposal.threshold_met
    proposal.status = ProposalStatus.PASSED if passed else ProposalStatus.FAILED
    proposal.closed_at = now
    if passed:
        outcome = apply_effect(proposal)
        proposal.effect_applied, proposal.effect_note = outcome.applied, outcome.note
    proposal.save()
    waiting_changed(circle_ids=[proposal.circle_id])
    _announce_after_commit("announce_decision", proposal.pk)
    after_close(proposal)


def proposals_close_due(*, now=None) -> int:
    """Close every proposal whose deadline has passed. Run by beat every minute."""
    now = now or timezone.now()
    due = Proposal.objects.due(now=now).order_by("closes_at").values_list("pk", flat=True)
    closed = 0
    for pk in list(due[: constants.CLOSE_DUE_BATCH]):
        if proposal_close(proposal=Proposal(pk=pk), now=now).closed_at == now:
            closed += 1
    return closed


@transaction.atomic
def member_votes_release(*, user: User) -> None:
    """An account is being deleted. It leaves every open electorate with its ballots; its
    ballots in closed decisions stay, and still count. Its unopened drafts go with it, and
    proposals about it no longer carry its name."""
    Ballot.objects.filter(voter=user, proposal__status=ProposalStatus.OPEN).delete()
    # A ballot cast before leaving a circle did not count in decisions closed after that.
    left_before_close = Membership.objects.filter(
        circle_id=OuterRef("proposal__circle_id"),
        user=user,
        left_at__lte=OuterRef("proposal__closed_at"),
    )
    Ballot.objects.filter(voter=user, proposal__status__in=CLOSED_STATUSES).filter(
        Exists(left_before_close)
    ).delete()
    Voter.objects.filter(user=user, proposal__status=ProposalStatus.OPEN).delete()
    Proposal.objects.filter(proposer=user, status=ProposalStatus.DRAFT).delete()
    about = Proposal.objects.select_for_update().filter(
        target_user=user, kind=ProposalKind.REMOVE_MEMBER
    )
    for proposal in about:
        proposal.change["before"]["member"] = ""
        proposal.save(update_fields=["change"])
