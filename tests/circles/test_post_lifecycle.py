"""A post's life: every status pair, every action from every status, expiry and reminders."""

from datetime import timedelta
from itertools import product

import pytest
import time_machine
from django.utils import timezone

from circles import selectors, services
from circles.lifecycle import AUTHOR, DECISION, SCHEDULER, transition_allowed
from circles.models import Message, Post, PostStatus, Response
from peernet.errors import DomainError
from peernet.notify.models import Kind, Notification
from tests.factories import make_circle, make_post

pytestmark = pytest.mark.django_db

STATUSES = list(PostStatus.values)
ACTORS = [AUTHOR, SCHEDULER, DECISION]

# Written out by hand from the spec, independently of lifecycle.TRANSITIONS.
ALLOWED = {
    ("open", "in_progress", AUTHOR),  # the author accepts a responder
    ("open", "fulfilled", AUTHOR),  # help that happened without a response here
    ("in_progress", "fulfilled", AUTHOR),
    ("open", "withdrawn", AUTHOR),
    ("in_progress", "withdrawn", AUTHOR),
    ("expired", "open", AUTHOR),  # extending an expired post
    ("open", "expired", SCHEDULER),
    ("in_progress", "expired", SCHEDULER),
    *((status, "removed", DECISION) for status in STATUSES if status != "removed"),
}


@pytest.mark.parametrize(("current", "new", "by"), list(product(STATUSES, STATUSES, ACTORS)))
def test_every_status_pair_for_every_actor(current, new, by):
    assert transition_allowed(current=current, new=new, by=by) == ((current, new, by) in ALLOWED)


@pytest.fixture
def cast():
    circle, (author, responder, other) = make_circle(members=3)
    return circle, author, responder, other


def _post_in(status, author, responder, circle):
    post = make_post(circle, author)
    response = services.response_create(post=post, responder=responder, text="I can help.")
    Post.objects.filter(pk=post.pk).update(status=status)
    post.refresh_from_db()
    return post, response


def _accept(post, author, response):
    return services.response_accept(post=post, author=author, response=response)


def _fulfil(post, author, response):
    return services.post_fulfil(post=post, author=author, thank_you="Thanks!")


def _withdraw(post, author, response):
    return services.post_withdraw(post=post, author=author)


def _extend(post, author, response):
    return services.post_extend(post=post, author=author, lifetime=timedelta(days=7))


ACTIONS = {"accept": _accept, "fulfil": _fulfil, "withdraw": _withdraw, "extend": _extend}
# From each status, what each author action leads to; None means refused.
OUTCOMES = {
    "open": {
        "accept": "in_progress",
        "fulfil": "fulfilled",
        "withdraw": "withdrawn",
        "extend": "open",
    },
    "in_progress": {
        "accept": None,
        "fulfil": "fulfilled",
        "withdraw": "withdrawn",
        "extend": "in_progress",
    },
    "fulfilled": dict.fromkeys(ACTIONS),
    "withdrawn": dict.fromkeys(ACTIONS),
    "expired": {"accept": None, "fulfil": None, "withdraw": None, "extend": "open"},
    "removed": dict.fromkeys(ACTIONS),
}


@pytest.mark.parametrize(("status", "action"), list(product(STATUSES, ACTIONS)))
def test_every_author_action_from_every_status(cast, status, action):
    circle, author, responder, _other = cast
    post, response = _post_in(status, author, responder, circle)
    expected = OUTCOMES[status][action]
    if expected is None:
        with pytest.raises(DomainError):
            ACTIONS[action](post, author, response)
        post.refresh_from_db()
        assert post.status == status
    else:
        ACTIONS[action](post, author, response)
        post.refresh_from_db()
        assert post.status == expected


@pytest.mark.parametrize("action", list(ACTIONS))
def test_only_the_author_acts_on_a_post(cast, action):
    circle, author, responder, other = cast
    post, response = _post_in("open", author, responder, circle)
    for someone in (responder, other):
        with pytest.raises(DomainError, match="Only the person who posted"):
            ACTIONS[action](post, someone, response)
    post.refresh_from_db()
    assert post.status == "open"


