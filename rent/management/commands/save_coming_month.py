"""Save the coming month when it can, else tell the treasurer what is missing
(rent.ledger.autosave).

Run daily by deploy/kimonokittens-save-month.timer; it acts on RENT_AUTOSAVE_DAY only (or on
any day with --now). `--date YYYY-MM-DD` acts as if it were that day; `--dry-run` says what
would happen and writes and sends nothing.
"""

from django.conf import settings

from rent.ledger.autosave import save_coming_month
from rent.management.dated import DatedCommand


class Command(DatedCommand):
    help = "On RENT_AUTOSAVE_DAY, save the coming month, or email the treasurer what is missing."

    dry_run_help = "save and send nothing"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--now", action="store_true", help="act whatever the day")

    def handle(self, *args, **options):
        today = self.today(options)
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
