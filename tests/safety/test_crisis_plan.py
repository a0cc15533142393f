"""Each circle's crisis plan: started from a template in its language, changed only by a
passed proposal, shown on every urgent need and from the circle's navigation."""

import pytest
from django.urls import reverse

from circles.crisis_plan import crisis_plan_template
from circles.services import circle_create
from governance.models import ProposalKind
from governance.services import ballot_cast, proposal_close
from tests.factories import make_member, make_post
from tests.governance.conftest import propose
from tests.helpers import circle_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle(user):
    circle = circle_create(creator=user, name="Harbour peers")
    for _ in range(2):
        make_member(circle)
    return circle


def test_a_new_circle_starts_from_the_template_in_its_language(user):
    english = circle_create(creator=user, name="One", language="en")
    spanish = circle_create(creator=user, name="Dos", language="es")
    assert english.crisis_plan == crisis_plan_template(language="en")
    assert "we ask them first" in english.crisis_plan
    assert spanish.crisis_plan == crisis_plan_template(language="es")
    assert spanish.crisis_plan != english.crisis_plan


def test_the_plan_shows_from_the_navigation_with_a_way_to_change_it(client, circle, user):
    client.force_login(user)
    home = client.get(reverse("circles:home", args=[circle.slug])).content.decode()
    plan_url = reverse("circles:crisis_plan", args=[circle.slug])
    assert plan_url in home
    page = client.get(plan_url).content.decode()
    assert "<strong>Emergency services</strong>" in page
    assert "?kind=change_crisis_plan" in page


def test_only_a_passed_proposal_changes_the_plan(client, circle, user):
    client.force_login(user)
    # The settings form has no crisis plan, whatever is posted.
    client.post(
        reverse("circles:settings", args=[circle.slug]),
        circle_form_data(name=circle.name, crisis_plan="Call the police."),
    )
    circle.refresh_from_db()
    assert "Call the police." not in circle.crisis_plan
    form = client.get(
        reverse("governance:proposal_new", args=[circle.slug]) + "?kind=change_crisis_plan"
    ).content.decode()
    assert "we ask them first" in form  # the current plan, to edit rather than retype
    new_plan = "Ask first. Call Harbour warmline: 555-0100."
    proposal = propose(circle, user, ProposalKind.CHANGE_CRISIS_PLAN, {"crisis_plan": new_plan})
    circle.refresh_from_db()
    assert new_plan != circle.crisis_plan  # not yet: the circle decides
    for membership in circle.memberships.select_related("user"):
        ballot_cast(proposal=proposal, voter=membership.user, choice="yes")
    proposal_close(proposal=proposal)
    circle.refresh_from_db()
    assert circle.crisis_plan == new_plan
    decision = client.get(proposal.get_absolute_url()).content.decode()
    assert "Crisis plan" in decision and "Harbour warmline" in decision


def test_an_unchanged_plan_is_refused_with_a_message(client, circle, user):
    client.force_login(user)
    answer = client.post(
        reverse("governance:proposal_new", args=[circle.slug]),
        {
            "kind": "change_crisis_plan",
            "title": "Same",
            "reason": "No change",
            "crisis_plan": circle.crisis_plan,
            "open_now": "on",
        },
    )
    assert "The new plan is the same as the current one." in answer.content.decode()


@pytest.mark.parametrize(("urgency", "shown"), [("urgent", True), ("normal", False), ("", False)])
def test_the_plan_shows_on_every_urgent_need(client, circle, user, urgency, shown):
    need = make_post(circle, user, kind="need", urgency=urgency)
    client.force_login(user)
    page = client.get(reverse("circles:post", args=[circle.slug, need.pk])).content.decode()
    assert ("If someone may be in danger: the circle's crisis plan" in page) is shown
