"""A double click makes one thing: every create form carries a one-time key issued with the
form and bound to the member's session; a second submit of it shows what the first made."""

import re

import pytest
from django.urls import reverse

from circles.models import Circle, Invite, Message, Post, Response
from circles.services import response_create
from governance.models import Comment, Proposal
from governance.services import proposal_create
from tests.factories import UserFactory, make_circle, make_post
from tests.helpers import circle_form_data, run_at_once

POST_DATA = {"kind": "need", "title": "Soup", "category": "food", "urgency": "normal", "days": "7"}
KEY_RE = re.compile(r'name="submission" value="([^"]+)"')


def rendered_key(client, url) -> str:
    page = client.get(url)
    assert page.status_code == 200, url
    keys = KEY_RE.findall(page.content.decode())
    assert keys, f"no submission key on {url}"
    return keys[-1]


def build_scene():
    circle, (author, helper) = make_circle(members=2)
    post = make_post(circle, author)
    response = response_create(post=post, responder=helper, text="I can help")
    proposal = proposal_create(
        circle=circle, proposer=author, kind="resolution", title="T", reason="R", data={}
    )
    other_post = make_post(circle, author, title="Another need")
    return circle, author, helper, post, response, proposal, other_post


@pytest.fixture
def scene(db):
    return build_scene()


def forms(scene):
    """(who fills it in, form page, where it posts, data, the model it makes, how many exist)"""
    circle, author, helper, post, response, proposal, other_post = scene
    slug = circle.slug
    conversation = reverse("circles:conversation", args=[slug, post.pk, response.pk])
    new_proposal = reverse("governance:proposal_new", args=[slug]) + "?kind=resolution"
    return {
        "circle": (
            author,
            reverse("circles:create"),
            reverse("circles:create"),
            circle_form_data(name="Bike Repair"),
            Circle,
        ),
        "post": (
            author,
            reverse("circles:post_create", args=[slug]),
            reverse("circles:post_create", args=[slug]),
            POST_DATA,
            Post,
        ),
        "response": (
            helper,
            reverse("circles:post", args=[slug, other_post.pk]),
            reverse("circles:post_respond", args=[slug, other_post.pk]),
            {"text": "Happy to help"},
            Response,
        ),
        "message": (helper, conversation, conversation, {"text": "See you at 5"}, Message),
        "comment": (
            helper,
            reverse("governance:proposal", args=[slug, proposal.pk]),
            reverse("governance:comment", args=[slug, proposal.pk]),
            {"text": "I agree"},
            Comment,
        ),
        "invite": (
            author,
            reverse("circles:invites", args=[slug]),
            reverse("circles:invites", args=[slug]),
            {"days": "7", "max_uses": "3", "email": ""},
            Invite,
        ),
        "proposal": (
            author,
            new_proposal,
            reverse("governance:proposal_new", args=[slug]),
            {"kind": "resolution", "title": "Picnic", "reason": "Sun", "open_now": "on"},
            Proposal,
        ),
    }


FORMS = ["circle", "post", "response", "message", "comment", "invite", "proposal"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMS)
def test_submitting_the_same_form_twice_makes_one(client, scene, name):
    person, page, action, data, model = forms(scene)[name]
    client.force_login(person)
    before = model.objects.count()
    key = rendered_key(client, page)
    first = client.post(action, {**data, "submission": key})
    second = client.post(action, {**data, "submission": key})
    assert model.objects.count() == before + 1
    assert first.status_code == second.status_code == 302
    assert first.url == second.url


@pytest.mark.django_db
# Not a response: one person responds to a post once, by a rule of its own.
@pytest.mark.parametrize("name", [name for name in FORMS if name != "response"])
def test_a_new_form_makes_a_new_one(client, scene, name):
    person, page, action, data, model = forms(scene)[name]
    client.force_login(person)
    before = model.objects.count()
    for _ in range(2):
        client.post(action, {**data, "submission": rendered_key(client, page)})
    assert model.objects.count() == before + 2


