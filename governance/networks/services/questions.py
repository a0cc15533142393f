"""Network questions, one circle, one vote: opened as a linked proposal in every member
circle, settled once when all have closed or at the deadline.

A question's change, by kind: adopt_agreement {"title", "text"}; change_method {"before",
"after"}; resolution {}; admit_circle {"join_proposal_id", "show_name"} (the asking circle's
decision, and whether it shows its name). A linked proposal's change is {"question_id"}.

Locks, always in this order: the question, the network, the linked proposals. Whoever closes
a linked proposal holds only that proposal's lock, and hears of it after commit, so nothing
waits in a circle.
"""

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from circles.models import Circle, Membership
from circles.nav import waiting_changed
from circles.selectors import membership_of
from governance import constants as governance_constants
from governance import tasks as governance_tasks
from governance.effects import Outcome, outcome_of
from governance.models import DecisionSettings, Proposal, ProposalKind, ProposalStatus, Voter
from governance.networks import constants
from governance.networks.models import (
    CircleVote,
    LinkedProposal,
    Network,
    NetworkMembership,
    NetworkMethod,
    NetworkQuestion,
    QuestionKind,
    QuestionStatus,
    SharedAgreement,
)
from governance.networks.rules import circle_vote, count_votes, network_passes
from governance.services import proposal_close, rules_frozen
from peernet import limits
from peernet.errors import DomainError
from peernet.limits import limit_hit
from peernet.members.models import User
from peernet.notify.models import Kind
from peernet.notify.services import notify

# A circle is admitted only by its own decision to ask (services.founding).
logger = logging.getLogger(__name__)
ASKABLE_KINDS = (QuestionKind.ADOPT_AGREEMENT, QuestionKind.CHANGE_METHOD, QuestionKind.RESOLUTION)
VOTER_BATCH = 5000


# --- Asking -----------------------------------------------------------------------------


def _too_long(what: str, limit: int) -> DomainError:
    return DomainError(
        _("%(what)s can be at most %(n)d characters long.") % {"what": what, "n": limit}
    )


def _question_change(*, network: Network, kind: str, title: str, data: dict) -> dict:
    if kind == QuestionKind.ADOPT_AGREEMENT:
        agreement_title = " ".join(str(data.get("title") or title).split())
        text = str(data.get("text") or "").strip()
        if not text:
            raise DomainError(_("Write the text of the agreement the network would adopt."))
        if len(agreement_title) > constants.SHARED_AGREEMENT_TITLE_MAX_LENGTH:
            raise _too_long(_("An agreement's title"), constants.SHARED_AGREEMENT_TITLE_MAX_LENGTH)
        if len(text) > constants.SHARED_AGREEMENT_TEXT_MAX_LENGTH:
            raise _too_long(_("An agreement's text"), constants.SHARED_AGREEMENT_TEXT_MAX_LENGTH)
        return {"title": agreement_title, "text": text}
    if kind == QuestionKind.CHANGE_METHOD:
        after = data.get("method")
        if after not in NetworkMethod.values:
            raise DomainError(_("Choose how the network would decide: majority or consensus."))
        if after == network.method:
            raise DomainError(_("The network already decides this way."))
        return {"before": network.method, "after": after}
    return {}


def question_ask(
    *, network: Network, circle: Circle, asker: User, kind: str, title: str, reason: str, data
) -> NetworkQuestion:
    """A member of a member circle puts a question to the network.

    data, by kind: adopt_agreement {"text", optionally "title" (else the question's)};
    change_method {"method": the new way of deciding}; resolution {}."""
    if kind == QuestionKind.ADMIT_CIRCLE:
        raise DomainError(_("A circle joins a network only by its own decision to ask."))
    if kind not in ASKABLE_KINDS:
        raise DomainError(_("Choose what kind of question to ask."))
    title, reason = " ".join(title.split()), reason.strip()
    if not title:
        raise DomainError(_("Give the question a title."))
    if len(title) > constants.QUESTION_TITLE_MAX_LENGTH:
        raise _too_long(_("A question's title"), constants.QUESTION_TITLE_MAX_LENGTH)
    if not reason:
        raise DomainError(_("Say why you are asking: the circles will read it before voting."))
    if len(reason) > constants.QUESTION_REASON_MAX_LENGTH:
        raise _too_long(_("The reason"), constants.QUESTION_REASON_MAX_LENGTH)
    if membership_of(circle=circle, user=asker) is None:
        raise DomainError(_("Only members of a circle in the network can ask it a question."))
    limit_hit(limits.NETWORK_QUESTIONS, key=limits.member_key(asker))
    with transaction.atomic():
        network = Network.objects.select_for_update().get(pk=network.pk)
        in_network = NetworkMembership.objects.active().filter(network=network, circle=circle)
        if not in_network.exists():
            raise DomainError(_("Your circle is not in that network."))
        return question_open(
            network=network,
            kind=kind,
            title=title,
            reason=reason,
            change=_question_change(network=network, kind=kind, title=title, data=data),
            asked_by_circle=circle,
            asked_by=asker,
        )


# --- Opening ----------------------------------------------------------------------------


