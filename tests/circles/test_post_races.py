"""Concurrency on real PostgreSQL: accepts and responses that arrive together."""

import pytest

from circles import services
from circles.models import Post, Response
from peernet.errors import DomainError
from tests.factories import make_circle, make_post
from tests.helpers import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)

RESPONDERS = 6


def test_two_responders_accepted_at_once_leave_one_accepted():
    circle, (author, *responders) = make_circle(members=1 + RESPONDERS)
    post = make_post(circle, author)
    responses = [
        services.response_create(post=post, responder=r, text="I can help.") for r in responders
    ]
    pending = iter(responses)
    results = run_at_once(
        lambda: services.response_accept(post=post, author=author, response=next(pending)),
        RESPONDERS,
    )
    accepted = [r for r in results if isinstance(r, Post)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert (len(accepted), len(refused)) == (1, RESPONDERS - 1), results
    post.refresh_from_db()
    assert post.status == "in_progress"
    assert post.accepted_response_id == accepted[0].accepted_response_id


def test_one_person_responding_twice_at_once_opens_one_conversation():
    circle, (author, responder) = make_circle(members=2)
    post = make_post(circle, author)
    results = run_at_once(
        lambda: services.response_create(post=post, responder=responder, text="I can help."), 4
    )
    assert sum(isinstance(r, Response) for r in results) == 1, results
    assert all(isinstance(r, Response | DomainError) for r in results), results
    assert Response.objects.filter(post=post).count() == 1
