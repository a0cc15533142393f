"""A network of circles, in a real browser at 360 px with the accessibility check on every
page visited: two circles found a network by their own votes (the first founds it, the
second asks to join by the network's address and is admitted by the first); a third asks by
the joining code and is admitted by both, circle by circle; a member shares a need with the
network, a member of another circle answers it from the network's board and the author
accepts the help; the network adopts a shared agreement, one circle, one vote.

The browser does what a member does once; the other ballots are cast through governance's
services, to keep the journey short.
"""

import re

import pytest
from playwright.sync_api import expect

from governance.models import Proposal, ProposalKind, ProposalStatus
from governance.networks.models import (
    LinkedProposal,
    Network,
    NetworkMembership,
    NetworkQuestion,
    QuestionKind,
    QuestionStatus,
    SharedAgreement,
)
from tests.e2e.browser import PHONE_VIEWPORT, assert_page_fits, log_in
from tests.factories import UserFactory, make_circle, make_member, make_post
from tests.networks.factories import vote

pytestmark = pytest.mark.e2e

NETWORK = "Riverbank Circles"
NEED = "A lift to the hospital on Tuesday"
AGREEMENT = "We answer shared needs within two days"
AGREEMENT_TEXT = "Someone in the network answers a shared need within two days."


def circle_of(name: str, slug: str, people: list[str]):
    circle, _nobody = make_circle(members=0, name=name, slug=slug, visibility="public")
    return circle, {
        person: make_member(circle, UserFactory(display_name=person)) for person in people
    }


@pytest.fixture
def three_circles(db):
    return (
        circle_of("Riverside Neighbours", "riverside", ["Ada", "Ben"]),
        circle_of("Valley Parents", "valley-parents", ["Dev", "Esi"]),
        circle_of("Hill Gardeners", "hill-gardeners", ["Finn", "Gus"]),
    )


def signed_in(new_page, live_server, user):
    page = new_page(PHONE_VIEWPORT)
    log_in(page, user, live_server.url)
    return page


def open_networks(page, circle, *, from_home: bool = False) -> None:
    """The circle's Networks page; from_home: found under "More" in the circle navigation."""
    if from_home:
        page.goto(f"/c/{circle.slug}/")
        assert_page_fits(page, f"{circle.name} home")
        nav = page.get_by_role("navigation", name="Circle")
        nav.get_by_text("More", exact=True).click()
        nav.get_by_role("link", name="Networks").click()
    else:
        page.goto(f"/c/{circle.slug}/networks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Networks")
    assert_page_fits(page, f"networks of {circle.name}")


def save_proposal(page, label: str) -> None:
    page.get_by_role("button", name="Save the proposal").click()
    expect(page.get_by_text("Your proposal is open for votes.")).to_be_visible()
    assert_page_fits(page, label)


def vote_yes_in_browser(page) -> None:
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Vote", exact=True).click()
    expect(page.get_by_text("You voted: Yes.")).to_be_visible()


def linked_proposal(question: NetworkQuestion, circle) -> Proposal:
    return LinkedProposal.objects.get(question=question, circle=circle).proposal


