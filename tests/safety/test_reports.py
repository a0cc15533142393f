"""Reports: what can be reported and by whom, one report per member and item, the rota's
answers, the danger path, and what the circle's record counts."""

import json

import pytest
from django.urls import reverse

from circles.services import message_send, response_create
from governance.safety.models import Report, ReportMessage
from governance.safety.selectors import handler_ids
from governance.safety.services import report_handle, report_message_send
from governance.services import comment_add
from peernet import limits
from peernet.errors import DomainError
from peernet.members.models import Block, NotificationSettings
from peernet.notify.models import EmailDelivery, Kind, Notification
from tests.factories import make_post, make_report
from tests.governance.conftest import propose
from tests.helpers import run_at_once

pytestmark = pytest.mark.django_db

CARE_PAGE_BUDGET = 13


def report_url(scene, target, pk):
    return reverse("safety:report", args=[scene.circle.slug, target, pk])


def detail_url(scene, report):
    return reverse("safety:report_detail", args=[scene.circle.slug, report.pk])


def test_a_member_reports_a_post_and_the_rota_is_told_without_the_reporters_name(client, scene):
    client.force_login(scene.reporter)
    answer = client.post(
        report_url(scene, "post", scene.post.pk), {"reason": "spam", "words": "Selling pills."}
    )
    report = Report.objects.get()
    assert answer.url == detail_url(scene, report)
    assert (report.reporter, report.reported, report.post) == (
        scene.reporter,
        scene.reported,
        scene.post,
    )
    assert handler_ids(report=report) == {p.pk for p in scene.rota}
    told = Notification.objects.filter(kind=Kind.REPORT_RECEIVED)
    assert {n.recipient_id for n in told} == {p.pk for p in scene.rota}
    for notice in told:
        assert scene.reporter.display_name not in notice.text
    # The reported member hears nothing.
    assert not Notification.objects.filter(recipient=scene.reported).exists()


def test_the_report_form_names_what_is_reported_and_the_reasons(client, scene):
    client.force_login(scene.reporter)
    page = client.get(report_url(scene, "post", scene.post.pk)).content.decode()
    assert "Cheap pills, message me" in page
    for reason in ["Harassment", "Threat or violence", "Discrimination", "Spam or scam"]:
        assert reason in page
    assert "Someone may be in danger" in page


