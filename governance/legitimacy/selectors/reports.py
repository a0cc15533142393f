def home_reports(*, circle, membership):
    return None
