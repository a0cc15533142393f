from governance.forms import ProposalForm


class FundingProposalForm(ProposalForm):
    pass