def _decision_settings(circle_ids: list[int]) -> dict[int, DecisionSettings]:
    """Each circle's rules in one query; a circle that never changed them gets the defaults."""
    found = {s.circle_id: s for s in DecisionSettings.objects.filter(circle_id__in=circle_ids)}
    missing = [DecisionSettings(circle_id=pk) for pk in circle_ids if pk not in found]
    if missing:
        DecisionSettings.objects.bulk_create(missing, ignore_conflicts=True)
        found.update((s.circle_id, s) for s in missing)
    return found


def _linked_proposal(*, circle_id: int, rules: DecisionSettings, now, **fields) -> Proposal:
    """An open proposal under the circle's own rules, frozen now, as proposal_open does.
    No proposer: the circle's vote is not one member's to withdraw."""
    kind = ProposalKind.NETWORK_QUESTION
    return Proposal(
        circle_id=circle_id,
        kind=kind,
        status=ProposalStatus.OPEN,
        created_at=now,
        **rules_frozen(kind=kind, rules=rules, now=now),
        **fields,
    )


def _announce_opened(proposal_ids: list[int]) -> None:
    for pk in proposal_ids:
        governance_tasks.announce_proposal_opened.delay(pk)


@transaction.atomic
def question_open(
    *,
    network: Network,
    kind: str,
    title: str,
    reason: str,
    change: dict,
    asked_by_circle: Circle | None,
    asked_by: User | None,
    subject_circle: Circle | None = None,
) -> NetworkQuestion:
    """Open the question and its linked proposals, in a bounded number of queries. The
    caller holds the network's row lock, so the voting circles are those in it now."""
    now = timezone.now()
    voting = NetworkMembership.objects.active().filter(network=network)
    if subject_circle is not None:
        voting = voting.exclude(circle=subject_circle)
    circle_ids = list(voting.order_by("circle_id").values_list("circle_id", flat=True))
    rules = _decision_settings(circle_ids)
    proposal_title = Truncator(f"{network.name}: {title}").chars(
        governance_constants.PROPOSAL_TITLE_MAX_LENGTH
    )
    proposals = [
        _linked_proposal(
            circle_id=pk,
            rules=rules[pk],
            now=now,
            title=proposal_title,
            reason=reason,
        )
        for pk in circle_ids
    ]
    question = NetworkQuestion.objects.create(
        network=network,
        kind=kind,
        title=title,
        reason=reason,
        change=change,
        asked_by_circle=asked_by_circle,
        asked_by=asked_by,
        subject_circle=subject_circle,
        method=network.method,
        opened_at=now,
        closes_at=max((p.closes_at for p in proposals), default=now),
    )
    for proposal in proposals:
        proposal.change = {"question_id": question.pk}
    Proposal.objects.bulk_create(proposals)
    LinkedProposal.objects.bulk_create(
        LinkedProposal(question=question, circle_id=p.circle_id, proposal=p) for p in proposals
    )
    proposal_of = {p.circle_id: p.pk for p in proposals}
    electorate = Membership.objects.active().filter(circle_id__in=circle_ids)
    Voter.objects.bulk_create(
        (
            Voter(proposal_id=proposal_of[circle_id], user_id=user_id)
            for circle_id, user_id in electorate.values_list("circle_id", "user_id")
        ),
        batch_size=VOTER_BATCH,
    )
    waiting_changed(circle_ids=circle_ids)
    transaction.on_commit(partial(_announce_opened, [p.pk for p in proposals]))
    return question


# --- Settling ---------------------------------------------------------------------------


def _admit(question: NetworkQuestion, network: Network) -> Outcome:
    in_network = NetworkMembership.objects.active().filter(
        network=network, circle_id=question.subject_circle_id
    )
    if in_network.exists():
        return Outcome(False, _("The circle was already in the network."))
    NetworkMembership.objects.create(
        network=network,
        circle_id=question.subject_circle_id,
        show_name=bool(question.change.get("show_name")),
        joined_by_id=question.change.get("join_proposal_id"),
        admitted_by=question,
    )
    return Outcome(True)


def _adopt(question: NetworkQuestion, network: Network) -> Outcome:
    SharedAgreement.objects.create(
        network=network,
        title=question.change["title"],
        text=question.change["text"],
        adopted_by=question,
    )
    return Outcome(True)


def _change_method(question: NetworkQuestion, network: Network) -> Outcome:
    after = question.change["after"]
    if network.method == after:
        return Outcome(False, _("The network already decided this way, by another question."))
    network.method = after
    network.save(update_fields=["method"])
    return Outcome(True)


APPLY = {
    QuestionKind.ADMIT_CIRCLE: _admit,
    QuestionKind.ADOPT_AGREEMENT: _adopt,
    QuestionKind.CHANGE_METHOD: _change_method,
    QuestionKind.RESOLUTION: lambda question, network: Outcome(None),
}


def _apply(question: NetworkQuestion, network: Network) -> Outcome:
    return outcome_of(lambda: APPLY[question.kind](question, network))


def _announce_decided(question_id: int) -> None:
    from governance.networks import tasks  # tasks import this module

    tasks.announce_question_decided.delay(question_id)


