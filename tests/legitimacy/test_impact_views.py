"""The impact page: who may see it, the period a member asks for, and its query budget."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from circles.models import Post, Response
from governance.legitimacy.models import ImpactSettings, Measure
from tests.factories import UserFactory, make_circle
from tests.helpers import assert_query_budget

NOW = timezone.make_aware(datetime(2025, 6, 30, 15))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def url(circle, **period) -> str:
    query = "&".join(f"{k}={v}" for k, v in period.items())
    return reverse("legitimacy:impact", args=[circle.slug]) + (f"?{query}" if query else "")


def post(circle, author, when, **fields):
    return Post.objects.create(
        circle=circle,
        author=author,
        kind=fields.pop("kind", "need"),
        title="A lift",
        category=fields.pop("category", "food"),
        created_at=when,
        expires_at=when + timedelta(days=30),
        **fields,
    )


@pytest.fixture
def counted(db):
    """A public circle of six that counts needs posted and members active; each member
    posted a need a month ago."""
    circle, people = make_circle(members=6, visibility="public")
    ImpactSettings.objects.create(circle=circle, measures=["needs_posted", "active_members"])
    for person in people:
        post(circle, person, NOW - timedelta(days=30))
    return circle, people


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- Who sees it ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("visibility", "who", "status"),
    [
        ("public", "member", 200),
        ("public", "outsider", 403),
        ("public", "staff", 403),
        ("public", "anonymous", 302),
        ("private", "member", 200),
        ("private", "outsider", 404),
        ("private", "staff", 404),
        ("private", "anonymous", 404),
    ],
)
def test_who_sees_the_impact_page(client, db, visibility, who, status):
    circle, (member,) = make_circle(members=1, visibility=visibility)
    viewer = {
        "member": member,
        "outsider": UserFactory(),
        "staff": UserFactory(is_staff=True, is_superuser=True),
        "anonymous": None,
    }[who]
    if viewer:
        client.force_login(viewer)

    response = client.get(url(circle))

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("account_login"))
    if status == 200:
        assert "What we count" in text(response)


# --- What it shows ----------------------------------------------------------------------


def test_a_member_sees_what_is_counted_and_the_last_twelve_months(client, counted):
    circle, people = counted
    post(circle, people[0], NOW - timedelta(days=400))  # before the last twelve months
    client.force_login(people[0])

    page = text(client.get(url(circle)))

    assert "nothing here is about one person" in page.lower()
    assert 'value="2024-07-01"' in page and 'value="2025-06-30"' in page
    assert "<li>Needs posted</li>" in page and "<li>Members active</li>" in page
    assert "<dt>Needs posted</dt> <dd>6</dd>" in page
    assert "<dt>Members active</dt> <dd>6</dd>" in page
    propose = reverse("governance:proposal_new", args=[circle.slug])
    assert f'href="{propose}?kind=choose_measures"' in page
    assert f'href="{propose}?kind=publish_report"' in page
    for name in ["stories", "partnerships", "circle_reports"]:
        assert f'href="{reverse(f"legitimacy:{name}", args=[circle.slug])}"' in page


def test_the_period_a_member_asks_for(client, counted):
    circle, people = counted
    client.force_login(people[0])

    page = text(client.get(url(circle, period_start="2025-01-01", period_end="2025-03-31")))

    assert 'value="2025-01-01"' in page and 'value="2025-03-31"' in page
    assert "Fewer than 5 members were active in this period" in page
    assert "<dt>" not in page


def test_no_measures_chosen_yet_offers_to_propose_some(client, db):
    circle, people = make_circle(members=6)
    for person in people:
        post(circle, person, NOW - timedelta(days=3))
    client.force_login(people[0])

    response = client.get(url(circle))

    page = text(response)
    assert response.status_code == 200
    assert "has not chosen anything to count yet" in page
    propose = reverse("governance:proposal_new", args=[circle.slug])
    assert f'href="{propose}?kind=choose_measures"' in page
    assert "<dt>" not in page


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2025-06-01", "2025-07-01", "The period cannot be in the future"),
        ("2025-05-01", "2025-04-01", "The period must start before it ends."),
        ("2023-01-01", "2025-06-30", "A period can be at most two years long."),
        ("2025-13-45", "2025-06-30", "Enter a valid date."),
        ("", "2025-06-30", "This field is required."),
    ],
)
def test_a_bad_period_says_why_and_keeps_what_was_typed(client, counted, start, end, message):
    circle, people = counted
    client.force_login(people[0])

    response = client.get(url(circle, period_start=start, period_end=end))

    page = text(response)
    assert response.status_code == 400
    assert message in page
    assert 'class="error-summary"' in page
    if start:
        assert f'value="{start}"' in page
    assert f'value="{end}"' in page
    assert "<dt>" not in page  # no figures for a period that cannot be counted


def test_odd_input_in_the_period_is_a_clear_message(client, counted):
    circle, people = counted
    client.force_login(people[0])

    response = client.get(url(circle, period_start="%00", period_end="x" * 500))

    assert response.status_code == 400
    assert "Enter a valid date." in text(response)


# --- Query budget -----------------------------------------------------------------------


def test_the_page_takes_the_same_few_queries_whatever_the_data(client, counted):
    circle, people = counted
    ImpactSettings.objects.filter(circle=circle).update(measures=Measure.values)
    client.force_login(people[0])

    def grow():
        for n in range(80):
            when = NOW - timedelta(days=n + 1)
            need = post(circle, people[n % 6], when, category=["food", "money"][n % 2])
            Response.objects.create(post=need, responder=people[(n + 1) % 6], created_at=when)
            people[n % 6].profile.languages = "English, Spanish"
            people[n % 6].profile.save()

    assert_query_budget(
        lambda: client.get(url(circle)), budget=12, grow_data=grow, label="impact page"
    )
