"""The month saves itself when it can (rent.ledger.autosave, `save_coming_month`); otherwise the
treasurer is told what is missing. Both databases."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from household.roles import TREASURER
from rent.ledger.autosave import save_coming_month
from rent.ledger.finalize import finalize_month
from rent.models import CalculationStatus, RentCalculation, RentLedger
from tests.builders import make_ledger_row, make_login, make_tenant, set_config

pytestmark = pytest.mark.django_db

SEPT = date(2025, 9, 1)  # the config month due next on 20 September (rent for October)
OCT = date(2025, 10, 1)
DAY = date(2025, 9, 20)


@pytest.fixture
def house(settings):
    settings.RENT_AUTOSAVE_DAY = 20
    settings.SITE_URL = "https://kk.example.org"
    make_login("kassor", role=TREASURER, email="kassor@example.org")
    return {name: make_tenant(name) for name in ("Adam", "Amanda", "Fredrik", "Rasmus")}


def run(day="2025-09-20", *flags) -> str:
    out = StringIO()
    call_command("save_coming_month", "--date", day, *flags, stdout=out)
    return out.getvalue()


def test_a_month_with_its_bills_saves_itself_as_the_admin_would(house):
    set_config("el", 2424, SEPT)
    assert run() == "2025-09: saved version 1.\n"
    calculation = RentCalculation.objects.get(config_month=SEPT)
    assert calculation.status == CalculationStatus.CURRENT
    assert calculation.source == {"saved_by": "save_coming_month"}
    assert calculation.title == "Sparad automatiskt"
    assert sorted(RentLedger.objects.filter(rent_month=OCT).values_list("amount_due", flat=True)) \
        == [Decimal("7045")] * 4  # fmt: skip
    assert mail.outbox == []
    assert run() == "2025-09: already saved (version 1).\n"  # a second run changes nothing
    assert RentCalculation.objects.count() == 1


def test_electricity_not_entered_tells_the_treasurer_and_saves_nothing(house):
    out = run()
    assert "2025-09: not saved: El för september 2025 är inte inlagd" in out
    assert "2025-09: told kassor@example.org." in out
    assert not RentCalculation.objects.exists() and not RentLedger.objects.exists()
    [email] = mail.outbox
    assert email.to == ["kassor@example.org"]
    assert email.subject == "Hyran för oktober 2025 kunde inte sparas automatiskt"
    assert "El för september 2025 är inte inlagd" in email.body
    assert "https://kk.example.org/admin/rent/rentcalculation/manad/2025-09/" in email.body


def test_a_new_amount_for_someone_who_paid_needs_the_treasurers_decision(house):
    set_config("el", 2424, SEPT)
    make_ledger_row(house["Adam"], rent_month=OCT, amount_due=Decimal("7000"), amount_paid=7000)
    out = run()
    assert "inte sparas" not in out and "not saved: Den nya versionen ändrar hyran" in out
    assert "Adam" in mail.outbox[0].body
    assert not RentCalculation.objects.exists()
    assert RentLedger.objects.get().amount_due == Decimal("7000")  # nothing written


def test_a_month_the_treasurer_saved_is_left_as_it_is(house):
    set_config("el", 2424, SEPT)
    finalize_month(config_month=SEPT, saved_by="kassor")
    set_config("el", 3000, SEPT)  # changed since: the admin shows it, the timer does not save
    assert run() == "2025-09: already saved (version 1).\n"
    assert RentCalculation.objects.count() == 1 and mail.outbox == []


def test_it_acts_only_on_its_day_and_a_dry_run_writes_and_sends_nothing(house):
    assert run("2025-09-19") == "2025-09-19: not the day (RENT_AUTOSAVE_DAY=20); nothing done.\n"
    assert "not saved: El för september 2025" in run("2025-09-19", "--now", "--dry-run")
    set_config("el", 2424, SEPT)
    assert run(DAY.isoformat(), "--dry-run") == "2025-09: would be saved.\n"
    assert not RentCalculation.objects.exists() and mail.outbox == []


def test_after_the_due_day_it_is_the_next_month(house):
    set_config("el", 2500, date(2025, 10, 1))
    outcome = save_coming_month(today=date(2025, 9, 28))
    assert (outcome.config_month, outcome.saved_version) == (date(2025, 10, 1), 1)
