"""circle_for_viewer: the circle and the viewer's membership in one query, for every circle
page; the member count only on the pages that show it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from circles import services
from circles.access import MEMBERS_ONLY_STATUS
from circles.models import Membership
from circles.selectors import circle_for_viewer
from tests.factories import UserFactory, make_circle, make_member

pytestmark = pytest.mark.django_db


def members_line(count: int) -> str:
    return f"{count} member" if count == 1 else f"{count} members"


def test_a_member_gets_the_circle_and_their_membership_in_one_query(django_assert_num_queries):
    circle, (member, _other) = make_circle(members=2)
    services.membership_update_care_rota(
        membership=Membership.objects.get(circle=circle, user=member), willing=True
    )
    with django_assert_num_queries(1):
        found, membership = circle_for_viewer(slug=circle.slug, user=member)
        # The membership comes whole, with its circle: reading either asks nothing more.
        assert membership.circle == found
        assert membership.care_rota_willing is True
    assert found == circle
    assert isinstance(membership, Membership)
    assert membership == Membership.objects.get(circle=circle, user=member)
    assert membership.user_id == member.pk
    assert membership.left_at is None


def test_a_non_member_of_a_public_circle_sees_it_without_a_membership(django_assert_num_queries):
    circle, _ = make_circle(members=2, visibility="public")
    outsider = UserFactory()
    with django_assert_num_queries(1):
        found, membership = circle_for_viewer(slug=circle.slug, user=outsider)
    assert found == circle
    assert membership is None


def test_the_viewers_membership_of_another_circle_is_not_theirs_here():
    circle, (member,) = make_circle(members=1)
    other_circle, _ = make_circle(members=1)
    outsider = make_member(other_circle)
    _found, membership = circle_for_viewer(slug=circle.slug, user=outsider)
    assert membership is None
    _found, membership = circle_for_viewer(slug=circle.slug, user=member)
    assert membership.user_id == member.pk


def test_an_outsider_of_a_private_circle_gets_a_404_in_one_query(django_assert_num_queries):
    circle, _ = make_circle(members=2, visibility="private")
    outsider = UserFactory()
    with django_assert_num_queries(1), pytest.raises(Http404):
        circle_for_viewer(slug=circle.slug, user=outsider)


@pytest.mark.parametrize("visibility", ["public", "unlisted"])
def test_an_anonymous_visitor_gets_a_visible_circle_in_one_query(
    visibility, django_assert_num_queries
):
    circle, _ = make_circle(members=2, visibility=visibility)
    with django_assert_num_queries(1):
        found, membership = circle_for_viewer(slug=circle.slug, user=AnonymousUser())
    assert found == circle
    assert membership is None


def test_an_anonymous_visitor_gets_a_404_for_a_private_circle(django_assert_num_queries):
    circle, _ = make_circle(members=1, visibility="private")
    with django_assert_num_queries(1), pytest.raises(Http404):
        circle_for_viewer(slug=circle.slug, user=AnonymousUser())


def test_an_unknown_address_is_a_404():
    with pytest.raises(Http404):
        circle_for_viewer(slug="no-such-circle", user=AnonymousUser())


def test_a_member_who_left_is_not_a_member(client):
    public, (stays, leaves) = make_circle(members=2, visibility="public")
    private, _ = make_circle(members=1, visibility="private")
    make_member(private, leaves)
    services.membership_end(circle=public, user=leaves)
    services.membership_end(circle=private, user=leaves)

    _found, membership = circle_for_viewer(slug=public.slug, user=leaves)
    assert membership is None
    with pytest.raises(Http404):
        circle_for_viewer(slug=private.slug, user=leaves)

    client.force_login(leaves)
    board = client.get(reverse("circles:board", args=[public.slug]))
    assert board.status_code == MEMBERS_ONLY_STATUS
    assert client.get(reverse("circles:home", args=[private.slug])).status_code == 404
    client.force_login(stays)
    assert client.get(reverse("circles:board", args=[public.slug])).status_code == 200


def test_a_member_who_rejoined_is_a_member_again():
    circle, (person,) = make_circle(members=1, visibility="private")
    make_member(circle, UserFactory())
    services.membership_end(circle=circle, user=person)
    services.membership_add(circle=circle, user=person)
    _found, membership = circle_for_viewer(slug=circle.slug, user=person)
    assert membership is not None
    assert membership.left_at is None


@pytest.mark.parametrize("signed_in", [True, False])
def test_the_circle_home_counts_current_members_only(client, signed_in):
    circle, people = make_circle(members=3, visibility="public")
    services.membership_end(circle=circle, user=people[2])
    if signed_in:
        client.force_login(people[0])
    page = client.get(reverse("circles:home", args=[circle.slug])).content.decode()
    assert members_line(2) in page
    assert members_line(3) not in page
    assert "This circle is dormant" not in page


def test_the_circle_home_says_when_nobody_is_left(client):
    circle, (person,) = make_circle(members=1, visibility="public")
    services.membership_end(circle=circle, user=person)
    page = client.get(reverse("circles:home", args=[circle.slug])).content.decode()
    assert members_line(0) in page
    assert "This circle is dormant" in page


def test_the_invite_page_counts_current_members(client):
    circle, (inviter, _second, leaver) = make_circle(members=3, visibility="private")
    services.membership_end(circle=circle, user=leaver)
    invite = services.invite_create(circle=circle, member=inviter)
    page = client.get(reverse("circles:invite", args=[invite.token])).content.decode()
    assert members_line(2) in page
    assert members_line(3) not in page


# --- Kept in the cache, and never past a change ------------------------------------------


def test_a_second_look_asks_the_database_nothing(django_assert_num_queries):
    circle, (member,) = make_circle(members=1)
    circle_for_viewer(slug=circle.slug, user=member)
    with django_assert_num_queries(0):
        found, membership = circle_for_viewer(slug=circle.slug, user=member)
    assert found == circle and membership.user_id == member.pk


def test_leaving_or_being_removed_closes_a_private_circle_at_once(client):
    circle, (stays, leaves) = make_circle(members=2, visibility="private")
    board = reverse("circles:board", args=[circle.slug])
    client.force_login(leaves)
    assert client.get(board).status_code == 200  # kept in the cache from here
    services.membership_end(circle=circle, user=leaves)
    assert client.get(board).status_code == 404
    with pytest.raises(Http404):
        circle_for_viewer(slug=circle.slug, user=leaves)
    client.force_login(stays)
    assert client.get(board).status_code == 200


def test_a_circle_going_private_is_gone_for_outsiders_at_once(client):
    circle, _ = make_circle(members=1, visibility="public")
    outsider = UserFactory()
    home = reverse("circles:home", args=[circle.slug])
    client.force_login(outsider)
    assert client.get(home).status_code == 200
    services.circle_apply_settings(circle=circle, changes={"visibility": "private"})
    assert client.get(home).status_code == 404  # the old address, now kept from outsiders
    circle.refresh_from_db()
    assert client.get(reverse("circles:home", args=[circle.slug])).status_code == 404


def test_joining_opens_a_private_circle_at_once(client):
    circle, _ = make_circle(members=1, visibility="private")
    newcomer = UserFactory()
    client.force_login(newcomer)
    board = reverse("circles:board", args=[circle.slug])
    assert client.get(board).status_code == 404
    make_member(circle, newcomer)
    assert client.get(board).status_code == 200


def test_a_settings_change_shows_at_once(client):
    circle, (member,) = make_circle(members=1, visibility="public", name="Old name")
    home = reverse("circles:home", args=[circle.slug])
    client.force_login(member)
    assert "Old name" in client.get(home).content.decode()
    services.circle_apply_settings(circle=circle, changes={"name": "New name"})
    assert "New name" in client.get(home).content.decode()
