"""Join requests in an approval circle: N distinct members give the same answer to decide one.

The circle's "approvals needed" setting (1 by default, up to 10) says how many members must
approve, or decline, before a request is decided. The applicant is told either way, and may
ask again after a decline.
"""

import pytest
from django.urls import reverse

from circles.models import JoinRequest, JoinRequestReview, Membership
from circles.selectors import membership_of
from circles.services import (
    join_request_create,
    join_request_review,
    membership_end,
)
from peernet.errors import DomainError
from peernet.notify.models import Kind, Notification
from tests.factories import UserFactory, make_circle, make_member
from tests.helpers import run_at_once

pytestmark = pytest.mark.django_db


def approval_circle(needed: int, members: int | None = None):
    """An approval circle needing `needed` answers, with one more member than that."""
    return make_circle(
        members=members or needed + 1, join_policy="approval", approvals_needed=needed
    )


def ask(circle, name="Applicant", message="I live nearby and cook."):
    applicant = UserFactory(display_name=name)
    return applicant, join_request_create(circle=circle, user=applicant, message=message)


def review(join_request, member, approve=True):
    return join_request_review(join_request=join_request, member=member, approve=approve)


def told(applicant) -> list[Notification]:
    return list(Notification.objects.filter(recipient=applicant, kind=Kind.REQUEST_DECIDED))


# --- Services ------------------------------------------------------------------------------


@pytest.mark.parametrize("needed", [1, 2, 3])
def test_a_request_is_accepted_at_exactly_n_distinct_approvals(
    needed, mailoutbox, django_capture_on_commit_callbacks
):
    circle, members = approval_circle(needed)
    applicant, join_request = ask(circle)
    with django_capture_on_commit_callbacks(execute=True):
        for member in members[: needed - 1]:
            assert review(join_request, member).status == "pending"
            assert membership_of(circle=circle, user=applicant) is None
        assert told(applicant) == []
        decided = review(join_request, members[needed - 1])
    assert decided.status == "approved"
    assert decided.decided_at is not None
    assert membership_of(circle=circle, user=applicant) is not None
    assert JoinRequestReview.objects.filter(join_request=join_request, approve=True).count() == (
        needed
    )
    assert len(told(applicant)) == 1
    (email,) = [m for m in mailoutbox if m.to == [applicant.email]]
    assert f"Welcome to {circle.name}" in email.subject


@pytest.mark.parametrize("needed", [2, 3])
def test_one_member_approving_again_and_again_counts_once(needed):
    circle, members = approval_circle(needed)
    applicant, join_request = ask(circle)
    for _ in range(needed + 1):
        assert review(join_request, members[0]).status == "pending"
    assert join_request.reviews.count() == 1
    assert membership_of(circle=circle, user=applicant) is None


def test_a_member_who_changes_their_mind_is_counted_for_their_last_answer():
    circle, (ana, bo, cy) = approval_circle(2)
    applicant, join_request = ask(circle)
    review(join_request, ana, approve=True)
    review(join_request, ana, approve=False)
    assert review(join_request, bo, approve=True).status == "pending"
    assert membership_of(circle=circle, user=applicant) is None
    assert review(join_request, cy, approve=True).status == "approved"
    assert membership_of(circle=circle, user=applicant) is not None
    assert list(join_request.reviews.filter(approve=False).values_list("reviewer", flat=True)) == [
        ana.pk
    ]


def test_mixed_answers_wait_until_one_side_reaches_n():
    circle, (ana, bo, cy) = approval_circle(2)
    applicant, join_request = ask(circle)
    assert review(join_request, ana, approve=True).status == "pending"
    assert review(join_request, bo, approve=False).status == "pending"
    assert review(join_request, cy, approve=False).status == "declined"
    assert membership_of(circle=circle, user=applicant) is None


def test_an_approval_by_someone_who_has_since_left_does_not_count():
    """Approvals needed counts members: a leaver's answer leaves with them, as a ballot does."""
    circle, (ana, bo, cy) = approval_circle(2)
    applicant, join_request = ask(circle)
    review(join_request, ana)
    membership_end(circle=circle, user=ana)
    assert review(join_request, bo).status == "pending"
    assert membership_of(circle=circle, user=applicant) is None
    assert review(join_request, cy).status == "approved"


def test_only_members_answer_and_an_answered_request_stays_answered(staff):
    circle, (ana, bo) = approval_circle(1)
    former = make_member(circle)
    membership_end(circle=circle, user=former)
    applicant, join_request = ask(circle)
    for outsider in (applicant, former, staff, UserFactory()):
        with pytest.raises(DomainError, match="Only members"):
            review(join_request, outsider)
    assert join_request.reviews.count() == 0

    review(join_request, ana, approve=False)
    with pytest.raises(DomainError, match="already been answered"):
        review(join_request, bo, approve=True)
    join_request.refresh_from_db()
    assert join_request.status == "declined"
    assert membership_of(circle=circle, user=applicant) is None


