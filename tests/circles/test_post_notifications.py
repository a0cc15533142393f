"""Who hears of a new post: helpers of its category for a need, authors of open needs in
its category for an offer, and whoever asked for new posts right away. Each once; none
learns who posted an anonymous need."""

import pytest

from peernet.members.choices import Delivery
from peernet.members.models import NotificationSettings, Profile
from peernet.notify.models import Kind, Notification
from tests.factories import make_circle, make_post

pytestmark = pytest.mark.django_db


def _wants_posts_now(*people):
    for person in people:
        NotificationSettings.objects.create(user=person, posts=Delivery.NOW)


def test_email_me_right_away_about_new_posts_sends_them(
    mailoutbox, django_capture_on_commit_callbacks
):
    circle, (author, eager, calm) = make_circle(members=3, name="Garden")
    _wants_posts_now(eager)
    with django_capture_on_commit_callbacks(execute=True):
        post = make_post(circle, author, kind="offer", title="Spare seedlings", category="food")
    notice = Notification.objects.get(recipient=eager)
    assert notice.kind == Kind.NEW_POST
    assert notice.text == "New offer in Garden: “Spare seedlings”."
    assert notice.url == post.get_absolute_url()
    assert [m.to for m in mailoutbox] == [[eager.email]]
    assert post.get_absolute_url() in mailoutbox[0].body
    # The digest is the default for posts: nothing right away for the others.
    assert not Notification.objects.filter(recipient__in=[author, calm]).exists()


def test_a_new_offer_reaches_the_authors_of_open_needs_in_its_category(
    django_capture_on_commit_callbacks,
):
    circle, (offerer, needy, shy, other_need) = make_circle(members=4, name="Garden")
    make_post(circle, needy, title="Old need", category="food")
    make_post(circle, needy, title="Newest need", category="food")
    make_post(circle, shy, title="Quiet need", category="food", anonymous=True)
    make_post(circle, other_need, title="A lift", category="transport")
    with django_capture_on_commit_callbacks(execute=True):
        make_post(circle, offerer, kind="offer", title="Soup on Sundays", category="food")
    matched = Notification.objects.filter(kind=Kind.POST_MATCHED)
    assert sorted((n.recipient_id, n.text) for n in matched) == sorted(
        [
            (
                needy.pk,
                "An offer in Garden may help with your need “Newest need”: “Soup on Sundays”.",
            ),
            (shy.pk, "An offer in Garden may help with your need “Quiet need”: “Soup on Sundays”."),
        ]
    )
    assert not Notification.objects.filter(recipient__in=[offerer, other_need]).exists()


def test_no_one_hears_of_a_post_twice_and_a_need_never_names_its_author(
    django_capture_on_commit_callbacks,
):
    circle, (author, helper) = make_circle(members=2, name="Garden")
    _wants_posts_now(helper)
    Profile.objects.update_or_create(user=helper, defaults={"help_categories": ["food"]})
    with django_capture_on_commit_callbacks(execute=True):
        make_post(circle, author, title="Groceries", category="food", anonymous=True)
    notice = Notification.objects.get(recipient=helper)
    assert notice.kind == Kind.POST_MATCHED
    assert author.display_name not in notice.text
    assert notice.actor is None
