"""Sharing a post with a network: only its author, only with a network their circle is in,
only while it runs; who hears of a shared need, and the digest's section."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from circles.models import PostStatus
from governance.networks.digest import shared_posts
from governance.networks.models import SharedPost
from governance.networks.services.sharing import post_share, post_unshare
from peernet.errors import DomainError
from peernet.members.services import block_create
from peernet.notify.models import Kind, Notification
from peernet.notify.registry import digest_sections
from tests.factories import make_member, make_post
from tests.networks.sharing_setup import World, circle, helper_in, joined_network, leave

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def _matched(post):
    return Notification.objects.filter(kind=Kind.SHARED_POST_MATCHED, url=f"/shared/{post.pk}/")


def _text(notice) -> str:
    return notice.text


# --- Who may share what ---------------------------------------------------------------------


def test_a_post_is_not_shared_until_its_author_chooses(world):
    make_post(world.home, world.author)
    assert not SharedPost.objects.exists()


def test_the_author_shares_once_whatever_the_repeats(world):
    post = make_post(world.home, world.author)
    first = post_share(post=post, author=world.author, network=world.network)
    again = post_share(post=post, author=world.author, network=world.network)
    assert first.pk == again.pk
    assert SharedPost.objects.filter(post=post, network=world.network).count() == 1


def test_only_the_author_shares(world):
    post = make_post(world.home, world.author)
    with pytest.raises(DomainError, match="Only the person who posted this can share it"):
        post_share(post=post, author=world.neighbour, network=world.network)
    assert not SharedPost.objects.exists()


def test_a_circle_not_in_the_network_cannot_share_with_it(world):
    post = make_post(world.outside, world.outsider)
    with pytest.raises(DomainError, match="Your circle is not in that network"):
        post_share(post=post, author=world.outsider, network=world.network)


def test_a_circle_that_left_cannot_share_any_more(world):
    post = make_post(world.home, world.author)
    leave(world.network, world.home)
    with pytest.raises(DomainError, match="Your circle is not in that network"):
        post_share(post=post, author=world.author, network=world.network)


@pytest.mark.parametrize("status", [PostStatus.FULFILLED, PostStatus.WITHDRAWN, PostStatus.EXPIRED])
def test_only_a_running_post_is_shared(world, status):
    post = make_post(world.home, world.author)
    post.status = status
    post.save()
    with pytest.raises(DomainError, match="so it can't be shared"):
        post_share(post=post, author=world.author, network=world.network)


def test_a_post_in_progress_can_be_shared(world):
    post = make_post(world.home, world.author)
    post.status = PostStatus.IN_PROGRESS
    post.save()
    post_share(post=post, author=world.author, network=world.network)
    assert SharedPost.objects.filter(post=post).exists()


def test_stopping_takes_it_off_and_only_the_author_may(world):
    post = make_post(world.home, world.author)
    post_share(post=post, author=world.author, network=world.network)
    with pytest.raises(DomainError):
        post_unshare(post=post, author=world.neighbour, network=world.network)
    post_unshare(post=post, author=world.author, network=world.network)
    assert not SharedPost.objects.exists()


# --- Who hears of a shared need -------------------------------------------------------------


def test_matching_helpers_of_the_other_circles_hear_once(world):
    post = make_post(world.home, world.author, category="transport")
    other_helper = helper_in(world.other, "transport", "food")
    helper_in(world.other, "food")  # another category
    post_share(post=post, author=world.author, network=world.network)
    post_unshare(post=post, author=world.author, network=world.network)
    post_share(post=post, author=world.author, network=world.network)
    notices = _matched(post)
    # Not the neighbour (told in their own circle), not the outsider (not in the network).
    assert {n.recipient_id for n in notices} == {world.helper.pk, other_helper.pk}
    assert all(n.circle_id is None and n.actor_id is None for n in notices)


def test_a_second_network_tells_again(world):
    post = make_post(world.home, world.author, category="transport")
    second = joined_network([world.home, world.hidden], name="Second")
    post_share(post=post, author=world.author, network=world.network)
    post_share(post=post, author=world.author, network=second)
    assert _matched(post).filter(recipient=world.helper).count() == 2


def test_nobody_in_a_block_with_the_author_hears(world):
    post = make_post(world.home, world.author, category="transport")
    block_create(blocker=world.helper, blocked=world.author)
    post_share(post=post, author=world.author, network=world.network)
    assert not _matched(post).exists()


def test_a_shared_offer_tells_nobody(world):
    post = make_post(world.home, world.author, kind="offer", category="transport")
    post_share(post=post, author=world.author, network=world.network)
    assert not _matched(post).exists()


def test_the_notice_names_the_circle_never_the_author(world):
    post = make_post(world.home, world.author, category="transport")
    post_share(post=post, author=world.author, network=world.network)
    text = _text(_matched(post).get())
    assert "Huerta" in text and world.network.name in text
    assert "Ana" not in text


def test_a_private_circle_stays_unnamed_in_the_notice(world):
    person = make_member(world.hidden)
    post = make_post(world.hidden, person, category="transport", anonymous=True)
    other_helper = helper_in(world.other, "transport")
    post_share(post=post, author=person, network=world.network)
    notice = _matched(post).get(recipient=other_helper)
    text = _text(notice)
    assert "a private circle" in text
    assert "Secret garden" not in text and person.display_name not in text
    assert "Secret garden" not in str(notice.params)


def test_a_private_circle_that_shows_its_name_is_named(world):
    network = joined_network([world.hidden, world.other], show_names=[world.hidden])
    person = make_member(world.hidden)
    post = make_post(world.hidden, person, category="transport")
    other_helper = helper_in(world.other, "transport")
    post_share(post=post, author=person, network=network)
    assert "Secret garden" in _text(_matched(post).get(recipient=other_helper))


# --- The post's page ------------------------------------------------------------------------


def _post_url(post):
    return reverse("circles:post", args=[post.circle.slug, post.pk])


def _share_url(post):
    return reverse("networks:share", args=[post.circle.slug, post.pk])


def test_the_author_sees_where_to_share_and_others_do_not(client, world):
    post = make_post(world.home, world.author)
    client.force_login(world.author)
    page = client.get(_post_url(post)).content.decode()
    assert "Share with Valley network" in page
    client.force_login(world.neighbour)
    assert "Share with Valley network" not in client.get(_post_url(post)).content.decode()


def test_the_author_of_an_anonymous_need_is_told_it_stays_so(client, world):
    post = make_post(world.home, world.author, anonymous=True)
    client.force_login(world.author)
    assert "It stays anonymous there" in client.get(_post_url(post)).content.decode()


def test_no_share_section_for_a_circle_in_no_network(client, world):
    post = make_post(world.outside, world.outsider)
    client.force_login(world.outsider)
    assert "share-heading" not in client.get(_post_url(post)).content.decode()


def test_sharing_from_the_post_page(client, world):
    post = make_post(world.home, world.author)
    client.force_login(world.author)
    response = client.post(
        _share_url(post), {"network": world.network.pk, "action": "share"}, follow=True
    )
    assert "Shared with Valley network" in response.content.decode()
    assert "Stop sharing" in response.content.decode()
    assert SharedPost.objects.filter(post=post).exists()
    response = client.post(
        _share_url(post), {"network": world.network.pk, "action": "stop"}, follow=True
    )
    assert "No longer shared with Valley network." in response.content.decode()
    assert not SharedPost.objects.exists()


def test_refusals_come_back_as_messages(client, world):
    post = make_post(world.home, world.author)
    elsewhere = joined_network([world.outside])  # public: visible, but not Huerta's
    client.force_login(world.neighbour)
    response = client.post(
        _share_url(post), {"network": world.network.pk, "action": "share"}, follow=True
    )
    assert "Only the person who posted this can share it." in response.content.decode()
    client.force_login(world.author)
    response = client.post(
        _share_url(post), {"network": elsewhere.pk, "action": "share"}, follow=True
    )
    assert "Your circle is not in that network." in response.content.decode()
    response = client.post(_share_url(post), {"network": "x", "action": "share"}, follow=True)
    assert "Choose a network." in response.content.decode()
    assert not SharedPost.objects.exists()


def test_a_network_the_author_cannot_see_is_a_404(client, world):
    post = make_post(world.home, world.author)
    private = joined_network([world.outside], visibility="private")
    client.force_login(world.author)
    for pk in (private.pk, 999_999):
        response = client.post(_share_url(post), {"network": pk, "action": "share"})
        assert response.status_code == 404


# --- The digest -----------------------------------------------------------------------------


def test_the_digest_section_is_registered():
    assert "Shared in your networks" in [str(s.title) for s in digest_sections()]


def test_the_digest_lists_posts_other_circles_shared(world):
    since = timezone.now() - timedelta(hours=1)
    post = make_post(world.home, world.author, category="transport", anonymous=True)
    post_share(post=post, author=world.author, network=world.network)
    closed = make_post(world.home, world.author, title="Done already")
    post_share(post=closed, author=world.author, network=world.network)
    closed.status = PostStatus.FULFILLED
    closed.save()
    # A second network with the same two circles: still once.
    post_share(post=post, author=world.author, network=joined_network([world.home, world.hidden]))
    ids = [world.home.pk, world.hidden.pk, world.outside.pk]
    news = shared_posts(ids, since)
    assert set(news) == {world.hidden.pk}  # not its own circle, not outside the network
    [(_when, item)] = news[world.hidden.pk]
    assert item["url"] == f"/shared/{post.pk}/" and item["text"] == post.title
    assert item["by"] == world.author.pk  # for block filtering only; never shown
    assert "Ana" not in str({k: v for k, v in item.items() if k != "by"})
    assert shared_posts(ids, timezone.now()) == {}


def test_the_digest_leaves_out_a_circle_that_left(world):
    since = timezone.now() - timedelta(hours=1)
    post = make_post(world.home, world.author)
    post_share(post=post, author=world.author, network=world.network)
    leave(world.network, world.home)
    assert shared_posts([world.hidden.pk], since) == {}


def test_a_plain_circle_has_no_network_news():
    assert shared_posts([circle().pk], timezone.now() - timedelta(days=1)) == {}
