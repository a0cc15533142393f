"""The permission matrix: every circle URL, for every kind of visitor, on every visibility."""

import pytest
from django.urls import reverse

from circles.models import JoinRequest
from circles.services import invite_create, membership_end
from tests.factories import UserFactory, make_circle, make_member

pytestmark = pytest.mark.django_db

VISITORS = ["anonymous", "outsider", "applicant", "member", "former", "staff"]
NOT_MEMBERS = ["outsider", "applicant", "former", "staff"]


def expected_visible(member_only: int, *, member: int, anonymous: int = 302) -> dict:
    """Statuses on a public or unlisted circle."""
    return {"anonymous": anonymous, "member": member, **dict.fromkeys(NOT_MEMBERS, member_only)}


# (url name, method, statuses on a visible circle). A private circle answers 404 to
# everyone but its members, who get the same status as on a visible circle.
MATRIX = [
    ("home", "get", {**dict.fromkeys(VISITORS, 200)}),
    ("settings", "get", expected_visible(403, member=200)),
    ("members", "get", expected_visible(403, member=200)),
    ("sharing", "get", expected_visible(403, member=200)),
    ("requests", "get", expected_visible(403, member=200)),
    ("invites", "get", expected_visible(403, member=200)),
    ("leave", "get", expected_visible(403, member=200)),
    ("join", "get", expected_visible(200, member=302)),
    ("request_review", "post", expected_visible(403, member=302)),
    ("request_withdraw", "post", {**expected_visible(404, member=404), "applicant": 302}),
    ("invite_revoke", "post", expected_visible(403, member=302)),
]


@pytest.fixture
def world():
    """One circle of each visibility, each with a visitor of every kind."""
    circles = {}
    for visibility in ["public", "unlisted", "private"]:
        circle, (member,) = make_circle(members=1, visibility=visibility, join_policy="approval")
        applicant = UserFactory()
        join_request = JoinRequest.objects.create(circle=circle, user=applicant, message="hi")
        former = make_member(circle)
        membership_end(circle=circle, user=former)
        invite = invite_create(circle=circle, member=member)
        people = {
            "anonymous": None,
            "outsider": UserFactory(),
            "applicant": applicant,
            "member": member,
            "former": former,
            "staff": UserFactory(is_staff=True, is_superuser=True),
        }
        circles[visibility] = (circle, people, join_request, invite)
    return circles


def url_for(name, circle, join_request, invite):
    args = [circle.slug]
    if name in {"request_review", "request_withdraw"}:
        args.append(join_request.pk)
    if name == "invite_revoke":
        args.append(invite.pk)
    return reverse(f"circles:{name}", args=args)


def test_permission_matrix(client, world):
    failures = []
    checked = 0
    for visibility, (circle, people, join_request, invite) in world.items():
        for name, method, statuses in MATRIX:
            for visitor in VISITORS:
                expected = statuses[visitor]
                if visibility == "private" and visitor != "member":
                    expected = 404
                client.logout()
                if people[visitor] is not None:
                    client.force_login(people[visitor])
                data = {"decision": "approve"} if name == "request_review" else {}
                url = url_for(name, circle, join_request, invite)
                response = getattr(client, method)(url, data)
                checked += 1
                if response.status_code != expected:
                    failures.append(
                        f"{visibility} {name} {visitor}: {response.status_code} != {expected}"
                    )
                # Undo what a successful POST changed, so every cell sees the same world.
                join_request.refresh_from_db()
                if join_request.status != "pending":
                    JoinRequest.objects.filter(pk=join_request.pk).update(status="pending")
                    join_request.reviews.all().delete()
                    circle.memberships.filter(user=join_request.user).delete()
                invite.__class__.objects.filter(pk=invite.pk).update(revoked_at=None)
    assert checked == 3 * len(MATRIX) * len(VISITORS)
    assert failures == []


def test_private_circle_is_absent_from_the_directory_for_everyone(client, world):
    private = world["private"][0]
    unlisted = world["unlisted"][0]
    public = world["public"][0]
    for visitor in ["outsider", "member", "staff"]:
        client.force_login(world["private"][1][visitor])
        page = client.get("/circles/").content.decode()
        assert public.name in page.split("Public circles", 1)[1]
        assert private.name not in page.split("Public circles", 1)[1]
        assert unlisted.name not in page.split("Public circles", 1)[1]


def test_invite_link_shows_a_private_circle_only_to_its_holder(client, world):
    circle, people, _, invite = world["private"]
    client.force_login(people["outsider"])
    response = client.get(f"/invite/{invite.token}/")
    assert response.status_code == 200
    assert circle.name in response.content.decode()
    assert client.get(f"/invite/not-{invite.token}/").status_code == 404
    assert client.get(f"/c/{circle.slug}/").status_code == 404
