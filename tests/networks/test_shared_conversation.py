"""A shared post's page, responding to it from another circle, and the conversation that
follows: for its two people only, anonymous where the need is, and never naming a private
circle to someone outside it."""

import pytest
from django.urls import reverse

from circles.models import Response
from circles.services import message_send, post_fulfil
from governance.networks.models import NetworkVisibility
from governance.networks.services.sharing import (
    post_share,
    post_unshare,
    shared_response_create,
)
from peernet.errors import DomainError
from peernet.members.services import block_create
from peernet.notify.models import Kind, Notification
from tests.factories import make_member, make_post
from tests.networks.sharing_setup import World, leave

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def _share(world, *, circle=None, author=None, **kwargs):
    author = author or world.author
    post = make_post(circle or world.home, author, **kwargs)
    post_share(post=post, author=author, network=world.network)
    return post


def _url(post) -> str:
    return reverse("networks:shared_post", args=[post.pk])


def _respond_url(post) -> str:
    return reverse("networks:respond", args=[post.pk])


def _conversation_url(response) -> str:
    return reverse("networks:conversation", args=[response.post_id, response.pk])


# --- The shared post's page -----------------------------------------------------------------


def test_members_of_the_networks_circles_see_it(client, world):
    post = _share(world, title="Lift to the clinic", details="On **Tuesday**", urgency="urgent")
    client.force_login(world.helper)
    page = client.get(_url(post)).content.decode()
    for shown in ("Lift to the clinic", "<strong>Tuesday</strong>", "Need", "Transport", "Urgent"):
        assert shown in page
    assert "Huerta" in page and "Ana Author" in page and "I can help" in page


@pytest.mark.parametrize("visibility", NetworkVisibility.values)
def test_anyone_else_gets_a_404(client, world, staff, visibility):
    world.network.visibility = visibility
    world.network.save()
    post = _share(world)
    for viewer in (world.outsider, staff):
        client.force_login(viewer)
        assert client.get(_url(post)).status_code == 404
    client.logout()
    assert client.get(_url(post)).status_code == 302


def test_gone_when_sharing_stops_or_either_circle_leaves(client, world):
    post = _share(world)
    client.force_login(world.helper)
    post_unshare(post=post, author=world.author, network=world.network)
    assert client.get(_url(post)).status_code == 404
    post_share(post=post, author=world.author, network=world.network)
    leave(world.network, world.hidden)
    assert client.get(_url(post)).status_code == 404
    client.force_login(world.other_member)
    assert client.get(_url(post)).status_code == 200
    leave(world.network, world.home)
    assert client.get(_url(post)).status_code == 404


def test_a_block_with_the_author_is_a_404(client, world):
    post = _share(world)
    block_create(blocker=world.author, blocked=world.helper)
    client.force_login(world.helper)
    assert client.get(_url(post)).status_code == 404


def test_an_anonymous_need_and_a_private_circle_stay_hidden(client, world):
    person = make_member(world.hidden, display_name="Pia Private")
    post = _share(world, circle=world.hidden, author=person, anonymous=True, title="Quiet need")
    client.force_login(world.other_member)
    page = client.get(_url(post)).content.decode()
    assert "Quiet need" in page and "a member" in page and "a private circle" in page
    assert "Pia" not in page and "Secret garden" not in page and "secret-garden" not in page


def test_the_author_gets_a_way_to_their_responses_not_a_form(client, world):
    post = _share(world)
    client.force_login(world.author)
    page = client.get(_url(post)).content.decode()
    assert "Send: I can help" not in page
    assert f'href="{post.get_absolute_url()}"' in page


# --- Responding -----------------------------------------------------------------------------


def test_responding_from_another_circle_opens_a_network_conversation(client, world):
    post = _share(world)
    client.force_login(world.helper)
    response = client.post(_respond_url(post), {"text": "I drive there on Tuesdays."})
    made = Response.objects.get(post=post, responder=world.helper)
    assert made.via_network
    assert response.status_code == 302 and response["Location"] == _conversation_url(made)
    notice = Notification.objects.get(kind=Kind.NEW_RESPONSE, recipient=world.author)
    assert notice.url == _conversation_url(made)
    # Back on the page: a link to the conversation, no second form.
    page = client.get(_url(post)).content.decode()
    assert _conversation_url(made) in page and "Send: I can help" not in page


def test_a_member_of_the_posts_circle_responds_as_at_home(client, world):
    post = _share(world)
    client.force_login(world.neighbour)
    assert "Open it in your circle" in client.get(_url(post)).content.decode()
    response = client.post(_respond_url(post), {"text": "I can take you."})
    made = Response.objects.get(post=post, responder=world.neighbour)
    assert not made.via_network
    assert response["Location"] == reverse(
        "circles:conversation", args=["huerta", post.pk, made.pk]
    )


def test_bad_input_keeps_what_was_typed(client, world):
    post = _share(world)
    client.force_login(world.helper)
    too_long = "I can help. " * 200
    response = client.post(_respond_url(post), {"text": too_long})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert too_long.strip()[:200] in response.content.decode()
    assert not Response.objects.exists()


