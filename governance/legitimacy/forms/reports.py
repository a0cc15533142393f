from governance.forms import ProposalForm


class ReportProposalForm(ProposalForm):
    pass
