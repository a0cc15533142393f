"""Reads about networks: a network's page, the directory, a circle's networks, and how a
circle's proposals about networks (and its linked proposals) show in its record.

Who may see a network and how its circles are named: selectors.viewers. Its questions:
selectors.questions."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from circles.models import Circle, Membership
from governance.effects import ChangeRow
from governance.models import Proposal, ProposalKind, ProposalStatus
from governance.networks import constants
from governance.networks.models import (
    Network,
    NetworkMembership,
    NetworkQuestion,
    NetworkVisibility,
    QuestionKind,
    QuestionStatus,
    SharedAgreement,
)
from governance.networks.selectors.questions import (
    ShownQuestion,
    linked,
    method_explained,
    network_questions,
    question_change_rows,
    with_outcomes,
)
from governance.networks.selectors.viewers import (
    CircleLabel,
    NetworkViewer,
    chooses_to_be_named,
    labeller,
)
from peernet.choices import label_of
from peernet.members.models import User

NETWORK_PROPOSAL_KINDS = (
    ProposalKind.FOUND_NETWORK,
    ProposalKind.JOIN_NETWORK,
    ProposalKind.LEAVE_NETWORK,
)


# --- The network page, the directory and a circle's networks ------------------------------


@dataclass
class NetworkPage:
    viewer: NetworkViewer
    method_text: str
    members: list[CircleLabel]
    open_questions: list[ShownQuestion]
    decided: Page
    decided_questions: list[ShownQuestion]
    agreements: list[SharedAgreement]


def network_page(*, viewer: NetworkViewer, page_number=None) -> NetworkPage:
    """Everything the network's page shows, in a fixed number of queries."""
    network = viewer.network
    # Every membership it has had: the members now, and how each circle that voted is named.
    memberships = list(
        NetworkMembership.objects.filter(network=network)
        .select_related("circle")
        .order_by("joined_at", "pk")
    )
    label = labeller(network, viewer.circle_ids, memberships)
    members = [label(m.circle) for m in memberships if m.is_active]
    open_questions = list(network_questions(network).open()[: constants.NETWORK_PAGE_QUESTIONS])
    decided = Paginator(
        network_questions(network)
        .exclude(status=QuestionStatus.OPEN)
        .order_by("-closed_at", "-pk"),
        constants.NETWORK_PAGE_QUESTIONS,
    ).get_page(page_number)
    shown = with_outcomes([*open_questions, *decided.object_list], label)
    agreements = list(network.agreements.select_related("adopted_by"))
    return NetworkPage(
        viewer=viewer,
        method_text=method_explained(network.method),
        members=members,
        open_questions=shown[: len(open_questions)],
        decided=decided,
        decided_questions=shown[len(open_questions) :],
        agreements=agreements,
    )


def _with_circle_count(networks: QuerySet[Network]) -> QuerySet[Network]:
    return networks.annotate(
        circle_count=Count("memberships", filter=Q(memberships__left_at__isnull=True))
    ).order_by("name", "pk")


def public_networks() -> QuerySet[Network]:
    return _with_circle_count(Network.objects.filter(visibility=NetworkVisibility.PUBLIC))


def networks_of_user(*, user: User) -> QuerySet[Network]:
    """The networks any of the person's circles is in now, public or private."""
    if not user.is_authenticated:
        return Network.objects.none()
    circles = Membership.objects.active().filter(user=user).values("circle_id")
    in_them = NetworkMembership.objects.active().filter(circle_id__in=circles)
    return _with_circle_count(Network.objects.filter(pk__in=in_them.values("network_id")))


@dataclass
class CircleNetworks:
    current: list[NetworkMembership]
    asking: list[NetworkQuestion]  # open admissions of this circle
    proposals: list[Proposal]  # the circle's open proposals to found, join or leave
    past: list[NetworkMembership]


def networks_of_circle(*, circle: Circle) -> CircleNetworks:
    """A circle's networks, for its members: in four queries."""
    memberships = (
        NetworkMembership.objects.filter(circle=circle)
        .select_related("network")
        .order_by("-joined_at", "-pk")
    )
    current = [m for m in memberships if m.is_active]
    current_ids = {m.network_id for m in current}
    past, seen = [], set(current_ids)
    for membership in memberships:
        if membership.network_id not in seen:
            past.append(membership)
            seen.add(membership.network_id)
    asking = list(
        NetworkQuestion.objects.open()
        .filter(kind=QuestionKind.ADMIT_CIRCLE, subject_circle=circle)
        .select_related("network")
    )
    proposals = list(
        Proposal.objects.filter(
            circle=circle, kind__in=NETWORK_PROPOSAL_KINDS, status=ProposalStatus.OPEN
        ).order_by("closes_at", "pk")
    )
    return CircleNetworks(current, asking, proposals, past)


