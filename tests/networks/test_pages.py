"""The network pages through the client: what a network's page, a question's page, the
directory and a circle's Networks page show, asking a question, the network proposals' own
pages, and each page's query budget with small and large data."""

from datetime import timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from circles.models import Circle
from governance.models import Proposal, ProposalKind, ProposalStatus
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
from governance.networks.selectors.networks import linked_byline, question_rows
from governance.networks.services.questions import question_ask
from governance.record import circle_record
from tests.factories import UserFactory, make_circle, make_member
from tests.helpers import assert_query_budget
from tests.networks.factories import (
    admission,
    ask_to_join,
    circle_votes,
    decide,
    found_network,
    linked,
    settle,
)
from tests.networks.sharing_setup import joined_network, leave

pytestmark = pytest.mark.django_db

PRIVATE_NAME = "Hidden Hollow"
MAJORITY_TEXT = (
    "Majority of circles: a question passes when more circles say yes than no; "
    "circles that don&#x27;t decide abstain."
)
CONSENSUS_TEXT = (
    "Consensus of circles: a question passes when at least one circle says yes and no "
    "circle says no; circles that don&#x27;t decide abstain."
)


@pytest.fixture
def valley(db):
    """Open Orchard (public) and Hidden Hollow (private, its name not shown) in a public
    network; returns (network, orchard, hollow, orchard's member, hollow's member)."""
    orchard, (ana,) = make_circle(name="Open Orchard", members=1)
    hollow, (ben,) = make_circle(name=PRIVATE_NAME, visibility="private", members=1)
    network = joined_network([orchard, hollow], name="Valley Mutual Aid")
    return network, orchard, hollow, ana, ben


def ask(network, circle, person, kind=QuestionKind.RESOLUTION, title="Meet in spring", **data):
    return question_ask(
        network=network,
        circle=circle,
        asker=person,
        kind=kind,
        title=title,
        reason="All the circles together, once a year.",
        data=data,
    )


def page(client, url, person=None) -> str:
    client.logout()
    if person is not None:
        client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def network_url(network) -> str:
    return reverse("networks:network", args=[network.slug])


def question_url(question) -> str:
    return reverse("networks:question", args=[question.network.slug, question.pk])


# --- The network's page -----------------------------------------------------------------


def test_the_network_page_shows_what_the_network_is_and_has_decided(client, valley):
    network, orchard, hollow, ana, ben = valley
    adopted = ask(
        network, orchard, ana, QuestionKind.ADOPT_AGREEMENT, "Lend tools", text="We lend tools."
    )
    circle_votes(adopted, orchard, "yes")
    circle_votes(adopted, hollow, "no")
    settle(adopted)
    agreed = ask(network, orchard, ana, QuestionKind.ADOPT_AGREEMENT, "Be kind", text="Always.")
    circle_votes(agreed, orchard, "yes")
    circle_votes(agreed, hollow, "yes")
    settle(agreed)
    spring = ask(network, hollow, ben, title="Meet in spring")

    content = page(client, network_url(network), ana)

    assert "Circles of the valley helping each other." in content
    assert MAJORITY_TEXT in content
    assert f'<a href="/c/{orchard.slug}/">Open Orchard</a>' in content
    assert "a private circle" in content and PRIVATE_NAME not in content
    # Open: how far the circles are, and where Ana's circle votes.
    assert "Meet in spring" in content
    assert "0 of 2 circles have decided." in content
    assert f'href="{linked(spring, orchard).get_absolute_url()}"' in content
    # Decided: outcome circle by circle.
    assert "1 yes, 1 no, 0 abstained" in content
    assert "2 yes, 0 no, 0 abstained" in content
    assert "<strong>no</strong>" in content
    # Only the question that passed made a shared agreement.
    assert "Always." in content
    assert "We lend tools." not in content
    # Ana's circle is in it: she sees the joining code.
    assert network.join_code in content


def test_the_way_of_deciding_is_said_in_plain_words(client, valley):
    network, *_rest = valley
    Network.objects.filter(pk=network.pk).update(method=NetworkMethod.CONSENSUS)
    content = page(client, network_url(network))
    assert CONSENSUS_TEXT in content
    # Logged out: the page, never the code nor the ways in for members.
    assert network.join_code not in content
    assert reverse("networks:ask", args=[network.slug]) not in content


