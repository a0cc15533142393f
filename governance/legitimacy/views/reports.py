def circle_reports(request, slug):
    raise NotImplementedError


def report_page(request, public_id):
    raise NotImplementedError


def report_json(request, public_id):
    raise NotImplementedError


def report_markdown(request, public_id):
    raise NotImplementedError
