"""Invite links: they expire, they run out, members revoke them, and the last use goes once.

Whatever stops an invite, its holder is told why in words (a 410 page, or a message after
pressing "Join"), never an error page, and nobody becomes a member through it.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from circles.models import Invite, Membership
from circles.selectors import membership_of
from circles.services import invite_accept, invite_create, invite_revoke
from peernet.errors import DomainError
from tests.factories import UserFactory, make_circle
from tests.helpers import run_at_once

pytestmark = pytest.mark.django_db

EXPIRED = "This invite has expired."
USED_UP = "This invite has been used as many times as it allows."
REVOKED = "This invite was withdrawn by the circle."


@pytest.fixture
def circle_and_member():
    circle, (member,) = make_circle(members=1, visibility="private", join_policy="invite")
    return circle, member


def link(invite) -> str:
    return reverse("circles:invite", args=[invite.token])


def assert_refused(client, invite, person, reason):
    """The holder sees why, on the page and after pressing Join, and does not get in."""
    client.force_login(person)
    page = client.get(link(invite))
    assert page.status_code == 410
    body = page.content.decode()
    assert reason in body
    assert "Join this circle" not in body
    pressed = client.post(link(invite))
    assert pressed.status_code == 410
    assert reason in pressed.content.decode()
    assert membership_of(circle=invite.circle, user=person) is None
    with pytest.raises(DomainError, match=reason):
        invite_accept(invite=invite, user=person)


# --- Expiry ---------------------------------------------------------------------------------


def test_an_invite_works_until_its_last_moment_and_not_at_it(client, circle_and_member):
    circle, member = circle_and_member
    invite = invite_create(circle=circle, member=member, lifetime=timedelta(days=3))
    early, late = UserFactory(), UserFactory()
    with time_machine.travel(invite.expires_at - timedelta(seconds=1), tick=False):
        client.force_login(early)
        joined = client.post(link(invite), follow=True)
        assert f"Welcome to {circle.name}!" in joined.content.decode()
    with time_machine.travel(invite.expires_at, tick=False):
        assert_refused(client, invite, late, EXPIRED)
    invite.refresh_from_db()
    assert invite.use_count == 1
    assert membership_of(circle=circle, user=early) is not None


def test_an_invite_lasts_between_one_day_and_ninety(circle_and_member):
    circle, member = circle_and_member
    for lifetime in (timedelta(0), timedelta(days=91)):
        with pytest.raises(DomainError, match="between one day and 90 days"):
            invite_create(circle=circle, member=member, lifetime=lifetime)
    assert invite_create(circle=circle, member=member, lifetime=timedelta(days=90))
    assert Invite.objects.filter(circle=circle).count() == 1


def test_the_invites_page_refuses_an_invite_of_zero_days_and_keeps_the_input(
    client, circle_and_member
):
    circle, member = circle_and_member
    client.force_login(member)
    page = client.get(reverse("circles:invites", args=[circle.slug]))
    key = page.context["form"].initial["submission"]
    answer = client.post(
        reverse("circles:invites", args=[circle.slug]),
        {"days": "0", "max_uses": "37", "email": "", "submission": key},
    )
    assert answer.status_code == 200
    body = answer.content.decode()
    assert 'value="37"' in body
    assert "greater than or equal to 1" in body
    assert not Invite.objects.filter(circle=circle).exists()


# --- Use limit ------------------------------------------------------------------------------


def test_an_invite_lets_in_exactly_as_many_people_as_it_allows(client, circle_and_member):
    circle, member = circle_and_member
    invite = invite_create(circle=circle, member=member, max_uses=2)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    for person in (first, second):
        client.force_login(person)
        answer = client.post(link(invite))
        assert answer.status_code == 302
        assert answer.url == reverse("circles:home", args=[circle.slug])
    assert_refused(client, invite, third, USED_UP)
    invite.refresh_from_db()
    assert invite.use_count == 2
    assert Membership.objects.filter(circle=circle, left_at=None).count() == 3

    # The invites page tells the members how it was used.
    client.force_login(member)
    invites_page = client.get(reverse("circles:invites", args=[circle.slug])).content.decode()
    assert "Used 2 of 2 times" in invites_page


def test_a_member_opening_an_invite_uses_none_of_it(client, circle_and_member):
    circle, member = circle_and_member
    invite = invite_create(circle=circle, member=member, max_uses=1)
    client.force_login(member)
    page = client.get(link(invite))
    assert page.status_code == 200
    assert "You are already a member of this circle." in page.content.decode()
    client.post(link(invite))
    with pytest.raises(DomainError, match="already a member"):
        invite_accept(invite=invite, user=member)
    invite.refresh_from_db()
    assert invite.use_count == 0
    newcomer = UserFactory()
    invite_accept(invite=invite, user=newcomer)
    assert membership_of(circle=circle, user=newcomer) is not None


def test_an_emailed_invite_works_once_for_its_person(
    client, circle_and_member, mailoutbox, django_capture_on_commit_callbacks
):
    circle, member = circle_and_member
    with django_capture_on_commit_callbacks(execute=True):
        invite = invite_create(circle=circle, member=member, max_uses=50, email="kim@example.org")
    assert invite.max_uses == 1
    (email,) = mailoutbox
    assert email.to == ["kim@example.org"]
    assert f"/invite/{invite.token}/" in email.body
    kim, other = UserFactory(email="kim@example.org"), UserFactory()
    invite_accept(invite=invite, user=kim)
    assert_refused(client, invite, other, USED_UP)


def test_use_limits_outside_one_to_five_hundred_are_refused(circle_and_member):
    circle, member = circle_and_member
    for uses in (0, 501):
        with pytest.raises(DomainError, match="between 1 and 500 times"):
            invite_create(circle=circle, member=member, max_uses=uses)
    assert not Invite.objects.filter(circle=circle).exists()


# --- Revoke ---------------------------------------------------------------------------------


def test_a_member_revokes_an_invite_and_it_stops_working(client, circle_and_member):
    circle, member = circle_and_member
    other_member = UserFactory()
    invite_accept(invite=invite_create(circle=circle, member=member), user=other_member)
    invite = invite_create(circle=circle, member=member)

    # Any member may revoke, not only the one who made it.
    client.force_login(other_member)
    page = client.post(
        reverse("circles:invite_revoke", args=[circle.slug, invite.pk]), follow=True
    ).content.decode()
    assert "The invite link no longer works." in page
    assert "revoked" in page
    invite.refresh_from_db()
    assert invite.revoked_at is not None

    assert_refused(client, invite, UserFactory(), REVOKED)
    invite.refresh_from_db()
    assert invite.use_count == 0


def test_revoking_twice_keeps_the_first_time_and_outsiders_cannot_revoke(circle_and_member):
    circle, member = circle_and_member
    invite = invite_create(circle=circle, member=member)
    with pytest.raises(DomainError, match="Only members"):
        invite_revoke(invite=invite, member=UserFactory())
    invite.refresh_from_db()
    assert invite.revoked_at is None

    with time_machine.travel(timezone.now(), tick=False):
        first = invite_revoke(invite=invite, member=member).revoked_at
    with time_machine.travel(timezone.now() + timedelta(hours=1), tick=False):
        assert invite_revoke(invite=invite, member=member).revoked_at == first


def test_an_invite_of_another_circle_cannot_be_revoked_from_this_one(client, circle_and_member):
    circle, member = circle_and_member
    other, (stranger,) = make_circle(members=1)
    theirs = invite_create(circle=other, member=stranger)
    client.force_login(member)
    answer = client.post(reverse("circles:invite_revoke", args=[circle.slug, theirs.pk]))
    assert answer.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_revoked_invite_says_so_even_when_it_has_also_expired(client, circle_and_member):
    circle, member = circle_and_member
    invite = invite_create(circle=circle, member=member, lifetime=timedelta(days=1))
    invite_revoke(invite=invite, member=member)
    with time_machine.travel(invite.expires_at + timedelta(days=1), tick=False):
        assert_refused(client, invite, UserFactory(), REVOKED)


# --- The last use, twice at once -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_use_at_once_through_the_service():
    circle, (member,) = make_circle(members=1, join_policy="invite")
    invite = invite_create(circle=circle, member=member, max_uses=1)
    people = [UserFactory(), UserFactory()]
    queue = list(people)

    results = run_at_once(lambda: invite_accept(invite=invite, user=queue.pop()), 2)
    joined = [r for r in results if isinstance(r, Membership)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(joined) == 1
    assert len(refused) == 1, results
    assert refused[0].message == USED_UP
    invite.refresh_from_db()
    assert invite.use_count == 1
    assert Membership.objects.filter(circle=circle, user__in=people).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_pressing_join_on_the_last_use_at_once():
    from django.test import Client

    circle, (member,) = make_circle(members=1, join_policy="invite")
    invite = invite_create(circle=circle, member=member, max_uses=1)
    people = [UserFactory(), UserFactory()]
    clients = []
    for person in people:
        client = Client()
        client.force_login(person)
        clients.append(client)

    answers = run_at_once(lambda: clients.pop().post(link(invite)), 2)
    assert not [a for a in answers if isinstance(a, Exception)], answers
    statuses = sorted(a.status_code for a in answers)
    assert statuses[0] != 500 and statuses[1] != 500, statuses
    welcomed = [a for a in answers if a.status_code == 302]
    refused = [a for a in answers if a.status_code != 302]
    assert len(welcomed) == 1
    assert len(refused) == 1
    assert USED_UP in refused[0].content.decode()
    assert "Join this circle" not in refused[0].content.decode()
    assert Membership.objects.filter(circle=circle, user__in=people).count() == 1
    invite.refresh_from_db()
    assert invite.use_count == 1