def test_a_circle_that_showed_its_name_is_named(client, valley):
    network, _orchard, hollow, _ana, _ben = valley
    NetworkMembership.objects.filter(circle=hollow).update(show_name=True)
    content = page(client, network_url(network))
    assert PRIVATE_NAME in content
    # Named, but its home is not linked: it is private.
    assert f"/c/{hollow.slug}/" not in content


def test_a_circle_that_left_is_no_member_but_its_votes_stay(client, valley):
    network, orchard, hollow, ana, _ben = valley
    lane, _people = make_circle(name="Left Lane", members=1)
    NetworkMembership.objects.create(network=network, circle=lane)
    question = ask(network, orchard, ana)
    circle_votes(question, lane, "yes")
    leave(network, lane)
    circle_votes(question, orchard, "yes")
    circle_votes(question, hollow, "no")
    settle(question)
    content = page(client, question_url(question), ana)
    assert "Left Lane" in content  # a public circle: named where it voted
    members_section = page(client, network_url(network), ana).split("circles-heading")[1]
    assert "Left Lane" not in members_section.split("</section>")[0]


# --- A question's page ------------------------------------------------------------------


def test_the_question_page_shows_the_change_the_deadline_and_where_to_vote(client, valley):
    network, orchard, hollow, ana, ben = valley
    question = ask(
        network, orchard, ana, QuestionKind.CHANGE_METHOD, "Together", method="consensus"
    )
    mine = linked(question, orchard)

    content = page(client, question_url(question), ana)
    assert "Change how the network decides" in content
    assert MAJORITY_TEXT in content and CONSENSUS_TEXT in content
    assert "at the latest" in content
    assert f'href="{mine.get_absolute_url()}"' in content
    assert "0 of 2 circles have decided." in content
    # Ben's circle votes on its own proposal; Ana's link is not his.
    theirs = page(client, question_url(question), ben)
    assert mine.get_absolute_url() not in theirs
    assert linked(question, hollow).get_absolute_url() in theirs
    # Someone outside sees the question of a public network, with no way to vote.
    outside = page(client, question_url(question), UserFactory())
    assert "/proposals/" not in outside


def test_each_circles_vote_and_why_it_abstained(client, valley):
    network, orchard, hollow, ana, _ben = valley
    question = ask(network, orchard, ana)
    circle_votes(question, orchard, "yes")
    settle(question, now=question.closes_at + timedelta(seconds=1))

    content = page(client, question_url(question), ana)
    assert "Decided: passed" in content
    assert "<strong>yes</strong>" in content
    # Closed at the deadline with no ballot: short of its quorum, so it abstained.
    assert "<strong>abstained</strong> (did not reach its quorum)" in content
    assert LinkedProposal.objects.get(question=question, circle=hollow).vote == CircleVote.ABSTAIN


def test_an_admission_names_the_asking_circle_only_as_it_chose(client):
    orchard, (ana,) = make_circle(name="Open Orchard", members=1)
    hollow, (ben,) = make_circle(name=PRIVATE_NAME, visibility="private", members=1)
    network = found_network(orchard)
    ask_to_join(hollow, network)
    question = admission(hollow, network)
    assert question is not None
    content = page(client, question_url(question), ana)
    assert "If it passes, this circle joins the network: a private circle" in content
    assert PRIVATE_NAME not in content
    # Ben's circle is not in it yet: its name is his to see, on its own proposal to join.
    join = Proposal.objects.get(circle=hollow, kind=ProposalKind.JOIN_NETWORK)
    own = page(client, join.get_absolute_url(), ben)
    assert "The network's circles are deciding whether to admit us" in own
    assert f'href="{question_url(question)}"' in own  # a public network's question


# --- Asking -----------------------------------------------------------------------------


def ask_data(**changes) -> dict:
    return {
        "kind": QuestionKind.ADOPT_AGREEMENT,
        "title": "Lend tools",
        "reason": "So no circle buys a ladder alone.",
        "agreement_title": "",
        "agreement_text": "We lend each other tools.",
        "method": "",
        **changes,
    }


def test_a_member_puts_a_question_to_every_circle(client, valley):
    network, orchard, hollow, ana, _ben = valley
    client.force_login(ana)
    response = client.post(
        reverse("networks:ask", args=[network.slug]), ask_data(circle=orchard.pk)
    )
    question = NetworkQuestion.objects.get(network=network)
    assert response.status_code == 302
    assert response["Location"] == question_url(question)
    assert question.asked_by_circle == orchard and question.asked_by == ana
    assert question.change == {"title": "Lend tools", "text": "We lend each other tools."}
    assert {link.circle for link in question.links.all()} == {orchard, hollow}


