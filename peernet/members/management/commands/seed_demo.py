from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from peernet.members.demo import seed_members


class Command(BaseCommand):
    help = "Create demo data to look at. Running it twice is the same as once."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow it with DEBUG off.")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates known logins; it runs only with DEBUG on.")
        members = seed_members()
        for seed in demo_seeders():
            seed(members=members)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(members)} demo members."))


def demo_seeders():
    """Each app that has demo data adds its seeder here, in dependency order."""
    return []
