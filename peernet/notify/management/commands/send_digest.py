from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from peernet.members.models import User
from peernet.notify.services import digest_preview_send


class Command(BaseCommand):
    help = "Send one member's digest now, whatever their schedule: to preview it."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The member's email address.")

    def handle(self, *args, email: str, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No member with the email {email}.")
        with transaction.atomic():
            sent = digest_preview_send(user=user)
        if sent:
            self.stdout.write(self.style.SUCCESS(f"Digest sent to {user.email}."))
        else:
            self.stdout.write("Nothing new in this member's circles: no digest to send.")
