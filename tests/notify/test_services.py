"""Notifications, email deliveries, vote reminders: recorded once, sent once, in the right
language, only as each member asked."""

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from governance.services import ballot_cast, vote_reminders_send
from peernet.members.models import NotificationSettings
from peernet.notify.emails import delivery_send, email_send
from peernet.notify.models import EmailDelivery, Kind, Notification
from peernet.notify.services import emails_send_pending, notify
from tests.factories import UserFactory, make_circle
from tests.governance.conftest import propose

pytestmark = pytest.mark.django_db

TEXT = gettext_noop("%(name)s asked to join %(circle)s.")


def send_all(callbacks):
    """Run what was queued on commit (the eager Celery tasks that send)."""
    for callback in callbacks:
        callback()


def test_notify_records_in_app_in_each_language_and_emails_by_preference(
    mailoutbox, django_capture_on_commit_callbacks
):
    spanish = UserFactory(language="es")
    quiet = UserFactory()
    NotificationSettings.objects.create(user=quiet, membership="off")
    with django_capture_on_commit_callbacks(execute=True):
        made = notify(
            recipients=[spanish, quiet],
            kind=Kind.JOIN_REQUEST,
            message=TEXT,
            params={"circle": "Huerta"},
            actor=UserFactory(display_name="Río"),
            url="/c/huerta/requests/",
        )
    assert len(made) == 2
    # Each member reads it in their own language, whatever language it was made in.
    with translation.override("es"):
        assert Notification.objects.get(recipient=spanish).text == "Río pidió unirse a Huerta."
    assert Notification.objects.get(recipient=quiet).text == "Río asked to join Huerta."
    assert [m.to for m in mailoutbox] == [[spanish.email]]
    message = mailoutbox[0]
    assert message.subject == "Río pidió unirse a Huerta."
    assert message.alternatives[0][1] == "text/html"
    assert "/c/huerta/requests/" in message.body
    assert "Dejar de recibir correos como este" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/me/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_once_only_notices_are_recorded_once(mailoutbox, django_capture_on_commit_callbacks):
    person = UserFactory()
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            notify(
                recipients=[person],
                kind=Kind.VOTE_REMINDER,
                message=TEXT,
                params={"circle": "y"},
                once_key="reminder:1",
            )
    assert Notification.objects.filter(recipient=person).count() == 1
    assert len(mailoutbox) == 1


def test_a_delivery_is_sent_once_however_often_its_task_runs(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        delivery = email_send(
            to="friend@example.org",
            template="invite",
            context={
                "inviter": "Ana",
                "circle_name": "Huerta",
                "invite_path": "/invite/x/",
                "expires_at": "2026-12-01",
            },
            language="en",
            key="invite:1",
        )
        again = email_send(
            to="friend@example.org", template="invite", context={}, language="en", key="invite:1"
        )
    assert again is None
    send_all(queued)
    send_all(queued)
    assert delivery_send(delivery_id=delivery.pk) is False
    assert len(mailoutbox) == 1
    # Transactional email to an address, not a member: no unsubscribe headers.
    assert "List-Unsubscribe" not in mailoutbox[0].extra_headers
    assert mailoutbox[0].extra_headers["Message-ID"].endswith("@peernet>")


def test_smtp_errors_leave_the_email_unsent_for_a_retry(settings, mailoutbox):
    delivery = EmailDelivery.objects.create(
        key="k1",
        to="a@example.org",
        template="notification",
        context={"text": "Hello", "url": ""},
        language="en",
    )
    settings.MAILERS = {"default": {"BACKEND": "tests.notify.failing_backend.RefusingSMTP"}}
    with pytest.raises(OSError):
        delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.sent_at is None
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert delivery_send(delivery_id=delivery.pk) is True
    assert len(mailoutbox) == 1


def test_the_retry_task_is_configured_with_backoff():
    from peernet.notify.tasks import deliver_email

    assert OSError in deliver_email.autoretry_for
    assert deliver_email.retry_backoff is True
    assert deliver_email.max_retries >= 5


def test_pending_emails_are_picked_up_after_a_lost_task(
    mailoutbox, django_capture_on_commit_callbacks
):
    old = timezone.now() - timezone.timedelta(minutes=10)
    delivery = EmailDelivery.objects.create(
        key="lost",
        to="a@example.org",
        template="notification",
        context={"text": "Hello", "url": ""},
        language="en",
        created_at=old,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert emails_send_pending() == 1
    delivery.refresh_from_db()
    assert delivery.sent_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert emails_send_pending() == 0
    assert len(mailoutbox) == 1


class TestVoteReminders:
    def test_once_24_hours_before_close_to_those_who_have_not_voted(
        self, mailoutbox, django_capture_on_commit_callbacks
    ):
        circle, (ana, bo, chen) = make_circle(members=3)
        with django_capture_on_commit_callbacks(execute=True):
            proposal = propose(circle, ana)
            ballot_cast(proposal=proposal, voter=ana, choice="yes")
        mailoutbox.clear()
        early = proposal.closes_at - timezone.timedelta(hours=30)
        with time_machine.travel(early), django_capture_on_commit_callbacks(execute=True):
            assert vote_reminders_send() == 0
        window = proposal.closes_at - timezone.timedelta(hours=23)
        with time_machine.travel(window), django_capture_on_commit_callbacks(execute=True):
            assert vote_reminders_send() == 2
            assert vote_reminders_send() == 0
        assert sorted(m.to[0] for m in mailoutbox) == sorted([bo.email, chen.email])
        assert "closes within a day" in mailoutbox[0].subject
        reminded = Notification.objects.filter(kind=Kind.VOTE_REMINDER)
        assert set(reminded.values_list("recipient", flat=True)) == {bo.pk, chen.pk}
