"""The member a report concerns never learns who reported: every page, notification, email
and export they can reach renders the same whoever the reporter was (checked like anonymous
needs: swap the reporter, compare). And only the reporter and the rota see a report."""

import re

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse

from circles.services import membership_end
from governance.safety.services import report_handle, report_message_send
from governance.services import comment_add
from peernet.notify.models import EmailDelivery, Notification
from tests.factories import make_report
from tests.governance.conftest import propose

pytestmark = pytest.mark.django_db

# What differs between two renders of the same page for reasons other than its content.
NOISE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), "csrf"),
    (re.compile(r'"X-CSRFToken": "[^"]+"'), "csrf"),
    (re.compile(r'nonce="[^"]+"'), "nonce"),
    (re.compile(r'"inlineScriptNonce": "[^"]+"'), "nonce"),
    (re.compile(r'"exported_at": "[^"]+"'), "exported"),
    (re.compile(r'name="submission" value="[^"]+"'), "one-time key"),
]


def _normal(text: str) -> str:
    for pattern, placeholder in NOISE:
        text = pattern.sub(placeholder, text)
    return text


def _what_the_reported_member_can_reach(scene, comment) -> dict[str, str]:
    slug = scene.circle.slug
    urls = [
        reverse("circles:home", args=[slug]),
        reverse("circles:board", args=[slug]),
        reverse("circles:post", args=[slug, scene.post.pk]),
        reverse("circles:members", args=[slug]),
        reverse("circles:crisis_plan", args=[slug]),
        reverse("safety:care", args=[slug]),
        reverse("governance:proposal", args=[slug, comment.proposal_id]),
        reverse("governance:record_json", args=[slug]),
        reverse("notify:list"),
        reverse("members:account"),
        reverse("members:data_export"),
    ]
    client = Client()  # a session of its own: the caller's transaction is rolled back
    client.force_login(scene.reported)
    pages = {}
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 200, url
        pages[url] = _normal(answer.content.decode())
    mine = Notification.objects.filter(recipient=scene.reported)
    pages["notifications"] = repr([(n.kind, n.text) for n in mine.order_by("pk")])
    emails = EmailDelivery.objects.filter(recipient=scene.reported).order_by("pk")
    pages["emails"] = repr([(e.template, e.context) for e in emails])
    return pages


def _after_reports_by(scene, reporter, comment) -> dict[str, str]:
    """Everything the reported member can reach after `reporter` reported them three ways
    and the rota answered; then it is all undone for the next reporter."""
    with transaction.atomic():
        reports = [
            make_report(scene.circle, reporter, "post", scene.post.pk, reason="spam"),
            make_report(scene.circle, reporter, "member", scene.reported.pk, reason="danger"),
            make_report(scene.circle, reporter, "comment", comment.pk, reason="harassment"),
        ]
        report_message_send(report=reports[0], sender=scene.rota[0], text="Looking into it")
        report_handle(report=reports[1], member=scene.rota[1], note="Talked with both")
        pages = _what_the_reported_member_can_reach(scene, comment)
        transaction.set_rollback(True)
    return pages


@time_machine.travel("2026-11-28 12:00", tick=False)
def test_the_reported_member_sees_the_same_whoever_reported(scene):
    proposal = propose(scene.circle, scene.rota[2], title="Quiet hours")
    comment = comment_add(proposal=proposal, author=scene.reported, text="No way.")
    by_one = _after_reports_by(scene, scene.reporter, comment)
    by_other = _after_reports_by(scene, scene.bystander, comment)
    assert by_one.keys() == by_other.keys()
    for place in by_one:
        assert by_one[place] == by_other[place], place
    # The comparison sees the reports: the care page counts them (never who made them).
    care = by_one[reverse("safety:care", args=[scene.circle.slug])]
    assert re.search(r"Spam or scam</th><td>1</td>", care)


def test_only_the_reporter_and_the_rota_open_a_report(client, scene, staff):
    report = make_report(scene.circle, scene.reporter, "post", scene.post.pk)
    url = reverse("safety:report_detail", args=[scene.circle.slug, report.pk])
    write = reverse("safety:report_write", args=[scene.circle.slug, report.pk])
    handled = reverse("safety:report_handled", args=[scene.circle.slug, report.pk])
    former = scene.rota[2]
    membership_end(circle=scene.circle, user=former)
    expected = {
        scene.reporter: 200,
        scene.rota[0]: 200,
        scene.rota[1]: 200,
        scene.reported: 404,
        scene.bystander: 404,
        scene.outsider: 404,
        former: 404,
        staff: 404,
    }
    for person, status in expected.items():
        client.force_login(person)
        assert client.get(url).status_code == status, person.display_name
        if status == 404:
            assert client.post(write, {"text": "Hello"}).status_code == 404
            assert client.post(handled, {"note": "Done"}).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to log in


def test_a_private_circles_safety_pages_are_a_404_to_outsiders(client, scene):
    scene.circle.visibility = "private"
    scene.circle.save()
    report = make_report(scene.circle, scene.reporter, "post", scene.post.pk)
    slug = scene.circle.slug
    urls = [
        reverse("safety:care", args=[slug]),
        reverse("circles:crisis_plan", args=[slug]),
        reverse("safety:report", args=[slug, "post", scene.post.pk]),
        reverse("safety:report_detail", args=[slug, report.pk]),
    ]
    for url in urls:
        client.logout()
        assert client.get(url).status_code == 404, url
        client.force_login(scene.outsider)
        assert client.get(url).status_code == 404, url
        client.force_login(scene.bystander)
        expected = 404 if "reports" in url else 200
        assert client.get(url).status_code == expected, url


def test_the_rotas_pages_never_name_the_reporter(client, scene):
    report = make_report(scene.circle, scene.reporter, "post", scene.post.pk, words="Help")
    report_message_send(report=report, sender=scene.reporter, text="More details")
    client.force_login(scene.rota[0])
    for url in [
        reverse("safety:report_detail", args=[scene.circle.slug, report.pk]),
        reverse("safety:care", args=[scene.circle.slug]),
    ]:
        page = client.get(url).content.decode()
        main = re.search(r"<main\b.*?</main>", page, re.S).group(0)
        nav_free = re.sub(r'<nav aria-label="Circle".*?</nav>', "", main, flags=re.S)
        assert scene.reporter.display_name not in nav_free, url
    page = client.get(reverse("safety:report_detail", args=[scene.circle.slug, report.pk]))
    assert "The member who reported" in page.content.decode()