def test_reporting_twice_makes_one_report(client, scene):
    client.force_login(scene.reporter)
    url = report_url(scene, "post", scene.post.pk)
    client.post(url, {"reason": "spam"})
    again = client.post(url, {"reason": "harassment", "words": "More"}, follow=True)
    assert Report.objects.count() == 1
    assert "You already reported this" in again.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_reports_of_one_item_at_once_make_one(scene):
    results = run_at_once(
        lambda: make_report(scene.circle, scene.reporter, "post", scene.post.pk), 4
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Report.objects.count() == 1
    assert len({r.pk for r in results}) == 1


def test_a_message_report_can_block_its_sender_in_the_same_step(client, scene):
    response = response_create(post=scene.post, responder=scene.reporter, text="Is this real?")
    hostile = message_send(response=response, sender=scene.reported, text="Shut up or else.")
    client.force_login(scene.reporter)
    page = client.get(report_url(scene, "message", hostile.pk)).content.decode()
    assert "Shut up or else." in page
    assert f"Also block {scene.reported.display_name}" in page
    client.post(
        report_url(scene, "message", hostile.pk),
        {"reason": "threat", "words": "", "block": "on"},
    )
    report = Report.objects.get()
    assert (report.target, report.message) == ("message", hostile)
    assert Block.objects.filter(blocker=scene.reporter, blocked=scene.reported).exists()


def test_the_rota_sees_only_the_message_unless_the_conversation_is_shared(client, scene):
    response = response_create(post=scene.post, responder=scene.reporter, text="First words.")
    hostile = message_send(response=response, sender=scene.reported, text="Hostile words.")
    client.force_login(scene.reporter)
    client.post(report_url(scene, "message", hostile.pk), {"reason": "harassment"})
    report = Report.objects.get()
    client.force_login(scene.rota[0])
    page = client.get(detail_url(scene, report)).content.decode()
    assert "Hostile words." in page
    assert "First words." not in page
    Report.objects.filter(pk=report.pk).update(share_conversation=True)
    page = client.get(detail_url(scene, report)).content.decode()
    assert "First words." in page


def test_a_proposal_comment_and_a_member_can_be_reported(client, scene):
    proposal = propose(scene.circle, scene.bystander)
    comment = comment_add(proposal=proposal, author=scene.reported, text="You are all idiots.")
    client.force_login(scene.reporter)
    client.post(report_url(scene, "comment", comment.pk), {"reason": "harassment"})
    client.post(report_url(scene, "member", scene.reported.pk), {"reason": "other"})
    assert set(Report.objects.values_list("target", "reported")) == {
        ("comment", scene.reported.pk),
        ("member", scene.reported.pk),
    }
    members_page = client.get(reverse("circles:members", args=[scene.circle.slug]))
    assert report_url(scene, "member", scene.reported.pk) in members_page.content.decode()


# --- Bad input ----------------------------------------------------------------------------


def test_reporting_what_you_cannot_see_is_a_404(client, scene):
    elsewhere = make_post(scene.other_circle, scene.outsider)
    private = response_create(post=scene.post, responder=scene.bystander, text="Between us.")
    theirs = message_send(response=private, sender=scene.reported, text="Only for bystander.")
    client.force_login(scene.reporter)
    for target, pk in [
        ("post", elsewhere.pk),
        ("message", theirs.pk),
        ("member", scene.outsider.pk),
        ("post", 99999999),
        ("nonsense", scene.post.pk),
    ]:
        assert client.get(report_url(scene, target, pk)).status_code == 404, target
        assert client.post(report_url(scene, target, pk), {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_reporting_yourself_or_what_you_wrote_says_why(client, scene):
    mine = make_post(scene.circle, scene.reporter)
    client.force_login(scene.reporter)
    for target, pk in [("member", scene.reporter.pk), ("post", mine.pk)]:
        answer = client.post(report_url(scene, target, pk), {"reason": "other", "words": "Me"})
        assert answer.status_code == 400
        assert "You can&#x27;t report yourself" in answer.content.decode()
    assert not Report.objects.exists()


def test_a_ten_thousand_character_report_says_why_and_keeps_the_text(client, scene):
    client.force_login(scene.reporter)
    words = "I am scared. " * 800
    answer = client.post(
        report_url(scene, "post", scene.post.pk), {"reason": "spam", "words": words}
    )
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "at most 2000 characters" in page
    assert "I am scared. I am scared." in page
    assert not Report.objects.exists()


def test_no_reason_says_why(client, scene):
    client.force_login(scene.reporter)
    answer = client.post(report_url(scene, "post", scene.post.pk), {"words": "Look at this"})
    assert answer.status_code == 400
    assert "This field is required." in answer.content.decode()
    assert "Look at this" in answer.content.decode()


# --- The rota answers ----------------------------------------------------------------------


def test_the_rota_writes_privately_and_marks_handled_and_the_reporter_is_told(client, scene):
    report = make_report(scene.circle, scene.reporter, "post", scene.post.pk)
    rota = scene.rota[0]
    client.force_login(rota)
    write = reverse("safety:report_write", args=[scene.circle.slug, report.pk])
    client.post(write, {"text": "Thank you. Are you safe?"})
    report.refresh_from_db()
    assert report.first_response_at is not None
    assert Notification.objects.filter(recipient=scene.reporter, kind=Kind.REPORT_REPLY).exists()
    handled = reverse("safety:report_handled", args=[scene.circle.slug, report.pk])
    client.post(handled, {"note": "Opened a proposal to remove the post."})
    report.refresh_from_db()
    assert report.handled_by == rota and report.is_handled
    client.force_login(scene.reporter)
    page = client.get(detail_url(scene, report)).content.decode()
    assert "Thank you. Are you safe?" in page
    assert "Opened a proposal to remove the post." in page
    client.post(write, {"text": "Yes, thanks."})
    assert ReportMessage.objects.count() == 2
    # The reporter cannot mark it handled: that is the rota's.
    with pytest.raises(DomainError):
        report_handle(report=report, member=scene.reporter, note="done")


def test_only_handlers_write_as_the_rota_and_a_second_handled_is_refused(scene):
    report = make_report(scene.circle, scene.reporter, "post", scene.post.pk)
    with pytest.raises(DomainError):
        report_message_send(report=report, sender=scene.bystander, text="Hi")
    report_handle(report=report, member=scene.rota[0], note="Done")
    with pytest.raises(DomainError, match="already"):
        report_handle(report=report, member=scene.rota[1], note="Done too")


def test_the_rota_can_open_a_removal_proposal_from_the_report(client, scene):
    report = make_report(scene.circle, scene.reporter, "member", scene.reported.pk)
    client.force_login(scene.rota[0])
    page = client.get(detail_url(scene, report)).content.decode()
    link = f"?kind=remove_member&amp;member={scene.reported.pk}"
    assert link in page
    form = client.get(
        reverse("governance:proposal_new", args=[scene.circle.slug])
        + f"?kind=remove_member&member={scene.reported.pk}"
    ).content.decode()
    assert f'<option value="{scene.reported.pk}" selected>' in form


def test_the_rota_is_never_offered_to_remove_an_anonymous_needs_author(client, scene):
    need = make_post(scene.circle, scene.reported, title="Quiet need", anonymous=True)
    report = make_report(scene.circle, scene.reporter, "post", need.pk)
    client.force_login(scene.rota[0])
    page = client.get(detail_url(scene, report)).content.decode()
    assert "kind=remove_post" in page
    assert "kind=remove_member" not in page
    assert scene.reported.display_name not in page


# --- Someone may be in danger ---------------------------------------------------------------


def test_danger_reaches_the_rota_by_email_whatever_their_settings(
    client, scene, mailoutbox, django_capture_on_commit_callbacks
):
    for person in scene.rota:
        settings_row, _ = NotificationSettings.objects.get_or_create(user=person)
        settings_row.care = "off"
        settings_row.save()
    scene.circle.crisis_plan = "Call the **peer line** first."
    scene.circle.save()
    client.force_login(scene.reporter)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            report_url(scene, "member", scene.reported.pk), {"reason": "danger"}, follow=True
        )
    page = answer.content.decode()
    assert "<strong>peer line</strong>" in page  # the crisis plan, shown to the reporter
    emailed = EmailDelivery.objects.filter(notification__kind=Kind.REPORT_RECEIVED)
    assert {d.recipient_id for d in emailed} == {p.pk for p in scene.rota}
    assert {m.to[0] for m in mailoutbox} == {p.email for p in scene.rota}


def test_an_ordinary_report_follows_the_rotas_settings(client, scene):
    off = scene.rota[0]
    settings_row, _ = NotificationSettings.objects.get_or_create(user=off)
    settings_row.care = "off"
    settings_row.save()
    client.force_login(scene.reporter)
    client.post(report_url(scene, "post", scene.post.pk), {"reason": "spam"})
    emailed = set(
        EmailDelivery.objects.filter(notification__kind=Kind.REPORT_RECEIVED).values_list(
            "recipient_id", flat=True
        )
    )
    assert off.pk not in emailed
    assert emailed == {p.pk for p in scene.rota[1:]}


# --- The record -------------------------------------------------------------------------------


def test_the_record_counts_reports_by_reason_without_content_or_names(client, scene):
    make_report(scene.circle, scene.reporter, "post", scene.post.pk, reason="spam", words="Pills")
    handled = make_report(
        scene.circle, scene.bystander, "post", scene.post.pk, reason="spam", words="Scam"
    )
    report_message_send(report=handled, sender=scene.rota[0], text="Looking now")
    report_handle(report=handled, member=scene.rota[0], note="Proposal opened")
    client.force_login(scene.bystander)
    record = json.loads(
        client.get(reverse("governance:record_json", args=[scene.circle.slug])).content
    )
    spam = next(r for r in record["care"]["reasons"] if r["reason"] == "spam")
    assert (spam["reports"], spam["handled"]) == (2, 1)
    assert record["care"]["median_hours_to_first_response"] is not None
    text = json.dumps(record["care"])
    for secret in ["Pills", "Scam", "Looking now", "Proposal opened"]:
        assert secret not in text
    for person in [scene.reporter, scene.bystander, scene.reported, *scene.rota]:
        assert person.display_name not in text
    markdown = client.get(reverse("governance:record_markdown", args=[scene.circle.slug]))
    assert "Spam or scam: 2 (1 handled)" in markdown.content.decode()


# --- Limits ------------------------------------------------------------------------------------


def test_past_the_limit_a_report_is_refused_with_the_words_kept(client, scene, settings):
    settings.RATELIMIT_ENABLE = True
    for _ in range(limits.REPORTS.count):
        limits.limit_hit(limits.REPORTS, key=limits.member_key(scene.reporter))
    client.force_login(scene.reporter)
    answer = client.post(
        report_url(scene, "post", scene.post.pk), {"reason": "spam", "words": "Pills again"}
    )
    page = answer.content.decode()
    assert answer.status_code == 429
    assert "Please try again in about" in page
    assert "Pills again" in page
    assert not Report.objects.exists()


def test_reporting_an_anonymous_authors_message_names_no_one_and_offers_no_block(client, scene):
    need = make_post(scene.circle, scene.reported, title="Quiet need", anonymous=True)
    response = response_create(post=need, responder=scene.reporter, text="I can help")
    reply = message_send(response=response, sender=scene.reported, text="Go away, creep.")
    client.force_login(scene.reporter)
    url = report_url(scene, "message", reply.pk)
    form = client.get(url).content.decode()
    assert scene.reported.display_name not in form
    assert "Also block" not in form
    client.post(url, {"reason": "harassment", "block": "on", "share_conversation": "on"})
    assert not Block.objects.exists()
    report = Report.objects.get()
    client.force_login(scene.rota[0])
    page = client.get(detail_url(scene, report)).content.decode()
    assert "Go away, creep." in page and "I can help" in page
    assert scene.reported.display_name not in page
    assert "kind=remove_member" not in page


def test_the_care_page_queries_do_not_grow_with_reports_or_draws(client, scene):
    from governance.safety.services import rota_decline
    from tests.helpers import assert_query_budget

    def grow():
        for n in range(30):
            post = make_post(scene.circle, scene.bystander, title=f"Post {n}")
            make_report(scene.circle, scene.reporter, "post", post.pk)
            make_report(scene.circle, scene.rota[0], "post", post.pk)
        seat = scene.rota[2].rota_seats.get()
        rota_decline(seat=seat, member=scene.rota[2])

    make_report(scene.circle, scene.reporter, "post", scene.post.pk)
    for person in (scene.rota[1], scene.reporter):
        client.force_login(person)
        used = assert_query_budget(
            lambda: client.get(reverse("safety:care", args=[scene.circle.slug])),
            budget=CARE_PAGE_BUDGET,
            grow_data=grow if person == scene.rota[1] else lambda: None,
            label="care page",
        )
        assert used > 0


def test_in_spanish_the_controls_read_bloquear_and_reportar(client, scene):
    scene.reporter.language = "es"
    scene.reporter.save()
    client.force_login(scene.reporter)
    page = client.get(reverse("circles:members", args=[scene.circle.slug])).content.decode()
    assert ">Bloquear<" in page
    assert ">Reportar<" in page


def test_after_blocking_its_sender_another_message_in_the_conversation_can_be_reported(
    client, scene
):
    """The conversation stays readable after a block, so what is in it stays reportable."""
    response = response_create(post=scene.post, responder=scene.reporter, text="Is this real?")
    first = message_send(response=response, sender=scene.reported, text="Shut up.")
    second = message_send(response=response, sender=scene.reported, text="I know where you live.")
    client.force_login(scene.reporter)
    client.post(report_url(scene, "message", first.pk), {"reason": "harassment", "block": "on"})
    assert Block.objects.filter(blocker=scene.reporter, blocked=scene.reported).exists()
    conversation = client.get(response.get_absolute_url()).content.decode()
    assert report_url(scene, "message", second.pk) in conversation
    answer = client.post(report_url(scene, "message", second.pk), {"reason": "threat"})
    assert answer.status_code == 302
    assert Report.objects.filter(message=second, reason="threat").exists()