def test_circles_make_a_network_share_a_need_and_decide_together(
    new_page, live_server, three_circles
):
    (riverside, a), (valley, b), (hill, c) = three_circles

    # 1. Ada proposes in Riverside that it found a network; she votes in the browser, Ben
    # through the services: it passes and the network exists, Riverside its first circle.
    ada = signed_in(new_page, live_server, a["Ada"])
    open_networks(ada, riverside, from_home=True)
    ada.get_by_role("link", name="Propose founding a network").click()
    assert_page_fits(ada, "found a network: proposal form")
    ada.get_by_label("Title:", exact=True).fill("Found a network with the valley")
    ada.get_by_label("Why").fill("So a need we can't meet reaches circles that can.")
    ada.get_by_label("The network's name").fill(NETWORK)
    ada.get_by_label("Its purpose").fill("Circles along the river helping each other out.")
    ada.get_by_role("radio", name="Public: anyone can see the network's page").check()
    save_proposal(ada, "found a network: proposal")
    vote_yes_in_browser(ada)
    founding = Proposal.objects.get(circle=riverside, kind=ProposalKind.FOUND_NETWORK)
    assert vote(founding, voters=[a["Ben"]]).status == ProposalStatus.PASSED
    ada.reload()
    expect(ada.get_by_text("Decided: passed")).to_be_visible()
    assert_page_fits(ada, "found a network: proposal passed")
    ada.get_by_role("link", name=f"The network {NETWORK}").click()
    expect(ada.get_by_role("heading", level=1)).to_have_text(NETWORK)
    members = ada.get_by_role("region", name="Member circles")
    expect(members.get_by_role("listitem")).to_have_text(["Riverside Neighbours (your circle)"])
    assert_page_fits(ada, "network page, one circle")
    network = Network.objects.get(name=NETWORK)
    address = f"/n/{network.slug}/"

    # Valley Parents asks to join by the network's address, by its own vote.
    dev = signed_in(new_page, live_server, b["Dev"])
    open_networks(dev, valley)
    dev.get_by_role("link", name="Propose joining a network").click()
    assert_page_fits(dev, "join a network: proposal form")
    dev.get_by_label("Title:", exact=True).fill(f"Join {NETWORK}")
    dev.get_by_label("Why").fill("Parents here often need lifts; Riverside has drivers.")
    dev.get_by_label("The network's address or joining code").fill(address)
    save_proposal(dev, "join a network: proposal")
    vote_yes_in_browser(dev)
    joining = Proposal.objects.get(circle=valley, kind=ProposalKind.JOIN_NETWORK)
    assert vote(joining, voters=[b["Esi"]]).status == ProposalStatus.PASSED
    dev.reload()
    expect(
        dev.get_by_text("The network's circles are deciding whether to admit us")
    ).to_be_visible()
    assert_page_fits(dev, "join proposal, passed: admission open")

    # Riverside decides the admission by its linked proposal: Ada votes from the question.
    admission = NetworkQuestion.objects.get(network=network, subject_circle=valley)
    ada.goto(admission.get_absolute_url())
    assert_page_fits(ada, "admission question, open")
    ada.get_by_role("link", name="Vote on it in Riverside Neighbours").first.click()
    assert_page_fits(ada, "linked proposal in Riverside")
    vote_yes_in_browser(ada)
    vote(linked_proposal(admission, riverside), voters=[a["Ben"]])
    admission.refresh_from_db()
    assert admission.status == QuestionStatus.PASSED
    assert NetworkMembership.objects.active().filter(network=network, circle=valley).exists()
    dev.goto(address)
    expect(dev.get_by_role("region", name="Member circles").get_by_role("listitem")).to_have_text(
        ["Riverside Neighbours", "Valley Parents (your circle)"]
    )
    assert_page_fits(dev, "network page, two circles")

    # 2. Hill Gardeners asks by the joining code; both circles admit it.
    finn = signed_in(new_page, live_server, c["Finn"])
    open_networks(finn, hill)
    finn.get_by_role("link", name="Propose joining a network").click()
    assert_page_fits(finn, "join by code: proposal form")
    finn.get_by_label("Title:", exact=True).fill("Join the river network")
    finn.get_by_label("Why").fill("We have vegetables to share.")
    finn.get_by_label("The network's address or joining code").fill(network.join_code)
    save_proposal(finn, "join by code: proposal")
    vote(Proposal.objects.get(circle=hill, kind=ProposalKind.JOIN_NETWORK))
    admission = NetworkQuestion.objects.get(network=network, subject_circle=hill)
    vote(linked_proposal(admission, riverside))
    vote(linked_proposal(admission, valley))
    finn.goto(admission.get_absolute_url())
    outcomes = finn.get_by_role("region", name="Circle by circle")
    expect(outcomes.get_by_text("Decided: passed")).to_be_visible()
    expect(outcomes.get_by_role("listitem")).to_have_text(
        [re.compile(r"Riverside Neighbours:\s+yes"), re.compile(r"Valley Parents:\s+yes")]
    )
    assert_page_fits(finn, "admission question, decided circle by circle")

    # 3. Ben shares a need of Riverside with the network from its page.
    need = make_post(riverside, a["Ben"], title=NEED, category="transport")
    ben = signed_in(new_page, live_server, a["Ben"])
    ben.goto(need.get_absolute_url())
    assert_page_fits(ben, "need, not shared")
    ben.get_by_role("button", name=f"Share with {NETWORK}").click()
    expect(ben.get_by_text(f"Shared with {NETWORK}: members of its circles")).to_be_visible()
    assert_page_fits(ben, "need, shared")

    # Esi of Valley Parents finds it on the network's board and offers to help.
    esi = signed_in(new_page, live_server, b["Esi"])
    esi.goto(f"{address}board/")
    assert_page_fits(esi, "network board")
    esi.get_by_role("link", name=NEED).click()
    expect(esi.get_by_role("heading", level=1)).to_have_text(NEED)
    assert_page_fits(esi, "shared need")
    esi.get_by_role("textbox", name="Message").fill("I can drive you on Tuesday morning.")
    esi.get_by_role("button", name="Send: I can help").click()
    expect(esi.get_by_text("I can drive you on Tuesday morning.")).to_be_visible()
    assert_page_fits(esi, "conversation from the network's board")

    # Ben sees her answer, accepts it, and marks the need met.
    ben.reload()
    expect(ben.get_by_role("region", name="Responses")).to_contain_text("Esi")
    assert_page_fits(ben, "need with a response from another circle")
    ben.get_by_role("button", name="Accept Esi's help").click()
    expect(ben.get_by_text("Accepted. The post is now in progress.")).to_be_visible()
    ben.get_by_role("button", name="Mark as fulfilled").click()
    expect(ben.get_by_text("Marked as fulfilled. Thank you!")).to_be_visible()
    assert_page_fits(ben, "need, met")
    need.refresh_from_db()
    assert (need.status, need.accepted_response.responder) == ("fulfilled", b["Esi"])

    # 4. Dev puts a shared agreement to the network; each circle's proposal passes.
    dev.goto(f"{address}ask/")
    assert_page_fits(dev, "ask the network")
    dev.get_by_role("radio", name="Adopt a shared agreement").check()
    dev.get_by_label("Title:", exact=True).fill(AGREEMENT)
    dev.get_by_label("Why").fill("A shared need should not wait a week.")
    dev.get_by_label("For a shared agreement: its text").fill(AGREEMENT_TEXT)
    dev.get_by_role("button", name="Put the question to the network").click()
    expect(dev.get_by_text("Your question is open")).to_be_visible()
    assert_page_fits(dev, "network question, open")
    question = NetworkQuestion.objects.get(network=network, kind=QuestionKind.ADOPT_AGREEMENT)
    assert question.links.count() == 3
    for circle in (riverside, valley, hill):
        vote(linked_proposal(question, circle))
    question.refresh_from_db()
    assert (question.status, question.yes_circles) == (QuestionStatus.PASSED, 3)
    assert SharedAgreement.objects.get(network=network).adopted_by == question

    dev.goto(address)
    agreements = dev.get_by_role("region", name="Shared agreements")
    expect(agreements.get_by_role("heading", name=AGREEMENT)).to_be_visible()
    expect(agreements.get_by_text(AGREEMENT_TEXT)).to_be_visible()
    assert_page_fits(dev, "network page with its shared agreement")
