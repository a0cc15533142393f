from governance.forms import ProposalForm


class MeasuresProposalForm(ProposalForm):
    pass
