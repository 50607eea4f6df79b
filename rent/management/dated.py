"""What the daily timers' commands share: `--date YYYY-MM-DD` acts as if it were that day (to
catch up a missed day, or to try a date), `--dry-run` writes and sends nothing, and the
senders' report of what went out."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class DatedCommand(BaseCommand):
    dry_run_help = "send nothing; list it"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were YYYY-MM-DD")
        parser.add_argument("--dry-run", action="store_true", help=self.dry_run_help)

    def today(self, options) -> date:
        """The day the command acts on: `--date`, else today in the house's time zone."""
        if not options["date"]:
            return timezone.localdate()
        try:
            return date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, got {options['date']!r}") from None

    def report(self, today: date, *, dry_run: bool, sent, skipped, failed=None) -> None:
        """A sender's outcome: a line per message (`sent`: what went to whom), per skip, per
        failure (on stderr), then the count; `failed` None where the channel cannot fail."""
        verb = "would send" if dry_run else "sent"
        for message in sent:
            self.stdout.write(f"{today}: {verb} {message}")
        for reason in skipped:
            self.stdout.write(f"{today}: skipped {reason}")
        for reason in failed or ():
            self.stderr.write(f"{today}: failed {reason}")
        failures = "" if failed is None else f", {len(failed)} failed"
        self.stdout.write(f"{today}: {len(sent)} {verb}{failures}.")
