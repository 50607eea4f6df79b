"""The read model behind every rent page, the kiosk, the API and the handbook."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from rent.ledger.finalize import finalize_month
from rent.models import CalculationStatus, RentCalculation, RentLedger
from rent.read_model import (
    MonthStatus,
    charged_month,
    compute_charged_month,
    compute_rent_history,
    forecast,
    proposed_month,
    tenant_account,
    tenant_of,
)
from tests.builders import (
    make_ledger_row,
    make_login,
    make_payment,
    make_tenant,
    set_month_config,
)

pytestmark = pytest.mark.django_db

SEPTEMBER, OCTOBER = date(2025, 9, 1), date(2025, 10, 1)


def amounts(month) -> dict[str, Decimal]:
    return {line.name: line.amount for line in month.lines}


def test_a_saved_version_keeps_its_amounts_in_the_message():
    """Files made under older rules charged other amounts than today's rules give."""
    adam, bea = make_tenant("Adam"), make_tenant("Bea")
    calculation = RentCalculation.objects.create(
        config_month=SEPTEMBER,
        version=1,
        calculated_at=timezone.now(),
        status=CalculationStatus.CURRENT,
        inputs={
            "constants": {"kallhyra": 20000, "el": 0},
            "roommates": {"Adam": {}, "Bea": {}},
            "roommate_order": ["Bea", "Adam"],
        },  # fmt: skip
        results={"Adam": 10400, "Bea": 10100},
    )
    for tenant, amount in ((adam, 10400), (bea, 10100)):
        make_ledger_row(tenant, OCTOBER, amount_due=Decimal(amount), calculation=calculation)
    month = compute_charged_month(SEPTEMBER)
    assert month.status == MonthStatus.CHANGED  # today's rules would charge 10 000 each
    assert month.message.startswith("*Hyran för oktober 2025*")
    assert "Adam: 10400 kr\nBea: 10100 kr" in month.message  # saved amounts, highest first
    assert amounts(month) == {"Bea": Decimal(10100), "Adam": Decimal(10400)}  # saved order
    proposed = month.proposed_amounts()  # today's rules and bills: an equal split
    assert set(proposed) == {adam.pk, bea.pk} and proposed[adam.pk] == proposed[bea.pk]
    assert month.line_for(adam.pk).amount == Decimal(10400)


def test_a_month_never_saved_is_preliminary_and_charges_nobody():
    adam = make_tenant("Adam")
    set_month_config(SEPTEMBER, el=2424)
    make_payment(adam, 3000)  # credit: it counts toward no month until one is saved
    month = compute_charged_month(SEPTEMBER)
    assert month.status == MonthStatus.NEVER_SAVED and month.preliminary
    assert [line.ledger_id for line in month.lines] == [None]
    assert month.total_paid == 0 and not month.all_paid
    assert month.data_source()["preliminary"] is True
    assert month.data_source()["description_sv"].startswith("Preliminär")
    assert month.lines[0].amount == month.split.total  # one person pays the whole month


def test_a_tenant_added_after_saving_is_a_pending_change_not_a_charge():
    """The issue's case: January saved, then Greta added moving in 16/1."""
    alva, bo = make_tenant("Alva"), make_tenant("Bo")
    set_month_config(date(2026, 12, 1), el=3245)
    finalize_month(config_month=date(2026, 12, 1))
    saved = charged_month(date(2026, 12, 1))
    make_tenant("Greta", start_date=date(2027, 1, 16))
    month = charged_month(date(2026, 12, 1))
    assert month.status == MonthStatus.CHANGED and month.version == 1
    assert month.changes == ["Greta flyttar in 16/1"]
    assert amounts(month) == amounts(saved)  # the saved amounts still apply
    assert month.total_due == saved.total_due == month.split.total_paid
    greta_share = month.proposal.breakdown.split.rents["Greta"]
    assert month.proposed_amounts()[alva.pk] < month.line_for(alva.pk).amount
    assert greta_share > 0 and bo.pk in month.proposed_amounts()
    assert "Greta" not in month.message


def test_renaming_a_tenant_keeps_the_saved_version_linked():
    adam = make_tenant("Adam")
    make_tenant("Bea")
    set_month_config(SEPTEMBER, el=2424)
    finalize_month(config_month=SEPTEMBER, overrides={"Adam": {"days": 15}})
    adam.name = "Adam Svensson"
    adam.save()
    month = compute_charged_month(SEPTEMBER)
    assert month.status == MonthStatus.SAVED, month.changes
    line = month.line_for(adam.pk)
    assert line.name == "Adam Svensson" and line.days == 15 and not line.full_month
    assert "Adam Svensson" in month.message
    # The saved days still apply to the proposal (the override is linked by tenant id).
    assert proposed_month(SEPTEMBER).breakdown.split.rents["Adam Svensson"] == line.amount


