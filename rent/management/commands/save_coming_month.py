"""Save the coming month when it can, else tell the treasurer what is missing (rent.autosave).

Run daily by deploy/kimonokittens-save-month.timer; it acts on RENT_AUTOSAVE_DAY only (or on
any day with --now). `--date YYYY-MM-DD` acts as if it were that day; `--dry-run` says what
would happen and writes and sends nothing.
"""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from rent.autosave import save_coming_month


class Command(BaseCommand):
    help = "On RENT_AUTOSAVE_DAY, save the coming month, or email the treasurer what is missing."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were YYYY-MM-DD")
        parser.add_argument("--now", action="store_true", help="act whatever the day")
        parser.add_argument("--dry-run", action="store_true", help="save and send nothing")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, got {options['date']!r}") from None
        if today.day != settings.RENT_AUTOSAVE_DAY and not options["now"]:
            day = settings.RENT_AUTOSAVE_DAY
            self.stdout.write(f"{today}: not the day (RENT_AUTOSAVE_DAY={day}); nothing done.")
            return
        outcome = save_coming_month(today=today, dry_run=options["dry_run"])
        month = f"{outcome.config_month:%Y-%m}"
        if outcome.already_saved:
            self.stdout.write(f"{month}: already saved (version {outcome.saved_version}).")
        elif outcome.saved_version:
            self.stdout.write(f"{month}: saved version {outcome.saved_version}.")
        elif not outcome.missing:
            self.stdout.write(f"{month}: would be saved.")
        else:
            for line in outcome.missing:
                self.stdout.write(f"{month}: not saved: {line}")
            told = ", ".join(outcome.told) or "nobody (no treasurer with an email address)"
            if not options["dry_run"]:
                self.stdout.write(f"{month}: told {told}.")
