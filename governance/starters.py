"""Starter agreements a founder may adopt when starting a circle: care and confidentiality,
consent before sharing outside the circle, and how the circle decides. Registered as
founding steps (circles.starters) in GovernanceConfig.ready(). Each is a starting point in
plain words, which the founder edits first and the members change later by proposal."""

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from circles import constants as circle_constants
from circles.starters import FoundingStep
from governance import constants
from governance.models import BallotSecrecy, DecisionSettings, FundingRule, Method, Threshold
from governance.services import agreement_adopt_at_founding

CARE_TEXT = _(
    "What members share here stays in the circle: we do not repeat who said what, or who "
    "asked for help. We listen without judging or diagnosing; each of us knows our own life "
    "best. Nobody has to give more than they can, and saying no is always fine. If something "
    "feels wrong, we say so kindly, or ask the care rota for support."
)

CONSENT_TEXT = _(
    "We ask before we share anything from the circle outside it: a name, a story, a "
    "screenshot or a message. Only the person it is about can say yes, and they can change "
    "their mind. When in doubt, we do not share. Stories of help too: anyone a story names "
    "says yes before it is told."
)


def decision_settings_in_words(decision_settings: DecisionSettings) -> str:
    """How a circle decides, as its members would say it. Follows the settings it is given."""
    days = decision_settings.voting_days
    sentences = [
        gettext(
            "We decide together, by proposal: any member can propose a change, and each "
            "member has one vote."
        ),
        ngettext(
            "Voting stays open for %(days)d day.", "Voting stays open for %(days)d days.", days
        )
        % {"days": days},
    ]
    if decision_settings.quorum_percent:
        sentences.append(
            gettext(
                "A proposal counts only if at least %(percent)d%% of members vote; abstaining "
                "counts as voting."
            )
            % {"percent": decision_settings.quorum_percent}
        )
    if decision_settings.threshold == Threshold.SUPERMAJORITY:
        sentences.append(
            gettext("It passes when at least two thirds of those voting yes or no vote yes.")
        )
    else:
        sentences.append(gettext("It passes when more members vote yes than no."))
    if decision_settings.method == Method.CONSENSUS:
        sentences.append(gettext("We seek consensus: any member can block a proposal."))
    if (
        decision_settings.funding_rule == FundingRule.CONSENSUS
        and decision_settings.method != Method.CONSENSUS
    ):
        sentences.append(
            gettext("We accept funding or a partnership only by consensus: any member can block.")
        )
    if decision_settings.ballots == BallotSecrecy.SECRET:
        sentences.append(gettext("Ballots are secret: we see the totals when voting closes."))
    else:
        sentences.append(gettext("Ballots are open: we see who voted how."))
    sentences.append(
        gettext(
            "Changing how we decide always needs two thirds. While we are fewer than "
            "%(n)d, we change the circle's settings directly."
        )
        % {"n": circle_constants.GOVERNANCE_THRESHOLD_MEMBERS}
    )
    return " ".join(sentences)


def _decide_text() -> str:
    # A new circle decides by the default settings, which this unsaved instance carries.
    return decision_settings_in_words(DecisionSettings())


def _starter(key: str, order: int, title, help_text, initial) -> FoundingStep:
    """A starter agreement, adopted (if kept) under its title in the founder's language."""

    def adopt(*, circle, founder, text: str) -> None:
        agreement_adopt_at_founding(circle=circle, founder=founder, title=str(title), text=text)

    return FoundingStep(
        key=key,
        order=order,
        title=title,
        help_text=help_text,
        initial=initial,
        max_length=constants.AGREEMENT_TEXT_MAX_LENGTH,
        apply=adopt,
    )


STEPS = [
    _starter(
        "care",
        10,
        _("Care and confidentiality"),
        _("How members treat each other and what they share."),
        lambda: str(CARE_TEXT),
    ),
    _starter(
        "consent",
        20,
        _("Consent before sharing outside the circle"),
        _("Nothing leaves the circle without the yes of the person it is about."),
        lambda: str(CONSENT_TEXT),
    ),
    _starter(
        "decide",
        30,
        _("How we decide"),
        _(
            "Describes the decision settings a new circle starts with. The settings "
            "themselves change only by proposal: amend this agreement with them."
        ),
        _decide_text,
    ),
]