def test_all_paid_needs_rows_and_every_row_paid_in_full():
    adam, bea = make_tenant("Adam"), make_tenant("Bea")
    assert compute_charged_month(SEPTEMBER).all_paid is False  # no rows yet
    make_ledger_row(adam, rent_month=OCTOBER, amount_paid=Decimal("7045"))
    row = make_ledger_row(bea, rent_month=OCTOBER, amount_paid=Decimal("7000"))
    month = compute_charged_month(SEPTEMBER)
    assert month.all_paid is False and month.total_paid == Decimal("14045")
    assert month.line_for(bea.pk).left == Decimal(45)
    make_payment(bea, row.amount_due - row.amount_paid)
    assert compute_charged_month(SEPTEMBER).all_paid is True


def test_ledger_rows_without_a_saved_version_are_the_charge():
    """Imported months may have ledger rows and no version: the rows are what is charged."""
    adam = make_tenant("Adam")
    make_tenant("Bea")
    make_ledger_row(adam, rent_month=OCTOBER, amount_due=Decimal(9000))
    month = compute_charged_month(SEPTEMBER)
    assert month.is_saved and month.version is None
    assert amounts(month) == {"Adam": Decimal(9000)}
    assert "*9000 kr*" in month.message and month.changes == ["Bea tillkommer"]


def test_nobody_living_here_is_an_error_not_an_exception():
    month = compute_charged_month(SEPTEMBER)
    assert month.split is None and month.lines == []
    assert month.message is None and "Ingen bor här" in month.error


def test_the_month_is_cached_until_the_data_changes(django_assert_num_queries):
    make_tenant("Adam")
    set_month_config(SEPTEMBER, el=2424)
    first = charged_month(SEPTEMBER)
    with django_assert_num_queries(1):  # only the version
        assert charged_month(SEPTEMBER) == first
    set_month_config(SEPTEMBER, el=3000)
    assert charged_month(SEPTEMBER).electricity_amount == 3000


def test_the_forecast_uses_the_bills_entered_and_projects_only_what_is_missing():
    make_tenant("Adam")
    set_month_config(date(2024, 9, 1), el=2000)
    set_month_config(SEPTEMBER, el=3245)
    assert forecast(SEPTEMBER).config.values["el"] == Decimal(3245)
    assert forecast(date(2025, 9, 1)).config.sources["el"].kind == "this_month"
    set_month_config(date(2024, 10, 1), el=2100)
    assert forecast(OCTOBER).config.values["el"] == Decimal(2100)  # last year's, projected


def test_the_tenant_of_a_login_and_their_account():
    adam = make_tenant("Adam")
    user = make_login("adam", tenant=adam)
    assert tenant_of(user) == adam
    make_ledger_row(adam, rent_month=OCTOBER, amount_due=Decimal(7000), amount_paid=6000)
    account = tenant_account(adam)
    assert account.balance == Decimal(1000) == account.owed
    assert [line.rent_month for line in account.unpaid] == [OCTOBER]
    assert account.unpaid[0].outstanding == Decimal(1000)
    assert account.lines[-1].running_balance == account.balance


def test_the_history_has_every_month_and_person_from_the_ledger():
    adam, bea = make_tenant("adam"), make_tenant("Bea")
    make_ledger_row(adam, rent_month=SEPTEMBER, amount_due=Decimal(100))
    make_ledger_row(adam, rent_month=OCTOBER, amount_due=Decimal(110))
    make_ledger_row(bea, rent_month=OCTOBER, amount_due=Decimal(120))
    history = compute_rent_history()
    assert history.months == [SEPTEMBER, OCTOBER] and history.people == ["adam", "Bea"]
    assert [row["total"] for row in history.rows()] == [Decimal(100), Decimal(230)]
    assert history.rows()[0]["amounts"] == [Decimal(100), None]
    assert RentLedger.objects.count() == 3


def test_the_history_is_summed_in_the_database_in_one_query(django_assert_num_queries):
    """The chart reads one summed figure per month and person from one query, and each month's
    total from those sums (rent.charts draws them; nothing is summed row by row per page)."""
    adam, bea, cilla = make_tenant("Adam"), make_tenant("Bea"), make_tenant("Cilla")
    make_ledger_row(adam, rent_month=OCTOBER, amount_due=Decimal(100))
    make_ledger_row(bea, rent_month=OCTOBER, amount_due=Decimal(120))
    make_ledger_row(cilla, rent_month=OCTOBER, amount_due=Decimal("130.50"))
    make_ledger_row(bea, rent_month=SEPTEMBER, amount_due=Decimal(90))
    with django_assert_num_queries(1):
        history = compute_rent_history()
    assert history.months == [SEPTEMBER, OCTOBER] and history.people == ["Adam", "Bea", "Cilla"]
    assert history.amounts[(OCTOBER, "Cilla")] == Decimal("130.50")
    assert [row["total"] for row in history.rows()] == [Decimal(90), Decimal("350.50")]
    assert history.rows()[0]["amounts"] == [None, Decimal(90), None]


def test_the_changes_are_in_the_reader_s_language_whatever_the_cache_holds():
    make_tenant("Alva")
    set_month_config(SEPTEMBER, el=2424)
    finalize_month(config_month=SEPTEMBER)
    make_tenant("Greta", start_date=date(2025, 10, 16))
    with translation.override("sv"):
        assert charged_month(SEPTEMBER).changes == ["Greta flyttar in 16/10"]
    with translation.override("en"):
        assert charged_month(SEPTEMBER).changes == ["Greta moves in 16/10"]
