"""The bootstrap rule: under 3 members any member changes the settings directly; from exactly
3 members on, only a passed proposal does. Members who left do not count."""

import pytest
from django.urls import reverse

from circles.models import Circle
from circles.services import (
    circle_update_settings,
    invite_accept,
    invite_create,
    membership_end,
    settings_editable_directly,
)
from governance.models import ProposalKind, ProposalStatus
from governance.services import ballot_cast
from peernet.errors import DomainError
from tests.factories import UserFactory, make_circle, make_member
from tests.governance.conftest import propose
from tests.helpers import circle_form_data

pytestmark = pytest.mark.django_db

REFUSED = "This circle has 3 or more members: its settings change only by a proposal."

FORM = circle_form_data(name="Renamed Circle", purpose="Peers helping peers.")


def settings_url(circle):
    return reverse("circles:settings", args=[circle.slug])


def snapshot(circle):
    return Circle.objects.filter(pk=circle.pk).values().get()


@pytest.mark.parametrize("members", [1, 2])
def test_under_three_members_any_member_changes_settings_directly(members):
    circle, people = make_circle(members=members, join_policy="approval")
    assert settings_editable_directly(circle=circle) is True
    circle_update_settings(
        circle=circle, member=people[-1], changes={"join_policy": "open", "approvals_needed": 2}
    )
    circle.refresh_from_db()
    assert (circle.join_policy, circle.approvals_needed) == ("open", 2)
    assert not circle.proposals.exists()


@pytest.mark.parametrize("members", [3, 4])
def test_from_exactly_three_members_a_direct_change_is_refused(members):
    circle, people = make_circle(members=members, join_policy="approval")
    assert settings_editable_directly(circle=circle) is False
    before = snapshot(circle)
    for person in people:
        with pytest.raises(DomainError) as refused:
            circle_update_settings(circle=circle, member=person, changes={"join_policy": "open"})
        assert refused.value.message == REFUSED
    assert snapshot(circle) == before


def test_the_third_member_joining_ends_direct_edits_and_a_leaver_reopens_them():
    circle, (ana, bo) = make_circle(members=2, join_policy="invite")
    circle_update_settings(circle=circle, member=ana, changes={"name": "Two of Us"})
    cy = UserFactory()
    invite_accept(invite=invite_create(circle=circle, member=bo), user=cy)
    with pytest.raises(DomainError, match="only by a proposal"):
        circle_update_settings(circle=circle, member=ana, changes={"name": "Three of Us"})
    membership_end(circle=circle, user=cy)
    circle_update_settings(circle=circle, member=bo, changes={"name": "Two Again"})
    circle.refresh_from_db()
    assert circle.name == "Two Again"


def test_former_members_and_outsiders_never_change_settings(staff):
    circle, (_ana,) = make_circle(members=1)
    former = make_member(circle)
    membership_end(circle=circle, user=former)
    before = snapshot(circle)
    for person in (former, staff, UserFactory()):
        with pytest.raises(DomainError, match="Only members"):
            circle_update_settings(circle=circle, member=person, changes={"name": "Taken over"})
    assert snapshot(circle) == before


# --- Through the settings page -----------------------------------------------------------


def test_a_two_member_circle_saves_its_settings_from_the_page(client):
    circle, (_ana, bo) = make_circle(members=2, join_policy="approval")
    client.force_login(bo)
    page = client.get(settings_url(circle)).content.decode()
    assert "While the circle has fewer than 3 members, any member can change these settings." in (
        page
    )
    assert "Save settings" in page
    answer = client.post(settings_url(circle), FORM, follow=True)
    assert answer.redirect_chain[-1][0] == reverse("circles:home", args=[circle.slug])
    body = answer.content.decode()
    assert "The circle&#x27;s settings are saved." in body
    assert "<h1>Renamed Circle</h1>" in body
    circle.refresh_from_db()
    assert (circle.name, circle.join_policy) == ("Renamed Circle", "open")


def test_at_exactly_three_members_the_page_offers_a_proposal_and_refuses_a_post(client):
    circle, (_ana, _bo, cy) = make_circle(members=3, join_policy="approval")
    before = snapshot(circle)
    client.force_login(cy)
    page = client.get(settings_url(circle)).content.decode()
    assert "so its settings change only by a proposal its members vote on" in page
    assert "Propose a change to these settings" in page
    assert "Save settings" not in page
    assert "<fieldset disabled>" in page

    # A hand-made POST (an old tab, a forged form) is refused with the reason, and changes nothing.
    answer = client.post(settings_url(circle), FORM)
    assert answer.status_code == 200
    body = answer.content.decode()
    assert REFUSED in body
    assert "Save settings" not in body
    assert snapshot(circle) == before


def test_at_three_members_the_same_change_passes_by_proposal(client):
    circle, people = make_circle(members=3, join_policy="approval")
    proposal = propose(
        circle, people[0], ProposalKind.CHANGE_CIRCLE_SETTINGS, {"join_policy": "open"}
    )
    for person in people:
        ballot_cast(proposal=proposal, voter=person, choice="yes")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.effect_applied) == (ProposalStatus.PASSED, True)
    circle.refresh_from_db()
    assert circle.join_policy == "open"
    # Still three members: the page stays read-only after the decision.
    client.force_login(people[1])
    assert "Save settings" not in client.get(settings_url(circle)).content.decode()