def current_networks_of(*, circle: Circle) -> QuerySet[Network]:
    """The networks the circle is in now: what it may propose to leave."""
    return Network.objects.filter(
        memberships__circle=circle, memberships__left_at__isnull=True
    ).order_by("name", "pk")


def asking_circles(*, circle_ids) -> QuerySet[Circle]:
    """The viewer's circles that may put a question to a network: those in it now."""
    return Circle.objects.filter(pk__in=list(circle_ids)).order_by("name", "pk")


# --- A circle's proposals about networks, and its linked proposals -----------------------


def _yes_no(value) -> str:
    return _("yes") if value else _("no")


def _show_name_rows(proposal: Proposal) -> list[ChangeRow]:
    """A private circle's choice to show its name to the network, as its proposal records."""
    if not chooses_to_be_named(proposal.circle):
        return []
    show = _yes_no(proposal.change.get("show_name"))
    return [ChangeRow(_("Show our circle's name to the other circles"), "", show)]


def found_rows(proposal: Proposal) -> list[ChangeRow]:
    values = proposal.change
    rows = [
        ChangeRow(_("Network"), "", values.get("name", "")),
        ChangeRow(_("Purpose"), "", values.get("purpose", "")),
        ChangeRow(_("How it decides"), "", method_explained(values.get("method", ""))),
        ChangeRow(_("Who sees it"), "", label_of(NetworkVisibility, values.get("visibility", ""))),
    ]
    return rows + _show_name_rows(proposal)


def founded_network(proposal: Proposal) -> Network | None:
    """The network a passed proposal to found made, if any."""
    if proposal.status != ProposalStatus.PASSED:
        return None
    return Network.objects.filter(founded_by=proposal).first()


def join_rows(proposal: Proposal) -> list[ChangeRow]:
    change = proposal.change
    rows = [ChangeRow(_("Network"), "", change.get("network_name", ""))]
    return rows + _show_name_rows(proposal)


def join_question(proposal: Proposal) -> NetworkQuestion | None:
    """The admission question a passed proposal to join opened, if any."""
    if proposal.status != ProposalStatus.PASSED:
        return None
    return (
        NetworkQuestion.objects.filter(
            kind=QuestionKind.ADMIT_CIRCLE, change__join_proposal_id=proposal.pk
        )
        .select_related("network")
        .first()
    )


def leave_rows(proposal: Proposal) -> list[ChangeRow]:
    name = proposal.change.get("network_name", "")
    return [ChangeRow(_("Network"), name, _("(left)"))]


def question_rows(proposal: Proposal) -> list[ChangeRow]:
    """The linked proposal in the circle's record: the network, the question and its change,
    and once settled the outcome circle by circle."""
    found = linked(proposal)
    if found is None:
        return []
    question, label = found
    shown = with_outcomes([question], label)[0]
    rows = [
        ChangeRow(_("Network"), "", question.network.name),
        ChangeRow(_("Question"), "", label_of(QuestionKind, question.kind)),
        *question_change_rows(question, shown.subject),
    ]
    if question.is_open:
        return rows
    tally = _("%(status)s: %(yes)s yes, %(no)s no, %(abstain)s abstained") % {
        "status": label_of(QuestionStatus, question.status),
        "yes": question.yes_circles,
        "no": question.no_circles,
        "abstain": question.abstain_circles,
    }
    rows.append(ChangeRow(_("The network decided"), "", tally))
    for outcome in shown.outcomes:
        vote = outcome.vote_label or _("not counted")
        if outcome.note:
            vote = f"{vote} ({outcome.note})"
        rows.append(ChangeRow(outcome.label.name, "", vote))
    return rows


def linked_byline(proposal: Proposal) -> str:
    found = linked(proposal)
    if found is None:
        return _("a network's question")
    question, label = found
    asking = question.asked_by_circle
    if asking is None:
        return _("a question of the network %(network)s") % {"network": question.network.name}
    show_name = (
        bool(question.change.get("show_name")) if asking.pk == question.subject_circle_id else None
    )
    return _("a question of the network %(network)s, asked by %(circle)s") % {
        "network": question.network.name,
        "circle": label(asking, show_name=show_name).name,
    }
