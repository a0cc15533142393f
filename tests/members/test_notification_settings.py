"""Notification preferences and signed one-click unsubscribe links."""

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from peernet.members.models import NotificationSettings
from peernet.members.selectors import notification_settings_for
from peernet.members.unsubscribe import (
    LINK_MAX_AGE_SECONDS,
    unsubscribe_from_token,
    unsubscribe_token,
)

pytestmark = pytest.mark.django_db

URL = "/me/notifications/settings/"


def settings_form(**overrides):
    data = {
        "posts": "digest",
        "responses": "now",
        "proposals": "digest",
        "vote_reminders": "now",
        "membership": "now",
        "care": "now",
        "digest_frequency": "weekly",
        "digest_weekday": "4",
        "digest_hour": "19",
        "time_zone": "America/Mexico_City",
    }
    return {**data, **overrides}


def test_defaults_are_gentle(user):
    prefs = notification_settings_for(user=user)
    assert (prefs.responses, prefs.posts, prefs.digest_frequency) == ("now", "digest", "weekly")


def test_member_saves_preferences_and_time_zone(client, user):
    client.force_login(user)
    assert client.get(URL).status_code == 200
    response = client.post(URL, settings_form(proposals="off"))
    assert response.status_code == 302
    prefs = NotificationSettings.objects.get(user=user)
    assert (prefs.proposals, prefs.digest_weekday, prefs.digest_hour) == ("off", 4, 19)
    user.refresh_from_db()
    assert user.time_zone == "America/Mexico_City"


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("time_zone", "Mars/Olympus_Mons", "Select a valid choice."),
        ("digest_hour", "24", "Select a valid choice."),
        ("digest_hour", "-1", "Select a valid choice."),
        ("posts", "sometimes", "Select a valid choice."),
    ],
)
def test_bad_preferences_get_a_message_and_change_nothing(client, user, field, value, error):
    client.force_login(user)
    response = client.post(URL, settings_form(**{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    # What was typed is kept: the weekday chosen is still selected.
    assert '<option value="4" selected>Friday</option>' in html
    assert not NotificationSettings.objects.filter(user=user, digest_hour=19).exists()
    user.refresh_from_db()
    assert user.time_zone == "UTC"


def test_settings_need_login(client):
    assert client.get(URL).status_code == 302


class TestUnsubscribe:
    def test_a_get_asks_and_a_post_turns_that_topic_off(self, client, user):
        token = unsubscribe_token(user=user, topic="proposals")
        url = f"/me/unsubscribe/{token}/"
        page = client.get(url)
        assert page.status_code == 200
        assert "Proposals opened and decisions made" in page.content.decode()
        assert notification_settings_for(user=user).proposals != "off"
        # Mail clients POST List-Unsubscribe=One-Click with no session and no CSRF token.
        client.handler.enforce_csrf_checks = True
        done = client.post(url, {"List-Unsubscribe": "One-Click"})
        assert done.status_code == 200
        prefs = notification_settings_for(user=user)
        assert prefs.proposals == "off"
        assert prefs.responses == "now"

    def test_all_turns_everything_off_including_digests(self, client, user):
        client.post(f"/me/unsubscribe/{unsubscribe_token(user=user, topic=None)}/")
        prefs = notification_settings_for(user=user)
        assert {prefs.posts, prefs.responses, prefs.proposals, prefs.vote_reminders} == {"off"}
        assert prefs.digest_frequency == "never"

    def test_tampered_and_expired_links_change_nothing(self, client, user):
        token = unsubscribe_token(user=user, topic="posts")
        forged = signing.dumps({"u": user.pk, "t": "posts"}, salt="another")
        for bad in [token[:-3] + "abc", forged, "nonsense"]:
            response = client.post(f"/me/unsubscribe/{bad}/")
            assert response.status_code == 400
            assert "This unsubscribe link does not work" in response.content.decode()
        later = timezone.now() + timezone.timedelta(seconds=LINK_MAX_AGE_SECONDS + 60)
        with time_machine.travel(later):
            assert client.post(f"/me/unsubscribe/{token}/").status_code == 400
        assert notification_settings_for(user=user).posts == "digest"

    def test_a_link_for_an_unknown_topic_or_person_is_refused(self, user):
        assert unsubscribe_from_token(signing.dumps({"u": user.pk, "t": "x"}, salt="x")) is None
        assert unsubscribe_from_token(unsubscribe_token(user=user, topic="posts")).topic == "posts"
