from peernet.members.models import Profile, User


def profile_for_user(*, user: User) -> Profile:
    """The member's profile; accounts made outside signup (staff, old data) get an empty one."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile
