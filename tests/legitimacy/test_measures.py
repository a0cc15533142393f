"""What a circle counts: each measure on data with known answers, small numbers kept out,
and the proposal that changes what is counted."""

import json
import re
from datetime import date, datetime, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from circles.models import Message, Post, Response
from governance.legitimacy.forms.measures import MeasuresProposalForm
from governance.legitimacy.models import ImpactSettings, Measure
from governance.legitimacy.selectors.measures import (
    counted_measures,
    impact_measures,
    language_names,
)
from governance.legitimacy.services.measures import measures_apply, measures_change_build
from governance.models import Ballot, Comment, Proposal, ProposalKind, ProposalStatus
from governance.services import ballot_cast
from peernet.errors import DomainError
from tests.factories import make_circle, make_member
from tests.governance.conftest import propose
from tests.helpers import captured

START, END = date(2025, 1, 1), date(2025, 6, 30)
ALL = Measure.values


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


IN = at(2025, 3, 1, 12)
BEFORE = at(2024, 12, 31, 23, 59, 59)  # the last second before the period
LAST = at(2025, 6, 30, 23, 59, 59)  # the period's last second
AFTER = at(2025, 7, 1)  # the first second after it


def post(circle, author, *, kind="need", category="food", when=IN, status="open", **fields):
    return Post.objects.create(
        circle=circle,
        author=author,
        kind=kind,
        title="A lift",
        category=category,
        status=status,
        created_at=when,
        expires_at=when + timedelta(days=30),
        **fields,
    )


def respond(a_post, responder, when=IN):
    return Response.objects.create(post=a_post, responder=responder, created_at=when)


def decision(circle, *, closed=IN, status=ProposalStatus.PASSED, cast=3, electorate=6):
    return Proposal.objects.create(
        circle=circle,
        kind=ProposalKind.RESOLUTION,
        title="A decision",
        reason="Because",
        status=status,
        opened_at=closed - timedelta(days=7),
        closed_at=closed if status in (ProposalStatus.PASSED, ProposalStatus.FAILED) else None,
        ballots_cast=cast,
        electorate_size=electorate,
    )


def measures(circle, *keys, start=START, end=END):
    return impact_measures(circle=circle, start=start, end=end, keys=keys or ALL)


def figure(result, key):
    (found,) = [f for f in result["figures"] if f["measure"] == key]
    return found


def value(result, key):
    return figure(result, key)["value"]


def parts(result, key):
    return {p["key"]: p["value"] for p in figure(result, key)["parts"]}


@pytest.fixture
def three(db):
    """A circle of three members: from three on, only proposals change what it counts."""
    return make_circle(members=3)


@pytest.fixture
def circle_of(db):
    """A circle of n members (the first five of them active in the period by posting an
    offer nobody took, which no other figure counts), and its members."""

    def make(n=8, active=5):
        circle, people = make_circle(members=n)
        for person in people[:active]:
            post(circle, person, kind="offer", category="other")
        return circle, people

    return make


# --- Each measure -----------------------------------------------------------------------


def test_needs_posted_met_and_offers_taken_up(circle_of):
    circle, people = circle_of()
    for person in people[:6]:
        post(circle, person, status="fulfilled", fulfilled_at=IN + timedelta(days=1))
    post(circle, people[0])  # open: posted, not met
    post(circle, people[0], status="in_progress")  # not met yet
    post(circle, people[0], when=BEFORE, status="fulfilled")
    post(circle, people[0], when=AFTER, status="fulfilled")
    post(circle, people[0], status="removed")
    for status in ["in_progress", "fulfilled", "fulfilled", "in_progress", "fulfilled"]:
        post(circle, people[1], kind="offer", status=status)
    post(circle, people[1], kind="offer", status="withdrawn")
    post(circle, people[1], kind="offer", status="removed")

    result = measures(circle)

    assert value(result, "needs_posted") == 8
    assert value(result, "needs_met") == 6
    assert value(result, "offers_taken_up") == 5


def test_the_period_includes_its_first_and_last_second(circle_of):
    circle, people = circle_of()
    for when in [at(2025, 1, 1), at(2025, 1, 1), LAST, LAST, IN]:
        post(circle, people[0], when=when)
    for when in [BEFORE, AFTER]:
        post(circle, people[0], when=when)

    assert value(measures(circle), "needs_posted") == 5


@pytest.mark.parametrize(("needs", "shown"), [(0, None), (4, None), (5, 5)])
def test_a_count_under_five_is_below_the_floor(circle_of, needs, shown):
    circle, people = circle_of()
    for _ in range(needs):
        post(circle, people[0])

    found = figure(measures(circle), "needs_posted")

    assert found["value"] == shown
    assert found["below_floor"] is (shown is None)


