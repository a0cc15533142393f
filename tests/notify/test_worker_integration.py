"""A real Celery worker on the real Redis and PostgreSQL, delivering to a real SMTP server.

The worker is the command docker-compose runs. The test plays beat by sending the periodic
tasks by name, as beat does.
"""

import email
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from email.policy import default as default_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone

from peernet.celery import app
from peernet.members.models import NotificationSettings
from peernet.notify.constants import CLAIM_LEASE
from peernet.notify.models import EmailDelivery
from tests.factories import UserFactory, make_circle, make_member
from tests.governance.conftest import propose
from tests.helpers import free_port, production_like_env

pytestmark = pytest.mark.django_db(transaction=True)

WAIT_SECONDS = 60
SMTP_DELAY_SECONDS = 0.1
DIGEST_READERS = 30
WORKER_CONCURRENCY = 2


class Inbox:
    """An SMTP handler that keeps every message, a little slowly, like a real server."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        time.sleep(SMTP_DELAY_SECONDS)
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"

    def to(self, address: str) -> list:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def start_worker(smtp_port: int, log: Path) -> subprocess.Popen:
    env = production_like_env(
        DATABASE_URL=_database_url(),
        REDIS_URL=os.environ["REDIS_URL"],
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="false",
        DEBUG="true",
        CELERY_TASK_ALWAYS_EAGER="false",
        SITE_URL="https://peernet.test",
    )
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "peernet",
        "worker",
        "--concurrency",
        "2",
        "--loglevel",
        "INFO",
    ]
    return subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def stop(worker: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(timeout=30)


def wait_until(check, what: str, log: Path):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}:\n{log.read_text()[-4000:]}")


@pytest.fixture
def real_celery():
    app.conf.task_always_eager = False
    app.control.purge()
    yield
    app.control.purge()
    app.conf.task_always_eager = True


def digest_hour_is_now() -> None:
    """Readers' digest hour is the current UTC hour, set just before beat would fire."""
    NotificationSettings.objects.update(digest_hour=timezone.now().hour)


def readers_with_news(count: int, hour_utc: int):
    circle, (founder,) = make_circle(members=1, name="Huerta")
    people = []
    for _ in range(count):
        user = make_member(circle, UserFactory())
        NotificationSettings.objects.create(
            user=user, digest_frequency="daily", digest_hour=hour_utc
        )
        people.append(user)
    propose(circle, founder, title="Share seeds in spring")
    return people


def test_worker_delivers_digests_over_smtp_with_one_click_unsubscribe(
    smtp, real_celery, tmp_path, client
):
    inbox, port = smtp
    hour = timezone.now().hour
    readers = readers_with_news(3, hour)
    worker = start_worker(port, tmp_path / "worker.log")
    try:
        wait_until(lambda: app.control.ping(timeout=1), "the worker", tmp_path / "worker.log")
        digest_hour_is_now()
        app.send_task("peernet.notify.tasks.send_digests")
        app.send_task("peernet.notify.tasks.send_digests")  # beat firing twice
        wait_until(
            lambda: all(inbox.to(r.email) for r in readers), "digests", tmp_path / "worker.log"
        )
        time.sleep(1)  # anything duplicated would have arrived by now
    finally:
        stop(worker)
    for reader in readers:
        (message,) = inbox.to(reader.email)
        assert message["Subject"] == "What's new in your circles"
        assert message.is_multipart()
        types = {part.get_content_type() for part in message.iter_parts()}
        assert types == {"text/plain", "text/html"}
        assert "Share seeds in spring" in message.get_body(("plain",)).get_content()
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = message["List-Unsubscribe"].strip("<>")
        assert unsubscribe.startswith("https://peernet.test/me/unsubscribe/")
    # One click, as a mail client does it: POST, no session, no CSRF token.
    client.handler.enforce_csrf_checks = True
    path = unsubscribe.removeprefix("https://peernet.test")
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    prefs = NotificationSettings.objects.get(user=readers[-1])
    assert prefs.digest_frequency == "never"


def test_a_worker_killed_mid_digest_run_ends_with_each_digest_sent_once(
    smtp, real_celery, tmp_path
):
    inbox, port = smtp
    hour = timezone.now().hour
    readers = readers_with_news(DIGEST_READERS, hour)
    first = start_worker(port, tmp_path / "first.log")
    try:
        wait_until(lambda: app.control.ping(timeout=1), "the first worker", tmp_path / "first.log")
        digest_hour_is_now()
        app.send_task("peernet.notify.tasks.send_digests")
        wait_until(lambda: inbox.messages, "the first digest", tmp_path / "first.log")
    finally:
        stop(first, signal.SIGKILL)  # mid-run: some digests sent, some not
    sent_before_kill = len(inbox.messages)
    assert sent_before_kill < DIGEST_READERS, "the kill came too late to test anything"

    # Later (past the claim lease), beat runs again and a new worker picks up the rest.
    earlier = datetime.now(UTC) - CLAIM_LEASE - timedelta(minutes=1)
    EmailDelivery.objects.update(created_at=earlier)
    EmailDelivery.objects.filter(claimed_at__isnull=False).update(claimed_at=earlier)
    second = start_worker(port, tmp_path / "second.log")
    try:
        wait_until(
            lambda: app.control.ping(timeout=1), "the second worker", tmp_path / "second.log"
        )
        app.send_task("peernet.notify.tasks.send_digests")
        app.send_task("peernet.notify.tasks.send_pending_emails")
        wait_until(
            lambda: all(inbox.to(r.email) for r in readers), "every digest", tmp_path / "second.log"
        )
        app.send_task("peernet.notify.tasks.send_pending_emails")
        time.sleep(2)
    finally:
        stop(second)
    copies = 0
    for reader in readers:
        received = inbox.to(reader.email)
        # Each member's digest is one message: the same Message-ID however many copies.
        assert len({m["Message-ID"] for m in received}) == 1, reader.email
        copies += len(received)
    # A second copy exists only for a message that was mid-conversation when the worker
    # died (SMTP cannot tell if it got through): at most one per worker process.
    assert copies - len(readers) <= WORKER_CONCURRENCY
    assert EmailDelivery.objects.filter(sent_at__isnull=True).count() == 0
