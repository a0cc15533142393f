"""Networks made the way circles make them: by their own passed proposals.

In a test that does not commit (the usual one), governance's after-commit hooks do not run,
so these helpers settle a question themselves once its circles have decided; where hooks do
run (transaction=True), settling again does nothing."""

from circles.models import Membership
from governance.models import Proposal, ProposalKind
from governance.networks.models import (
    LinkedProposal,
    Network,
    NetworkMethod,
    NetworkQuestion,
    NetworkVisibility,
    QuestionKind,
    QuestionStatus,
)
from governance.networks.services.questions import question_settle
from governance.services import ballot_cast, proposal_create
from peernet.members.models import User
from tests.factories import make_circle


def circles(n: int, *, members: int = 1, **kwargs) -> list:
    """n circles of `members` members each."""
    return [make_circle(members=members, **kwargs)[0] for _ in range(n)]


def members(circle) -> list[User]:
    ids = Membership.objects.active().filter(circle=circle).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def propose(circle, kind: str, data: dict, *, title: str = "", proposer=None) -> Proposal:
    """An open proposal of this kind in the circle, by its first member unless told."""
    return proposal_create(
        circle=circle,
        proposer=proposer or members(circle)[0],
        kind=kind,
        title=title or f"We {kind.replace('_', ' ')}",
        reason="We talked about it at our last meeting.",
        data=data,
    )


def vote(proposal: Proposal, choice: str = "yes", *, voters=None) -> Proposal:
    """Each of `voters` (every member of its circle, by default) votes `choice`; a
    proposal every member voted on closes. Returns it as it now stands."""
    for person in members(proposal.circle) if voters is None else voters:
        ballot_cast(proposal=proposal, voter=person, choice=choice)
    proposal.refresh_from_db()
    return proposal


def decide(circle, kind: str, data: dict, *, choice: str = "yes", **kwargs) -> Proposal:
    """The circle proposes and every member votes `choice`: decided at once."""
    return vote(propose(circle, kind, data, **kwargs), choice)


def found_network(
    circle,
    *,
    name: str = "Valley network",
    purpose: str = "Circles of the valley helping each other.",
    method: str = NetworkMethod.MAJORITY,
    visibility: str = NetworkVisibility.PUBLIC,
    show_name: bool = False,
) -> Network:
    """The circle founds a network by its own passed proposal."""
    proposal = decide(
        circle,
        ProposalKind.FOUND_NETWORK,
        {
            "name": name,
            "purpose": purpose,
            "method": method,
            "visibility": visibility,
            "show_name": show_name,
        },
    )
    return Network.objects.get(founded_by=proposal)


def ask_to_join(circle, network, *, show_name: bool = False) -> Proposal:
    """The circle decides to ask to join; returns its passed proposal."""
    return decide(circle, ProposalKind.JOIN_NETWORK, {"network": network, "show_name": show_name})


def admission(circle, network) -> NetworkQuestion | None:
    """The network's open question on admitting the circle, if any."""
    return NetworkQuestion.objects.filter(
        network=network,
        subject_circle=circle,
        kind=QuestionKind.ADMIT_CIRCLE,
        status=QuestionStatus.OPEN,
    ).first()


def linked(question, circle) -> Proposal:
    """The circle's linked proposal on the question: how it votes."""
    return LinkedProposal.objects.get(question=question, circle=circle).proposal


def circle_votes(question, circle, choice: str = "yes") -> Proposal:
    """Every member of the circle votes `choice` on its linked proposal."""
    return vote(linked(question, circle), choice)


def settle(question, **kwargs) -> NetworkQuestion:
    question_settle(question_id=question.pk, **kwargs)
    question.refresh_from_db()
    return question


def all_decide(question, votes: dict) -> NetworkQuestion:
    """Each circle in `votes` decides as told ({circle: "yes" | "no"}); then settle."""
    for circle, choice in votes.items():
        circle_votes(question, circle, choice)
    return settle(question)


def network_of(
    member_circles,
    *,
    method: str = NetworkMethod.MAJORITY,
    visibility: str = NetworkVisibility.PUBLIC,
    name: str = "Valley network",
    show_names: bool = False,
) -> Network:
    """A network of these circles, made through the services: the first founds it, each
    next asks to join and every circle already in it says yes. Keep the circles small (one
    member each is enough) or this gets slow."""
    first, *rest = member_circles
    network = found_network(
        first, name=name, method=method, visibility=visibility, show_name=show_names
    )
    for index, circle in enumerate(rest):
        ask_to_join(circle, network, show_name=show_names)
        question = admission(circle, network)
        all_decide(question, dict.fromkeys(member_circles[: index + 1], "yes"))
    network.refresh_from_db()
    return network