def test_first_response_time_is_the_median_over_needs_that_had_one(circle_of):
    circle, people = circle_of()
    for hours in [1, 2, 3, 4, 10]:
        need = post(circle, people[0])
        respond(need, people[1], IN + timedelta(hours=hours))
        respond(need, people[2], IN + timedelta(hours=hours + 100))  # not the first
    post(circle, people[0])  # no response: not part of it
    late = post(circle, people[0], when=BEFORE)  # another period's need
    respond(late, people[1], IN)
    offer = post(circle, people[0], kind="offer")  # an offer is not a need
    respond(offer, people[1], IN + timedelta(hours=500))

    found = figure(measures(circle), "first_response_time")

    assert found == {
        "measure": "first_response_time",
        "unit": "hours",
        "value": 3.0,
        "below_floor": False,
    }


def test_a_median_time_needs_five_needs(circle_of):
    circle, people = circle_of()
    for hours in [1, 2, 3, 4]:
        need = post(circle, people[0], status="fulfilled", fulfilled_at=IN + timedelta(hours=hours))
        respond(need, people[1], IN + timedelta(hours=hours))

    result = measures(circle)

    for key in ["first_response_time", "met_time"]:
        assert figure(result, key)["value"] is None
        assert figure(result, key)["below_floor"] is True


def test_met_time_is_the_median_hours_to_fulfilled_rounded(circle_of):
    circle, people = circle_of()
    for hours in [24, 48, 72.25, 96, 120]:
        post(circle, people[0], status="fulfilled", fulfilled_at=IN + timedelta(hours=hours))
    post(circle, people[0], status="in_progress")

    assert value(measures(circle), "met_time") == 72.2  # 72.25 to 1 decimal


def test_each_activity_makes_a_member_active_once(db):
    circle, people = make_circle(members=9)
    a, b, c, d, e, f, g, h, i = people
    elsewhere, _ = make_circle(members=0)
    make_member(elsewhere, h)
    need = post(circle, a)  # a posts
    response = respond(post(circle, a, when=BEFORE), b)  # b responds (on an older post)
    Message.objects.create(response=response, sender=c, text="Hi", created_at=IN)  # c writes
    proposal = decision(circle, closed=IN)
    Ballot.objects.create(proposal=proposal, voter=d, choice="yes", cast_at=IN)  # d votes
    Comment.objects.create(proposal=proposal, author=e, text="Yes", created_at=IN)  # e comments
    post(circle, f)  # f posts twice, responds and votes: once
    post(circle, f)
    respond(need, f)
    Ballot.objects.create(proposal=decision(circle), voter=f, choice="no", cast_at=IN)
    post(circle, g, when=BEFORE)  # g was active before the period only
    post(elsewhere, h)  # h was active in another circle only
    post(circle, i, status="removed")  # i's only post was removed by the circle

    assert value(measures(circle), "active_members") == 6


def test_a_period_with_four_active_members_shows_no_figure(circle_of):
    circle, people = circle_of(active=4)
    for _ in range(10):
        post(circle, people[0])

    result = measures(circle)

    assert result["enough_members"] is False
    assert result["figures"] == []
    assert result["floor"] == 5


def test_five_active_members_show_the_figures(circle_of):
    circle, _people = circle_of(active=5)

    result = measures(circle, "active_members", "needs_posted")

    assert result["enough_members"] is True
    assert [f["measure"] for f in result["figures"]] == ["needs_posted", "active_members"]
    assert value(result, "active_members") == 5


def test_conversations_are_the_periods_responses_on_the_circles_posts(circle_of):
    circle, people = circle_of()
    old = post(circle, people[0], when=BEFORE)
    new = post(circle, people[0])
    removed = post(circle, people[0], status="removed")
    for person in people[1:5]:
        respond(new, person)
    respond(old, people[5])  # in the period, on an older post: counted
    respond(old, people[6], BEFORE)  # before the period: not
    respond(removed, people[7])  # on a removed post: not

    assert value(measures(circle), "conversations") == 5


def test_a_category_with_one_person_behind_it_never_shows_by_itself(circle_of):
    circle, people = circle_of(n=10)
    for person in people[:5]:  # five people, six food posts
        post(circle, person, category="food")
    post(circle, people[0], category="food")
    post(circle, people[0], category="transport")  # one person: would single them out
    post(circle, people[0], category="transport")

    result = parts(measures(circle), "categories")

    assert "transport" not in result
    # "Other" holds the five offers of the fixture (category "other") and the transport posts.
    assert result == {"food": 6, "other": 7}


