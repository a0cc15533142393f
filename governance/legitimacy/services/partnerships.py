def funding_change_build(*, circle, data):
    raise NotImplementedError


def partnership_accept(proposal):
    raise NotImplementedError