def question_settle(*, question_id: int, now=None) -> bool:
    """Settle the question if every linked proposal has closed or its deadline passed.
    True if this call settled it; safe to call any number of times, at once."""
    now = now or timezone.now()
    with transaction.atomic():
        question = (
            NetworkQuestion.objects.select_for_update()
            .filter(pk=question_id, status=QuestionStatus.OPEN)
            .first()
        )
        if question is None:
            return False
        network = Network.objects.select_for_update().get(pk=question.network_id)
        # Waits for a circle closing its proposal at this moment: its outcome is its vote.
        links = list(
            question.links.select_related("proposal")
            .select_for_update(of=("self", "proposal"))
            .order_by("proposal_id")
        )
        pending = [link for link in links if link.proposal.status == ProposalStatus.OPEN]
        if any(link.proposal.closes_at > now for link in pending):
            return False
        for link in pending:
            link.proposal = proposal_close(proposal=link.proposal, now=now)
        in_network = set(
            NetworkMembership.objects.active()
            .filter(network=network)
            .values_list("circle_id", flat=True)
        )
        for link in links:
            link.vote, link.vote_note = circle_vote(
                link.proposal, in_network=link.circle_id in in_network
            )
        LinkedProposal.objects.bulk_update(links, ["vote", "vote_note"])
        counts = count_votes(link.vote for link in links)
        passed = network_passes(
            yes=counts[CircleVote.YES], no=counts[CircleVote.NO], method=question.method
        )
        question.status = QuestionStatus.PASSED if passed else QuestionStatus.FAILED
        question.closed_at = now
        question.circles_count = len(links)
        question.yes_circles = counts[CircleVote.YES]
        question.no_circles = counts[CircleVote.NO]
        question.abstain_circles = counts[CircleVote.ABSTAIN]
        if passed:
            outcome = _apply(question, network)
            question.effect_applied, question.effect_note = outcome.applied, outcome.note
        question.save()
        transaction.on_commit(partial(_announce_decided, question.pk))
    return True


def questions_settle_due(*, now=None) -> int:
    """Settle every open question whose deadline has passed. Run by beat every minute."""
    now = now or timezone.now()
    due = NetworkQuestion.objects.due(now=now).order_by("closes_at").values_list("pk", flat=True)
    settled = 0
    for pk in list(due[: constants.SETTLE_DUE_BATCH]):
        try:
            settled += question_settle(question_id=pk, now=now)
        except Exception:
            # One question that cannot settle must not hold back the others every minute.
            logger.exception("Network question %s could not be settled", pk)
    return settled


def question_announce_decided(*, question_id: int) -> int:
    """The members of the circles still in the network that voted, and of the circle an
    admission was about, hear the outcome once. No circle is named: a private one may be
    among them. A circle left out hears it on its own proposal to join, which it can see."""
    question = NetworkQuestion.objects.select_related("network").get(pk=question_id)
    voted = LinkedProposal.objects.filter(question=question).values("circle_id")
    in_network = NetworkMembership.objects.active().filter(network_id=question.network_id)
    passed = question.status == QuestionStatus.PASSED
    message = (
        gettext_noop("%(network)s decided: “%(title)s” passed.")
        if passed
        else gettext_noop("%(network)s decided: “%(title)s” did not pass.")
    )
    question_url = question.get_absolute_url()
    audiences = [(in_network.filter(circle_id__in=voted).values("circle_id"), question_url)]
    if question.subject_circle_id:
        admitted = in_network.filter(circle_id=question.subject_circle_id).exists()
        join = (
            Proposal.objects.select_related("circle")
            .filter(pk=question.change.get("join_proposal_id"))
            .first()
        )
        url = question_url if admitted or join is None else join.get_absolute_url()
        audiences.append(([question.subject_circle_id], url))
    told = 0
    for circles, url in audiences:
        members = Membership.objects.active().filter(circle_id__in=circles)
        told += len(
            notify(
                recipients=User.objects.filter(pk__in=members.values("user_id")),
                kind=Kind.NETWORK_DECIDED,
                message=message,
                params={"network": question.network.name, "title": question.title},
                url=url,
                circle=None,
                once_key=f"network-decided:{question.pk}",
            )
        )
    return told


# --- The linked proposal, as governance sees it -----------------------------------------


def linked_proposal_closed(proposal_id: int) -> None:
    """governance tells us, after commit, that a linked proposal closed or was withdrawn."""
    from governance.networks import tasks  # tasks import this module

    question_id = (
        LinkedProposal.objects.filter(proposal_id=proposal_id, question__status=QuestionStatus.OPEN)
        .values_list("question_id", flat=True)
        .first()
    )
    if question_id is not None:
        tasks.settle_question.delay(question_id)


def linked_change_build(*, circle, data: dict) -> dict:
    raise DomainError(
        _(
            "A network's question reaches each circle from the network itself; members do not "
            "propose it here. Put a question to the network from its page."
        )
    )


def linked_apply(proposal: Proposal) -> Outcome:
    """A circle's yes is its vote; the network applies the outcome once, when settled."""
    return Outcome(None)
