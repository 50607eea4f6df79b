"""Saving a config month: versions, ledger sync, idempotence, on SQLite and PostgreSQL (3 F)."""

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone, translation

import rent.ledger.inputs
from rent.engine.occupancy import UnknownRoommateError
from rent.engine.split import split_from_history
from rent.ledger.finalize import (
    FinalizeError,
    PaidChangesError,
    ProjectedElectricityError,
    finalize_month,
)
from rent.ledger.payments import record_payment
from rent.models import CalculationStatus, RentCalculation, RentLedger
from rent.versioning import data_version
from tests.builders import make_ledger_row, make_payment, make_tenant, set_config, set_month_config

pytestmark = pytest.mark.django_db

SEPT = date(2025, 9, 1)  # config month
OCT = date(2025, 10, 1)  # its rent month (31 days)


@pytest.fixture
def september():
    """Four full-month roommates, el entered: 7045 kr each (the C = 2025-09 case)."""
    set_config("el", 2424, SEPT)
    return {name: make_tenant(name) for name in ("Adam", "Amanda", "Fredrik", "Rasmus")}


def ledger(rent_month=OCT):
    return {
        row.tenant.name: row
        for row in RentLedger.objects.filter(rent_month=rent_month).select_related("tenant")
    }


def test_the_first_finalize_stores_version_1_and_the_ledger(september):
    user = get_user_model().objects.create_user("kassor")
    result = finalize_month(config_month=SEPT, title="Oktober", saved_by=user)
    calculation = result.calculation
    assert (calculation.version, calculation.status, calculation.title) == (
        1,
        CalculationStatus.CURRENT,
        "Oktober",
    )
    assert calculation.source == {"saved_by": "kassor"}
    assert calculation.results == dict.fromkeys(("Adam", "Amanda", "Fredrik", "Rasmus"), 7045)
    assert calculation.inputs["constants"]["el"] == 2424
    assert calculation.inputs["constants"]["kallhyra"] == 24530
    assert calculation.inputs["roommates"]["Adam"] == {"room_adjustment": 0}
    assert calculation.tenant_ids == {
        row.tenant.name: row.tenant_id for row in calculation.ledger_rows.select_related("tenant")
    }  # the link that survives a rename
    calculation.refresh_from_db()  # PostgreSQL's jsonb sorts keys; the order is kept apart
    assert calculation.inputs["roommate_order"] == ["Adam", "Amanda", "Fredrik", "Rasmus"]
    assert result.previous is None
    assert not result.unchanged
    assert result.changes == dict.fromkeys(("Adam", "Amanda", "Fredrik", "Rasmus"), (None, 7045))
    assert result.ledger_created == ["Adam", "Amanda", "Fredrik", "Rasmus"]
    rows = ledger()
    assert {name: row.amount_due for name, row in rows.items()} == dict.fromkeys(
        rows, Decimal("7045")
    )
    adam = rows["Adam"]
    assert (adam.days_stayed, adam.room_adjustment, adam.calculation) == (31, 0, calculation)
    assert adam.amount_paid == 0


def test_the_stored_inputs_recompute_to_the_stored_results(september):
    make_tenant("Elvira", start_date=date(2025, 10, 17), room_adjustment=Decimal("-300"))
    calculation = finalize_month(config_month=SEPT).calculation
    calculation.refresh_from_db()
    assert calculation.inputs["roommates"]["Elvira"] == {"days": 15, "room_adjustment": -300}
    assert split_from_history(calculation.inputs).rents == calculation.results


def test_running_it_twice_with_nothing_changed_creates_no_new_version(september):
    first = finalize_month(config_month=SEPT)
    second = finalize_month(config_month=SEPT, title="again")
    assert second.unchanged
    assert second.calculation == first.calculation
    assert second.previous is None
    assert second.changes == {}
    assert (second.ledger_created, second.ledger_updated, second.ledger_removed) == ([], [], [])
    assert RentCalculation.objects.filter(config_month=SEPT).count() == 1


def test_a_change_makes_a_new_version_and_supersedes_the_old(september):
    first = finalize_month(config_month=SEPT).calculation
    set_config("gas", 400, SEPT)
    result = finalize_month(config_month=SEPT)
    first.refresh_from_db()
    assert first.status == CalculationStatus.SUPERSEDED
    assert result.previous == first
    assert result.calculation.version == 2
    assert result.calculation.status == CalculationStatus.CURRENT
    assert result.changes == dict.fromkeys(("Adam", "Amanda", "Fredrik", "Rasmus"), (7045, 7145))
    assert result.ledger_updated == ["Adam", "Amanda", "Fredrik", "Rasmus"]
    assert {row.amount_due for row in ledger().values()} == {Decimal("7145")}
    assert {row.calculation_id for row in ledger().values()} == {result.calculation.pk}


def test_the_next_version_follows_the_highest_stored_one(september):
    for version, status in ((1, "superseded"), (7, "needs_review")):
        RentCalculation.objects.create(
            config_month=SEPT, version=version, status=status, calculated_at=timezone.now()
        )
    assert finalize_month(config_month=SEPT).calculation.version == 8


