"""Choosing what the circle counts: only by a passed proposal."""

from django.utils.translation import gettext as _

from governance.effects import Outcome
from governance.legitimacy.models import ImpactSettings, Measure
from governance.legitimacy.selectors.measures import counted_measures, in_measure_order
from governance.models import Proposal
from peernet.errors import DomainError


def measures_change_build(*, circle, data: dict) -> dict:
    """The change a "choose what we count" proposal records: the measures counted now and
    those it would count, both in Measure order. Refuses an empty or unchanged choice."""
    wanted = set(data.get("measures") or ())
    if wanted - set(Measure.values):
        raise DomainError(_("Choose among the measures listed."))
    chosen = in_measure_order(wanted)
    if not chosen:
        raise DomainError(_("Choose at least one measure to count."))
    current = counted_measures(circle=circle)
    if chosen == current:
        raise DomainError(_("The circle counts these already: change at least one."))
    return {"before": {"measures": current}, "after": {"measures": chosen}}


def measures_apply(proposal: Proposal) -> Outcome:
    """A passed proposal's choice becomes what the circle counts."""
    ImpactSettings.objects.update_or_create(
        circle_id=proposal.circle_id,
        defaults={
            "measures": in_measure_order(proposal.change["after"]["measures"]),
            "decision": proposal,
        },
    )
    return Outcome(True)
