import pytest
from django.utils.translation import gettext_noop

from peernet.notify.models import Notification
from tests.factories import UserFactory, make_notifications
from tests.helpers import assert_query_budget

pytestmark = pytest.mark.django_db

TEXT = gettext_noop("%(name)s asked to join %(circle)s.")


def test_unread_count_in_the_navigation_and_marking_read(client, user):
    make_notifications(user, 2)
    client.force_login(user)
    page = client.get("/").content.decode()
    assert '<span class="badge">2<span class="visually-hidden"> unread</span></span>' in page
    listing = client.get("/me/notifications/").content.decode()
    assert "P0 asked to join Huerta." in listing
    one = Notification.objects.filter(recipient=user).first()
    response = client.post("/me/notifications/read/", {"id": one.pk, "next": one.url})
    assert response.status_code == 302
    assert response.url == "/circles/"
    assert Notification.objects.unread().filter(recipient=user).count() == 1
    client.post("/me/notifications/read/", {})
    assert Notification.objects.unread().filter(recipient=user).count() == 0
    assert 'class="badge"' not in client.get("/").content.decode()


def test_marking_read_never_redirects_off_site_or_touches_others(client, user):
    other = UserFactory()
    make_notifications(other)
    client.force_login(user)
    response = client.post("/me/notifications/read/", {"next": "https://evil.example/"})
    assert response.url == "/me/notifications/"
    theirs = Notification.objects.get(recipient=other)
    client.post("/me/notifications/read/", {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post("/me/notifications/read/", {"id": "abc"}).status_code == 302


def test_notifications_need_login(client):
    assert client.get("/me/notifications/").status_code == 302
    assert client.post("/me/notifications/read/").status_code == 302


def test_notification_list_query_budget(client, user):
    make_notifications(user, 2)
    client.force_login(user)
    assert_query_budget(
        lambda: client.get("/me/notifications/"),
        budget=8,
        grow_data=lambda: make_notifications(user, 200),
        label="notifications",
    )
