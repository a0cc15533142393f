"""The proposal kinds networks adds to governance: a circle's own decisions to found, join
or leave a network, and the linked proposal by which it votes on a network's question. Also
where networks shows beyond a circle: a post's page (sharing) and conversations that began
on a network's board."""

from circles.outside import register_outside_conversation, register_post_section
from governance.effects import KindEffects, register_kind_effects
from governance.forms import register_form
from governance.models import ProposalKind
from governance.networks.forms.proposals import FoundNetworkForm, JoinNetworkForm, LeaveNetworkForm
from governance.networks.selectors import board as board_selectors
from governance.networks.selectors import networks as network_selectors
from governance.networks.services import founding, questions


def register() -> None:
    for kind, form, effects in [
        (
            ProposalKind.FOUND_NETWORK,
            FoundNetworkForm,
            KindEffects(
                build=founding.found_change_build,
                apply=founding.network_found,
                template="networks/_change_found.html",
                rows=network_selectors.found_rows,
            ),
        ),
        (
            ProposalKind.JOIN_NETWORK,
            JoinNetworkForm,
            KindEffects(
                build=founding.join_change_build,
                apply=founding.network_join_ask,
                template="networks/_change_join.html",
                rows=network_selectors.join_rows,
            ),
        ),
        (
            ProposalKind.LEAVE_NETWORK,
            LeaveNetworkForm,
            KindEffects(
                build=founding.leave_change_build,
                apply=founding.network_leave,
                template="networks/_change_leave.html",
                rows=network_selectors.leave_rows,
            ),
        ),
    ]:
        register_form(kind, form)
        register_kind_effects(kind, effects)
    # No form: a linked proposal is opened by the network's question, never by a member.
    register_kind_effects(
        ProposalKind.NETWORK_QUESTION,
        KindEffects(
            build=questions.linked_change_build,
            apply=questions.linked_apply,
            template="networks/_change_question.html",
            rows=network_selectors.question_rows,
            closed=questions.linked_proposal_closed,
            byline=network_selectors.linked_byline,
        ),
    )
    register_outside_conversation("networks:conversation")
    register_post_section("networks/_post_share.html", board_selectors.post_share_section)
