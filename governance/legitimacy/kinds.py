"""The proposal kinds legitimacy adds to governance, and where they show on a circle's home:
each kind's form, the change it records, and what a passed one does."""

from circles.home import register_home_section
from governance.effects import KindEffects, register_kind_effects
from governance.forms import register_form
from governance.legitimacy.forms.measures import MeasuresProposalForm
from governance.legitimacy.forms.partnerships import FundingProposalForm
from governance.legitimacy.forms.reports import ReportProposalForm
from governance.legitimacy.selectors import partnerships as partnership_selectors
from governance.legitimacy.selectors import reports as report_selectors
from governance.legitimacy.services import measures, partnerships, reports
from governance.models import ProposalKind


def register() -> None:
    for kind, form, effects in [
        (
            ProposalKind.CHOOSE_MEASURES,
            MeasuresProposalForm,
            KindEffects(
                build=measures.measures_change_build,
                apply=measures.measures_apply,
                template="legitimacy/_change_measures.html",
            ),
        ),
        (
            ProposalKind.PUBLISH_REPORT,
            ReportProposalForm,
            KindEffects(
                build=reports.report_change_build,
                apply=reports.report_publish,
                template="legitimacy/_change_report.html",
            ),
        ),
        (
            ProposalKind.ACCEPT_FUNDING,
            FundingProposalForm,
            KindEffects(
                build=partnerships.funding_change_build,
                apply=partnerships.partnership_accept,
                template="legitimacy/_change_funding.html",
            ),
        ),
    ]:
        register_form(kind, form)
        register_kind_effects(kind, effects)
    register_home_section("legitimacy/_home_reports.html", report_selectors.home_reports)
    register_home_section(
        "legitimacy/_home_partnerships.html", partnership_selectors.home_partnerships
    )
