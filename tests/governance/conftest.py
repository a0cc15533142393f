import pytest

from governance.models import DecisionSettings, ProposalKind
from governance.services import proposal_create
from tests.factories import make_circle


def propose(circle, proposer, kind=ProposalKind.RESOLUTION, data=None, open_now=True, **extra):
    return proposal_create(
        circle=circle,
        proposer=proposer,
        kind=kind,
        title=extra.pop("title", f"Proposal about {kind}"),
        reason="Because we talked about it.",
        data=data or {},
        open_now=open_now,
        **extra,
    )


@pytest.fixture
def trio(db):
    """A circle of three members, the usual size where governance starts to matter."""
    circle, people = make_circle(members=3)
    return circle, people


def set_rules(circle, **rules):
    DecisionSettings.objects.update_or_create(circle=circle, defaults=rules)


def agreement_in(circle, people, title="Rule", text="Text"):
    """An agreement the circle adopted: proposed by the first person, every person for it."""
    from governance.models import Agreement
    from governance.services import ballot_cast

    proposal = propose(
        circle, people[0], ProposalKind.ADD_AGREEMENT, {"title": title, "text": text}
    )
    for person in people:
        ballot_cast(proposal=proposal, voter=person, choice="yes")
    return Agreement.objects.get(circle=circle, title=title)
