"""Funding and partnerships through the client: the proposal form, what bad input gets, the
circle home (the circle's public account), the members' page, and who may see what."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from circles.services import membership_end
from governance.legitimacy.models import Partnership, PartnershipStatus
from governance.models import Proposal, ProposalStatus
from governance.services import ballot_cast
from tests.factories import UserFactory, make_circle, make_member
from tests.governance.conftest import agreement_in, set_rules
from tests.helpers import assert_query_budget
from tests.legitimacy.test_partnerships import accept

pytestmark = pytest.mark.django_db


def new_url(circle) -> str:
    return reverse("governance:proposal_new", args=[circle.slug])


def page_url(circle) -> str:
    return reverse("legitimacy:partnerships", args=[circle.slug])


def home_url(circle) -> str:
    return reverse("circles:home", args=[circle.slug])


def form_data(**changes) -> dict:
    return {
        "kind": "accept_funding",
        "title": "Accept the Harbour Community Fund",
        "reason": "It pays for the pantry without asking for our names.",
        "open_now": "on",
        "partnership_kind": "funding",
        "partner": "Harbour Community Fund",
        "offered": "£2,000 a year for the food pantry.",
        "asks": "A yearly letter on how the money was used.",
        "will_not_accept": "No names or data about members.",
        "ends_on": (timezone.localdate() + timedelta(days=365)).isoformat(),
        "research_returns": "",
        "returns_by": "",
        "renews": "",
        **changes,
    }


# --- Who may see the page ---------------------------------------------------------------

VISITORS = ["anonymous", "outsider", "member", "former", "staff"]
EXPECTED = {"anonymous": 302, "outsider": 403, "member": 200, "former": 403, "staff": 403}


def test_permission_matrix_of_the_partnerships_page(client):
    failures = []
    for visibility in ["public", "unlisted", "private"]:
        circle, people = make_circle(members=3, visibility=visibility)
        accept(circle, people)
        former = make_member(circle)
        membership_end(circle=circle, user=former)
        visitors = {
            "anonymous": None,
            "outsider": UserFactory(),
            "member": people[1],
            "former": former,
            "staff": UserFactory(is_staff=True, is_superuser=True),
        }
        for visitor in VISITORS:
            expected = EXPECTED[visitor]
            if visibility == "private" and visitor != "member":
                expected = 404
            client.logout()
            if visitors[visitor]:
                client.force_login(visitors[visitor])
            for method in ["get", "head"]:
                status = getattr(client, method)(page_url(circle)).status_code
                if status != expected:
                    failures.append(f"{visibility} {visitor} {method}: {status} != {expected}")
        client.force_login(people[0])
        assert client.post(page_url(circle)).status_code == 405
    assert failures == []


# --- The proposal, from the form to the home ---------------------------------------------


def test_a_funding_proposal_passes_by_supermajority_and_shows_on_the_circle_home(client):
    circle, people = make_circle(members=3, visibility="public")
    set_rules(circle, threshold="majority")
    client.force_login(people[0])
    form = client.get(new_url(circle) + "?kind=accept_funding").content.decode()
    assert "What the circle will not accept" in form
    assert "two thirds of yes and no" in form
    response = client.post(new_url(circle), form_data())
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("governance:proposal", args=[circle.slug, proposal.pk])
    assert proposal.threshold == "supermajority"
    shown = client.get(response.url).content.decode()
    assert "The terms the circle would accept" in shown
    assert "Harbour Community Fund" in shown
    assert "No names or data about members." in shown
    assert "This needs at least a supermajority, two thirds of yes and no" in shown
    for person, choice in zip(people, ["yes", "yes", "no"], strict=True):
        ballot_cast(proposal=proposal, voter=person, choice=choice)  # the last one closes it
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PASSED
    partnership = Partnership.objects.get()
    for visitor in [people[2], None]:
        client.logout()
        if visitor:
            client.force_login(visitor)
        home = client.get(home_url(circle)).content.decode()
        assert 'id="partnerships-heading"' in home
        assert "Funding and partnerships" in home
        assert "Harbour Community Fund" in home
        assert "No names or data about members." in home
        assert "A yearly letter on how the money was used." in home
        decision = reverse("governance:proposal", args=[circle.slug, partnership.decision_id])
        # The decision itself is for members: visitors see the terms, not the vote.
        assert (decision in home) is (visitor is not None)
    client.force_login(people[1])
    page = client.get(page_url(circle)).content.decode()
    assert "Harbour Community Fund" in page
    assert f"renews={partnership.pk}" in page
    assert "?kind=accept_funding" in page


def test_a_circle_that_never_accepted_any_shows_no_section(client):
    circle, people = make_circle(members=1)
    client.force_login(people[0])
    assert "partnerships-heading" not in client.get(home_url(circle)).content.decode()
    page = client.get(page_url(circle)).content.decode()
    assert "None right now." in page
    assert "Propose accepting funding or a partnership" in page


def test_a_private_circles_partnerships_stay_with_its_members(client):
    circle, people = make_circle(members=3, visibility="private")
    accept(circle, people, partner="Quiet Trust")
    for visitor in [None, UserFactory()]:
        client.logout()
        if visitor:
            client.force_login(visitor)
        assert client.get(home_url(circle)).status_code == 404
        assert client.get(page_url(circle)).status_code == 404
    client.force_login(people[2])
    assert "Quiet Trust" in client.get(home_url(circle)).content.decode()


def test_past_partnerships_stay_on_the_home(client):
    circle, people = make_circle(members=3)
    old = accept(circle, people, partner="Old Fund")
    accept(circle, people, partner="New Fund", renews=old)
    lapsed = accept(circle, people, partner="Lapsed Fund")
    Partnership.objects.filter(pk=lapsed.pk).update(
        status=PartnershipStatus.LAPSED, ended_at=timezone.now()
    )
    home = client.get(home_url(circle)).content.decode()
    current, past = home.split('id="partnerships-past-heading"')
    assert "New Fund" in current
    assert "Old Fund" in past and "Renewed on" in past
    assert "Lapsed Fund" in past and "Lapsed on" in past


# --- Bad input --------------------------------------------------------------------------


def _bad_inputs(other_partnership):
    today = timezone.localdate()
    return [
        ({"ends_on": (today - timedelta(days=1)).isoformat()}, "The end date must be after today."),
        ({"ends_on": today.isoformat()}, "The end date must be after today."),
        ({"ends_on": (today + timedelta(days=1200)).isoformat()}, "at most three years away"),
        ({"ends_on": "next spring"}, "Enter a valid date."),
        ({"ends_on": ""}, "This field is required."),
        ({"will_not_accept": ""}, "Say what the circle will not accept"),
        ({"will_not_accept": "   \u200b "}, "Say what the circle will not accept"),
        ({"partnership_kind": ""}, "Choose whether it is funding, a partnership or research."),
        ({"partnership_kind": "loan"}, "Select a valid choice."),
        ({"partnership_kind": "research"}, "For research, say what comes back to the circle."),
        (
            {"partnership_kind": "research", "research_returns": "A summary"},
            "For research, say by when it comes back to the circle.",
        ),
        (
            {
                "partnership_kind": "research",
                "research_returns": "A summary",
                "returns_by": (today + timedelta(days=400)).isoformat(),
            },
            "What comes back must come back by the end date",
        ),
        ({"renews": str(other_partnership.pk)}, "Only a current partnership of this circle"),
        ({"renews": "9" * 30}, "Only a current partnership of this circle"),
        ({"offered": "x" * 3001}, "at most 3000 characters"),
        ({"partner": "x" * 201}, "at most 200 characters"),
    ]


def test_bad_input_says_why_and_keeps_what_was_typed(client):
    circle, people = make_circle(members=3)
    other, others = make_circle(members=1)
    theirs = accept(other, others, partner="Elsewhere")
    client.force_login(people[0])
    failures = []
    for changes, message in _bad_inputs(theirs):
        data = form_data(**{"offered": "Typed with care: a van on Saturdays.", **changes})
        response = client.post(new_url(circle), data)
        page = response.content.decode()
        if response.status_code != 200 or message not in page.replace("&#x27;", "'"):
            failures.append(f"{changes}: {response.status_code}, no {message!r}")
        elif "offered" not in changes and "Typed with care: a van on Saturdays." not in page:
            failures.append(f"{changes}: the input was lost")
    assert failures == []
    assert not Proposal.objects.filter(circle=circle).exists()


def test_a_bad_end_date_is_shown_at_its_field(client):
    circle, people = make_circle(members=3)
    client.force_login(people[0])
    past = (timezone.localdate() - timedelta(days=3)).isoformat()
    page = client.post(new_url(circle), form_data(ends_on=past)).content.decode()
    assert f'value="{past}"' in page
    assert 'id="id_ends_on_error"' in page or "aria-invalid" in page


def test_agreements_are_chosen_among_the_circles_own(client):
    circle, people = make_circle(members=3)
    privacy = agreement_in(circle, people, title="Privacy")
    other, others = make_circle(members=1)
    theirs = agreement_in(other, others, title="Theirs")
    client.force_login(people[0])
    form = client.get(new_url(circle) + "?kind=accept_funding").content.decode()
    assert "Agreements these conditions touch" in form
    assert "Privacy" in form and "Theirs" not in form
    refused = client.post(new_url(circle), form_data(agreements=[str(theirs.pk)]))
    assert "Select a valid choice" in refused.content.decode()
    forged = client.post(new_url(circle), form_data(agreements=["abc"]))
    assert "is not a valid value" in forged.content.decode().replace("&quot;", '"')
    assert not Proposal.objects.filter(circle=circle, kind="accept_funding").exists()
    client.post(new_url(circle), form_data(agreements=[str(privacy.pk)]))
    proposal = Proposal.objects.get(circle=circle, kind="accept_funding")
    assert proposal.change["after"]["agreements"] == [{"id": privacy.pk, "title": "Privacy"}]


# --- Renewal ----------------------------------------------------------------------------


def test_propose_renewing_starts_from_the_current_terms(client):
    circle, people = make_circle(members=3)
    privacy = agreement_in(circle, people, title="Privacy")
    current = accept(
        circle,
        people,
        partner="Harbour Community Fund",
        will_not_accept="No data about members, ever.",
        agreements=[privacy],
    )
    client.force_login(people[1])
    page = client.get(page_url(circle)).content.decode()
    link = f"{new_url(circle)}?kind=accept_funding&amp;renews={current.pk}"
    assert link in page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'<option value="{current.pk}" selected>' in form
    assert "No data about members, ever." in form
    assert "Renew the partnership with Harbour Community Fund" in form
    assert f'value="{privacy.pk}"' in form and "checked" in form
    ends_on = (current.ends_on + timedelta(days=365)).isoformat()
    response = client.post(new_url(circle), form_data(renews=str(current.pk), ends_on=ends_on))
    assert response.status_code == 302
    renewal = Proposal.objects.get(kind="accept_funding", status=ProposalStatus.OPEN)
    assert renewal.change["after"]["renews"] == current.pk
    shown = client.get(response.url).content.decode()
    assert "It renews the partnership with Harbour Community Fund (until" in shown
    for person in people:
        ballot_cast(proposal=renewal, voter=person, choice="yes")
    current.refresh_from_db()
    assert current.status == PartnershipStatus.RENEWED
    assert Partnership.objects.get(decision=renewal).renews == current


def test_a_renews_link_to_a_lapsed_partnership_starts_a_new_one_from_its_terms(client):
    circle, people = make_circle(members=3)
    lapsed = accept(circle, people, partner="Harbour Community Fund")
    accept(circle, people, partner="Still Current")
    Partnership.objects.filter(pk=lapsed.pk).update(
        status=PartnershipStatus.LAPSED, ended_at=timezone.now()
    )
    client.force_login(people[0])
    form = client.get(new_url(circle) + f"?kind=accept_funding&renews={lapsed.pk}")
    page = form.content.decode()
    assert "Accept Harbour Community Fund again" in page
    assert "No names or data about members." in page
    assert f'<option value="{lapsed.pk}"' not in page
    assert '<option value="" selected>' in page


def test_a_renews_link_to_what_cannot_be_renewed_starts_a_new_one(client):
    circle, people = make_circle(members=3)
    other, others = make_circle(members=1)
    theirs = accept(other, others, partner="Elsewhere")
    client.force_login(people[0])
    for renews in [str(theirs.pk), "nonsense", "9" * 40]:
        response = client.get(new_url(circle) + f"?kind=accept_funding&renews={renews}")
        assert response.status_code == 200
        assert "Elsewhere" not in response.content.decode()


# --- Query budgets ----------------------------------------------------------------------


def test_the_page_and_the_home_do_not_grow_their_queries_with_partnerships(client):
    circle, people = make_circle(members=3)
    accept(circle, people)
    client.force_login(people[0])

    def grow():
        for n in range(6):
            done = accept(circle, people, partner=f"Fund {n}")
            if n % 2:
                Partnership.objects.filter(pk=done.pk).update(
                    status=PartnershipStatus.LAPSED, ended_at=timezone.now()
                )

    assert_query_budget(
        lambda: client.get(page_url(circle)), budget=15, grow_data=grow, label="partnerships"
    )
    assert_query_budget(
        lambda: client.get(home_url(circle)),
        budget=25,
        grow_data=lambda: accept(circle, people, partner="One more"),
        label="home",
    )
