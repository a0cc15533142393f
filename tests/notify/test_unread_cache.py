"""The unread count in the navigation is cached per member and forgotten by every change to
that member's unread notifications, so the badge is never behind."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_noop

from circles import services as circles_services
from peernet.notify.models import Notification
from peernet.notify.selectors import UNREAD_COUNT_KEY, notices_version_key, unread_count
from peernet.notify.services import notifications_mark_read
from tests.factories import UserFactory, make_circle, make_notifications, make_post
from tests.helpers import captured

pytestmark = pytest.mark.django_db

TEXT = gettext_noop("%(name)s asked to join %(circle)s.")
UNREAD_COUNT_SQL = 'FROM "notify_notification"'


def badge(count: int) -> str:
    return f'<span class="badge">{count}<span class="visually-hidden"> unread</span></span>'


def nav(client) -> str:
    """The landing page, whose navigation shows the unread count."""
    return client.get("/").content.decode()


def test_the_second_page_view_reads_the_count_from_the_cache(client, user):
    make_notifications(user, 2)
    client.force_login(user)
    first, response = captured(lambda: client.get("/"))
    assert badge(2) in response.content.decode()
    second, response = captured(lambda: client.get("/"))
    assert badge(2) in response.content.decode()
    assert len(second) == len(first) - 1
    assert any(UNREAD_COUNT_SQL in sql for sql in first)
    assert not any(UNREAD_COUNT_SQL in sql for sql in second)


def test_each_member_has_their_own_count(client, user):
    other = UserFactory()
    make_notifications(user, 2)
    make_notifications(other, 1)
    client.force_login(user)
    assert badge(2) in nav(client)
    client.force_login(other)
    assert badge(1) in nav(client)
    assert unread_count(user=user) == 2


def test_a_new_notification_shows_at_once(client, user):
    client.force_login(user)
    assert 'class="badge"' not in nav(client)
    make_notifications(user)
    assert badge(1) in nav(client)
    make_notifications(user)
    assert badge(2) in nav(client)


def test_a_once_only_notice_repeated_changes_nothing(client, user):
    client.force_login(user)
    make_notifications(user, once_key="reminder")
    assert badge(1) in nav(client)
    make_notifications(user, once_key="reminder")
    assert badge(1) in nav(client)
    assert Notification.objects.filter(recipient=user).count() == 1


def test_a_notice_to_someone_else_leaves_my_count_alone(client, user):
    make_notifications(user)
    client.force_login(user)
    assert badge(1) in nav(client)
    make_notifications(UserFactory())
    assert badge(1) in nav(client)


def test_marking_one_read_shows_at_once(client, user):
    make_notifications(user, 2)
    client.force_login(user)
    assert badge(2) in nav(client)
    one = Notification.objects.filter(recipient=user).first()
    client.post(reverse("notify:read"), {"id": one.pk})
    assert badge(1) in nav(client)


def test_marking_all_read_shows_at_once(client, user):
    make_notifications(user, 3)
    client.force_login(user)
    assert badge(3) in nav(client)
    client.post(reverse("notify:read"), {})
    assert 'class="badge"' not in nav(client)


def test_marking_read_what_is_already_read_keeps_the_cached_count(client, user):
    make_notifications(user)
    client.force_login(user)
    notifications_mark_read(user=user)
    assert 'class="badge"' not in nav(client)
    assert notifications_mark_read(user=user) == 0
    cached, _response = captured(lambda: client.get("/"))
    assert not any(UNREAD_COUNT_SQL in sql for sql in cached)


def test_opening_a_conversation_clears_its_notice_at_once(client):
    circle, (author, responder) = make_circle(members=2)
    post = make_post(circle, author)
    client.force_login(author)
    assert 'class="badge"' not in nav(client)
    response = circles_services.response_create(post=post, responder=responder, text="I can.")
    assert badge(1) in nav(client)
    assert client.get(response.get_absolute_url()).status_code == 200
    assert 'class="badge"' not in nav(client)


def test_the_count_is_forgotten_again_when_the_writer_commits(
    user, django_capture_on_commit_callbacks
):
    """A page read between the write and its commit caches the old count; the commit
    replaces the version it was kept under."""
    assert unread_count(user=user) == 0
    with django_capture_on_commit_callbacks(execute=True):
        make_notifications(user)
        # What a page in another transaction counted before the commit, kept under the
        # version current then.
        token = cache.get(notices_version_key(user.pk))
        cache.set(UNREAD_COUNT_KEY.format(user=user.pk), ([token], 0))
        assert unread_count(user=user) == 0
    assert unread_count(user=user) == 1
