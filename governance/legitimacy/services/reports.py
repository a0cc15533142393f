def report_change_build(*, circle, data):
    raise NotImplementedError


def report_publish(proposal):
    raise NotImplementedError
