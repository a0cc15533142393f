"""Demo people for `make run`. Idempotent: keyed by email."""

from allauth.account.models import EmailAddress
from django.db import transaction

from peernet.members.choices import HelpCategory
from peernet.members.models import Profile, User

DEMO_PASSWORD = "peernet-demo"  # noqa: S105 - a published demo login, only with DEBUG on
DEMO_DOMAIN = "demo.peernet.localhost"

DEMO_MEMBERS = [
    ("ana", "Ana", "she/her", "Eastside", [HelpCategory.FOOD, HelpCategory.TRANSPORT], "es"),
    ("bo", "Bo", "they/them", "Riverside", [HelpCategory.EMOTIONAL], "en"),
    ("chen", "Chen", "", "Old town", [HelpCategory.SKILLS, HelpCategory.ITEMS], "en"),
    ("dee", "Dee", "she/they", "", [HelpCategory.CHILDCARE], "en"),
    ("eli", "Eli", "he/him", "Eastside", [HelpCategory.ERRANDS, HelpCategory.HOUSING], "es"),
    ("fran", "Fran", "", "North", [], "en"),
]


@transaction.atomic
def seed_members() -> dict[str, User]:
    members = {}
    for key, name, pronouns, area, categories, language in DEMO_MEMBERS:
        email = f"{key}@{DEMO_DOMAIN}"
        user, created = User.objects.get_or_create(
            email=email, defaults={"display_name": name, "language": language}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "pronouns": pronouns,
                "area": area,
                "help_categories": [str(c) for c in categories],
                "languages": "English, Español" if language == "es" else "English",
            },
        )
        members[key] = user
    return members