@pytest.mark.django_db
def test_another_members_key_does_not_lead_to_their_post(client, scene):
    circle, author, helper, *_ = scene
    page = reverse("circles:post_create", args=[circle.slug])
    client.force_login(author)
    key = rendered_key(client, page)
    mine = client.post(page, {**POST_DATA, "title": "Mine", "submission": key})
    client.force_login(helper)
    theirs = client.post(page, {**POST_DATA, "title": "Theirs", "submission": key})
    assert theirs.status_code == 302
    assert theirs.url != mine.url
    assert Post.objects.filter(title="Theirs", author=helper).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("forged", ["", "made-up", "1:2:3", "\u200b"])
def test_a_forged_key_does_nothing_but_the_submission_still_works(client, scene, forged):
    circle, author, *_ = scene
    client.force_login(author)
    page = reverse("circles:post_create", args=[circle.slug])
    before = Post.objects.count()
    for _ in range(2):
        answer = client.post(page, {**POST_DATA, "submission": forged})
        assert answer.status_code == 302
    assert Post.objects.count() == before + 2


@pytest.mark.django_db
def test_a_link_cannot_hand_someone_a_key(client, scene):
    """A proposal form prefilled from the query string never takes its key from there."""
    circle, author, helper, *_ = scene
    base = reverse("governance:proposal_new", args=[circle.slug])
    client.force_login(author)
    victim_key = rendered_key(client, base + "?kind=resolution")
    client.post(
        base,
        {"kind": "resolution", "title": "Mine", "reason": "R", "open_now": "on",
         "submission": victim_key},
    )  # fmt: skip
    client.force_login(helper)
    for name in ("submission", "submission_key"):
        key = rendered_key(client, f"{base}?kind=resolution&{name}={victim_key}&title=Hi")
        assert key != victim_key
    answer = client.post(
        base,
        {"kind": "resolution", "title": "Theirs", "reason": "R", "open_now": "on",
         "submission": victim_key},
    )  # fmt: skip
    assert Proposal.objects.get(title="Theirs").proposer == helper
    assert answer.url.endswith(f"/{Proposal.objects.get(title='Theirs').pk}/")


@pytest.mark.django_db
def test_a_double_click_on_a_message_with_htmx_sends_one(client, scene):
    circle, _author, helper, post, response, *_ = scene
    client.force_login(helper)
    url = reverse("circles:conversation", args=[circle.slug, post.pk, response.pk])
    key = rendered_key(client, url)
    before = Message.objects.count()
    for _ in range(2):
        answer = client.post(url, {"text": "On my way", "submission": key}, HTTP_HX_REQUEST="true")
        assert answer.status_code == 200
        fresh = KEY_RE.findall(answer.content.decode())
        assert fresh and fresh[-1] != key
    assert Message.objects.count() == before + 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["post", "circle", "message"])
def test_two_submits_at_once_make_one(client, name):
    person, page, action, data, model = forms(build_scene())[name]
    client.force_login(person)
    key = rendered_key(client, page)
    before = model.objects.count()

    def submit():
        from django.test import Client

        other = Client()
        other.cookies = client.cookies
        return other.post(action, {**data, "submission": key}).status_code

    results = run_at_once(submit, 4)
    assert results == [302] * 4, results
    assert model.objects.count() == before + 1


@pytest.mark.django_db
def test_someone_else_cannot_use_a_key_at_all(client, scene):
    """Keys are per member: an outsider replaying a member's key makes nothing of theirs."""
    _circle, author, *_ = scene
    client.force_login(author)
    key = rendered_key(client, reverse("circles:create"))
    stranger = UserFactory()
    client.force_login(stranger)
    data = circle_form_data(name="X", submission=key)
    client.post(reverse("circles:create"), data)
    assert Circle.objects.filter(name="X").get().memberships.get().user == stranger
