"""Publishing a report: the decision, the immutable document and its SHA-256, the public
page, and what a report may never say about a person."""

import hashlib
import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.legitimacy.models import ImpactSettings, Measure, PublishedReport, Story
from governance.legitimacy.services.reports import report_change_build
from governance.legitimacy.services.stories import story_consent_answer, story_create
from governance.models import ProposalKind, ProposalStatus
from governance.services import ballot_cast
from peernet.errors import DomainError
from tests.factories import make_circle, make_member, make_post
from tests.governance.conftest import propose

COUNTED = [Measure.NEEDS_POSTED, Measure.ACTIVE_MEMBERS, Measure.CATEGORIES]


def _circle(*, visibility="public", names=("Ana", "Bo", "Chen", "Dee", "Eli")):
    circle, _ = make_circle(members=0, visibility=visibility)
    people = [make_member(circle, display_name=name) for name in names]
    ImpactSettings.objects.create(circle=circle, measures=[str(m) for m in COUNTED])
    for person in people:
        make_post(circle, person, title=f"Soup for {person.pk}", category="food")
    return circle, people


def _data(circle, **overrides):
    today = timezone.localdate()
    return {
        "period_start": today - timedelta(days=30),
        "period_end": today,
        "measures": [str(m) for m in COUNTED],
        "stories": [],
        "introduction": "We are neighbours who cook for each other.",
        "known_as": "The Soup Circle",
        "replaces": None,
        **overrides,
    }


def _pass(proposal, voters):
    for voter in voters:
        ballot_cast(proposal=proposal, voter=voter, choice="yes")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PASSED, proposal.effect_note
    return proposal


def _publish(circle, people, **overrides):
    proposal = propose(
        circle, people[0], kind=ProposalKind.PUBLISH_REPORT, data=_data(circle, **overrides)
    )
    _pass(proposal, people)
    return PublishedReport.objects.get(decision=proposal)


def _consented_story(circle, author, named, **kwargs):
    story = story_create(
        circle=circle,
        author=author,
        title=kwargs.pop("title", "Soup on a bad night"),
        text=kwargs.pop("text", f"{named.display_name} brought soup when I could not cook."),
        byline=kwargs.pop("byline", "member"),
        named=[named],
    )
    story_consent_answer(story=story, member=named, give=True)
    return story


