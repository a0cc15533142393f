"""The mutual aid loop through the client: post, find, respond, talk, accept, fulfil."""

import pytest
from django.urls import reverse

from circles.models import Post
from tests.factories import make_circle, make_post

pytestmark = pytest.mark.django_db


def test_need_to_fulfilled_through_the_pages(client):
    circle, (ana, bo) = make_circle(members=2)
    client.force_login(ana)
    response = client.post(
        reverse("circles:post_create", args=[circle.slug]),
        {
            "kind": "need",
            "title": "Soup for a sick week",
            "details": "Vegetarian please.",
            "category": "food",
            "urgency": "urgent",
            "area": "Eastside",
            "days": "10",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.kind, post.urgency, post.status) == ("need", "urgent", "open")

    client.force_login(bo)
    board = client.get(reverse("circles:board", args=[circle.slug]), {"q": "soup"})
    assert "Soup for a sick week" in board.content.decode()
    response = client.post(
        reverse("circles:post_respond", args=[circle.slug, post.pk]),
        {"text": "I can bring soup on Tuesday."},
    )
    assert response.status_code == 302
    conversation_url = response.url
    assert "I can bring soup on Tuesday." in client.get(conversation_url).content.decode()

    client.force_login(ana)
    client.post(conversation_url, {"text": "Thank you, Tuesday works."})
    response_pk = post.responses.get().pk
    client.post(reverse("circles:post_accept", args=[circle.slug, post.pk, response_pk]))
    post.refresh_from_db()
    assert post.status == "in_progress"
    client.post(
        reverse("circles:post_fulfil", args=[circle.slug, post.pk]),
        {"thank_you": "Bo's soup got me through."},
    )
    post.refresh_from_db()
    assert (post.status, post.thank_you) == ("fulfilled", "Bo's soup got me through.")
    page = client.get(reverse("circles:post", args=[circle.slug, post.pk])).content.decode()
    assert "Bo&#x27;s soup got me through." in page


def test_htmx_board_returns_only_the_posts_fragment(client):
    circle, (ana,) = make_circle(members=1)
    make_post(circle, ana)
    client.force_login(ana)
    url = reverse("circles:board", args=[circle.slug])
    full = client.get(url).content.decode()
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full
    assert "<html" not in fragment
    assert 'id="posts"' in fragment
    assert "A lift to the clinic" in fragment