def test_a_refusal_keeps_what_was_typed(client, world):
    post = _share(world)
    post_fulfil(post=post, author=world.author)
    client.force_login(world.helper)
    response = client.post(_respond_url(post), {"text": "Still need a hand?"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "no longer open for responses" in page and "Still need a hand?" in page


def test_the_service_checks_who_may_respond(world):
    post = _share(world)
    with pytest.raises(DomainError, match="not shared with a network of yours"):
        shared_response_create(post=post, responder=world.outsider, text="Hello")
    post_unshare(post=post, author=world.author, network=world.network)
    with pytest.raises(DomainError):
        shared_response_create(post=post, responder=world.helper, text="Hello")
    assert not Response.objects.exists()


def test_respond_is_a_404_for_outsiders(client, world):
    post = _share(world)
    client.force_login(world.outsider)
    assert client.post(_respond_url(post), {"text": "Hi"}).status_code == 404


# --- The conversation -----------------------------------------------------------------------


@pytest.fixture
def talk(world):
    """The private circle's helper answered Huerta's anonymous need."""
    post = _share(world, anonymous=True, title="Quiet need")
    return shared_response_create(post=post, responder=world.helper, text="I can help on Monday.")


def test_the_two_people_read_it_and_nobody_else(client, world, talk):
    for person in (world.author, world.helper):
        client.force_login(person)
        page = client.get(_conversation_url(talk)).content.decode()
        assert "I can help on Monday." in page
    for person in (world.neighbour, world.other_member, world.outsider):
        client.force_login(person)
        assert client.get(_conversation_url(talk)).status_code == 404
    wrong_post = reverse("networks:conversation", args=[talk.post_id + 1, talk.pk])
    client.force_login(world.helper)
    assert client.get(wrong_post).status_code == 404


def test_the_responder_never_learns_the_anonymous_author(client, world, talk):
    message_send(response=talk, sender=world.author, text="Thank you! Monday at ten?")
    client.force_login(world.helper)
    page = client.get(_conversation_url(talk)).content.decode()
    assert "Thank you! Monday at ten?" in page and "a member" in page
    assert "Ana" not in page
    notice = Notification.objects.get(kind=Kind.NEW_MESSAGE, recipient=world.helper)
    assert notice.circle_id is None and notice.actor_id is None
    assert "Ana" not in notice.text


def test_a_private_circles_name_is_not_shown_to_the_responder(client, world):
    person = make_member(world.hidden, display_name="Pia Private")
    post = _share(world, circle=world.hidden, author=person)
    talk = shared_response_create(post=post, responder=world.other_member, text="Hello there")
    message_send(response=talk, sender=person, text="Hi!")
    client.force_login(world.other_member)
    page = client.get(_conversation_url(talk)).content.decode()
    assert "Hello there" in page and "Secret garden" not in page and "secret-garden" not in page
    notice = Notification.objects.get(kind=Kind.NEW_MESSAGE, recipient=world.other_member)
    assert notice.circle_id is None


def test_writing_goes_through_message_send(client, world, talk):
    client.force_login(world.helper)
    response = client.post(_conversation_url(talk), {"text": "See you then."})
    assert response.status_code == 302
    assert talk.messages.filter(text="See you then.").exists()
    notice = Notification.objects.get(kind=Kind.NEW_MESSAGE, recipient=world.author)
    assert notice.url == _conversation_url(talk)
    response = client.post(_conversation_url(talk), {"text": ""})
    assert response.status_code == 400


def test_htmx_gets_the_thread(client, world, talk):
    client.force_login(world.helper)
    response = client.post(_conversation_url(talk), {"text": "Quick one"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="thread"') and "Quick one" in body


def test_still_readable_after_the_circle_left_or_sharing_stopped(client, world, talk):
    post_unshare(post=talk.post, author=world.author, network=world.network)
    leave(world.network, world.home)
    for person in (world.author, world.helper):
        client.force_login(person)
        response = client.get(_conversation_url(talk))
        assert response.status_code == 200
        assert "I can help on Monday." in response.content.decode()
    # The shared page is gone for the responder, so no link back to it.
    assert f'href="{_url(talk.post)}"' not in response.content.decode()
    client.post(_conversation_url(talk), {"text": "Still on for Monday?"})
    assert talk.messages.filter(text="Still on for Monday?").exists()


def test_the_author_finds_it_from_the_post_in_their_circle(client, world, talk):
    client.force_login(world.author)
    page = client.get(talk.post.get_absolute_url()).content.decode()
    circle_url = reverse("circles:conversation", args=["huerta", talk.post_id, talk.pk])
    assert circle_url in page and "Hana Helper" in page
    response = client.get(circle_url)
    assert response.status_code == 200 and "I can help on Monday." in response.content.decode()


def test_the_author_may_report_the_responder_and_the_responder_sees_no_report_link(
    client, world, talk
):
    message_send(response=talk, sender=world.author, text="Thanks")
    client.force_login(world.author)
    page = client.get(_conversation_url(talk)).content.decode()
    assert reverse("safety:report", args=["huerta", "message", talk.messages.first().pk]) in page
    client.force_login(world.helper)
    assert "/report/" not in client.get(_conversation_url(talk)).content.decode()
