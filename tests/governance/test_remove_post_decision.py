"""A passed "remove a post" proposal removes the post: its status, who still sees it, and the
record the circle keeps of the decision. A failed one leaves it alone."""

import json

import pytest
from django.urls import reverse

from circles.models import Post
from circles.services import response_create
from governance.models import ProposalKind, ProposalStatus
from governance.services import ballot_cast
from tests.factories import make_circle, make_post, make_report
from tests.governance.conftest import propose

pytestmark = pytest.mark.django_db

TITLE = "Selling miracle supplements"


@pytest.fixture
def scene():
    """A circle of four: the author, a responder, and two others; a reported post."""
    circle, (author, responder, flagger, fourth) = make_circle(members=4, name="Huerta")
    post = make_post(circle, author, kind="offer", title=TITLE, category="health")
    response = response_create(post=post, responder=responder, text="Tell me more?")
    make_report(circle, flagger, "post", post.pk, words="Health claims that could hurt someone.")
    people = {"author": author, "responder": responder, "flagger": flagger, "fourth": fourth}
    return circle, post, response, people


def vote(proposal, choices: dict):
    for person, choice in choices.items():
        ballot_cast(proposal=proposal, voter=person, choice=choice)
    proposal.refresh_from_db()
    return proposal


def pages_for(circle, post, response) -> dict[str, str]:
    return {
        "post": reverse("circles:post", args=[circle.slug, post.pk]),
        "conversation": reverse("circles:conversation", args=[circle.slug, post.pk, response.pk]),
        "board": reverse("circles:board", args=[circle.slug]) + "?status=",
        "my board": reverse("circles:my_board") + "?status=",
        "home": reverse("circles:home", args=[circle.slug]),
    }


def test_a_passed_proposal_removes_the_post_for_everyone(client, scene):
    circle, post, response, people = scene
    urls = pages_for(circle, post, response)
    client.force_login(people["responder"])
    assert TITLE in client.get(urls["board"]).content.decode()  # there before the decision

    proposal = propose(
        circle, people["flagger"], ProposalKind.REMOVE_POST, {"post": post}, title="Remove it"
    )
    proposal = vote(proposal, {p: "yes" for p in people.values()})
    assert proposal.status == ProposalStatus.PASSED
    assert (proposal.effect_applied, proposal.effect_note) == (True, "")
    post.refresh_from_db()
    assert post.status == "removed"
    # Its conversation and what was written stay in the database; only the post is hidden.
    assert post.responses.get() == response
    assert response.messages.count() == 1

    for role, person in people.items():
        client.force_login(person)
        for page, url in urls.items():
            if page in {"post", "conversation"}:
                if page == "conversation" and role not in {"author", "responder"}:
                    continue
                assert client.get(url).status_code == 404, (role, page)
            else:
                answer = client.get(url)
                assert answer.status_code == 200, (role, page)
                assert TITLE not in answer.content.decode(), (role, page)


def test_a_removed_post_is_not_offered_back_by_any_filter(client, scene):
    circle, post, _response, people = scene
    vote(
        propose(circle, people["flagger"], ProposalKind.REMOVE_POST, {"post": post}),
        {p: "yes" for p in people.values()},
    )
    client.force_login(people["author"])
    board = reverse("circles:board", args=[circle.slug])
    for query in ("?status=removed", "?q=miracle&status=", "?category=health&kind=offer&status="):
        assert TITLE not in client.get(board + query).content.decode(), query
    # Nor as a match for a new need of the same category, nor to propose removing it again.
    need = make_post(
        circle, people["fourth"], kind="need", title="Help sleeping", category="health"
    )
    need_page = client.get(reverse("circles:post", args=[circle.slug, need.pk])).content.decode()
    assert TITLE not in need_page
    form = client.get(
        reverse("governance:proposal_new", args=[circle.slug]) + "?kind=remove_post"
    ).content.decode()
    assert TITLE not in form
    assert "Help sleeping" in form


