def measures_change_build(*, circle, data):
    raise NotImplementedError


def measures_apply(proposal):
    raise NotImplementedError
