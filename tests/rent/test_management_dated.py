"""The daily commands' shared `--date` and `--dry-run`: each acts on the day it is given, and a
date not in YYYY-MM-DD form is refused with the value named, before anything is done."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rent.management.dated import DatedCommand

DAILY_COMMANDS = ["send_rent_reminders", "send_rent_sms", "save_coming_month"]


@pytest.mark.parametrize("command", DAILY_COMMANDS)
def test_a_date_in_another_form_is_refused_naming_it(command):
    with pytest.raises(CommandError, match=r"--date must be YYYY-MM-DD, got '27/10/2025'"):
        call_command(command, "--date", "27/10/2025", "--dry-run")


def test_the_day_is_the_date_given_else_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 12, 7))
    command = DatedCommand()
    assert command.today({"date": "2025-10-27"}) == date(2025, 10, 27)
    assert command.today({"date": None}) == date(2026, 12, 7)


def test_the_report_lists_each_message_what_was_skipped_or_failed_then_the_count():
    """What the reminder and SMS commands print: one line a message, one a skip, a failure on
    stderr, then the count (with the failures where the channel can fail)."""
    day = date(2025, 10, 27)
    command = DatedCommand(stdout=StringIO(), stderr=StringIO())
    command.report(
        day, dry_run=True, sent=["due to Adam (+46701111111)"], skipped=["Bea: no phone"],
        failed=["Cissi: 503"],
    )  # fmt: skip
    assert command.stdout._out.getvalue().splitlines() == [
        "2025-10-27: would send due to Adam (+46701111111)",
        "2025-10-27: skipped Bea: no phone",
        "2025-10-27: 1 would send, 1 failed.",
    ]
    assert command.stderr._out.getvalue() == "2025-10-27: failed Cissi: 503\n"
    email = DatedCommand(stdout=StringIO())
    email.report(day, dry_run=False, sent=[], skipped=[])
    assert email.stdout._out.getvalue() == "2025-10-27: 0 sent.\n"