def test_small_categories_fold_into_other_only_with_five_people(circle_of):
    circle, people = circle_of(n=10, active=0)
    for person in people[:5]:
        post(circle, person, category="food")
    post(circle, people[5], category="transport")
    post(circle, people[6], category="housing")
    post(circle, people[6], category="housing")

    result = figure(measures(circle), "categories")

    assert [p["key"] for p in result["parts"]] == ["food"]  # other: 2 people, left out

    post(circle, people[7], category="money")
    post(circle, people[8], category="items")
    post(circle, people[9], category="other")

    assert parts(measures(circle), "categories") == {"food": 5, "other": 6}


def test_responders_are_people_behind_a_category_and_few_posts_read_fewer_than_5(circle_of):
    circle, people = circle_of(n=10, active=0)
    one = post(circle, people[0], category="childcare")
    two = post(circle, people[1], category="childcare")
    for person in people[2:4]:
        respond(one, person)
    respond(two, people[4])
    post(circle, people[5], category="food", status="removed")  # never counted
    for person in people[6:10]:
        post(circle, person, category="money")

    result = figure(measures(circle), "categories")

    assert result["unit"] == "breakdown"
    assert result["parts"] == [{"key": "childcare", "value": None, "below_floor": True}]


def test_languages_count_people_and_fold_a_language_one_person_speaks(circle_of):
    circle, people = circle_of(n=8, active=7)
    spoken = [
        "English, Spanish",
        "english / spanish",
        "Spanish and English",
        "English; Spanish",
        "ENGLISH y spanish",
        "Basque",
        "Basque, English",
    ]
    for person, languages in zip(people, spoken, strict=False):
        person.profile.languages = languages
        person.profile.save()
    # Sharing off with this circle: not counted, whatever they speak.
    people[6].memberships.update(share_languages=False)

    result = figure(measures(circle), "languages")

    assert result["parts"] == [
        {"key": "english", "value": 5, "below_floor": False},
        {"key": "spanish", "value": 5, "below_floor": False},
    ]  # Basque: one person, and too few to make an "other" of


def test_rare_languages_fold_into_other_counting_each_person_once(circle_of):
    circle, people = circle_of(n=6, active=6)
    spoken = ["Wolof, Fula", "Quechua", "Aymara", "Basque", "Catalan", "Catalan y Basque"]
    for person, languages in zip(people, spoken, strict=True):
        person.profile.languages = languages
        person.profile.save()

    assert parts(measures(circle), "languages") == {"other": 6}


def test_language_names_are_split_and_compared_case_blind():
    assert language_names("English, Spanish y Catalan / Basque; Welsh and Irish ") == {
        "english",
        "spanish",
        "catalan",
        "basque",
        "welsh",
        "irish",
    }
    assert language_names("") == set()
    assert language_names(" , ;") == set()


def test_decisions_and_their_median_turnout(circle_of):
    circle, _ = circle_of()
    for cast, status in [(3, "passed"), (4, "failed"), (5, "passed"), (6, "passed"), (2, "failed")]:
        decision(circle, cast=cast, electorate=10, status=status)
    decision(circle, closed=BEFORE, cast=10, electorate=10)
    decision(circle, status=ProposalStatus.OPEN, cast=None, electorate=None)
    decision(circle, status=ProposalStatus.WITHDRAWN, cast=None, electorate=None)

    result = measures(circle)

    assert value(result, "decisions") == 5
    assert figure(result, "decision_turnout") == {
        "measure": "decision_turnout",
        "unit": "percent",
        "value": 40,
        "below_floor": False,
    }


def test_four_decisions_show_neither_count_nor_turnout(circle_of):
    circle, _ = circle_of()
    for _ in range(4):
        decision(circle)

    result = measures(circle)

    assert figure(result, "decisions")["below_floor"] is True
    assert value(result, "decisions") is None
    assert value(result, "decision_turnout") is None


def test_only_the_measures_asked_for_in_measure_order_and_json_ready(circle_of):
    circle, _ = circle_of()

    result = measures(circle, "languages", "needs_met", "decisions")

    assert [f["measure"] for f in result["figures"]] == ["needs_met", "languages", "decisions"]
    assert result["period"] == {"start": "2025-01-01", "end": "2025-06-30"}
    assert json.loads(json.dumps(result)) == result


def test_another_circles_activity_never_counts(circle_of):
    circle, _people = circle_of()
    other, others = make_circle(members=6)
    for person in others:
        post(other, person)

    assert value(measures(circle), "needs_posted") is None


