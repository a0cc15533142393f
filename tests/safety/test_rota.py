"""The care rota, drawn by lot with a seeded random so each draw can be checked: the willing
first, exclusions, declines, the draw again at the period's end, tiny circles, and races."""

import random
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from circles.models import Membership
from circles.services import membership_end, membership_update_care_rota
from governance.safety.constants import ROTA_SIZE
from governance.safety.models import RotaSeat
from governance.safety.selectors import current_rota, handler_ids
from governance.safety.services import rota_decline, rota_draw, rotas_draw_due
from peernet.notify.models import Kind, Notification
from tests.factories import make_circle, make_member, make_post, make_report
from tests.helpers import run_at_once

pytestmark = pytest.mark.django_db(transaction=False)


def lot(seed: int = 1) -> random.Random:
    return random.Random(seed)


def willing(circle, *people):
    for person in people:
        membership = Membership.objects.get(circle=circle, user=person)
        membership_update_care_rota(membership=membership, willing=True)


def rota_ids(circle, now=None) -> set[int]:
    return set(current_rota(circle=circle, now=now).values_list("member_id", flat=True))


@pytest.mark.parametrize("seed", range(5))
def test_the_willing_are_drawn_first(seed):
    circle, people = make_circle(members=8)
    willing(circle, *people[:4])
    seats = rota_draw(circle=circle, rng=lot(seed))
    assert len(seats) == ROTA_SIZE
    assert {s.member_id for s in seats} <= {p.pk for p in people[:4]}
    assert all(s.volunteered for s in seats)


def test_too_few_willing_fills_from_everyone():
    circle, people = make_circle(members=6)
    willing(circle, people[0])
    seats = rota_draw(circle=circle, rng=lot())
    assert len(seats) == ROTA_SIZE
    assert people[0].pk in {s.member_id for s in seats}
    assert sorted(s.volunteered for s in seats) == [False, False, True]


def test_a_different_seed_can_draw_a_different_rota():
    """The lot is really drawn: over several seeds, more than one rota comes out."""
    rotas = set()
    for seed in range(6):
        circle, _people = make_circle(members=7)
        seats = rota_draw(circle=circle, rng=lot(seed))
        members = list(Membership.objects.filter(circle=circle).order_by("pk"))
        positions = {m.user_id: i for i, m in enumerate(members)}
        rotas.add(frozenset(positions[s.member_id] for s in seats))
    assert len(rotas) > 1


@pytest.mark.parametrize("size", [1, 2])
def test_a_circle_of_one_or_two_has_everyone_on_the_rota(size):
    circle, people = make_circle(members=size)
    rota_draw(circle=circle, rng=lot())
    assert rota_ids(circle) == {p.pk for p in people}


def test_a_report_in_a_circle_of_two_has_no_one_to_handle_it_but_is_kept(client):
    circle, (reporter, other) = make_circle(members=2)
    report = make_report(circle, reporter, "member", other.pk, rng=lot())
    assert handler_ids(report=report) == set()
    client.force_login(reporter)
    page = client.get(reverse("safety:report_detail", args=[circle.slug, report.pk]))
    assert "Nobody else in this circle can take this report yet" in page.content.decode()
    # Someone joins: the hourly draw seats them, and they take the report.
    newcomer = make_member(circle)
    assert rotas_draw_due(rng=lot()) == 1
    assert handler_ids(report=report) == {newcomer.pk}


def test_drawing_again_while_full_draws_no_one():
    circle, _people = make_circle(members=5)
    rota_draw(circle=circle, rng=lot())
    assert rota_draw(circle=circle, rng=lot(2)) == []
    assert RotaSeat.objects.count() == ROTA_SIZE


def test_a_decline_draws_the_next_member_at_once_and_not_the_decliner_again():
    circle, people = make_circle(members=4)
    seats = rota_draw(circle=circle, rng=lot())
    leaving = seats[0]
    rota_decline(seat=leaving, member=leaving.member, rng=lot())
    now_on = rota_ids(circle)
    assert leaving.member_id not in now_on
    assert len(now_on) == ROTA_SIZE  # the fourth member was drawn in their place
    assert now_on == {p.pk for p in people} - {leaving.member_id}
    # Everyone else declining leaves the seat empty rather than drawing the decliner again.
    for seat in current_rota(circle=circle):
        rota_decline(seat=seat, member=seat.member, rng=lot())
    assert rota_ids(circle) == set()


def test_only_the_member_drawn_can_decline():
    from peernet.errors import DomainError

    circle, people = make_circle(members=4)
    seat = rota_draw(circle=circle, rng=lot())[0]
    other = next(p for p in people if p.pk != seat.member_id)
    with pytest.raises(DomainError):
        rota_decline(seat=seat, member=other, rng=lot())


