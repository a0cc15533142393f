"""A member a proposal would remove hears of it when it opens, though they have no vote."""

import pytest

from governance.models import ProposalKind
from peernet.notify.models import Kind, Notification
from tests.governance.conftest import propose

pytestmark = pytest.mark.django_db


def test_the_member_a_removal_is_about_is_told_when_it_opens(
    trio, mailoutbox, django_capture_on_commit_callbacks
):
    circle, (ana, bo, cy) = trio
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose(
            circle, ana, ProposalKind.REMOVE_MEMBER, {"member": cy}, title="Cy's removal"
        )
    told = Notification.objects.get(recipient=cy)
    assert told.kind == Kind.REMOVAL_PROPOSED
    assert told.url == proposal.get_absolute_url()
    assert "proposed that you stop being a member" in told.text
    # Membership news reaches members by email right away unless they chose otherwise.
    to_cy = [m for m in mailoutbox if m.to == [cy.email]]
    assert len(to_cy) == 1
    assert "Cy's removal" in to_cy[0].subject
    # The electorate hears of it as any proposal; the proposer does not hear of their own.
    assert Notification.objects.filter(recipient=bo, kind=Kind.PROPOSAL_OPENED).count() == 1
    assert not Notification.objects.filter(recipient=ana).exists()


def test_other_proposals_tell_no_one_outside_the_electorate(
    trio, django_capture_on_commit_callbacks
):
    circle, (ana, _bo, cy) = trio
    with django_capture_on_commit_callbacks(execute=True):
        propose(circle, ana)
    assert not Notification.objects.filter(kind=Kind.REMOVAL_PROPOSED).exists()
    assert Notification.objects.get(recipient=cy).kind == Kind.PROPOSAL_OPENED
