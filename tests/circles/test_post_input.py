"""Bad input on every post form: a clear message, what was typed kept, nothing stored."""

import pytest
from django.urls import reverse

from circles import services
from circles.models import Message, Post
from governance.safety.models import Report
from tests.factories import make_circle, make_post

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
VALID = {
    "kind": "need",
    "title": "Someone to walk my dog",
    "details": "Mornings, for a week.",
    "category": "errands",
    "urgency": "normal",
    "area": "Northside",
    "days": "30",
}


@pytest.fixture
def circle_and_people(client):
    circle, (author, other) = make_circle(members=2)
    client.force_login(author)
    return circle, author, other


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "   "}, "title", "This field is required."),
        ({"details": "x" * 100_000}, "details", "at most 5000 characters"),
        ({"days": "0"}, "days", "greater than or equal to 1"),
        ({"days": "-3"}, "days", "greater than or equal to 1"),
        ({"days": "91"}, "days", "less than or equal to 90"),
        ({"days": "soon"}, "days", "Enter a whole number."),
        ({"category": "spaceships"}, "category", "Select a valid choice."),
        ({"kind": "gift"}, "kind", "Select a valid choice."),
        ({"kind": "offer", "anonymous": "on"}, "anonymous", "Only needs can be posted"),
        ({"title": "x" * 500}, "title", "at most 120 characters"),
    ],
)
def test_a_bad_post_is_refused_with_the_input_kept(
    client, circle_and_people, changes, field, message
):
    circle, _author, _other = circle_and_people
    data = {**VALID, **changes}
    answer = client.post(reverse("circles:post_create", args=[circle.slug]), data)
    assert answer.status_code == 200
    form = answer.context["form"]
    assert message in " ".join(form.errors[field])
    body = answer.content.decode()
    assert "Mornings, for a week." in body or field == "details"
    assert "Northside" in body
    assert Post.objects.count() == 0


def test_markup_and_script_in_every_text_field_is_shown_as_text(client, circle_and_people):
    circle, author, other = circle_and_people
    data = {**VALID, "title": SCRIPT, "details": SCRIPT + "\n\n[click](javascript:alert(1))"}
    data["area"] = SCRIPT[:80]
    client.post(reverse("circles:post_create", args=[circle.slug]), data)
    post = Post.objects.get()
    client.force_login(other)
    respond = reverse("circles:post_respond", args=[circle.slug, post.pk])
    conversation = client.post(respond, {"text": SCRIPT}).url
    report = reverse("safety:report", args=[circle.slug, "post", post.pk])
    client.post(report, {"reason": "other", "words": SCRIPT})
    client.force_login(author)
    client.post(conversation, {"text": SCRIPT})
    client.post(reverse("circles:post_fulfil", args=[circle.slug, post.pk]), {"thank_you": SCRIPT})
    assert Message.objects.count() == 2
    report = Report.objects.get()
    assert report.words == SCRIPT
    reporters_page = reverse("safety:report_detail", args=[circle.slug, report.pk])
    for person in (author, other):
        client.force_login(person)
        for url in (
            reverse("circles:board", args=[circle.slug]) + "?status=",
            reverse("circles:post", args=[circle.slug, post.pk]),
            conversation,
            *([reporters_page] if person == other else []),
        ):
            body = client.get(url).content.decode()
            assert "<script>alert" not in body, url
            assert "<img src=x" not in body, url
            assert 'href="javascript:' not in body, url
            assert "&lt;script&gt;" in body, url


def test_a_message_to_a_closed_conversation_is_refused_and_kept(client, circle_and_people):
    circle, author, other = circle_and_people
    post = make_post(circle, author)
    response = services.response_create(post=post, responder=other, text="I can help.")
    services.post_withdraw(post=post, author=author)
    client.force_login(other)
    url = reverse("circles:conversation", args=[circle.slug, post.pk, response.pk])
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        answer = client.post(url, {"text": "Are you still there?"}, **headers)
        assert answer.status_code == 400
        body = answer.content.decode()
        assert "This conversation is closed because the post is withdrawn." in body
        assert "Are you still there?" in body
    assert Message.objects.filter(response=response).count() == 1


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_an_empty_or_overlong_message_is_refused_and_kept(client, circle_and_people, text):
    circle, author, other = circle_and_people
    post = make_post(circle, author)
    response = services.response_create(post=post, responder=other, text="I can help.")
    client.force_login(other)
    url = reverse("circles:conversation", args=[circle.slug, post.pk, response.pk])
    answer = client.post(url, {"text": text}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 400
    assert answer.context["form"].errors["text"]
    if text.strip():
        assert text in answer.content.decode()
    assert Message.objects.filter(response=response).count() == 1


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("post_extend", {"days": "0"}, "greater than or equal to 1"),
        ("post_extend", {"days": "many"}, "Enter a whole number."),
        ("post_fulfil", {"thank_you": "x" * 1001}, "at most 1000 characters"),
        ("post_respond", {"text": ""}, "This field is required."),
    ],
)
def test_bad_input_on_post_actions_says_why_and_changes_nothing(
    client, circle_and_people, name, data, error
):
    circle, author, other = circle_and_people
    post = make_post(circle, author)
    before = Post.objects.values().get(pk=post.pk)
    client.force_login(other if name == "post_respond" else author)
    answer = client.post(reverse(f"circles:{name}", args=[circle.slug, post.pk]), data, follow=True)
    assert answer.status_code == 200
    assert error in answer.content.decode()
    assert Post.objects.values().get(pk=post.pk) == before
    assert not post.responses.exists()


def test_unknown_filters_on_the_board_are_ignored_not_errors(client, circle_and_people):
    circle, author, _other = circle_and_people
    make_post(circle, author, title="Still listed")
    url = reverse("circles:board", args=[circle.slug])
    answer = client.get(url, {"kind": "dragons", "category": "?", "status": "<b>", "page": "x"})
    assert answer.status_code == 200
    assert "Still listed" in answer.content.decode()