@pytest.mark.parametrize("status", STATUSES)
def test_the_scheduler_expires_only_open_and_in_progress_posts(cast, status):
    circle, author, responder, _other = cast
    post, _response = _post_in(status, author, responder, circle)
    Post.objects.filter(pk=post.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    services.posts_expire_due()
    services.posts_expire_due()  # twice is the same as once
    post.refresh_from_db()
    assert post.status == ("expired" if status in {"open", "in_progress"} else status)


@pytest.mark.parametrize("status", STATUSES)
def test_a_decision_removes_a_post_from_any_status_once(cast, status):
    circle, author, responder, _other = cast
    post, _response = _post_in(status, author, responder, circle)
    applied, why = services.post_remove_by_decision(post_id=post.pk)
    post.refresh_from_db()
    assert post.status == "removed"
    assert applied == (status != "removed")
    assert bool(why) == (status == "removed")


def test_accepting_a_response_to_another_post_is_refused(cast):
    circle, author, responder, _other = cast
    post, _response = _post_in("open", author, responder, circle)
    _elsewhere, foreign = _post_in("open", author, responder, circle)
    with pytest.raises(DomainError, match="not about this post"):
        services.response_accept(post=post, author=author, response=foreign)


def test_extending_never_goes_past_ninety_days(cast):
    circle, author, responder, _other = cast
    post, _response = _post_in("open", author, responder, circle)
    for _ in range(5):
        services.post_extend(post=post, author=author, lifetime=timedelta(days=60))
    post.refresh_from_db()
    assert post.expires_at <= timezone.now() + timedelta(days=90)
    assert post.expires_at > timezone.now() + timedelta(days=89)


def test_responses_only_while_open_and_once_per_person(cast):
    circle, author, responder, other = cast
    post = make_post(circle, author)
    with pytest.raises(DomainError, match="your own post"):
        services.response_create(post=post, responder=author, text="me")
    services.response_create(post=post, responder=responder, text="I can help.")
    with pytest.raises(DomainError, match="already responded"):
        services.response_create(post=post, responder=responder, text="again")
    services.post_withdraw(post=post, author=author)
    with pytest.raises(DomainError, match="no longer open"):
        services.response_create(post=post, responder=other, text="late")
    assert Response.objects.filter(post=post).count() == 1


def test_messages_stop_when_the_post_closes(cast):
    circle, author, responder, other = cast
    post, response = _post_in("open", author, responder, circle)
    services.message_send(response=response, sender=author, text="Hello")
    with pytest.raises(DomainError, match="Only the two people"):
        services.message_send(response=response, sender=other, text="Me too")
    services.post_fulfil(post=post, author=author)
    with pytest.raises(DomainError, match="closed"):
        services.message_send(response=response, sender=responder, text="Still there?")
    assert list(Message.objects.filter(response=response).values_list("text", flat=True)) == [
        "I can help.",
        "Hello",
    ]


def test_expiry_reminder_once_two_days_before_and_again_after_an_extension(cast):
    circle, author, _responder, _other = cast
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        post = make_post(circle, author, lifetime=timedelta(days=5))
    reminders = Notification.objects.filter(recipient=author, kind=Kind.POST_EXPIRING)
    with time_machine.travel(start + timedelta(days=2, hours=23), tick=False):
        assert services.expiry_reminders_send() == 0
    with time_machine.travel(start + timedelta(days=3, hours=1), tick=False):
        assert services.expiry_reminders_send() == 1
        assert services.expiry_reminders_send() == 0
    assert reminders.count() == 1
    with time_machine.travel(start + timedelta(days=3, hours=2), tick=False):
        services.post_extend(post=post, author=author, lifetime=timedelta(days=3))
    with time_machine.travel(start + timedelta(days=6, hours=3), tick=False):
        assert services.expiry_reminders_send() == 1
    assert reminders.count() == 2
    with time_machine.travel(start + timedelta(days=9), tick=False):
        assert services.posts_expire_due() == 1
    post.refresh_from_db()
    assert post.status == "expired"


def test_nudge_once_after_three_days_without_a_reply(cast):
    circle, author, responder, other = cast
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        waiting = make_post(circle, author, title="Waiting")
        answered = make_post(circle, author, title="Answered")
        services.response_create(post=waiting, responder=responder, text="I can help.")
        reply = services.response_create(post=answered, responder=other, text="Me!")
        services.message_send(response=reply, sender=author, text="Thanks, yes.")
    nudges = Notification.objects.filter(recipient=author, kind=Kind.RESPONSE_NUDGE)
    with time_machine.travel(start + timedelta(days=2, hours=23), tick=False):
        assert services.response_nudges_send() == 0
    with time_machine.travel(start + timedelta(days=3, minutes=1), tick=False):
        assert services.response_nudges_send() == 1
        assert services.response_nudges_send() == 0
    assert nudges.count() == 1
    assert "Waiting" in nudges.get().text


def test_a_new_need_notifies_members_who_can_help_with_its_category(cast):
    circle, author, responder, other = cast
    responder.profile.help_categories = ["transport"]
    responder.profile.save()
    other.profile.help_categories = ["food"]
    other.profile.save()
    author.profile.help_categories = ["transport"]
    author.profile.save()
    need = make_post(circle, author, category="transport")
    matched = Notification.objects.filter(kind=Kind.POST_MATCHED)
    assert list(matched.values_list("recipient", flat=True)) == [responder.pk]
    offer = make_post(circle, other, kind="offer", title="Rides on Fridays", category="transport")
    assert [p.pk for p in selectors.matches_for(post=need)] == [offer.pk]
    assert [p.pk for p in selectors.matches_for(post=offer)] == [need.pk]
