"""Demo data for networks: the Eastside Circles Network of three circles (one private, shown
as "a private circle"), built as circles would build it, by their own passed proposals and
the network's decisions; posts shared with it, one answered by a member of another circle;
one decided network question and one open; and one proposal of each network kind open for
votes."""

from django.utils import timezone

from circles.models import Circle, Post, PostKind
from circles.services import post_create
from governance.demo import DEMO_CIRCLE, propose_once
from governance.models import Ballot, Choice, Proposal, ProposalKind, Voter
from governance.networks.models import (
    Network,
    NetworkMethod,
    NetworkQuestion,
    NetworkVisibility,
    QuestionKind,
)
from governance.networks.services.questions import question_ask, question_settle
from governance.networks.services.sharing import post_share, shared_response_create
from governance.services import proposal_close

NETWORK_NAME = "Eastside Circles Network"
PARENTS = "parents-peer-circle"
VOICES = "hearing-voices-peers"  # private, and does not show its name to the network
NIGHT_OWLS = "night-owls"
SHARED_AGREEMENT = "We answer shared needs within two days"
OPEN_RESOLUTION = "Hold a shared picnic in the park in June"
# The offer Eastside shares comes from the circles demo.
EASTSIDE_OFFER = "Soup on Sundays"


def _everyone_yes(proposal: Proposal) -> None:
    """Every voter in the proposal's electorate says yes, and the proposal closes as the
    last ballot would close it: one insert, not a ballot_cast a voter, to keep seeding fast."""
    now = timezone.now()
    Ballot.objects.bulk_create(
        Ballot(proposal=proposal, voter_id=user_id, choice=Choice.YES, cast_at=now)
        for user_id in Voter.objects.filter(proposal=proposal).values_list("user_id", flat=True)
    )
    proposal_close(proposal=proposal, now=now)


def _question_passes(question: NetworkQuestion) -> None:
    """Every circle's linked proposal passes, and the network counts the circles' votes now
    (the closing hook would settle it only once the demo's transaction commits)."""
    for link in question.links.select_related("proposal"):
        _everyone_yes(link.proposal)
    question_settle(question_id=question.pk)


def _admission(network: Network, circle: Circle) -> NetworkQuestion:
    return NetworkQuestion.objects.get(
        network=network, kind=QuestionKind.ADMIT_CIRCLE, subject_circle=circle
    )


def _join(network: Network, circle: Circle, proposer, title: str) -> None:
    """The circle decides to ask; the network's circles decide to admit it."""
    joining, new = propose_once(
        circle, proposer, ProposalKind.JOIN_NETWORK, title, {"network": network.join_code}
    )
    if new:
        _everyone_yes(joining)
        _question_passes(_admission(network, circle))


def _found(circles: dict[str, Circle], members: dict) -> Network:
    founding, new = propose_once(
        circles[DEMO_CIRCLE],
        members["ana"],
        ProposalKind.FOUND_NETWORK,
        "Found a network with the circles around us",
        {
            "name": NETWORK_NAME,
            "purpose": "Circles on the east side helping each other out: a need one circle "
            "can't meet, another might.\n\n* Share what you can't meet alone.\n"
            "* Decide together, one circle, one vote.",
            "method": NetworkMethod.MAJORITY,
            "visibility": NetworkVisibility.PUBLIC,
            "show_name": False,
        },
    )
    if new:
        _everyone_yes(founding)
    return Network.objects.get(founded_by=founding)


def _share(circles: dict[str, Circle], members: dict, network: Network) -> None:
    need = post_create(
        circle=circles[PARENTS],
        author=members["dee"],
        kind=PostKind.NEED,
        title="Someone to collect a pram from across town",
        details="A neighbour is giving us theirs; it needs a car or a strong pair of arms.",
        category="errands",
        area="Eastside",
    )
    post_share(post=need, author=members["dee"], network=network)
    shared_response_create(post=need, responder=members["eli"], text="I can help on Saturday.")
    anonymous_need = post_create(
        circle=circles[VOICES],
        author=members["chen"],
        kind=PostKind.NEED,
        title="Someone to sit with me in a waiting room",
        details="A first appointment next week; company would help.",
        category="emotional",
        anonymous=True,
    )
    post_share(post=anonymous_need, author=members["chen"], network=network)
    offer = Post.objects.get(circle=circles[DEMO_CIRCLE], title=EASTSIDE_OFFER)
    post_share(post=offer, author=offer.author, network=network)


def _decide_together(circles: dict[str, Circle], members: dict, network: Network) -> None:
    adopted = question_ask(
        network=network,
        circle=circles[DEMO_CIRCLE],
        asker=members["ana"],
        kind=QuestionKind.ADOPT_AGREEMENT,
        title=SHARED_AGREEMENT,
        reason="A need shared with the network should not wait a week for an answer.",
        data={
            "text": "Someone from the network answers a shared need within two days, even "
            "if only to say we can't help."
        },
    )
    _question_passes(adopted)
    question_ask(
        network=network,
        circle=circles[PARENTS],
        asker=members["dee"],
        kind=QuestionKind.RESOLUTION,
        title=OPEN_RESOLUTION,
        reason="A chance for the circles to meet each other, with food and the children.",
        data={},
    )


def _open_proposals(circles: dict[str, Circle], members: dict, network: Network) -> None:
    """One of each network kind open for votes, where it makes sense."""
    propose_once(
        circles[NIGHT_OWLS],
        members["bo"],
        ProposalKind.FOUND_NETWORK,
        "Found a network of night-time circles",
        {
            "name": "Night Circles",
            "purpose": "Circles for those of us awake at night.",
            "method": NetworkMethod.CONSENSUS,
            "visibility": NetworkVisibility.PRIVATE,
            "show_name": False,
        },
    )
    propose_once(
        circles[NIGHT_OWLS],
        members["chen"],
        ProposalKind.JOIN_NETWORK,
        f"Ask to join the {NETWORK_NAME}",
        {"network": network.slug, "show_name": False},
    )
    propose_once(
        circles[VOICES],
        members["bo"],
        ProposalKind.LEAVE_NETWORK,
        f"Leave the {NETWORK_NAME} for now",
        {"network": network},
    )


def seed_networks(*, members: dict, circles: dict[str, Circle]) -> None:
    if Network.objects.filter(name=NETWORK_NAME).exists():
        return
    network = _found(circles, members)
    _join(network, circles[PARENTS], members["dee"], f"Join the {NETWORK_NAME}")
    _join(network, circles[VOICES], members["chen"], f"Join the {NETWORK_NAME}, without our name")
    _share(circles, members, network)
    _decide_together(circles, members, network)
    _open_proposals(circles, members, network)
