def home_partnerships(*, circle, membership):
    return None
