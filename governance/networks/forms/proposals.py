"""The forms of the proposals a circle makes about networks: found, ask to join, leave."""

from governance.forms import ProposalForm


class FoundNetworkForm(ProposalForm):
    pass


class JoinNetworkForm(ProposalForm):
    pass


class LeaveNetworkForm(ProposalForm):
    pass