def test_the_decision_is_recorded_with_the_post_it_removed(client, scene):
    circle, post, _response, people = scene
    proposal = propose(
        circle,
        people["flagger"],
        ProposalKind.REMOVE_POST,
        {"post": post},
        title="Remove the supplements offer",
    )
    vote(proposal, {people["flagger"]: "yes", people["fourth"]: "yes", people["author"]: "no"})
    proposal = vote(proposal, {people["responder"]: "abstain"})
    assert proposal.status == ProposalStatus.PASSED

    client.force_login(people["author"])
    log = client.get(reverse("governance:decisions", args=[circle.slug])).content.decode()
    assert "Remove the supplements offer" in log
    assert "Remove a post" in log
    assert "<dd>applied</dd>" in log

    detail = client.get(reverse("governance:proposal", args=[circle.slug, proposal.pk]))
    body = detail.content.decode()
    assert "Decided: passed" in body
    # The exact change: the post by its title, before, and "(removed)" after.
    assert f"<td>{TITLE}</td><td>(removed)</td>" in body

    record = json.loads(client.get(reverse("governance:record_json", args=[circle.slug])).content)
    (decision,) = record["decisions"]
    assert decision["kind"] == "remove_post"
    assert decision["outcome"] == "passed"
    assert decision["tally"]["effect_applied"] is True
    assert (decision["tally"]["yes_count"], decision["tally"]["no_count"]) == (2, 1)
    assert decision["change"] == [{"what": "Post", "before": TITLE, "after": "(removed)"}]
    assert TITLE not in [p["title"] for p in record["posts"]]


def test_a_failed_proposal_leaves_the_post_as_it_was(client, scene):
    circle, post, _response, people = scene
    proposal = propose(circle, people["flagger"], ProposalKind.REMOVE_POST, {"post": post})
    proposal = vote(
        proposal,
        {people["flagger"]: "yes", people["fourth"]: "no", people["author"]: "no"},
    )
    proposal = vote(proposal, {people["responder"]: "no"})
    assert proposal.status == ProposalStatus.FAILED
    assert proposal.effect_applied is None
    post.refresh_from_db()
    assert post.status == "open"
    client.force_login(people["fourth"])
    assert client.get(reverse("circles:post", args=[circle.slug, post.pk])).status_code == 200


def test_a_post_withdrawn_while_the_vote_runs_is_still_removed(scene):
    from circles.services import post_withdraw

    circle, post, _response, people = scene
    proposal = propose(circle, people["flagger"], ProposalKind.REMOVE_POST, {"post": post})
    post_withdraw(post=post, author=people["author"])
    proposal = vote(proposal, {p: "yes" for p in people.values()})
    assert (proposal.status, proposal.effect_applied) == (ProposalStatus.PASSED, True)
    assert Post.objects.get(pk=post.pk).status == "removed"


def test_two_proposals_to_remove_the_same_post_apply_once(scene):
    circle, post, _response, people = scene
    first = propose(circle, people["flagger"], ProposalKind.REMOVE_POST, {"post": post})
    second = propose(circle, people["fourth"], ProposalKind.REMOVE_POST, {"post": post})
    first = vote(first, {p: "yes" for p in people.values()})
    second = vote(second, {p: "yes" for p in people.values()})
    assert (first.effect_applied, second.effect_applied) == (True, False)
    assert second.status == ProposalStatus.PASSED
    assert second.effect_note == "The post was already gone."
    assert Post.objects.get(pk=post.pk).status == "removed"


def test_proposing_and_voting_through_the_pages(client, scene):
    circle, post, _response, people = scene
    client.force_login(people["flagger"])
    new = reverse("governance:proposal_new", args=[circle.slug]) + "?kind=remove_post"
    form_page = client.get(new)
    key = form_page.context["form"].initial["submission"]
    created = client.post(
        reverse("governance:proposal_new", args=[circle.slug]),
        {
            "kind": "remove_post",
            "title": "Take down the supplements offer",
            "reason": "It makes health claims.",
            "post": str(post.pk),
            "open_now": "on",
            "submission": key,
        },
        follow=True,
    )
    body = created.content.decode()
    assert "Your proposal is open for votes." in body
    assert TITLE in body
    proposal = circle.proposals.get()

    vote_url = reverse("governance:vote", args=[circle.slug, proposal.pk])
    for person in people.values():
        client.force_login(person)
        answer = client.post(vote_url, {"choice": "yes", "reason": ""}, follow=True)
        assert answer.status_code == 200
    assert "Everyone has voted, so the proposal is decided." in answer.content.decode()
    assert "Decided: passed" in answer.content.decode()
    post.refresh_from_db()
    assert post.status == "removed"
    assert client.get(reverse("circles:post", args=[circle.slug, post.pk])).status_code == 404
