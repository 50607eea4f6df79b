"""Mail each member who prefers it one digest of the handbook's news (run once a day)."""

from django.core.management.base import BaseCommand

from handbook.notifications import send_digests


class Command(BaseCommand):
    help = "Send the handbook's daily digest emails."

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"digests sent: {sent}")