def test_paid_amounts_are_never_touched(september):
    finalize_month(config_month=SEPT)

    record_payment(tenant=september["Adam"], amount=Decimal("7045"), paid_on=date(2025, 9, 20))
    set_config("gas", 400, SEPT)
    with pytest.raises(PaidChangesError) as asked:
        finalize_month(config_month=SEPT)
    assert [
        (c.name, c.paid, c.old_amount, c.new_amount, c.difference) for c in asked.value.changes
    ] == [("Adam", Decimal("7045"), Decimal("7045"), Decimal("7145"), Decimal("100"))]
    assert (asked.value.code, asked.value.params) == ("paid_amounts_change", {"names": "Adam"})
    assert RentCalculation.objects.filter(config_month=SEPT).count() == 1
    finalize_month(config_month=SEPT, confirm_paid=True)
    adam = ledger()["Adam"]
    assert (adam.amount_due, adam.amount_paid, adam.paid_on) == (
        Decimal("7145"),
        Decimal("7045"),
        date(2025, 9, 20),
    )


def test_someone_no_longer_in_the_split_is_removed_unless_they_paid(september):
    unpaid = make_ledger_row(make_tenant("Gone", departure_date=date(2025, 9, 30)), OCT)
    paid = make_ledger_row(
        make_tenant("Paid", departure_date=date(2025, 9, 30)), OCT, amount_paid=Decimal("100")
    )
    other_month = make_ledger_row(september["Adam"], date(2025, 11, 1))
    result = finalize_month(config_month=SEPT)
    assert result.ledger_removed == ["Gone"]
    assert result.ledger_kept_paid == ["Paid"]
    assert not RentLedger.objects.filter(pk=unpaid.pk).exists()
    paid.refresh_from_db()
    assert (paid.amount_due, paid.amount_paid) == (Decimal("7045"), Decimal("100"))
    assert RentLedger.objects.filter(pk=other_month.pk).exists()
    assert sorted(ledger()) == ["Adam", "Amanda", "Fredrik", "Paid", "Rasmus"]


def test_an_existing_row_is_updated_in_place(september):
    row = make_ledger_row(september["Adam"], OCT, amount_due=Decimal("1"))
    result = finalize_month(config_month=SEPT)
    assert result.ledger_updated == ["Adam"]
    assert result.ledger_created == ["Amanda", "Fredrik", "Rasmus"]
    row.refresh_from_db()
    assert row.amount_due == Decimal("7045")
    assert row.calculation == result.calculation


def test_overrides_are_stored_in_the_inputs_and_the_ledger(september):
    result = finalize_month(config_month=SEPT, overrides={"Adam": {"days": 15.5}})
    inputs = result.calculation.inputs
    assert inputs["overrides"] == {"Adam": {"days": 15.5}}
    assert inputs["roommates"]["Adam"] == {"days": 15.5, "room_adjustment": 0}
    adam = ledger()["Adam"]
    assert adam.days_stayed == Decimal("15.5")
    assert adam.amount_due == result.calculation.results["Adam"]
    again = finalize_month(config_month=SEPT, overrides={"Adam": {"days": 15.5}})
    assert again.unchanged
    without = finalize_month(config_month=SEPT)
    assert without.calculation.version == 2
    assert without.changes["Adam"][1] == 7045


def test_an_override_for_someone_not_living_here_saves_nothing(september):
    with pytest.raises(UnknownRoommateError):
        finalize_month(config_month=SEPT, overrides={"Nobody": {"days": 3}})
    assert not RentCalculation.objects.exists()


def test_projected_electricity_is_refused_unless_forced():
    set_config("el", 1900, date(2024, 9, 1))
    make_tenant("Adam")
    with pytest.raises(ProjectedElectricityError) as refused:
        finalize_month(config_month=SEPT)
    assert "uppskattad från 2024-09" in refused.value.message
    assert not RentCalculation.objects.exists()
    assert not RentLedger.objects.exists()
    result = finalize_month(config_month=SEPT, force=True)
    assert result.calculation.inputs["projected"] == ["el"]
    assert result.calculation.inputs["constants"]["el"] == 1900
    assert ledger()["Adam"].amount_due == result.calculation.results["Adam"]


def test_the_refusals_are_in_the_active_language():
    set_config("el", 1900, date(2024, 9, 1))
    make_tenant("Adam")
    with pytest.raises(ProjectedElectricityError) as swedish:
        finalize_month(config_month=SEPT)
    assert swedish.value.code == "electricity_projected"
    assert swedish.value.message == (
        "El för september 2025 är inte inlagd (uppskattad från 2024-09: 1900 kr). Lägg in "
        "elräkningen, eller bekräfta att uppskattningen ska användas."
    )
    with translation.override("en"):
        with pytest.raises(ProjectedElectricityError) as english:
            finalize_month(config_month=SEPT)
        assert english.value.message == (
            "The electricity for September 2025 has not been entered (projected from 2024-09: "
            "1900 kr). Enter the electricity bill, or confirm that the estimate is to be used."
        )
    make_tenant("Bea", room_adjustment=Decimal("-40000"))
    with translation.override("en"):
        with pytest.raises(FinalizeError) as negative:
            finalize_month(config_month=SEPT, force=True)
        assert negative.value.code == "negative_rent"
        assert negative.value.message == "Negative rent for Bea: check the room adjustments."


