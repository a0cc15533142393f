"""The phone-first layout's server side: the circle navigation's waiting counts, and
Peernet's own error pages (also with DEBUG on)."""

import re

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from circles.models import Visibility
from circles.nav import JOIN_REQUESTS, OPEN_VOTES, UNREAD_CONVERSATIONS, waiting_counts
from circles.services import join_request_create, join_request_review, message_send, response_create
from governance.services import ballot_cast
from peernet.notify.models import Notification
from tests.factories import UserFactory, make_circle, make_post
from tests.governance.conftest import propose
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    """Ana's circle, with one of each thing that can wait for her."""
    circle, (ana, bo, cy) = make_circle(members=3, approvals_needed=2)
    join_request_create(circle=circle, user=UserFactory(), message="")
    propose(circle, bo, title="Meet on Sundays")
    post = make_post(circle, ana, title="Soup")
    response_create(post=post, responder=bo, text="I can bring some.")
    return circle, ana, bo, cy


def test_the_counts_are_what_waits_for_this_member(scene):
    circle, ana, bo, _cy = scene
    assert waiting_counts(circle=circle, user=ana) == {
        JOIN_REQUESTS: 1,
        OPEN_VOTES: 1,
        UNREAD_CONVERSATIONS: 1,
    }
    # Bo proposed it but has not voted; he answered the request; he has nothing unread.
    join_request_review(join_request=circle.join_requests.get(), member=bo, approve=True)
    assert waiting_counts(circle=circle, user=bo) == {
        JOIN_REQUESTS: 0,
        OPEN_VOTES: 1,
        UNREAD_CONVERSATIONS: 0,
    }


def test_a_conversation_counts_once_and_reading_it_clears_it(scene, client):
    circle, ana, bo, _cy = scene
    response = circle.posts.get().responses.get()
    message_send(response=response, sender=bo, text="Tonight?")
    assert Notification.objects.filter(recipient=ana).count() >= 2
    assert waiting_counts(circle=circle, user=ana)[UNREAD_CONVERSATIONS] == 1
    client.force_login(ana)
    assert client.get(response.get_absolute_url()).status_code == 200
    assert waiting_counts(circle=circle, user=ana)[UNREAD_CONVERSATIONS] == 0
    # What told of other things stays unread.
    assert Notification.objects.unread().filter(recipient=ana).exists()


def test_a_non_member_or_visitor_has_no_counts(scene):
    circle, *_ = scene
    from django.contrib.auth.models import AnonymousUser

    assert waiting_counts(circle=circle, user=UserFactory()) == {}
    assert waiting_counts(circle=circle, user=AnonymousUser()) == {}


def test_the_counts_take_one_query_whatever_waits(scene):
    circle, ana, bo, _cy = scene
    small, _ = count_queries(waiting_counts, circle=circle, user=ana)
    for n in range(5):
        join_request_create(circle=circle, user=UserFactory(), message="")
        propose(circle, bo, title=f"More {n}")
    large, counts = count_queries(waiting_counts, circle=circle, user=ana)
    assert small == large == 1
    assert counts[OPEN_VOTES] == 6 and counts[JOIN_REQUESTS] == 6


def test_the_nav_shows_badges_with_words_and_hides_zero(client, scene):
    circle, ana, _bo, cy = scene
    client.force_login(ana)
    page = client.get(reverse("circles:board", args=[circle.slug])).content.decode()
    assert "1 open vote you have not cast" in page
    assert "1 join request to review" in page
    assert "1 unread conversation" in page
    assert 'aria-current="page"' in page

    proposal = circle.proposals.get()
    ballot_cast(proposal=proposal, voter=ana, choice="yes")
    client.force_login(cy)  # Cy: the request waits, nothing unread, a vote waits.
    page = client.get(reverse("circles:board", args=[circle.slug])).content.decode()
    assert "open vote" in page
    assert "unread conversation" not in page
    ballot_cast(proposal=proposal, voter=cy, choice="yes")
    page = client.get(reverse("circles:board", args=[circle.slug])).content.decode()
    assert "open vote" not in page
    assert 'class="badge"' in page  # the join request still waits


def test_the_board_filter_opens_only_when_a_filter_is_applied(client, scene):
    circle, ana, *_ = scene
    client.force_login(ana)
    url = reverse("circles:board", args=[circle.slug])
    assert "<details open>" not in client.get(url).content.decode()
    assert "<details open>" not in client.get(url, {"q": "soup", "status": "open"}).content.decode()
    assert "<details open>" in client.get(url, {"kind": "need", "status": "open"}).content.decode()


@pytest.mark.parametrize("debug", [True, False])
def test_a_private_circles_404_is_the_friendly_page_even_with_debug(client, settings, debug):
    settings.DEBUG = debug
    circle, _ = make_circle(members=1, visibility=Visibility.PRIVATE)
    client.force_login(UserFactory())
    response = client.get(reverse("circles:board", args=[circle.slug]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "We can't find that page" in page
    assert "Go to the home page" in page
    assert "DEBUG = True" not in page


def test_the_403_page_is_friendly(client):
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/somewhere/")
    request.user = UserFactory()
    response = permission_denied(request, exception=None)
    assert response.status_code == 403
    assert "You can't open this page" in response.content.decode()


@pytest.mark.parametrize("name", ["500.html", "400.html"])
def test_the_plain_error_pages_render_without_a_request(name):
    page = engines["django"].get_template(name).render({})
    assert "Go to the home page" in page
    assert "css/peernet.css" in page


def test_a_form_that_comes_back_lists_each_problem_as_a_link_to_its_field(client):
    """GOV.UK's error summary: each link's target is on the page, radio groups included."""
    circle, (ana,) = make_circle(members=1)
    client.force_login(ana)
    response = client.post(reverse("circles:post_create", args=[circle.slug]), {"title": ""})
    html = response.content.decode()
    assert "There is a problem" in html
    summary = html[
        html.index('class="error-summary"') : html.index("</ul>", html.index("error-summary"))
    ]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert {"id_kind", "id_title"} <= set(targets)
    for target in targets:
        assert f'id="{target}"' in html, f"the summary links to #{target}, which is not on the page"
