"""The daily commands' shared `--date` and `--dry-run`: each acts on the day it is given, and a
date not in YYYY-MM-DD form is refused with the value named, before anything is done."""

from datetime import date

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