def test_a_member_of_two_circles_chooses_which_asks(client, valley):
    network, orchard, hollow, ana, _ben = valley
    make_member(hollow, ana)
    client.force_login(ana)
    form = client.get(reverse("networks:ask", args=[network.slug])).content.decode()
    # Both are her circles, each by its name.
    assert f'<option value="{hollow.pk}" selected>{PRIVATE_NAME}</option>' in form
    assert f'<option value="{orchard.pk}">Open Orchard</option>' in form
    client.post(reverse("networks:ask", args=[network.slug]), ask_data(circle=hollow.pk))
    assert NetworkQuestion.objects.get(network=network).asked_by_circle == hollow


def test_bad_questions_keep_what_was_typed(client, valley):
    network, orchard, _hollow, ana, _ben = valley
    client.force_login(ana)
    url = reverse("networks:ask", args=[network.slug])
    missing = client.post(url, ask_data(circle=orchard.pk, agreement_text=""))
    assert missing.status_code == 400
    assert "Write the shared agreement&#x27;s text." in missing.content.decode()
    assert 'value="Lend tools"' in missing.content.decode()
    # The network already decides by majority: the service says so, the form stays filled.
    same = client.post(
        url, ask_data(circle=orchard.pk, kind=QuestionKind.CHANGE_METHOD, method="majority")
    )
    assert same.status_code == 400
    assert "The network already decides this way." in same.content.decode()
    assert "So no circle buys a ladder alone." in same.content.decode()
    assert not NetworkQuestion.objects.exists()


# --- A circle's Networks page and its proposals ----------------------------------------


def test_the_circle_networks_page_shows_its_networks_and_ways_to_propose(client, valley):
    network, orchard, _hollow, ana, _ben = valley
    other = joined_network([make_circle()[0]], name="Coast Network", visibility="private")
    NetworkMembership.objects.create(network=other, circle=orchard)
    leave(other, orchard)
    content = page(client, reverse("networks:circle_networks", args=[orchard.slug]), ana)
    new = reverse("governance:proposal_new", args=[orchard.slug])
    assert f"{new}?kind=found_network" in content
    assert f"{new}?kind=join_network" in content
    assert f"{new}?kind=leave_network&amp;network={network.pk}" in content
    assert network.join_code in content
    assert "Networks we left" in content and "Coast Network" in content
    # The private network it left is named (its members knew it), not linked, code gone.
    assert other.join_code not in content
    assert network_url(other) not in content
    # The circle's navigation leads here.
    current = content.split('aria-current="page"')[1].split("</a>")[0]
    assert current.endswith("Networks")


def test_the_founding_proposal_shows_the_network_once_founded(client):
    circle, (ana,) = make_circle(members=1)
    network = found_network(circle, name="Valley Mutual Aid")
    content = page(client, network.founded_by.get_absolute_url(), ana)
    assert "The network the circle would found" in content
    assert "Valley Mutual Aid" in content
    assert MAJORITY_TEXT in content
    assert f'href="{network_url(network)}"' in content


def test_the_leaving_proposal_shows_the_network(client, valley):
    network, orchard, _hollow, ana, _ben = valley
    proposal = decide(orchard, ProposalKind.LEAVE_NETWORK, {"network": network})
    content = page(client, proposal.get_absolute_url(), ana)
    assert "The network the circle would leave" in content
    assert "Valley Mutual Aid" in content
    assert not NetworkMembership.objects.active().filter(circle=orchard).exists()


def test_the_linked_proposal_shows_the_question_and_the_outcome(client, valley):
    network, orchard, hollow, ana, ben = valley
    question = ask(network, hollow, ben, QuestionKind.ADOPT_AGREEMENT, "Lend tools", text="Tools.")
    circle_votes(question, orchard, "yes")
    circle_votes(question, hollow, "yes")
    settle(question)
    proposal = linked(question, orchard)
    content = page(client, proposal.get_absolute_url(), ana)
    assert "a question of the network Valley Mutual Aid, asked by a private circle" in content
    assert "The network decided: passed" in content
    assert PRIVATE_NAME not in content
    assert f'href="{question_url(question)}"' in content
    # In the circle's record, the same, by rows.
    rows = {row.label: row.after for row in question_rows(proposal)}
    assert rows["Network"] == "Valley Mutual Aid"
    assert rows["a private circle"] == "yes"
    assert rows["Open Orchard"] == "yes"
    decision = next(d for d in circle_record(circle=orchard)["decisions"] if d["id"] == proposal.pk)
    assert PRIVATE_NAME not in str(decision)
    # Ben's own circle is named to him, and to its record.
    assert linked_byline(linked(question, hollow)).endswith(f"asked by {PRIVATE_NAME}")


