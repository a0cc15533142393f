"""The members page shows each member's display name and, of their profile, only what they
chose to share with that circle. Each circle sees its own choice; other circles are unaffected.
"""

import pytest
from django.urls import reverse

from circles.models import Membership
from circles.services import membership_end, membership_update_sharing
from tests.factories import UserFactory, make_circle, make_member
from tests.helpers import assert_query_budget

pytestmark = pytest.mark.django_db

PROFILE = {
    "pronouns": "she/they",
    "languages": "Galician, Portuguese",
    "help_categories": ["childcare", "errands"],
    "area": "Riverside ward",
    "bio": "Night-shift nurse, early riser.",
    "lived_experience": "Years of caring for my father through psychosis.",
}
# What each sharing flag reveals, as the members page shows it.
SHOWN_BY = {
    "share_pronouns": ["she/they"],
    "share_languages": ["Galician, Portuguese"],
    "share_help_categories": ["Childcare", "Errands"],
    "share_area": ["Riverside ward"],
    "share_bio": ["Night-shift nurse, early riser."],
    "share_lived_experience": ["Years of caring for my father through psychosis."],
}


def with_profile(user, **fields):
    profile = user.profile
    for field, value in {**PROFILE, **fields}.items():
        setattr(profile, field, value)
    profile.save()
    return user


@pytest.fixture
def two_circles():
    """Mar is in two circles, with a full profile; Teo is a fellow member of the first."""
    first, (teo,) = make_circle(members=1, name="Harbour")
    second, (una,) = make_circle(members=1, name="Orchard")
    mar = with_profile(UserFactory(display_name="Mar"))
    make_member(first, mar)
    make_member(second, mar)
    return first, second, mar, teo, una


def members_page(client, viewer, circle) -> str:
    client.force_login(viewer)
    answer = client.get(reverse("circles:members", args=[circle.slug]))
    assert answer.status_code == 200
    return answer.content.decode()


def mar_card(page: str) -> str:
    """The part of the page about Mar: from Mar's heading to the next member's card."""
    start = page.index("<h2>Mar")
    end = page.find('<li class="card">', start)
    return page[start : end if end != -1 else len(page)]


def test_by_default_a_circle_sees_pronouns_languages_and_help_only(client, two_circles):
    first, _second, _mar, teo, _una = two_circles
    card = mar_card(members_page(client, teo, first))
    for flag, texts in SHOWN_BY.items():
        default = Membership._meta.get_field(flag).default
        for text in texts:
            assert (text in card) is default, (flag, text)


@pytest.mark.parametrize("flag", Membership.SHARE_FIELDS)
def test_each_sharing_choice_shows_exactly_its_own_field(client, two_circles, flag):
    first, _second, mar, teo, _una = two_circles
    membership = Membership.objects.get(circle=first, user=mar)
    membership_update_sharing(
        membership=membership, **{f: f == flag for f in Membership.SHARE_FIELDS}
    )
    page = members_page(client, teo, first)
    card = mar_card(page)
    for other, texts in SHOWN_BY.items():
        for text in texts:
            assert (text in page) is (other == flag), (other, text)
    assert "Mar" in card


def test_what_one_circle_sees_does_not_change_what_another_sees(client, two_circles):
    first, second, mar, teo, una = two_circles
    client.force_login(mar)
    saved = client.post(
        reverse("circles:sharing", args=[first.slug]),
        {"share_bio": "on", "share_lived_experience": "on"},  # unticked: all the others
        follow=True,
    )
    assert saved.redirect_chain[-1][0] == reverse("circles:members", args=[first.slug])
    assert "Saved. This circle now sees what you chose." in saved.content.decode()

    first_page = members_page(client, teo, first)
    assert PROFILE["bio"] in first_page
    assert PROFILE["lived_experience"] in first_page
    assert PROFILE["pronouns"] not in first_page
    assert "Childcare" not in first_page

    second_page = members_page(client, una, second)
    assert PROFILE["bio"] not in second_page
    assert PROFILE["lived_experience"] not in second_page
    assert PROFILE["pronouns"] in second_page
    assert "Childcare" in second_page


def test_the_sharing_page_shows_the_current_choice(client, two_circles):
    first, _second, mar, _teo, _una = two_circles
    membership_update_sharing(
        membership=Membership.objects.get(circle=first, user=mar),
        share_area=True,
        share_pronouns=False,
    )
    client.force_login(mar)
    page = client.get(reverse("circles:sharing", args=[first.slug])).content.decode()
    assert "What Harbour sees of my profile" in page
    for flag in Membership.SHARE_FIELDS:
        checked = f'name="{flag}" id="id_{flag}" checked' in page
        expected = Membership.objects.get(circle=first, user=mar).__dict__[flag]
        assert checked is expected, flag


def test_empty_fields_show_no_empty_labels(client, two_circles):
    first, _second, mar, teo, _una = two_circles
    with_profile(mar, pronouns="", languages="", help_categories=[], area="", bio="")
    membership_update_sharing(
        membership=Membership.objects.get(circle=first, user=mar),
        **dict.fromkeys(Membership.SHARE_FIELDS, True),
    )
    card = mar_card(members_page(client, teo, first))
    for label in ("General area", "Languages", "I can help with", "Bio"):
        assert f"<dt>{label}</dt>" not in card
    assert "<dt>Lived experience</dt>" in card


def test_former_members_are_not_listed_and_names_are_always_shown(client, two_circles):
    first, _second, mar, teo, _una = two_circles
    membership_update_sharing(
        membership=Membership.objects.get(circle=first, user=mar),
        **dict.fromkeys(Membership.SHARE_FIELDS, False),
    )
    gone = make_member(first, UserFactory(display_name="Gone Away"))
    membership_end(circle=first, user=gone)
    page = members_page(client, teo, first)
    assert "3 members" not in page
    assert "2 members" in page
    assert "<h2>Mar</h2>" in page
    assert "Gone Away" not in page
    for texts in SHOWN_BY.values():
        for text in texts:
            assert text not in page


def test_nobody_outside_the_circle_sees_what_members_share(client, two_circles):
    first, _second, mar, _teo, una = two_circles
    membership_update_sharing(
        membership=Membership.objects.get(circle=first, user=mar),
        **dict.fromkeys(Membership.SHARE_FIELDS, True),
    )
    # Una shares a circle with Mar, but not this one.
    client.force_login(una)
    answer = client.get(reverse("circles:members", args=[first.slug]))
    assert answer.status_code == 403
    assert PROFILE["lived_experience"] not in answer.content.decode()
    client.logout()
    answer = client.get(reverse("circles:members", args=[first.slug]))
    assert answer.status_code == 302
    assert PROFILE["lived_experience"] not in answer.content.decode()


def test_the_members_page_keeps_its_query_budget(client):
    circle, (viewer,) = make_circle(members=1)
    client.force_login(viewer)

    def grow():
        for n in range(30):
            person = with_profile(UserFactory(display_name=f"Many {n:02d}"))
            make_member(circle, person)
            membership_update_sharing(
                membership=Membership.objects.get(circle=circle, user=person),
                **dict.fromkeys(Membership.SHARE_FIELDS, True),
            )

    make_member(circle, with_profile(UserFactory(display_name="One")))
    assert_query_budget(
        lambda: client.get(reverse("circles:members", args=[circle.slug])),
        budget=11,
        grow_data=grow,
        label="members page",
    )