@pytest.mark.parametrize("needed", [1, 2, 3])
def test_the_decline_path_tells_only_the_applicant_who_may_ask_again(
    needed, mailoutbox, django_capture_on_commit_callbacks
):
    circle, members = approval_circle(needed)
    applicant, join_request = ask(circle)
    with django_capture_on_commit_callbacks(execute=True):
        for member in members[: needed - 1]:
            assert review(join_request, member, approve=False).status == "pending"
        mailoutbox.clear()
        before = Notification.objects.count()
        decided = review(join_request, members[needed - 1], approve=False)
    assert decided.status == "declined"
    assert membership_of(circle=circle, user=applicant) is None
    assert not Membership.objects.filter(circle=circle, user=applicant).exists()
    # The applicant is told, and nobody else is notified of the decline.
    assert Notification.objects.count() == before + 1
    (notice,) = told(applicant)
    assert notice.circle == circle
    assert [m.to for m in mailoutbox] == [[applicant.email]]
    assert "did not approve your request" in mailoutbox[0].subject
    assert circle.name in mailoutbox[0].subject

    # They may ask again: a new, separate request that the members answer afresh.
    again = join_request_create(circle=circle, user=applicant, message="Trying again.")
    assert again.pk != join_request.pk
    assert again.status == "pending"
    assert again.reviews.count() == 0
    assert list(
        JoinRequest.objects.filter(circle=circle, user=applicant)
        .order_by("pk")
        .values_list("status", flat=True)
    ) == ["declined", "pending"]
    for member in members[:needed]:
        review(again, member, approve=True)
    assert membership_of(circle=circle, user=applicant) is not None


# --- Through the pages ------------------------------------------------------------------------


def answer(client, circle, join_request, decision):
    url = reverse("circles:request_review", args=[circle.slug, join_request.pk])
    return client.post(url, {"decision": decision}, follow=True)


def test_two_approvals_through_the_requests_page(client):
    circle, (ana, bo, _cy) = approval_circle(2)
    applicant, join_request = ask(circle, name="Río", message="I bake bread on Saturdays.")

    client.force_login(ana)
    page = client.get(reverse("circles:requests", args=[circle.slug])).content.decode()
    assert "2 members giving the same answer decide a request." in page
    assert "I bake bread on Saturdays." in page
    page = answer(client, circle, join_request, "approve")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Noted. More members need to answer before it is decided." in body
    assert "1 answer so far" in body
    assert membership_of(circle=circle, user=applicant) is None

    client.force_login(bo)
    body = answer(client, circle, join_request, "approve").content.decode()
    assert "Río is now a member." in body
    assert "Nobody is waiting to join right now." in body
    assert membership_of(circle=circle, user=applicant) is not None

    client.force_login(applicant)
    assert client.get(reverse("circles:members", args=[circle.slug])).status_code == 200


def test_a_decline_through_the_page_then_the_applicant_asks_again(client):
    circle, (ana, _bo) = approval_circle(1)
    applicant, join_request = ask(circle, name="Sol")

    client.force_login(ana)
    body = answer(client, circle, join_request, "decline").content.decode()
    assert "The request is declined. They will be told." in body
    assert "Nobody is waiting to join right now." in body
    # Answering it again is refused with a message, not an error page.
    body = answer(client, circle, join_request, "approve").content.decode()
    assert "This request has already been answered." in body
    assert membership_of(circle=circle, user=applicant) is None

    client.force_login(applicant)
    join_page = client.get(reverse("circles:join", args=[circle.slug])).content.decode()
    assert "Send my request" in join_page
    home = client.post(
        reverse("circles:join", args=[circle.slug]), {"message": "Please reconsider."}, follow=True
    ).content.decode()
    assert "Your request is sent." in home
    assert "Your request is waiting for the members" in home
    assert JoinRequest.objects.filter(circle=circle, user=applicant, status="pending").count() == 1


def test_a_forged_decision_records_nothing(client):
    circle, (ana, _bo) = approval_circle(1)
    _applicant, join_request = ask(circle)
    client.force_login(ana)
    body = answer(client, circle, join_request, "maybe").content.decode()
    assert "Choose approve or decline." in body
    assert join_request.reviews.count() == 0


def test_a_request_to_another_circle_is_not_found(client):
    circle, (ana, _bo) = approval_circle(1)
    other, _ = approval_circle(1)
    _applicant, elsewhere = ask(other)
    client.force_login(ana)
    url = reverse("circles:request_review", args=[circle.slug, elsewhere.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
    assert elsewhere.reviews.count() == 0


# --- At once --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_last_two_approvals_at_once_decide_it_once():
    circle, (ana, bo, _cy) = approval_circle(2)
    applicant, join_request = ask(circle)
    reviewers = [ana, bo]

    results = run_at_once(lambda: review(join_request, reviewers.pop()), 2)
    assert [r for r in results if isinstance(r, Exception)] == []
    join_request.refresh_from_db()
    assert join_request.status == "approved"
    assert Membership.objects.filter(circle=circle, user=applicant, left_at=None).count() == 1
    assert len(told(applicant)) == 1
