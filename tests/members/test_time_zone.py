"""A member reads every time in their own time zone, not the server's."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from circles.services import response_create
from tests.factories import make_circle, make_post

pytestmark = pytest.mark.django_db

SENT = datetime(2026, 11, 28, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "shown"),
    [("UTC", "10:30 a.m."), ("America/Mexico_City", "4:30 a.m."), ("Asia/Kolkata", "4 p.m.")],
)
def test_message_times_show_in_the_readers_time_zone(client, zone, shown):
    circle, (author, responder) = make_circle(members=2)
    post = make_post(circle, author)
    with time_machine.travel(SENT, tick=False):
        response = response_create(post=post, responder=responder, text="I can drive you.")
    author.time_zone = zone
    author.save()
    client.force_login(author)
    page = client.get(
        reverse("circles:conversation", args=[circle.slug, post.pk, response.pk])
    ).content.decode()
    assert f"Nov. 28, 2026, {shown}" in page
