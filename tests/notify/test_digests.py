"""A week in a circle's life, hour by hour: who gets a digest, when, and in which language."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from circles.services import join_request_create, membership_end
from governance.services import ballot_cast
from peernet.members.models import NotificationSettings
from peernet.notify.services import digests_send
from tests.factories import UserFactory, make_circle, make_member
from tests.governance.conftest import propose

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
DIGEST_SUBJECTS = {"What's new in your circles", "Novedades en tus círculos"}


def person(circle, *, language="en", tz="UTC", **prefs):
    user = make_member(circle, UserFactory(language=language, time_zone=tz))
    NotificationSettings.objects.create(user=user, **prefs)
    return user


def test_a_week_of_digests(mailoutbox, django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY - timedelta(days=3), tick=False):
        circle, (founder,) = make_circle(members=1, name="Huerta", approvals_needed=1)
        ana = person(
            circle, language="es", tz="Europe/Madrid", digest_frequency="daily", digest_hour=8
        )
        bo = person(
            circle,
            tz="America/New_York",
            digest_frequency="weekly",
            digest_weekday=4,
            digest_hour=18,
        )
        chen = person(circle, digest_frequency="never")
        dee = person(
            circle,
            digest_frequency="daily",
            digest_hour=8,
            proposals="off",
            membership="off",
            posts="off",
        )
        eli = person(circle, digest_frequency="daily", digest_hour=9)
    people = {"ana": ana, "bo": bo, "chen": chen, "dee": dee, "eli": eli}

    def events(at):
        if at == MONDAY + timedelta(hours=10):
            events.proposal = propose(circle, chen, title="Plant garlic together")
        if at == MONDAY + timedelta(days=1, hours=12):
            membership_end(circle=circle, user=eli)
        if at == MONDAY + timedelta(days=2, hours=12):
            join_request_create(circle=circle, user=UserFactory(display_name="Río"), message="")
        if at == MONDAY + timedelta(days=3, hours=10):
            for voter in [founder, ana, bo, chen, dee]:
                ballot_cast(proposal=events.proposal, voter=voter, choice="yes")

    received = {name: [] for name in people}
    for hour in range(7 * 24):
        at = MONDAY + timedelta(hours=hour)
        before = len(mailoutbox)
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            events(at)
            digests_send()
            digests_send()  # a duplicated beat run sends nothing more
        for message in mailoutbox[before:]:
            if message.subject not in DIGEST_SUBJECTS:
                continue  # emails sent right away (Río's request) are not digests
            name = next(n for n, u in people.items() if u.email == message.to[0])
            received[name].append((at, message))

    def when(name):
        return [at for at, _ in received[name]]

    # Ana: daily at 08:00 Madrid (07:00 UTC), in Spanish, only on days with news.
    assert when("ana") == [
        MONDAY + timedelta(days=1, hours=7),  # the proposal opened on Monday
        MONDAY + timedelta(days=3, hours=7),  # Río's request on Wednesday
        MONDAY + timedelta(days=4, hours=7),  # the decision on Thursday
    ]
    first = received["ana"][0][1]
    assert first.subject == "Novedades en tus círculos"
    assert "Propuestas abiertas" in first.body
    assert "Plant garlic together" in first.body
    assert "Río" in received["ana"][1][1].body
    assert "Decisiones tomadas" in received["ana"][2][1].body
    assert "aprobada" in received["ana"][2][1].alternatives[0][0]

    # Bo: weekly on Friday at 18:00 New York (23:00 UTC), everything of the week at once.
    assert when("bo") == [MONDAY + timedelta(days=4, hours=23)]
    weekly = received["bo"][0][1]
    for news in ["Plant garlic together", "Río", "Decisions made", "Proposals opened"]:
        assert news in weekly.body

    assert when("chen") == []  # never
    assert when("dee") == []  # every section turned off: nothing to send, so nothing sent
    # Eli left on Tuesday: Tuesday's digest, then nothing from a circle Eli is no longer in.
    assert when("eli") == [MONDAY + timedelta(days=1, hours=9)]


def test_a_digest_unsubscribe_link_turns_digests_off(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(MONDAY, tick=False):
        circle, (founder,) = make_circle(members=1)
        reader = person(circle, digest_frequency="daily", digest_hour=9)
        propose(circle, founder, title="Paint the shed")
    with time_machine.travel(MONDAY + timedelta(hours=9), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            digests_send()
        (digest,) = mailoutbox
        link = digest.extra_headers["List-Unsubscribe"].strip("<>")
        path = link.split("://", 1)[1].split("/", 1)[1]
        assert client.post("/" + path).status_code == 200
        propose(circle, founder, title="Paint the door")
    with (
        time_machine.travel(MONDAY + timedelta(days=1, hours=9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        digests_send()
    assert len(mailoutbox) == 1
    assert NotificationSettings.objects.get(user=reader).digest_frequency == "never"


def test_send_digest_command_previews_a_members_digest(
    mailoutbox, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    circle, (founder,) = make_circle(members=1)
    reader = person(circle, language="es", digest_frequency="never")
    propose(circle, founder, title="Fix the bike")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digest", reader.email)
    (digest,) = [m for m in mailoutbox if m.to == [reader.email]]
    assert digest.subject == "Novedades en tus círculos"
    assert "Fix the bike" in digest.body
    with pytest.raises(Exception, match="No member"):
        call_command("send_digest", "nobody@example.org")
