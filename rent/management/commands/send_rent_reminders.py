"""Send today's rent reminders by email (run once a day by deploy/kimonokittens-reminders.timer).

`--date YYYY-MM-DD` acts as if it were that day; `--dry-run` lists what would be sent: per
person the amount, the months it covers and the reference.
"""

from rent.management.dated import DatedCommand
from rent.reminders.emails import send_reminders


class Command(DatedCommand):
    help = "Send the day's rent reminders by email (at most one a day per person and kind)."

    def handle(self, *args, **options):
        today = self.today(options)
        outcome = send_reminders(today=today, dry_run=options["dry_run"])
        sent = []
        for kind, recipient in outcome.sent:
            detail = outcome.details.get(recipient) if kind != "summary" else None
            sent.append(f"{kind} to {recipient}" + (f": {detail}" if detail else ""))
        self.report(today, dry_run=options["dry_run"], sent=sent, skipped=outcome.skipped)
