"""Pages that answer both ways: the whole page, or with htmx only the part it swaps.

When htmx misses its history cache it asks for the page again with `HX-Request` and
`HX-History-Restore-Request`; that answer must be the whole page, or the page is wiped.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from circles.services import response_create
from tests.factories import make_circle, make_post
from tests.governance.conftest import propose

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
HISTORY_RESTORE = {**HTMX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}


@dataclass
class Page:
    method: str
    url: str
    fragment_id: str
    data: dict | None = None


def directory(client):
    make_circle(name="Soup circle")
    return Page("get", reverse("circles:directory"), "results")


def board(client):
    circle, [member] = make_circle()
    make_post(circle, member)
    client.force_login(member)
    return Page("get", reverse("circles:board", args=[circle.slug]), "posts")


def my_board(client):
    circle, [member] = make_circle()
    make_post(circle, member)
    client.force_login(member)
    return Page("get", reverse("circles:my_board"), "posts")


def _conversation_url(client) -> str:
    circle, [author, helper] = make_circle(members=2)
    post = make_post(circle, author)
    response = response_create(post=post, responder=helper, text="I can drive you.")
    client.force_login(helper)
    return reverse("circles:conversation", args=[circle.slug, post.pk, response.pk])


def conversation(client):
    return Page("get", _conversation_url(client), "thread")


def conversation_message_refused(client):
    """A message that fails validation is answered with the form, never a redirect."""
    return Page("post", _conversation_url(client), "thread", data={"text": ""})


def proposal_vote_refused(client):
    """A ballot without a choice is answered with the form, never a redirect."""
    circle, people = make_circle(members=3)
    proposal = propose(circle, people[0])
    client.force_login(people[1])
    return Page("post", reverse("governance:vote", args=[circle.slug, proposal.pk]), "vote", {})


PAGES = [
    directory,
    board,
    my_board,
    conversation,
    conversation_message_refused,
    proposal_vote_refused,
]


def fetch(client, page: Page, headers: dict):
    response = getattr(client, page.method)(page.url, page.data, **headers)
    assert response.status_code in (200, 400), response.status_code
    return response, response.content.decode()


def is_whole_page(html: str) -> bool:
    return html.lstrip().lower().startswith("<!doctype html>") and "</html>" in html


@pytest.fixture(params=PAGES, ids=lambda make: make.__name__)
def page(request, client):
    return request.param(client)


def test_a_plain_request_gets_the_whole_page(client, page):
    _, html = fetch(client, page, {})
    assert is_whole_page(html)
    assert f'id="{page.fragment_id}"' in html


def test_an_htmx_request_gets_only_the_fragment(client, page):
    _, html = fetch(client, page, HTMX)
    assert not is_whole_page(html)
    assert html.lstrip().startswith("<")
    assert f'id="{page.fragment_id}"' in html
    assert "<h1" not in html


def test_an_htmx_history_restore_gets_the_whole_page(client, page):
    _, html = fetch(client, page, HISTORY_RESTORE)
    assert is_whole_page(html)
    assert f'id="{page.fragment_id}"' in html


@pytest.mark.parametrize("headers", [{}, HTMX, HISTORY_RESTORE], ids=["plain", "htmx", "restore"])
def test_the_answer_varies_on_hx_request(client, page, headers):
    response, _ = fetch(client, page, headers)
    vary = [v.strip().lower() for v in response.get("Vary", "").split(",")]
    assert "hx-request" in vary, response.get("Vary")
