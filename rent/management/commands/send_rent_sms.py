"""Send today's rent reminders by SMS (run once a day by deploy/kimonokittens-sms.timer).

`--date YYYY-MM-DD` acts as if it were that day; `--dry-run` lists what would be sent.
"""

from django.core.management.base import CommandError

from rent.management.dated import DatedCommand
from rent.reminders.sms import send_rent_sms


class Command(DatedCommand):
    help = "Send the day's rent reminders by SMS (payday and the 27th; never twice)."

    def handle(self, *args, **options):
        today = self.today(options)
        outcome = send_rent_sms(today=today, dry_run=options["dry_run"])
        self.report(
            today,
            dry_run=options["dry_run"],
            sent=[f"{kind} to {name} ({phone})" for kind, name, phone in outcome.sent],
            skipped=outcome.skipped,
            failed=outcome.failed,
        )
        if outcome.failed:
            raise CommandError(f"{len(outcome.failed)} SMS failed; the next run tries again")