def test_a_failure_halfway_leaves_nothing_behind(september, monkeypatch):
    first = finalize_month(config_month=SEPT).calculation
    set_config("gas", 400, SEPT)

    def fail(result):
        raise RuntimeError("disk full")

    monkeypatch.setattr("rent.ledger.finalize.sync_ledger", fail)
    with pytest.raises(RuntimeError):
        finalize_month(config_month=SEPT)
    first.refresh_from_db()
    assert first.status == CalculationStatus.CURRENT
    assert RentCalculation.objects.count() == 1
    assert {row.amount_due for row in ledger().values()} == {Decimal("7045")}


def test_a_negative_share_is_refused():
    set_month_config(SEPT, el=0)
    make_tenant("Adam")
    make_tenant("Bea", room_adjustment=Decimal("-40000"))
    with pytest.raises(FinalizeError) as refused:
        finalize_month(config_month=SEPT)
    assert refused.value.code == "negative_rent"
    assert refused.value.message == "Negativ hyra för Bea: kontrollera rumsjusteringarna."


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_month_at_once_store_one_version(monkeypatch):
    """On PostgreSQL the second save waits for the first and finds nothing changed."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises whole transactions")
    set_config("el", 2424, SEPT)
    for name in ("Adam", "Amanda"):
        make_tenant(name)
    slow_config = rent.ledger.inputs.effective_config

    def effective_config(config_month):
        time.sleep(0.3)  # inside the locked transaction: the other save must wait
        return slow_config(config_month)

    monkeypatch.setattr(rent.ledger.inputs, "effective_config", effective_config)
    start, results, errors = threading.Barrier(2), [], []

    def save():
        try:
            start.wait()
            results.append(finalize_month(config_month=SEPT))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(result.unchanged for result in results) == [False, True]
    assert RentCalculation.objects.filter(config_month=SEPT).count() == 1
    assert RentLedger.objects.filter(rent_month=OCT).count() == 2


def test_an_imported_version_with_the_same_meaning_is_not_saved_again(september):
    """History files write full-month days and floats; that is the same split, not a change."""
    imported = RentCalculation.objects.create(
        config_month=SEPT,
        version=3,
        calculated_at=timezone.now(),
        inputs={
            "constants": {"year": 2025, "month": 9, "kallhyra": 24530.0, "el": 2424, "drift": 5},
            "roommates": {
                name: {"days": 31, "room_adjustment": 0}
                for name in ("Adam", "Amanda", "Fredrik", "Rasmus")
            },
        },
        results=dict.fromkeys(("Adam", "Amanda", "Fredrik", "Rasmus"), 7045),
        source={"file": "2025_09_v3.json"},
    )
    result = finalize_month(config_month=SEPT)
    assert result.unchanged
    assert result.calculation == imported
    assert result.ledger_created == ["Adam", "Amanda", "Fredrik", "Rasmus"]
    assert {row.calculation_id for row in ledger().values()} == {imported.pk}


def test_the_same_results_from_different_inputs_are_a_new_version(september):
    finalize_month(config_month=SEPT)
    set_config("kallhyra", 24531, SEPT)  # 28180 / 4 = 7045: the same amounts
    result = finalize_month(config_month=SEPT)
    assert not result.unchanged
    assert result.calculation.version == 2
    assert result.changes == {}


def test_the_recorded_roommate_order_reproduces_a_tie_after_storage():
    """Ties go by roommate order; jsonb (PostgreSQL) sorts keys by length, so it is kept apart."""
    set_config("el", 3000, SEPT)  # total 28755
    make_tenant("Bo")
    make_tenant("Alexandra")
    make_tenant("Cy", room_adjustment=Decimal("-20"))
    calculation = finalize_month(config_month=SEPT).calculation
    assert calculation.results == {"Alexandra": 9591, "Bo": 9592, "Cy": 9572}
    calculation.refresh_from_db()
    assert calculation.roommate_order() == ["Alexandra", "Bo", "Cy"]
    in_order = {**calculation.inputs, "roommates": calculation.ordered_roommates()}
    assert split_from_history(in_order).rents == calculation.ordered_results()


def test_saving_a_month_allocates_credit_to_the_new_rows_and_bumps_the_version(september):
    """sync_ledger writes the month's rows and reallocates each tenant itself."""
    make_payment(september["Adam"], "10000", date(2025, 9, 20))  # paid before the month
    before = data_version()
    finalize_month(config_month=SEPT)
    assert data_version() != before
    rows = ledger()
    assert rows["Adam"].amount_paid == Decimal("7045") and rows["Amanda"].amount_paid == 0
    before = data_version()
    finalize_month(config_month=SEPT)  # the same again: nothing written, nothing bumped
    assert data_version() == before
