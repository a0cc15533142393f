"""The first steps of a new member: where sign-up lands, what home shows, and the starter
agreements a founder adopts with a new circle. Through the client: what a person sees."""

import re

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from circles.crisis_plan import crisis_plan_template
from circles.models import Circle
from governance.constants import AGREEMENT_TEXT_MAX_LENGTH
from governance.models import Agreement, AgreementVersion, Ballot, Proposal, ProposalStatus
from governance.starters import decision_settings_in_words
from tests.factories import UserFactory, make_circle
from tests.helpers import circle_form_data

pytestmark = pytest.mark.django_db

CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", re.MULTILINE)
STARTERS = ("care", "consent", "decide", "crisis_plan")


def starters(**chosen: str) -> dict:
    """The starter fields as a browser posts them: ticked steps with their text; the others
    unticked (a browser sends nothing for an unticked box) with whatever text they hold."""
    data = {}
    for key in STARTERS:
        data[f"text_{key}"] = chosen.get(key, f"Unused text of {key}")
        if key in chosen:
            data[f"adopt_{key}"] = "on"
    return data


def test_sign_up_lands_on_first_steps_find_or_start(client, mailoutbox):
    client.post("/accounts/signup/", {"email": "sky@example.org", "display_name": "Sky"})
    code = CODE_RE.search(mailoutbox[0].body).group(1)
    response = client.post("/accounts/confirm-email/", {"code": code}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("circles:welcome")
    page = response.content.decode()
    assert "Welcome to Peernet, Sky" in page
    assert 'class="choice-cards"' in page
    # The search box is the directory's own: a GET to it, with its query parameter.
    search = re.search(r'<form method="get" action="([^"]+)" role="search"', page)
    assert search.group(1) == reverse("circles:directory")
    assert 'name="q"' in page
    assert f'href="{reverse("circles:create")}"' in page


def test_sign_up_with_a_page_to_return_to_goes_back_there(client, mailoutbox):
    back = reverse("circles:directory") + "?q=night"
    client.post(
        "/accounts/signup/?" + urlencode({"next": back}),
        {"email": "sky@example.org", "display_name": "Sky", "next": back},
    )
    code = CODE_RE.search(mailoutbox[0].body).group(1)
    response = client.post("/accounts/confirm-email/", {"code": code})
    assert response.url == back


def test_the_welcome_search_finds_circles_in_the_directory(client):
    make_circle(name="Night Shift Peers", slug="night-shift", visibility="public")
    client.force_login(UserFactory())
    response = client.get(reverse("circles:directory"), {"q": "night"})
    assert "Night Shift Peers" in response.content.decode()


def test_welcome_asks_to_log_in(client):
    response = client.get(reverse("circles:welcome"))
    assert response.status_code == 302
    assert reverse("account_request_login_code") in response.url


def test_home_for_a_member_without_circles_shows_the_next_steps(client):
    client.force_login(UserFactory(display_name="Sky"))
    page = client.get("/").content.decode()
    assert "Welcome back, Sky." in page
    assert 'class="choice-cards"' in page
    assert "Find a circle" in page
    assert f'href="{reverse("circles:create")}"' in page


def test_home_for_a_member_with_circles_lists_them_and_the_way_to_another(client):
    circle, (member,) = make_circle(name="Eastside Peers")
    client.force_login(member)
    page = client.get("/").content.decode()
    assert 'class="choice-cards"' not in page
    assert f'href="{reverse("circles:home", args=[circle.slug])}"' in page
    assert "Find another circle" in page
    assert "Start a circle" in page


def test_the_create_form_offers_every_starter_ticked_with_its_text(client):
    client.force_login(UserFactory())
    response = client.get(reverse("circles:create"))
    form = response.context["form"]
    for key in STARTERS:
        assert form[f"adopt_{key}"].value() is True
        assert form[f"text_{key}"].value()
    page = response.content.decode()
    assert "Care and confidentiality" in page
    assert "Voting stays open for 7 days." in page
    assert "at least 50% of members vote" in page


def test_a_circle_adopts_exactly_the_ticked_starters_with_the_edited_text(client):
    founder = UserFactory(display_name="Oak")
    client.force_login(founder)
    care = "What is said here stays here. We listen first."
    data = circle_form_data(name="Harbour", **starters(care=care, decide="We decide by vote."))
    response = client.post(reverse("circles:create"), data)

    circle = Circle.objects.get(name="Harbour")
    assert response.status_code == 302
    agreements = {a.title: a.text for a in Agreement.objects.filter(circle=circle)}
    assert agreements == {"Care and confidentiality": care, "How we decide": "We decide by vote."}
    # The crisis plan was left unticked: the circle starts from the template as it is.
    assert circle.crisis_plan == crisis_plan_template(language="en")

    # Recorded as what it was: the founder's decision, alone, at founding.
    decisions = Proposal.objects.filter(circle=circle)
    assert decisions.count() == 2
    for decision in decisions:
        assert decision.status == ProposalStatus.PASSED
        assert decision.proposer == founder
        assert decision.electorate_size == 1 and decision.yes_count == 1
        assert decision.effect_applied is True
        assert "who started the circle" in decision.reason
        # Named by reference only, so a rename or a deleted account leaves no name behind.
        assert founder.display_name not in decision.reason
    assert Ballot.objects.filter(proposal__circle=circle, voter=founder).count() == 2
    version = AgreementVersion.objects.get(agreement__circle=circle, title="How we decide")
    assert version.number == 1 and version.decision.title == "Founding agreement: How we decide"

    agreements_page = client.get(reverse("governance:agreements", args=[circle.slug]))
    assert care in agreements_page.content.decode()
    log = client.get(reverse("governance:decisions", args=[circle.slug])).content.decode()
    assert "Founding agreement: Care and confidentiality" in log
    record = client.get(reverse("governance:record_json", args=[circle.slug])).json()
    assert {a["title"] for a in record["agreements"]} == set(agreements)


def test_an_edited_crisis_plan_is_the_circles_plan(client):
    client.force_login(UserFactory())
    plan = "We ask first. We call Lena's warmline: 555 0100."
    client.post(
        reverse("circles:create"), circle_form_data(name="Plan", **starters(crisis_plan=plan))
    )
    circle = Circle.objects.get(name="Plan")
    assert circle.crisis_plan == plan
    assert not Agreement.objects.filter(circle=circle).exists()


def test_a_circle_made_without_starters_has_none(client):
    client.force_login(UserFactory())
    client.post(reverse("circles:create"), circle_form_data(name="Bare"))
    circle = Circle.objects.get(name="Bare")
    assert not Agreement.objects.filter(circle=circle).exists()
    assert not Proposal.objects.filter(circle=circle).exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "“Consent before sharing outside the circle” is ticked but has no text"),
        ("x" * (AGREEMENT_TEXT_MAX_LENGTH + 1), "Ensure this value has at most"),
    ],
)
def test_bad_starter_text_gets_a_message_and_keeps_what_was_typed(client, text, message):
    client.force_login(UserFactory())
    care = "Our own words about care."
    data = circle_form_data(name="Kept", **starters(care=care, consent=text))
    response = client.post(reverse("circles:create"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert care in page
    assert response.context["form"]["name"].value() == "Kept"
    assert response.context["form"]["adopt_decide"].value() is False
    assert 'role="alert"' in page
    assert not Circle.objects.filter(name="Kept").exists()


def test_decision_settings_in_words_follow_the_settings():
    from governance.models import DecisionSettings

    words = decision_settings_in_words(
        DecisionSettings(
            voting_days=1,
            quorum_percent=0,
            threshold="supermajority",
            method="consensus",
            ballots="secret",
        )
    )
    assert "open for 1 day." in words
    assert "%" not in words
    assert "two thirds of those voting" in words
    assert "block" in words
    assert "Ballots are secret" in words
