"""Legitimacy on the circle's own terms, in a real browser at 360 px with the accessibility
check on every new page: members choose what to count and see the figures; one writes a
story as "a member", naming another who consents; a report is proposed, shows its preview,
and passes; a logged-out visitor opens the public report, downloads its JSON and checks its
SHA-256. A funding proposal passes at exactly two thirds and shows on the circle's home, to
members and to visitors.
"""

import hashlib
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from circles.services import response_create
from governance.legitimacy.models import Partnership, PublishedReport, Story
from governance.models import Proposal, ProposalStatus
from governance.services import ballot_cast
from tests.e2e.browser import PHONE_VIEWPORT, assert_page_fits, log_in
from tests.factories import UserFactory, make_circle, make_member, make_post

pytestmark = pytest.mark.e2e

NAMES = ["Adaeze", "Bronwyn", "Casimir", "Dagny", "Eero", "Fenna"]
STORY_TITLE = "Shopping up the stairs"
STORY_TEXT = "When the lift broke for a week, Bronwyn carried our shopping up all six floors."
INTRODUCTION = "We are neighbours on the east bank who help each other with whatever comes up."
PARTNER = "Eastbank Community Fund"


@pytest.fixture
def riverside(db):
    """Six members, each of whom asked for help once and answered someone else: all six are
    active this year, so the circle's figures show."""
    circle, _nobody = make_circle(
        members=0, name="Riverside Neighbours", slug="riverside", visibility="public"
    )
    people = {}
    for name in NAMES:
        people[name] = make_member(circle, UserFactory(display_name=name))
    needs = [
        make_post(circle, people[name], title=f"A hand with errands, week {i + 1}")
        for i, name in enumerate(NAMES)
    ]
    for i, need in enumerate(needs):
        helper = people[NAMES[(i + 1) % len(NAMES)]]
        response_create(post=need, responder=helper, text="I can help on Saturday.")
    return circle, people


def signed_in(new_page, live_server, user):
    page = new_page(PHONE_VIEWPORT)
    log_in(page, user, live_server.url)
    return page


def open_more(page, link: str) -> None:
    """Follow a link from the circle navigation's "More" menu."""
    nav = page.get_by_role("navigation", name="Circle")
    nav.get_by_text("More", exact=True).click()
    nav.get_by_role("link", name=link).click()


def vote_in_browser(page, choice: str) -> None:
    page.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Vote", exact=True).click()
    expect(page.get_by_text(f"You voted: {choice}.")).to_be_visible()


def cast(proposal, people, names, choice="yes"):
    for name in names:
        ballot_cast(proposal=proposal, voter=people[name], choice=choice)


