def member_stories_export(user):
    return {}


def member_stories_release(user):
    return None
