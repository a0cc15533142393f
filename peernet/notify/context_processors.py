from peernet.notify.selectors import unread_count


def notifications(request) -> dict:
    """The unread count in the navigation, counted only when a page uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_count(user=user)}
