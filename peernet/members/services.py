from django.db import transaction

from peernet.members.models import Profile, User


@transaction.atomic
def user_signup_complete(*, user: User, display_name: str, language: str) -> User:
    """Finish an account allauth has just created: name, language and an empty profile."""
    user.display_name = display_name.strip()
    user.language = language
    user.save(update_fields=["display_name", "language"])
    Profile.objects.get_or_create(user=user)
    return user


@transaction.atomic
def profile_update(*, user: User, display_name: str, **fields) -> Profile:
    user.display_name = display_name.strip()
    user.save(update_fields=["display_name"])
    profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    return profile


def user_set_language(*, user: User, language: str) -> None:
    if user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language
