"""Governance pages through the client: who may see and do what, and what bad input gets."""

import re

import pytest
from django.urls import reverse

from circles.services import membership_end
from governance.models import Ballot, Proposal, ProposalKind
from governance.services import ballot_cast
from tests.factories import UserFactory, make_circle, make_member
from tests.governance.conftest import propose
from tests.helpers import assert_query_budget

pytestmark = pytest.mark.django_db

VISITORS = ["anonymous", "outsider", "member", "former", "late_joiner", "staff"]


@pytest.fixture
def world():
    worlds = {}
    for visibility in ["public", "private"]:
        circle, people = make_circle(members=3, visibility=visibility)
        proposal = propose(circle, people[0])
        agreement_proposal = propose(
            circle, people[0], ProposalKind.ADD_AGREEMENT, {"title": "Care", "text": "Be gentle."}
        )
        for person in people:
            ballot_cast(proposal=agreement_proposal, voter=person, choice="yes")
        former = make_member(circle)
        membership_end(circle=circle, user=former)
        late = make_member(circle)
        visitors = {
            "anonymous": None,
            "outsider": UserFactory(),
            "member": people[1],
            "former": former,
            "late_joiner": late,
            "staff": UserFactory(is_staff=True, is_superuser=True),
        }
        agreement = circle.agreements.get()
        worlds[visibility] = (circle, visitors, proposal, agreement)
    return worlds


def members_only(member=200, late_joiner=None):
    return {
        "anonymous": 302,
        "outsider": 403,
        "former": 403,
        "staff": 403,
        "member": member,
        "late_joiner": member if late_joiner is None else late_joiner,
    }


MATRIX = [
    ("agreements", "get", {}, members_only()),
    ("agreement", "get", {}, members_only()),
    ("proposals", "get", {}, members_only()),
    ("proposal_new", "get", {}, members_only()),
    ("proposal", "get", {}, members_only()),
    ("decisions", "get", {}, members_only()),
    # A late joiner is a member but not in the electorate: the vote is refused (400).
    ("vote", "post", {"choice": "yes"}, members_only(member=302, late_joiner=400)),
    ("comment", "post", {"text": "A thought."}, members_only(member=302)),
    ("withdraw", "post", {}, members_only(member=302)),
]


def url(name, circle, proposal, agreement):
    if name in {"agreements", "proposals", "proposal_new", "decisions"}:
        return reverse(f"governance:{name}", args=[circle.slug])
    if name == "agreement":
        return reverse("governance:agreement", args=[circle.slug, agreement.pk])
    return reverse(f"governance:{name}", args=[circle.slug, proposal.pk])


def test_permission_matrix(client, world):
    failures, checked = [], 0
    for visibility, (circle, visitors, proposal, agreement) in world.items():
        for name, method, data, statuses in MATRIX:
            for visitor in VISITORS:
                expected = statuses[visitor]
                if visibility == "private" and visitor not in {"member", "late_joiner"}:
                    expected = 404
                client.logout()
                if visitors[visitor]:
                    client.force_login(visitors[visitor])
                response = getattr(client, method)(url(name, circle, proposal, agreement), data)
                checked += 1
                if response.status_code != expected:
                    failures.append(
                        f"{visibility} {name} {visitor}: {response.status_code} != {expected}"
                    )
    assert checked == 2 * len(MATRIX) * len(VISITORS)
    assert failures == []


def test_only_the_electorate_votes_through_the_page(client, world):
    circle, visitors, proposal, _ = world["public"]
    client.force_login(visitors["late_joiner"])
    response = client.post(
        reverse("governance:vote", args=[circle.slug, proposal.pk]), {"choice": "yes"}
    )
    assert "Only those who were members when this proposal opened" in response.content.decode()
    assert not Ballot.objects.filter(voter=visitors["late_joiner"]).exists()


class TestBadInput:
    def test_forged_choice_gets_a_message_and_records_nothing(self, client):
        circle, people = make_circle(members=3)
        proposal = propose(circle, people[0])
        client.force_login(people[1])
        response = client.post(
            reverse("governance:vote", args=[circle.slug, proposal.pk]), {"choice": "block"}
        )
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
        assert not Ballot.objects.exists()

    def test_vote_after_close_and_on_a_draft(self, client):
        circle, people = make_circle(members=1)
        closed = propose(circle, people[0])
        ballot_cast(proposal=closed, voter=people[0], choice="yes")
        draft = propose(circle, people[0], open_now=False)
        client.force_login(people[0])
        for proposal, message in [(closed, "has closed"), (draft, "voting has not opened")]:
            response = client.post(
                reverse("governance:vote", args=[circle.slug, proposal.pk]), {"choice": "no"}
            )
            assert response.status_code == 400
            assert message in response.content.decode()
        assert Ballot.objects.get().choice == "yes"

    def test_voting_window_out_of_bounds_keeps_input(self, client):
        circle, people = make_circle(members=3)
        client.force_login(people[0])
        response = client.post(
            reverse("governance:proposal_new", args=[circle.slug]),
            {
                "kind": "change_decision_settings",
                "title": "Longer votes",
                "reason": "People travel.",
                "open_now": "on",
                "voting_days": "45",
                "quorum_percent": "50",
                "threshold": "majority",
                "method": "majority",
                "ballots": "open",
            },
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Ensure this value is less than or equal to 30." in html
        assert 'value="Longer votes"' in html
        assert 'value="45"' in html
        assert not Proposal.objects.exists()

    def test_amending_a_repealed_agreement_is_not_offered(self, client):
        circle, people = make_circle(members=1)
        add = propose(circle, people[0], ProposalKind.ADD_AGREEMENT, {"title": "A", "text": "a"})
        ballot_cast(proposal=add, voter=people[0], choice="yes")
        agreement = circle.agreements.get()
        repeal = propose(circle, people[0], ProposalKind.REPEAL_AGREEMENT, {"agreement": agreement})
        ballot_cast(proposal=repeal, voter=people[0], choice="yes")
        client.force_login(people[0])
        response = client.post(
            reverse("governance:proposal_new", args=[circle.slug]),
            {
                "kind": "amend_agreement",
                "title": "Bring it back",
                "reason": "Why not.",
                "agreement": str(agreement.pk),
                "title_new": "A",
                "text": "b",
            },
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert circle.proposals.filter(kind="amend_agreement").count() == 0

    def test_unknown_kind_offers_the_list(self, client):
        circle, people = make_circle(members=1)
        client.force_login(people[0])
        response = client.get(reverse("governance:proposal_new", args=[circle.slug]) + "?kind=coup")
        assert response.status_code == 200
        assert "What would you like to propose?" in response.content.decode()

    def test_settings_proposal_is_prefilled_from_the_settings_page(self, client):
        circle, people = make_circle(members=3, join_policy="approval")
        client.force_login(people[0])
        settings_page = client.get(reverse("circles:settings", args=[circle.slug])).content.decode()
        assert "?kind=change_circle_settings" in settings_page
        form_page = client.get(
            reverse("governance:proposal_new", args=[circle.slug]) + "?kind=change_circle_settings"
        ).content.decode()
        assert f'value="{circle.name}"' in form_page
        assert re.search(r'<input[^>]*value="approval"[^>]*checked', form_page)


def test_secret_ballots_never_show_who_chose_what(client):
    from tests.governance.conftest import set_rules

    circle, people = make_circle(members=3)
    set_rules(circle, ballots="secret")
    proposal = propose(circle, people[0])
    ballot_cast(proposal=proposal, voter=people[0], choice="no", reason="secret reason")
    client.force_login(people[1])
    page = client.get(
        reverse("governance:proposal", args=[circle.slug, proposal.pk])
    ).content.decode()
    assert "1 of 3 voters have voted." in page
    assert people[0].display_name in page  # turnout is known
    assert "secret reason" not in page
    assert "Who voted how" not in page
    for person in people[1:]:
        ballot_cast(proposal=proposal, voter=person, choice="yes")
    page = client.get(
        reverse("governance:proposal", args=[circle.slug, proposal.pk])
    ).content.decode()
    assert "Who voted how" not in page
    assert "secret reason" not in page


def test_open_ballots_show_who_voted_how(client):
    circle, people = make_circle(members=3)
    proposal = propose(circle, people[0])
    ballot_cast(proposal=proposal, voter=people[0], choice="no", reason="Too soon")
    client.force_login(people[1])
    page = client.get(
        reverse("governance:proposal", args=[circle.slug, proposal.pk])
    ).content.decode()
    assert f"{people[0].display_name}: No — Too soon" in page


def test_decision_log_agreements_and_proposals_keep_a_query_budget(client):
    circle, people = make_circle(members=3)
    client.force_login(people[0])

    def add_decided(n):
        for i in range(n):
            proposal = propose(
                circle, people[0], ProposalKind.ADD_AGREEMENT, {"title": f"R{i}", "text": "t"}
            )
            for person in people:
                ballot_cast(proposal=proposal, voter=person, choice="yes")
            propose(circle, people[0], title=f"open {i}")

    add_decided(1)
    for name in ["decisions", "agreements", "proposals"]:
        path = reverse(f"governance:{name}", args=[circle.slug])
        assert_query_budget(
            lambda path=path: client.get(path),
            budget=11,
            grow_data=lambda: add_decided(30),
            label=name,
        )
