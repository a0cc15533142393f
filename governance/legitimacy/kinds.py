"""The proposal kinds legitimacy adds to governance, and where they show on a circle's home:
each kind's form, the change it records, what a passed one does, and how the circle's
record lists it."""

from django.utils.translation import gettext as _

from circles.home import register_home_section
from governance.effects import ChangeRow, KindEffects, register_kind_effects
from governance.forms import register_form
from governance.legitimacy.forms.measures import MeasuresProposalForm
from governance.legitimacy.forms.partnerships import FundingProposalForm
from governance.legitimacy.forms.reports import ReportProposalForm
from governance.legitimacy.models import Measure, PartnershipKind
from governance.legitimacy.selectors import partnerships as partnership_selectors
from governance.legitimacy.selectors import reports as report_selectors
from governance.legitimacy.services import measures, partnerships, reports
from governance.models import (
    DecisionSettings,
    FundingRule,
    Method,
    Proposal,
    ProposalKind,
    Threshold,
)
from peernet.choices import label_of


def _labels(keys) -> str:
    return ", ".join(label_of(Measure, key) for key in keys)


def measures_rows(proposal: Proposal) -> list[ChangeRow]:
    before = proposal.change["before"].get("measures", [])
    after = proposal.change["after"].get("measures", [])
    return [ChangeRow(_("What the circle counts"), _labels(before), _labels(after))]


def report_rows(proposal: Proposal) -> list[ChangeRow]:
    report = proposal.change["report"]
    period = _("%(start)s to %(end)s") % report["period"]
    keys = [figure["measure"] for figure in report["measures"]["figures"]]
    published = getattr(proposal, "report", None)
    rows = [
        ChangeRow(_("Report of"), "", report["known_as"]),
        ChangeRow(_("Period"), "", period),
        ChangeRow(_("Measures"), "", _labels(keys)),
        ChangeRow(_("Stories"), "", ", ".join(story["title"] for story in report["stories"])),
    ]
    if published is not None:
        rows.append(ChangeRow(_("Published at"), "", published.get_absolute_url()))
    return rows


def funding_rows(proposal: Proposal) -> list[ChangeRow]:
    terms = proposal.change["after"]
    return [
        ChangeRow(_("What it is"), "", label_of(PartnershipKind, terms["kind"])),
        ChangeRow(_("Partner"), "", terms["partner"]),
        ChangeRow(_("What is offered"), "", terms["offered"]),
        ChangeRow(_("What the partner asks in return"), "", terms["asks"]),
        ChangeRow(
            _("Agreements these conditions touch"),
            "",
            ", ".join(agreement["title"] for agreement in terms["agreements"]),
        ),
        ChangeRow(_("What the circle will not accept"), "", terms["will_not_accept"]),
        ChangeRow(_("What comes back to the circle"), "", terms["research_returns"]),
        ChangeRow(_("Comes back by"), "", terms["returns_by"] or ""),
        ChangeRow(_("End date"), "", terms["ends_on"]),
    ]


def _funding_method(rules: DecisionSettings) -> str | None:
    return Method.CONSENSUS if rules.funding_rule == FundingRule.CONSENSUS else None


def register() -> None:
    for kind, form, effects in [
        (
            ProposalKind.CHOOSE_MEASURES,
            MeasuresProposalForm,
            KindEffects(
                build=measures.measures_change_build,
                apply=measures.measures_apply,
                template="legitimacy/_change_measures.html",
                rows=measures_rows,
            ),
        ),
        (
            ProposalKind.PUBLISH_REPORT,
            ReportProposalForm,
            KindEffects(
                build=reports.report_change_build,
                apply=reports.report_publish,
                template="legitimacy/_change_report.html",
                rows=report_rows,
            ),
        ),
        (
            ProposalKind.ACCEPT_FUNDING,
            FundingProposalForm,
            KindEffects(
                build=partnerships.funding_change_build,
                apply=partnerships.partnership_accept,
                template="legitimacy/_change_funding.html",
                rows=funding_rows,
                # Money and a partner's conditions: never on less than two thirds, and by
                # consensus if the circle chose that for them.
                threshold_floor=Threshold.SUPERMAJORITY,
                method_floor=_funding_method,
            ),
        ),
    ]:
        register_form(kind, form)
        register_kind_effects(kind, effects)
    register_home_section("legitimacy/_home_reports.html", report_selectors.home_reports)
    register_home_section(
        "legitimacy/_home_partnerships.html", partnership_selectors.home_partnerships
    )