def test_all_measures_take_a_few_queries_whatever_the_data(circle_of):
    circle, people = circle_of()
    small, _ = captured(lambda: measures(circle))
    for n in range(60):
        need = post(circle, people[n % 8], category=["food", "money", "other"][n % 3])
        respond(need, people[(n + 1) % 8], IN + timedelta(hours=n))
        decision(circle)
        people[n % 8].profile.languages = "English, Spanish"
        people[n % 8].profile.save()
    large, _ = captured(lambda: measures(circle))

    assert len(small) == len(large) <= 15, "\n".join(large)


# --- What the circle chose to count -----------------------------------------------------


def test_counted_measures_is_empty_until_chosen_then_in_measure_order(db):
    circle, _ = make_circle(members=1)
    assert counted_measures(circle=circle) == []
    ImpactSettings.objects.create(circle=circle, measures=["languages", "needs_posted", "gone"])
    assert counted_measures(circle=circle) == ["needs_posted", "languages"]


def test_the_change_records_before_and_after_in_measure_order(db):
    circle, _ = make_circle(members=1)
    ImpactSettings.objects.create(circle=circle, measures=["needs_posted"])

    change = measures_change_build(
        circle=circle, data={"measures": ["decisions", "needs_met", "needs_posted"]}
    )

    assert change == {
        "before": {"measures": ["needs_posted"]},
        "after": {"measures": ["needs_posted", "needs_met", "decisions"]},
    }


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        ([], "Choose at least one measure to count."),
        (["needs_posted"], "The circle counts these already: change at least one."),
        (["needs_posted", "names_of_helpers"], "Choose among the measures listed."),
    ],
)
def test_the_change_refuses_an_empty_unchanged_or_unknown_choice(db, chosen, message):
    circle, _ = make_circle(members=1)
    ImpactSettings.objects.create(circle=circle, measures=["needs_posted"])

    with pytest.raises(DomainError) as refused:
        measures_change_build(circle=circle, data={"measures": chosen})

    assert refused.value.message == message


def test_a_passed_proposal_changes_what_the_circle_counts(three):
    circle, people = three
    proposal = propose(
        circle,
        people[0],
        ProposalKind.CHOOSE_MEASURES,
        {"measures": ["needs_met", "active_members"]},
    )
    assert counted_measures(circle=circle) == []
    for person in people:
        ballot_cast(proposal=proposal, voter=person, choice="yes")

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PASSED
    assert proposal.effect_applied is True
    assert counted_measures(circle=circle) == ["needs_met", "active_members"]
    assert ImpactSettings.objects.get(circle=circle).decision == proposal


def test_a_failed_proposal_changes_nothing(three):
    circle, people = three
    proposal = propose(circle, people[0], ProposalKind.CHOOSE_MEASURES, {"measures": ["decisions"]})
    for person in people:
        ballot_cast(proposal=proposal, voter=person, choice="no")

    assert counted_measures(circle=circle) == []


def test_applying_replaces_the_set(db):
    circle, _people = make_circle(members=1)
    ImpactSettings.objects.create(circle=circle, measures=["needs_posted", "languages"])
    proposal = decision(circle)
    proposal.change = {"before": {}, "after": {"measures": ["conversations"]}}

    assert measures_apply(proposal).applied is True
    assert counted_measures(circle=circle) == ["conversations"]


def test_the_form_starts_from_what_is_counted_and_refuses_an_empty_set(db):
    circle, people = make_circle(members=1)
    ImpactSettings.objects.create(circle=circle, measures=["decisions", "needs_met"])

    form = MeasuresProposalForm(circle=circle, proposer=people[0])
    assert form["measures"].initial == ["needs_met", "decisions"]

    form = MeasuresProposalForm(
        {"title": "Count less", "reason": "Less is more."}, circle=circle, proposer=people[0]
    )
    assert not form.is_valid()
    assert form.errors["measures"] == ["Choose at least one measure to count."]


def test_the_proposal_page_shows_counted_now_and_would_count(client, three):
    circle, people = three
    ImpactSettings.objects.create(circle=circle, measures=["needs_posted"])
    proposal = propose(
        circle, people[0], ProposalKind.CHOOSE_MEASURES, {"measures": ["languages", "decisions"]}
    )
    client.force_login(people[1])

    page = client.get(proposal.get_absolute_url()).content.decode()

    now = page.index("Counted now")
    would = page.index("Would count")
    assert now < page.index("Needs posted") < would
    assert would < page.index("Languages members speak") < page.index("Decisions made")


