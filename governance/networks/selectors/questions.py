"""Reads about a network's questions: each circle's vote or where its own proposal stands,
what a question would change, and the question a circle's linked proposal votes on."""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.effects import ChangeRow
from governance.models import Proposal, ProposalStatus
from governance.networks.models import (
    CircleVote,
    LinkedProposal,
    Network,
    NetworkMethod,
    NetworkQuestion,
    QuestionKind,
)
from governance.networks.selectors.viewers import (
    CircleLabel,
    Labeller,
    NetworkViewer,
    labeller,
    viewer_circles,
)
from peernet.choices import label_of
from peernet.members.models import User

METHOD_EXPLAINED = {
    NetworkMethod.MAJORITY: gettext_lazy(
        "Majority of circles: a question passes when more circles say yes than no; "
        "circles that don't decide abstain."
    ),
    NetworkMethod.CONSENSUS: gettext_lazy(
        "Consensus of circles: a question passes when at least one circle says yes and no "
        "circle says no; circles that don't decide abstain."
    ),
}


def method_explained(method: str) -> str:
    """A network's way of deciding, in plain words."""
    return str(METHOD_EXPLAINED.get(method, ""))


@dataclass
class CircleOutcome:
    """One circle on one question: its vote once settled, or where its proposal stands."""

    label: CircleLabel
    vote: str
    vote_label: str
    note: str
    deciding: bool  # its linked proposal is still open
    proposal_url: str = ""  # the viewer's own circle's linked proposal


@dataclass
class ShownQuestion:
    question: NetworkQuestion
    asked_by: CircleLabel | None
    subject: CircleLabel | None
    outcomes: list[CircleOutcome] = field(default_factory=list)
    url: str = ""  # the question's page, where the viewer may see it

    @property
    def circles_count(self) -> int:
        return len(self.outcomes)

    @property
    def circles_decided(self) -> int:
        return sum(not outcome.deciding for outcome in self.outcomes)

    @property
    def mine_to_vote(self) -> list[CircleOutcome]:
        """The viewer's circles still deciding it, each with its linked proposal."""
        return [o for o in self.outcomes if o.proposal_url and o.deciding]


def _outcome(link: LinkedProposal, label: CircleLabel, *, mine: bool) -> CircleOutcome:
    # Only the viewer's own circles link to their proposal: no reverse() for the others.
    url = reverse("governance:proposal", args=[link.circle.slug, link.proposal_id]) if mine else ""
    return CircleOutcome(
        label=label,
        vote=link.vote,
        vote_label=label_of(CircleVote, link.vote) if link.vote else "",
        note=link.vote_reason,
        deciding=link.proposal.status == ProposalStatus.OPEN,
        proposal_url=url,
    )


def _shown(question: NetworkQuestion, label: Labeller, links) -> ShownQuestion:
    subject = None
    if question.subject_circle is not None:
        # Not a member yet: named as its circle decided when asking to join.
        subject = label(question.subject_circle, show_name=bool(question.change.get("show_name")))
    asked_by = None
    if question.asked_by_circle is not None:
        asking_in = question.asked_by_circle_id == question.subject_circle_id
        asked_by = subject if asking_in else label(question.asked_by_circle)
    outcomes = [
        _outcome(link, label(link.circle), mine=link.circle_id in label.viewer_circle_ids)
        for link in links
    ]
    return ShownQuestion(question, asked_by, subject, outcomes)


def with_outcomes(questions: list[NetworkQuestion], label: Labeller) -> list[ShownQuestion]:
    """The questions with their circles' outcomes, in one query for all of them."""
    by_question: dict[int, list[LinkedProposal]] = {q.pk: [] for q in questions}
    links = (
        LinkedProposal.objects.filter(question__in=list(by_question))
        .select_related("circle", "proposal")
        .order_by("pk")
    )
    for link in links:
        by_question[link.question_id].append(link)
    return [_shown(question, label, by_question[question.pk]) for question in questions]


def network_questions(network: Network) -> QuerySet[NetworkQuestion]:
    return network.questions.select_related("asked_by_circle", "subject_circle")


def question_for_viewer(*, viewer: NetworkViewer, pk: int) -> ShownQuestion:
    question = network_questions(viewer.network).filter(pk=pk).first()
    if question is None:
        raise Http404
    question.network = viewer.network
    return with_outcomes([question], labeller(viewer.network, viewer.circle_ids))[0]


def question_change_rows(question: NetworkQuestion, subject: CircleLabel | None) -> list[ChangeRow]:
    """What a question would change, by kind, as a circle's record lists it."""
    change = question.change
    match question.kind:
        case QuestionKind.ADOPT_AGREEMENT:
            return [
                ChangeRow(_("Shared agreement"), "", change.get("title", "")),
                ChangeRow(_("Its text"), "", change.get("text", "")),
            ]
        case QuestionKind.CHANGE_METHOD:
            return [
                ChangeRow(
                    _("How the network decides"),
                    method_explained(change.get("before", "")),
                    method_explained(change.get("after", "")),
                )
            ]
        case QuestionKind.ADMIT_CIRCLE if subject is not None:
            return [ChangeRow(_("Circle asking to join"), "", subject.name)]
    return []


def linked(proposal: Proposal) -> tuple[NetworkQuestion, Labeller] | None:
    """The question a circle's linked proposal votes on, and its circles named as they are
    to that circle."""
    question_id = proposal.change.get("question_id")
    if not question_id:
        return None
    question = (
        NetworkQuestion.objects.filter(pk=question_id)
        .select_related("network", "asked_by_circle", "subject_circle")
        .first()
    )
    if question is None:
        return None
    return question, labeller(question.network, {proposal.circle_id})


def linked_question(*, proposal: Proposal, user: User) -> ShownQuestion | None:
    """The network question a linked proposal votes on, labelled for a member of its circle
    (each of their circles is named to them), with its page's address if they may see it."""
    found = linked(proposal)
    if found is None:
        return None
    question, label = found
    circle_ids, member_circle_ids = viewer_circles(network=question.network, user=user)
    label = Labeller(frozenset({proposal.circle_id, *circle_ids}), label.show_names)
    shown = with_outcomes([question], label)[0]
    if question.network.is_public or member_circle_ids:
        shown.url = question.get_absolute_url()
    return shown