# --- Query budgets ----------------------------------------------------------------------


GROWN = count()


def grow(network, *, circles: int = 30, decided: int = 25, still_open: int = 3) -> None:
    """Many circles (some private), decided and open questions each with every circle's
    linked proposal, and shared agreements."""
    now = timezone.now()
    new = Circle.objects.bulk_create(
        Circle(
            name=f"Grown {n}",
            slug=f"grown-{n}",
            visibility="private" if i % 2 else "public",
        )
        for i, n in zip(range(circles), GROWN, strict=False)
    )
    NetworkMembership.objects.bulk_create(
        NetworkMembership(network=network, circle=c, show_name=i % 3 == 0)
        for i, c in enumerate(new)
    )
    questions = NetworkQuestion.objects.bulk_create(
        NetworkQuestion(
            network=network,
            kind=QuestionKind.ADOPT_AGREEMENT,
            title=f"Question {i}",
            reason="Because.",
            change={"title": f"Agreement {i}", "text": "Text."},
            method=NetworkMethod.MAJORITY,
            status=QuestionStatus.PASSED if i < decided else QuestionStatus.OPEN,
            closes_at=now + timedelta(days=7),
            closed_at=now if i < decided else None,
            circles_count=circles,
            yes_circles=circles,
            no_circles=0,
            abstain_circles=0,
            effect_applied=True,
        )
        for i in range(decided + still_open)
    )
    proposals = Proposal.objects.bulk_create(
        Proposal(
            circle=c,
            kind=ProposalKind.NETWORK_QUESTION,
            title=q.title,
            reason="Because.",
            change={"question_id": q.pk},
            status=ProposalStatus.OPEN if q.is_open else ProposalStatus.PASSED,
            opened_at=now,
            closes_at=now + timedelta(days=7),
        )
        for q in questions
        for c in new
    )
    LinkedProposal.objects.bulk_create(
        LinkedProposal(
            question_id=p.change["question_id"],
            circle=p.circle,
            proposal=p,
            vote="" if p.status == ProposalStatus.OPEN else CircleVote.YES,
        )
        for p in proposals
    )
    SharedAgreement.objects.bulk_create(
        SharedAgreement(network=network, title=q.change["title"], text="Text.", adopted_by=q)
        for q in questions
        if not q.is_open
    )


def test_the_network_page_runs_a_fixed_number_of_queries(client, valley):
    network, orchard, hollow, ana, ben = valley
    question = ask(network, orchard, ana)
    circle_votes(question, orchard, "yes")
    settle(question, now=question.closes_at + timedelta(seconds=1))
    ask(network, hollow, ben, title="Another")
    client.force_login(ana)
    url = network_url(network)
    assert_query_budget(lambda: client.get(url), budget=11, grow_data=lambda: grow(network))


def test_the_question_page_runs_a_fixed_number_of_queries(client, valley):
    network, orchard, _hollow, ana, _ben = valley
    question = ask(network, orchard, ana)
    client.force_login(ana)
    url = question_url(question)

    def more_circles():
        grow(network, decided=0, still_open=0)
        # Each new circle has its vote on this very question.
        now = timezone.now()
        for circle in Circle.objects.filter(slug__startswith="grown-"):
            proposal = Proposal.objects.create(
                circle=circle,
                kind=ProposalKind.NETWORK_QUESTION,
                title="x",
                reason="x",
                change={"question_id": question.pk},
                status=ProposalStatus.OPEN,
                opened_at=now,
                closes_at=question.closes_at,
            )
            LinkedProposal.objects.create(question=question, circle=circle, proposal=proposal)

    assert_query_budget(lambda: client.get(url), budget=8, grow_data=more_circles)


def test_the_directory_and_the_circle_page_run_a_fixed_number_of_queries(client, valley):
    network, orchard, _hollow, ana, _ben = valley
    client.force_login(ana)

    def more_networks():
        for i in range(12):
            other = joined_network([orchard], name=f"Network {i}")
            if i % 2:
                leave(other, orchard)
        grow(network, decided=0, still_open=0)

    assert_query_budget(
        lambda: client.get(reverse("networks:directory")), budget=6, grow_data=more_networks
    )
    assert_query_budget(
        lambda: client.get(reverse("networks:circle_networks", args=[orchard.slug])),
        budget=8,
        grow_data=more_networks,
    )
