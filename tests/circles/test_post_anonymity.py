"""An anonymous need: nobody but its author can learn who wrote it.

The strongest check is a swap: every page a member, a responder or a staff member sees is
rendered, the need's author is replaced by someone else, and the page is rendered again. If
the two are the same byte for byte (once per-request tokens are masked), the page cannot
reveal the author, whatever its markup, attributes or URLs.
"""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.urls import reverse

from circles import services
from circles.models import Message, Post
from circles.selectors import post_author_name
from governance.models import ProposalKind
from peernet.members.models import NotificationSettings
from peernet.notify.models import Notification
from peernet.notify.services import digest_preview_send
from tests.factories import UserFactory, make_circle, make_member, make_post
from tests.governance.conftest import propose

pytestmark = pytest.mark.django_db

PER_REQUEST = re.compile(
    r'(nonce|value|content)="[^"]*"|"(inlineScriptNonce|X-CSRFToken)": "[^"]*"'
)
EVERY_TOPIC_NOW = {
    "posts": "now",
    "responses": "now",
    "proposals": "now",
    "vote_reminders": "now",
    "membership": "now",
}


def _masked(html: str) -> str:
    return PER_REQUEST.sub("", html)


@pytest.fixture
def scene(django_capture_on_commit_callbacks):
    circle, (member, responder) = make_circle(members=2)
    author = make_member(circle, UserFactory(display_name="Zephyrine Quartz"))
    stand_in = make_member(circle, UserFactory(display_name="Stand In"))
    staff = make_member(circle, UserFactory(is_staff=True, is_superuser=True))
    responder.profile.help_categories = ["money"]
    responder.profile.save()
    for person in (member, responder, author, staff):
        NotificationSettings.objects.update_or_create(user=person, defaults=EVERY_TOPIC_NOW)
    with django_capture_on_commit_callbacks(execute=True):
        need = make_post(
            circle,
            author,
            title="Help with rent this month",
            category="money",
            anonymous=True,
        )
        response = services.response_create(post=need, responder=responder, text="I can help.")
        services.message_send(response=response, sender=author, text="Thank you so much.")
        services.response_accept(post=need, author=author, response=response)
        propose(circle, member, ProposalKind.REMOVE_POST, {"post": need})
    return {
        "circle": circle,
        "need": need,
        "response": response,
        "author": author,
        "stand_in": stand_in,
        "viewers": {"member": member, "responder": responder, "staff": staff},
    }


def _pages(scene, viewer_role):
    circle, need, response = scene["circle"], scene["need"], scene["response"]
    pages = [
        reverse("circles:board", args=[circle.slug]) + "?status=",
        reverse("circles:my_board") + "?status=",
        reverse("circles:post", args=[circle.slug, need.pk]),
        reverse("circles:home", args=[circle.slug]),
        reverse("governance:proposals", args=[circle.slug]),
        reverse("notify:list"),
    ]
    if viewer_role == "responder":
        pages.append(reverse("circles:conversation", args=[circle.slug, need.pk, response.pk]))
    return pages


@pytest.mark.parametrize("viewer_role", ["member", "responder", "staff"])
def test_no_page_changes_when_the_author_is_someone_else(client, scene, viewer_role):
    client.force_login(scene["viewers"][viewer_role])
    pages = _pages(scene, viewer_role)
    # Opening a conversation marks read what told of it (the header's count): read each
    # page once first, so the comparison below sees only what the author change could do.
    for url in pages:
        client.get(url)
    first = {url: client.get(url) for url in pages}
    for url, answer in first.items():
        assert answer.status_code == 200, url
        body = answer.content.decode()
        assert "Zephyrine" not in body
        assert scene["author"].email not in body
    assert "Help with rent this month" in first[pages[2]].content.decode()

    Post.objects.filter(pk=scene["need"].pk).update(author=scene["stand_in"])
    Message.objects.filter(sender=scene["author"]).update(sender=scene["stand_in"])
    for url in pages:
        again = client.get(url).content.decode()
        assert _masked(again) == _masked(first[url].content.decode()), url


def test_the_author_alone_sees_it_is_theirs(client, scene):
    client.force_login(scene["author"])
    page = client.get(reverse("circles:post", args=[scene["circle"].slug, scene["need"].pk]))
    assert "you (others see “a member”)" in page.content.decode()


def test_no_email_or_notification_names_the_author(scene):
    author = scene["author"]
    for viewer in scene["viewers"].values():
        digest_preview_send(user=viewer)
    others = [m for m in mail.outbox if m.to != [author.email]]
    assert {tuple(m.to) for m in others} >= {(scene["viewers"]["responder"].email,)}
    for message in others:
        everything = message.subject + message.body + message.alternatives[0][0]
        everything += " ".join(message.extra_headers.values())
        assert "Zephyrine" not in everything
        assert author.email not in everything
    notices = Notification.objects.exclude(recipient=author).select_related("actor")
    assert notices
    # Not in the words, and not in the record either: nothing links them to the author.
    assert all("Zephyrine" not in n.text and n.actor_id != author.pk for n in notices)


def test_a_former_author_deleted_or_not_stays_a_member(client, scene):
    """Leaving the circle does not unmask an anonymous need either."""
    services.membership_end(circle=scene["circle"], user=scene["author"])
    client.force_login(scene["viewers"]["member"])
    page = client.get(reverse("circles:post", args=[scene["circle"].slug, scene["need"].pk]))
    assert "Zephyrine" not in page.content.decode()
    assert "a member" in page.content.decode()


def test_one_rule_names_a_posts_author():
    circle, (author, other) = make_circle(members=2)
    named = make_post(circle, author, title="Named")
    hidden = make_post(circle, author, title="Hidden", anonymous=True)
    assert post_author_name(named, viewer=other) == author.display_name
    assert post_author_name(hidden, viewer=author) == "you (others see “a member”)"
    assert post_author_name(hidden, viewer=other) == "a member"
    assert post_author_name(hidden) == "a member"
    hidden.author = None  # the author deleted their account
    named.author = None
    # A signed-out visitor's pk is None too: that must not make them the author.
    assert post_author_name(hidden, viewer=AnonymousUser()) == "a member"
    assert post_author_name(named, viewer=other) == "former member"


def test_no_template_decides_who_wrote_a_post():
    for template in Path("templates").rglob("*.html"):
        text = template.read_text()
        assert "post.anonymous" not in text, template
        assert "post.author.display_name" not in text, template