def test_the_proposal_form_offers_every_measure_with_the_current_ones_ticked(client, three):
    circle, people = three
    ImpactSettings.objects.create(circle=circle, measures=["conversations"])
    client.force_login(people[0])
    url = reverse("governance:proposal_new", args=[circle.slug]) + "?kind=choose_measures"

    page = client.get(url).content.decode()

    for key in Measure.values:
        ticked = " checked" if key == "conversations" else ""
        assert f'type="checkbox" name="measures" value="{key}"' in page
        assert re.search(f'value="{key}" id="[^"]+"{ticked}>', page), key


def test_proposing_an_empty_set_comes_back_with_a_message_and_the_form_kept(client, three):
    circle, people = three
    client.force_login(people[0])
    url = reverse("governance:proposal_new", args=[circle.slug])
    form = {"kind": "choose_measures", "title": "Count nothing", "reason": "Just to see."}

    response = client.post(url, form)

    assert response.status_code == 200
    assert "Choose at least one measure to count." in response.content.decode()
    assert 'value="Count nothing"' in response.content.decode()
    assert not Proposal.objects.filter(circle=circle).exists()


def test_proposing_the_same_set_comes_back_with_the_services_message(client, three):
    circle, people = three
    ImpactSettings.objects.create(circle=circle, measures=["needs_posted"])
    client.force_login(people[0])
    url = reverse("governance:proposal_new", args=[circle.slug])
    form = {"kind": "choose_measures", "title": "Same", "reason": "Why", "measures": "needs_posted"}

    response = client.post(url, form)

    assert response.status_code == 200
    assert "The circle counts these already: change at least one." in response.content.decode()
    assert not Proposal.objects.filter(circle=circle).exists()


# --- How figures read -------------------------------------------------------------------


def render(template: str, **context) -> str:
    return Template("{% load legitimacy_tags %}" + template).render(Context(context)).strip()


@pytest.mark.parametrize(
    ("fig", "reads"),
    [
        ({"unit": "count", "value": None, "below_floor": True}, "fewer than 5"),
        ({"unit": "count", "value": 5, "below_floor": False}, "5"),
        ({"unit": "hours", "value": 2.5, "below_floor": False}, "2.5 hours"),
        ({"unit": "hours", "value": 1.0, "below_floor": False}, "1 hour"),
        ({"unit": "hours", "value": 48.0, "below_floor": False}, "48 hours"),
        ({"unit": "hours", "value": 72.0, "below_floor": False}, "3 days"),
        ({"unit": "hours", "value": 60.0, "below_floor": False}, "2.5 days"),
        ({"unit": "hours", "value": None, "below_floor": True}, "not shown: fewer than 5 needs"),
        (
            {"unit": "percent", "value": None, "below_floor": True},
            "not shown: fewer than 5 decisions",
        ),
        ({"unit": "percent", "value": 62, "below_floor": False}, "62%"),
    ],
)
def test_figure_value(fig, reads):
    assert render("{{ fig|figure_value }}", fig=fig) == reads


def test_labels_of_measures_and_parts():
    assert render("{{ 'needs_met'|measure_label }}") == "Needs met"
    other = {"key": "other", "value": 7, "below_floor": False}
    food = {"key": "food", "value": None, "below_floor": True}
    basque = {"key": "basque", "value": 5, "below_floor": False}
    assert render("{{ p|part_label:'categories' }}", p=other) == "Other kinds of help"
    assert render("{{ p|part_label:'languages' }}", p=other) == "Other languages"
    assert render("{{ p|part_label:'categories' }}", p=food) == "Food"
    assert render("{{ p|part_label:'languages' }}", p=basque) == "Basque"
    assert render("{{ p|part_value:'categories' }}", p=food) == "fewer than 5 posts"
    assert render("{{ p|part_value:'languages' }}", p=basque) == "5 people"


def test_the_figures_say_why_nothing_shows_with_too_few_members():
    few = {"period": {}, "floor": 5, "enough_members": False, "figures": []}
    html = Template('{% include "legitimacy/_figures.html" %}').render(Context({"measures": few}))
    assert "Fewer than 5 members were active in this period" in html
    assert "privacy" in html


def test_the_figures_read_as_a_list_of_terms(circle_of):
    circle, people = circle_of()
    for _ in range(4):
        post(circle, people[0])

    html = Template('{% include "legitimacy/_figures.html" %}').render(
        Context({"measures": measures(circle, "needs_posted", "active_members", "categories")})
    )

    assert "<dt>Needs posted</dt>" in html
    assert "<dd>fewer than 5</dd>" in html
    assert "<dt>Members active</dt>" in html
    assert "<dd>5</dd>" in html
    # The fixture's five offers, and one person's four needs: never "Food" by itself.
    assert "Other kinds of help: 9 posts" in html
    assert "Food" not in html