def test_the_rota_is_drawn_again_at_the_end_of_its_period_from_those_who_did_not_serve():
    circle, _people = make_circle(members=6)
    start = timezone.now()
    first = rota_ids(circle, start) if rota_draw(circle=circle, now=start, rng=lot()) else set()
    later = start + timedelta(days=circle.care_rota_days, minutes=1)
    assert rota_ids(circle, later) == set()  # the period ended
    assert rotas_draw_due(now=later, rng=lot()) == ROTA_SIZE
    second = rota_ids(circle, later)
    assert len(second) == ROTA_SIZE
    assert not first & second  # six members: the three who served rest
    # Within the period nothing is due.
    assert rotas_draw_due(now=later + timedelta(days=1), rng=lot()) == 0


def test_the_period_is_the_circles_setting():
    circle, _people = make_circle(members=3, care_rota_days=10)
    seat = rota_draw(circle=circle, rng=lot())[0]
    assert seat.ends_at - seat.drawn_at == timedelta(days=10)


def test_a_member_who_leaves_leaves_the_rota_and_the_next_draw_fills_the_seat():
    circle, _people = make_circle(members=5)
    seats = rota_draw(circle=circle, rng=lot())
    membership_end(circle=circle, user=seats[0].member)
    assert len(rota_ids(circle)) == ROTA_SIZE - 1
    assert rotas_draw_due(rng=lot()) == 1
    assert len(rota_ids(circle)) == ROTA_SIZE


def test_neither_the_reporter_nor_the_reported_member_handles_the_report():
    circle, people = make_circle(members=6)
    seats = rota_draw(circle=circle, rng=lot())
    on_rota = [s.member for s in seats]
    # Two rota members in one report: the reporter and the member reported.
    report = make_report(circle, on_rota[0], "member", on_rota[1].pk, rng=lot())
    handlers = handler_ids(report=report)
    assert on_rota[0].pk not in handlers and on_rota[1].pk not in handlers
    assert on_rota[2].pk in handlers
    # Two others were drawn for this report in their place.
    substitutes = set(report.substitutes.values_list("member_id", flat=True))
    assert len(substitutes) == 2
    assert substitutes <= {p.pk for p in people} - {s.member_id for s in seats}
    assert handlers == substitutes | {on_rota[2].pk}
    # They handle that report only: they are not on the circle's rota.
    assert rota_ids(circle) == {s.member_id for s in seats}


def test_a_substitute_who_declines_is_replaced_for_that_report():
    circle, _people = make_circle(members=6)
    seats = rota_draw(circle=circle, rng=lot())
    report = make_report(circle, seats[0].member, "member", seats[1].member.pk, rng=lot())
    substitute = report.substitutes.first()
    rota_decline(seat=substitute, member=substitute.member, rng=lot())
    handlers = handler_ids(report=report)
    assert substitute.member_id not in handlers
    assert len(handlers) == ROTA_SIZE  # one rota member and two substitutes, again
    newcomer = report.substitutes.exclude(pk=substitute.pk).order_by("-pk").first()
    assert newcomer.member_id in handlers
    assert Notification.objects.filter(
        recipient=newcomer.member, kind=Kind.REPORT_RECEIVED, url__endswith=f"/{report.pk}/"
    ).exists()


def test_a_report_with_no_rota_yet_draws_one():
    circle, (reporter, author, *_rest) = make_circle(members=5)
    post = make_post(circle, author)
    report = make_report(circle, reporter, "post", post.pk, rng=lot())
    assert len(rota_ids(circle)) == ROTA_SIZE
    assert len(handler_ids(report=report)) == ROTA_SIZE


def test_the_drawn_are_told_once():
    circle, _people = make_circle(members=4)
    seats = rota_draw(circle=circle, rng=lot())
    told = Notification.objects.filter(kind=Kind.ROTA_DRAWN)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(s.member_id for s in seats)


@pytest.mark.django_db(transaction=True)
def test_two_draws_at_once_make_one_rota():
    circle, _people = make_circle(members=8)
    results = run_at_once(lambda: rota_draw(circle=circle), 4)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert RotaSeat.objects.filter(circle=circle).count() == ROTA_SIZE
    assert len(rota_ids(circle)) == ROTA_SIZE


@time_machine.travel("2026-11-28 12:00", tick=False)
def test_history_lists_every_draw_with_declines():
    from governance.safety.selectors import rota_history

    circle, _people = make_circle(members=4)
    seats = rota_draw(circle=circle, rng=lot())
    rota_decline(seat=seats[0], member=seats[0].member, rng=lot())
    history = list(rota_history(circle=circle))
    assert len(history) == ROTA_SIZE + 1
    assert [s.declined_at is not None for s in history].count(True) == 1
