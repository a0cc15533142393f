"""Notifications and emails name people by reference: deleting an account names that
account "a former member" and touches nothing else, whatever the names are."""

import pytest

from circles.models import JoinPolicy
from circles.services import join_request_create
from peernet.members.data_rights import account_delete
from peernet.members.models import NotificationSettings
from peernet.notify.models import Notification
from tests.factories import UserFactory, make_circle

pytestmark = pytest.mark.django_db


def test_deleting_an_account_leaves_namesakes_and_ordinary_words_alone(
    django_capture_on_commit_callbacks, mailoutbox
):
    circle, (reader,) = make_circle(
        members=1, name="Food share", join_policy=JoinPolicy.APPROVAL, language="en"
    )
    NotificationSettings.objects.create(user=reader, membership="now")
    ana_stays = UserFactory(display_name="Ana")
    ana_goes = UserFactory(display_name="Ana")
    food = UserFactory(display_name="Food")
    # The emails are recorded but not yet sent when the accounts go: queued, as in a busy
    # worker.
    with django_capture_on_commit_callbacks() as queued:
        for person in (ana_stays, ana_goes, food):
            join_request_create(circle=circle, user=person, message="")
    account_delete(user=ana_goes)
    account_delete(user=food)
    for send in queued:
        send()

    shown = sorted(n.text for n in Notification.objects.filter(recipient=reader))
    assert shown == [
        "Ana asked to join Food share.",
        "a former member asked to join Food share.",
        "a former member asked to join Food share.",
    ]
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == shown


def test_a_renamed_member_is_named_as_they_are_now(client):
    circle, (reader,) = make_circle(members=1, join_policy=JoinPolicy.APPROVAL)
    asker = UserFactory(display_name="Old name")
    join_request_create(circle=circle, user=asker, message="")
    asker.display_name = "New name"
    asker.save()
    client.force_login(reader)
    page = client.get("/me/notifications/").content.decode()
    assert f"New name asked to join {circle.name}." in page
    assert "Old name" not in page
