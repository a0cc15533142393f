from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from circles.demo import seed_circles, seed_posts
from governance.demo import seed_governance
from governance.legitimacy.demo import seed_legitimacy
from governance.networks.demo import seed_networks
from governance.safety.demo import seed_safety
from peernet.mail import emails_discarded
from peernet.members.demo import seed_members
from peernet.members.models import User


class Command(BaseCommand):
    help = (
        "Create demo data to look at. Running it twice is the same as once. The emails the "
        "demo activity would send are recorded as sent but go nowhere; their notifications "
        "show on the site."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow it with DEBUG off.")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates known logins; it runs only with DEBUG on.")
        new_database = not User.objects.exists()
        # The demo's emails (to made-up addresses) are sent after the commit, inside this block.
        with emails_discarded() as discarded, transaction.atomic():
            members = seed_members()
            circles = seed_circles(members=members)
            seed_posts(members=members, circles=circles)
            seed_governance(members=members, circles=circles)
            seed_safety(members=members, circles=circles)
            seed_legitimacy(members=members, circles=circles)
            seed_networks(members=members, circles=circles)
        if new_database:
            # Nothing the cache kept belongs to this database: `make run` keeps its file cache
            # in var/ when the database file is removed, and ids begin again from 1.
            cache.clear()
        if options["verbosity"] >= 1:
            emails = f", {discarded[0]} demo emails not sent" if discarded[0] else ""
            self.stdout.write(
                f"Demo data ready: {len(members)} members, {len(circles)} circles{emails}."
            )