def test_count_tell_publish_and_check_a_report(new_page, live_server, riverside):
    circle, people = riverside

    # 1. Adaeze finds "What we count" under "More" and proposes what the circle counts.
    ada = signed_in(new_page, live_server, people["Adaeze"])
    ada.goto(f"/c/{circle.slug}/")
    assert_page_fits(ada, "circle home")
    open_more(ada, "What we count")
    expect(ada.get_by_role("heading", level=1)).to_have_text("What we count")
    assert_page_fits(ada, "what we count, nothing chosen")
    ada.get_by_role("link", name="Propose what we count").click()
    assert_page_fits(ada, "choose measures proposal form")
    ada.get_by_label("Title").fill("Count what we do for each other")
    ada.get_by_label("Why").fill("So we can show the council what mutual aid does here.")
    for measure in ["Needs posted", "Members active", "Conversations held"]:
        ada.get_by_label(measure, exact=True).check()
    ada.get_by_role("button", name="Save the proposal").click()
    expect(ada.get_by_text("Your proposal is open for votes.")).to_be_visible()
    assert_page_fits(ada, "choose measures proposal")
    expect(ada.get_by_role("region", name="Would count")).to_contain_text("Needs posted")
    measures_url = ada.url

    bron = signed_in(new_page, live_server, people["Bronwyn"])
    bron.goto(measures_url)
    vote_in_browser(bron, "Yes")
    proposal = Proposal.objects.get(title="Count what we do for each other")
    cast(proposal, people, ["Adaeze", "Casimir", "Dagny", "Eero", "Fenna"])
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PASSED

    open_more(ada, "What we count")
    figures = ada.get_by_role("region", name="Figures for a period")
    expect(figures.get_by_role("term")).to_have_text(
        ["Needs posted", "Members active", "Conversations held"]
    )
    expect(figures.get_by_role("definition")).to_have_text(["6", "6", "6"])
    assert_page_fits(ada, "what we count, with figures")

    # 2. Adaeze tells a story as "a member", naming Bronwyn, who consents.
    ada.get_by_role("link", name="Stories of help").click()
    assert_page_fits(ada, "stories, none yet")
    ada.get_by_role("link", name="Write a story").click()
    assert_page_fits(ada, "story form")
    ada.get_by_label("Title").fill(STORY_TITLE)
    ada.get_by_label("The story").fill(STORY_TEXT)
    ada.get_by_role("radio", name="A member").check()
    ada.get_by_role("checkbox", name="Bronwyn").check()
    ada.get_by_role("button", name="Save the story").click()
    expect(ada.get_by_text("The people it names are asked first")).to_be_visible()
    expect(ada.get_by_text("Waiting for consent from 1 person")).to_be_visible()
    assert_page_fits(ada, "story, waiting")

    bron.goto(f"/c/{circle.slug}/stories/")
    waiting = bron.get_by_role("region", name="Stories that name you")
    expect(waiting.get_by_role("link", name=STORY_TITLE)).to_be_visible()
    assert_page_fits(bron, "stories, naming Bronwyn")
    waiting.get_by_role("button", name="Yes, it can name me").click()
    expect(bron.get_by_text("Thank you. The story can name you.")).to_be_visible()
    expect(bron.get_by_text("Ready for a report")).to_be_visible()
    expect(bron.get_by_text("by a member")).to_be_visible()

    # 3. Adaeze proposes publishing a report with the story; the circle passes it.
    open_more(ada, "What we count")
    ada.get_by_role("link", name="Propose publishing a report").click()
    assert_page_fits(ada, "report proposal form")
    expect(ada.get_by_label("Needs posted", exact=True)).to_be_checked()
    ada.get_by_label("Why").fill("Our first report, for the neighbourhood newsletter.")
    ada.get_by_role("checkbox", name=STORY_TITLE).check()
    ada.get_by_label("Introduction").fill(INTRODUCTION)
    ada.get_by_label("The name the circle wants to be known by").fill("Riverside East Bank")
    ada.get_by_role("button", name="Save the proposal").click()
    expect(ada.get_by_text("Your proposal is open for votes.")).to_be_visible()
    preview = ada.get_by_role(
        "region", name="The report of Riverside East Bank, as it would be published"
    )
    expect(preview.get_by_text(STORY_TEXT)).to_be_visible()
    expect(preview.get_by_text("Told by a member")).to_be_visible()
    expect(preview.get_by_text(INTRODUCTION)).to_be_visible()
    assert_page_fits(ada, "report proposal with preview")
    report_proposal_url = ada.url

    cas = signed_in(new_page, live_server, people["Casimir"])
    cas.goto(report_proposal_url)
    vote_in_browser(cas, "Yes")
    proposal = Proposal.objects.get(circle=circle, kind="publish_report")
    cast(proposal, people, ["Adaeze", "Bronwyn", "Dagny", "Eero", "Fenna"])
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PASSED
    report = PublishedReport.objects.get(decision=proposal)
    assert Story.objects.get(title=STORY_TITLE).published_in == report

    ada.reload()
    expect(ada.get_by_text("Decided: passed")).to_be_visible()
    report_url = ada.get_by_role("link", name="The published report").get_attribute("href")
    assert report_url == report.get_absolute_url()

    # 4. A visitor who is not signed in reads the report and checks its JSON.
    visitor = new_page(PHONE_VIEWPORT)
    visitor.goto(report_url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Report of Riverside East Bank")
    expect(visitor.get_by_text("Approved by 6 of 6 members on")).to_be_visible()
    expect(visitor.get_by_text(STORY_TEXT)).to_be_visible()
    expect(visitor.get_by_text("Told by a member")).to_be_visible()
    expect(visitor.get_by_role("link", name="The decision")).to_have_count(0)
    assert_page_fits(visitor, "public report, logged out")
    shown_digest = visitor.get_by_text(re.compile(r"^[0-9a-f]{64}$")).inner_text().strip()
    with visitor.expect_download() as download_info:
        visitor.get_by_role("link", name="Download the JSON").click()
    download = download_info.value
    assert download.suggested_filename == f"report-{report.public_id}.json"
    content = Path(download.path()).read_bytes()
    assert hashlib.sha256(content).hexdigest() == shown_digest == report.sha256
    document = json.loads(content)
    assert document["circle"] == "Riverside East Bank"
    assert [story["text"] for story in document["stories"]] == [STORY_TEXT]
    assert document["stories"][0]["by"] is None
    assert document["approval"]["yes"] == 6
    assert "Adaeze" not in content.decode("utf-8")
    figures = {figure["measure"]: figure["value"] for figure in document["measures"]["figures"]}
    assert figures == {"needs_posted": 6, "active_members": 6, "conversations": 6}


def test_funding_passes_by_two_thirds_and_shows_on_the_home(new_page, live_server, riverside):
    circle, people = riverside
    ends_on = timezone.localdate() + timedelta(days=365)

    # 5. Dagny proposes accepting funding, with what the circle will not accept.
    dag = signed_in(new_page, live_server, people["Dagny"])
    dag.goto(f"/c/{circle.slug}/")
    open_more(dag, "What we count")
    dag.get_by_role("link", name="Funding and partnerships").click()
    expect(dag.get_by_role("heading", level=1)).to_have_text("Funding and partnerships")
    assert_page_fits(dag, "funding and partnerships, none")
    dag.get_by_role("link", name="Propose accepting funding or a partnership").click()
    assert_page_fits(dag, "funding proposal form")
    dag.get_by_label("Title").fill("Accept the Eastbank grant")
    dag.get_by_label("Why").fill("It pays for the bus fares we cover each month.")
    dag.get_by_role("radio", name="Funding").check()
    dag.get_by_label("Partner:", exact=True).fill(PARTNER)
    dag.get_by_label("What is offered").fill("£1,200 a year for travel costs.")
    dag.get_by_label("What the partner asks in return").fill("A short note once a year.")
    dag.get_by_label("What the circle will not accept").fill(
        "No names or data about members, and no say over who we help."
    )
    dag.get_by_label("End date").fill(ends_on.isoformat())
    dag.get_by_role("button", name="Save the proposal").click()
    expect(dag.get_by_text("Your proposal is open for votes.")).to_be_visible()
    expect(dag.get_by_text("This needs at least a supermajority")).to_be_visible()
    terms = dag.get_by_role("region", name="The terms the circle would accept")
    expect(terms.get_by_text("No names or data about members")).to_be_visible()
    assert_page_fits(dag, "funding proposal")
    funding_url = dag.url

    # Exactly two thirds of yes and no: four yes, two no.
    eero = signed_in(new_page, live_server, people["Eero"])
    eero.goto(funding_url)
    vote_in_browser(eero, "No")
    proposal = Proposal.objects.get(circle=circle, kind="accept_funding")
    cast(proposal, people, ["Adaeze", "Bronwyn", "Casimir", "Dagny"])
    cast(proposal, people, ["Fenna"], choice="no")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.threshold, proposal.yes_count, proposal.no_count) == (
        ProposalStatus.PASSED,
        "supermajority",
        4,
        2,
    )
    partnership = Partnership.objects.get(circle=circle)
    assert (partnership.partner, partnership.ends_on) == (PARTNER, ends_on)

    eero.reload()
    expect(eero.get_by_text("Decided: passed")).to_be_visible()
    expect(
        eero.get_by_text("met (Supermajority: at least two thirds of yes and no)")
    ).to_be_visible()
    assert_page_fits(eero, "funding proposal, decided")

    # The circle's home shows it, to a member and to a visitor who is not signed in.
    dag.goto(f"/c/{circle.slug}/")
    section = dag.get_by_role("region", name="Funding and partnerships")
    expect(section.get_by_role("heading", name=PARTNER)).to_be_visible()
    section.get_by_text("Funding, until").click()  # the terms, behind a disclosure
    expect(section.get_by_text("No names or data about members")).to_be_visible()
    assert_page_fits(dag, "circle home with a partnership, member")

    visitor = new_page(PHONE_VIEWPORT)
    visitor.goto(f"/c/{circle.slug}/")
    section = visitor.get_by_role("region", name="Funding and partnerships")
    expect(section.get_by_role("heading", name=PARTNER)).to_be_visible()
    section.get_by_text("Funding, until").click()
    expect(section.get_by_text("£1,200 a year for travel costs.")).to_be_visible()
    expect(section.get_by_role("link", name=re.compile("The decision to accept"))).to_have_count(0)
    assert_page_fits(visitor, "circle home with a partnership, logged out")