@pytest.mark.django_db
def test_a_passed_proposal_publishes_the_report_and_its_digest_checks(client):
    circle, people = _circle()
    report = _publish(circle, people)

    response = client.get(reverse("legitimacy:report_json", args=[report.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    served = response.content
    assert hashlib.sha256(served).hexdigest() == report.sha256
    document = json.loads(served)
    assert document["circle"] == "The Soup Circle"
    assert document["approval"] == {
        "yes": 5,
        "no": 0,
        "abstain": 0,
        "members": 5,
        "date": timezone.localdate().isoformat(),
        "decision": report.decision_id,
    }
    figures = {f["measure"]: f for f in document["measures"]["figures"]}
    assert figures["needs_posted"]["value"] == 5
    assert figures["needs_posted"]["label"] == "Needs posted"

    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert report.sha256 in text
    assert "Approved by 5 of 5 members on" in text
    assert "We are neighbours who cook for each other." in text

    markdown = client.get(reverse("legitimacy:report_markdown", args=[report.public_id]))
    assert markdown.status_code == 200
    assert markdown["Content-Type"] == "text/markdown; charset=utf-8"
    body = markdown.content.decode()
    assert body.startswith("# Report of The Soup Circle")
    assert "Needs posted: 5" in body
    assert report.sha256 in body


@pytest.mark.django_db
def test_a_published_report_never_changes(client):
    circle, people = _circle()
    report = _publish(circle, people)
    url = reverse("legitimacy:report_json", args=[report.public_id])
    before = client.get(url).content
    for person in people:
        make_post(circle, person, title="More soup", category="food")
    circle.name = "Renamed"
    circle.save()
    assert client.get(url).content == before
    assert hashlib.sha256(before).hexdigest() == report.sha256


@pytest.mark.django_db
def test_the_figures_are_those_the_members_voted_on():
    circle, people = _circle()
    proposal = propose(circle, people[0], kind=ProposalKind.PUBLISH_REPORT, data=_data(circle))
    for person in people:  # more activity while the vote is open
        make_post(circle, person, title="Later soup", category="food")
    _pass(proposal, people)
    document = json.loads(PublishedReport.objects.get(decision=proposal).document)
    figures = {f["measure"]: f for f in document["measures"]["figures"]}
    assert figures["needs_posted"]["value"] == 5


@pytest.mark.django_db
def test_a_private_circle_publishes_at_a_public_address_without_naming_its_home(client):
    circle, people = _circle(visibility="private")
    report = _publish(circle, people)
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    assert page["X-Robots-Tag"] == "noindex"
    text = page.content.decode()
    assert circle.slug not in text
    assert reverse("governance:proposal", args=[circle.slug, report.decision_id]) not in text
    # What was not published stays the members' own.
    assert client.get(reverse("legitimacy:impact", args=[circle.slug])).status_code == 404
    assert client.get(reverse("legitimacy:circle_reports", args=[circle.slug])).status_code == 404
    # A member sees the way to the decision.
    client.force_login(people[1])
    text = client.get(report.get_absolute_url()).content.decode()
    assert reverse("governance:proposal", args=[circle.slug, report.decision_id]) in text


@pytest.mark.django_db
def test_an_unknown_report_is_a_404(client):
    for name in ("report", "report_json", "report_markdown"):
        assert client.get(reverse(f"legitimacy:{name}", args=["nope"])).status_code == 404


@pytest.mark.django_db
def test_a_public_circle_home_lists_its_reports_for_everyone(client):
    circle, people = _circle()
    report = _publish(circle, people)
    home = client.get(reverse("circles:home", args=[circle.slug])).content.decode()
    assert report.get_absolute_url() in home
    listing = client.get(reverse("legitimacy:circle_reports", args=[circle.slug]))
    assert report.get_absolute_url() in listing.content.decode()


@pytest.mark.django_db
def test_a_private_circle_home_lists_its_reports_for_members(client):
    circle, people = _circle(visibility="private")
    report = _publish(circle, people)
    client.force_login(people[2])
    home = client.get(reverse("circles:home", args=[circle.slug])).content.decode()
    assert report.get_absolute_url() in home


@pytest.mark.django_db
def test_consented_stories_are_published_and_can_no_longer_be_withdrawn():
    circle, people = _circle()
    story = _consented_story(circle, people[1], people[2])
    report = _publish(circle, people, stories=[story])
    document = json.loads(report.document)
    assert document["stories"] == [
        {"title": story.title, "text": story.text, "by": None},
    ]
    story.refresh_from_db()
    assert story.published_in == report


@pytest.mark.django_db
def test_a_story_withdrawn_during_the_vote_is_left_out():
    circle, people = _circle()
    story = _consented_story(circle, people[1], people[2])
    proposal = propose(
        circle, people[0], kind=ProposalKind.PUBLISH_REPORT, data=_data(circle, stories=[story])
    )
    Story.objects.filter(pk=story.pk).update(withdrawn_at=timezone.now())
    _pass(proposal, people)
    document = json.loads(PublishedReport.objects.get(decision=proposal).document)
    assert document["stories"] == []
    assert "Published without 1 story" in proposal.effect_note
    story.refresh_from_db()
    assert story.published_in is None


@pytest.mark.django_db
def test_a_story_without_everyones_consent_cannot_go_in_a_report():
    circle, people = _circle()
    story = story_create(
        circle=circle,
        author=people[1],
        title="A lift",
        text="Chen drove me to the clinic.",
        byline="name",
        named=[people[2]],
    )
    with pytest.raises(DomainError, match="must consent first"):
        report_change_build(circle=circle, data=_data(circle, stories=[story]))


@pytest.mark.django_db
def test_nothing_in_a_report_names_a_member_who_did_not_choose_to_be_named(client):
    names = ("Zephyrine", "Quillon", "Marisol", "Thaddeus", "Ondine")
    circle, people = _circle(names=names)
    zephyrine, quillon = people[0], people[1]
    # Quillon tells a story as "a member", naming Zephyrine, who consents.
    story = _consented_story(circle, quillon, zephyrine, byline="member")
    with pytest.raises(DomainError, match="Marisol"):
        report_change_build(
            circle=circle, data=_data(circle, introduction="Thanks to Marisol for the soup.")
        )
    report = _publish(circle, people, stories=[story])
    served = [
        client.get(reverse(f"legitimacy:{name}", args=[report.public_id])).content.decode()
        for name in ("report", "report_json", "report_markdown")
    ]
    for text in served:
        assert "Zephyrine" in text  # consented to be named
        for name in names[1:]:
            assert name not in text, name


@pytest.mark.django_db
def test_a_correction_names_the_report_it_replaces(client):
    circle, people = _circle()
    first = _publish(circle, people)
    correction = _publish(circle, people, replaces=first, introduction="Corrected figures.")
    assert correction.replaces == first
    assert json.loads(correction.document)["replaces"] == first.public_id
    page = client.get(first.get_absolute_url()).content.decode()
    assert correction.get_absolute_url() in page
    with pytest.raises(DomainError, match="already been corrected"):
        report_change_build(circle=circle, data=_data(circle, replaces=first))


@pytest.mark.django_db
def test_too_few_active_members_publish_no_figures():
    quiet, _ = make_circle(members=0)
    ImpactSettings.objects.create(circle=quiet, measures=[str(m) for m in COUNTED])
    members = [make_member(quiet) for _ in range(5)]
    for person in members[:4]:
        make_post(quiet, person, title="Soup", category="food")
    change = report_change_build(circle=quiet, data=_data(quiet))
    assert change["report"]["measures"]["enough_members"] is False
    assert change["report"]["measures"]["figures"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("period_end", 1, "cannot be in the future"),
        ("period_start", -800, "at most two years"),
        ("measures", None, "Choose at least one of the measures"),
        ("introduction", "x" * 50_000, "at most 5000 characters"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_kept(client, field, value, message):
    circle, people = _circle()
    client.force_login(people[0])
    today = timezone.localdate()
    form = {
        "kind": "publish_report",
        "title": "Publish our report",
        "reason": "Funders keep asking.",
        "period_start": (today - timedelta(days=30)).isoformat(),
        "period_end": today.isoformat(),
        "measures": [str(m) for m in COUNTED],
        "introduction": "Our words.",
        "known_as": "The Soup Circle",
        "open_now": "on",
    }
    if field in ("period_start", "period_end"):
        form[field] = (today + timedelta(days=value)).isoformat()
    elif value is None:
        form.pop(field)
    else:
        form[field] = value
    response = client.post(reverse("governance:proposal_new", args=[circle.slug]), form)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert "The Soup Circle" in text  # what was typed is kept
    if field == "introduction":
        assert "x" * 50_000 in text
    assert not PublishedReport.objects.exists()


@pytest.mark.django_db
def test_a_two_letter_name_in_the_introduction_is_refused():
    circle, _people = _circle()  # Bo is a member
    with pytest.raises(DomainError, match="names Bo"):
        report_change_build(circle=circle, data=_data(circle, introduction="Thanks to Bo."))
    with pytest.raises(DomainError, match="names Ana"):
        report_change_build(circle=circle, data=_data(circle, known_as="Ana's kitchen"))


@pytest.mark.django_db
def test_a_member_who_joins_after_a_story_named_them_is_not_published_without_consent():
    circle, people = _circle()
    story = _consented_story(
        circle, people[1], people[2], text="Chen and Marisol brought soup when I could not cook."
    )
    proposal = propose(
        circle, people[0], kind=ProposalKind.PUBLISH_REPORT, data=_data(circle, stories=[story])
    )
    make_member(circle, display_name="Marisol")  # joins while the vote is open
    with pytest.raises(DomainError, match="mentions Marisol"):
        report_change_build(circle=circle, data=_data(circle, stories=[story]))
    _pass(proposal, people)
    document = PublishedReport.objects.get(decision=proposal).document
    assert "Marisol" not in document
    assert json.loads(document)["stories"] == []


@pytest.mark.django_db
def test_a_story_whose_author_or_named_member_left_goes_in_no_report():
    from circles.services import membership_end

    circle, people = _circle()
    by_leaver = _consented_story(circle, people[1], people[2])
    about_leaver = _consented_story(circle, people[3], people[4], title="Rides")
    membership_end(circle=circle, user=people[1])
    membership_end(circle=circle, user=people[4])
    for story in (by_leaver, about_leaver):
        with pytest.raises(DomainError, match="must consent first"):
            report_change_build(circle=circle, data=_data(circle, stories=[story]))


@pytest.mark.django_db
def test_a_withdrawn_story_leaves_the_proposal_page(client):
    from governance.legitimacy.services.stories import story_withdraw

    circle, people = _circle()
    story = _consented_story(circle, people[1], people[2], text="Chen cooked soup all winter.")
    proposal = propose(
        circle, people[0], kind=ProposalKind.PUBLISH_REPORT, data=_data(circle, stories=[story])
    )
    client.force_login(people[3])
    url = reverse("governance:proposal", args=[circle.slug, proposal.pk])
    assert "Chen cooked soup all winter." in client.get(url).content.decode()
    story_withdraw(story=story, member=people[1])
    assert "Chen cooked soup all winter." not in client.get(url).content.decode()
    proposal.refresh_from_db()
    assert proposal.change["report"]["stories"] == []


@pytest.mark.django_db
def test_the_approval_date_is_the_servers_day_not_the_last_voters(settings):
    import time_machine
    from django.utils import timezone as tz

    settings.TIME_ZONE = "UTC"
    circle, people = _circle()
    with time_machine.travel("2026-03-10 23:30:00+00:00", tick=False):
        proposal = propose(
            circle,
            people[0],
            kind=ProposalKind.PUBLISH_REPORT,
            data=_data(circle, period_start=date(2026, 3, 1), period_end=date(2026, 3, 10)),
        )
        for voter in people[:-1]:
            ballot_cast(proposal=proposal, voter=voter, choice="yes")
        with tz.override("Pacific/Auckland"):  # already the 11th there
            ballot_cast(proposal=proposal, voter=people[-1], choice="yes")
    document = json.loads(PublishedReport.objects.get(decision=proposal).document)
    assert document["approval"]["date"] == "2026-03-10"


@pytest.mark.django_db
def test_the_circle_record_lists_what_a_report_decision_published():
    from governance.record import circle_record

    circle, people = _circle()
    report = _publish(circle, people)
    decision = next(
        d for d in circle_record(circle=circle)["decisions"] if d["id"] == report.decision_id
    )
    rows = {row["what"]: row["after"] for row in decision["change"]}
    assert rows["Report of"] == "The Soup Circle"
    assert rows["Published at"] == report.get_absolute_url()


@pytest.mark.django_db
def test_an_unlisted_circles_reports_are_listed_for_members_only(client):
    circle, people = _circle(visibility="unlisted")
    report = _publish(circle, people)
    url = reverse("legitimacy:circle_reports", args=[circle.slug])
    assert client.get(url).status_code == 404
    home = client.get(reverse("circles:home", args=[circle.slug])).content.decode()
    assert report.get_absolute_url() not in home
    assert client.get(report.get_absolute_url()).status_code == 200
    client.force_login(people[0])
    assert report.get_absolute_url() in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_date_before_peernet_existed_is_refused(client):
    circle, people = _circle()
    client.force_login(people[0])
    response = client.get(
        reverse("legitimacy:impact", args=[circle.slug]),
        {"period_start": "0001-01-01", "period_end": "0002-01-01"},
    )
    assert response.status_code == 400
    assert "Choose dates from 2000-01-01 on." in response.content.decode()


@pytest.mark.django_db
def test_the_report_list_and_the_home_do_not_grow_with_the_reports(client):
    from tests.helpers import assert_query_budget

    circle, people = _circle()
    _publish(circle, people)
    client.force_login(people[0])

    def more_reports():
        for _ in range(4):
            _publish(circle, people)

    for name in ("legitimacy:circle_reports", "circles:home"):
        url = reverse(name, args=[circle.slug])
        assert_query_budget(lambda url=url: client.get(url), budget=16, grow_data=more_reports)
