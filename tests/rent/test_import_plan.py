"""The importer's plan against the database, in the situations the household meets: a later
version supersedes the current calculation, --overwrite of a calculation, export rows naming
what does not exist, and an export that disagrees with a calculation. Both databases."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from rent.importing import ImportFailed, import_rent
from rent.ledger.balances import balance_of
from rent.ledger.payments import record_payment
from rent.models import (
    CalculationStatus,
    CoOwnedItem,
    Payment,
    RentCalculation,
    RentConfig,
    RentLedger,
    Room,
    Tenant,
)
from tests.builders import make_tenant
from tests.import_helpers import report_line, run_import, write_history

pytestmark = pytest.mark.django_db

JANUARY = date(2025, 1, 1)
FEBRUARY = date(2025, 2, 1)  # January's rent month


def write_export(folder: Path, **tables) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "export.json"
    path.write_text(json.dumps(tables))
    return path


def ledger_row(tenant="Nora", **fields) -> dict:
    return {"tenant": tenant, "rent_month": "2025-02-01", "amount_due": "7000", **fields}


def problems(*paths) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        import_rent(list(paths))
    assert failed.value.code == "import_failed"
    assert failed.value.params == {"count": len(failed.value.problems)}
    return [str(problem) for problem in failed.value.problems]


# -- a later version ---------------------------------------------------------------------------


def test_a_later_version_supersedes_the_current_calculation_and_updates_its_ledger(tmp_path):
    write_history(tmp_path / "first", JANUARY, {"Nora": 7000, "Otto": 3500})
    run_import(tmp_path / "first")
    first = RentCalculation.objects.get()
    write_history(tmp_path / "second", JANUARY, {"Nora": 7100, "Otto": 3400}, version=2)

    output = run_import(tmp_path / "second")

    first.refresh_from_db()
    second = RentCalculation.objects.get(version=2)
    assert (first.status, second.status) == (
        CalculationStatus.SUPERSEDED,
        CalculationStatus.CURRENT,
    )
    assert "calculation 2025-01 v1: current → superseded" in output
    assert report_line(output, "rent_calculations") == ["1", "1", "0", "0", "0"]
    rows = {row.tenant.name: row for row in RentLedger.objects.select_related("tenant")}
    assert {name: row.amount_due for name, row in rows.items()} == {
        "Nora": Decimal(7100),
        "Otto": Decimal(3400),
    }
    assert {row.calculation_id for row in rows.values()} == {second.pk}
    assert report_line(output, "rent_ledger") == ["0", "2", "0", "0", "0"]
    assert "Nothing changed" in run_import(tmp_path / "first", tmp_path / "second")


def test_a_paid_row_of_a_superseded_version_is_a_conflict_not_rewritten(tmp_path):
    write_history(tmp_path / "first", JANUARY, {"Nora": 7000})
    run_import(tmp_path / "first")
    # The treasurer recorded the payment by hand instead of the import's.

    row = RentLedger.objects.get()
    Payment.objects.all().delete()
    record_payment(tenant=row.tenant, amount=Decimal(7000), paid_on=date(2025, 1, 25),
                   for_month=row.rent_month)  # fmt: skip
    write_history(tmp_path / "second", JANUARY, {"Nora": 7100}, version=2)

    output = run_import(tmp_path / "second")

    row = RentLedger.objects.get()
    assert (row.amount_due, row.calculation.version) == (Decimal(7000), 1)
    assert report_line(output, "rent_ledger") == ["0", "0", "0", "1", "0"]
    assert "ledger 2025-02 Nora: amount_due is 7000.00 in the database, 7100 in " in output


# -- --overwrite of a calculation ----------------------------------------------------------


def test_a_changed_file_of_an_imported_calculation_is_a_conflict_overwrite_replaces(tmp_path):
    path = write_history(tmp_path, JANUARY, {"Nora": 7000})
    run_import(tmp_path)
    document = json.loads(path.read_text())
    document["metadata"]["title"] = "Rättad"
    document["final_results"] = {"Nora": 7050}
    path.write_text(json.dumps(document))

    output = run_import(tmp_path)

    assert RentCalculation.objects.get().results == {"Nora": 7000}
    assert "calculation 2025-01 v1: the database's differs from 2025_01_v1.json" in output
    assert report_line(output, "rent_calculations") == ["0", "0", "0", "1", "0"]

    output = run_import(tmp_path, overwrite=True)

    calculation = RentCalculation.objects.get()
    assert (calculation.title, calculation.results) == ("Rättad", {"Nora": 7050})
    assert report_line(output, "rent_calculations") == ["0", "1", "0", "0", "0"]
    assert RentLedger.objects.get().amount_due == Decimal(7050)


def ledger_image() -> dict:
    return {
        row.tenant.name: (row.amount_due, row.amount_paid, row.calculation_id)
        for row in RentLedger.objects.select_related("tenant")
    }


def test_a_conflicting_calculation_keeps_its_ledger_rows_overwrite_moves_both(tmp_path):
    """Without --overwrite the ledger follows the calculation that is kept (the database's),
    not the file's amounts; with it, both move together."""
    path = write_history(tmp_path, JANUARY, {"Nora": 7000, "Otto": 3500})
    run_import(tmp_path)
    calculation = RentCalculation.objects.get()
    before = ledger_image()
    document = json.loads(path.read_text())
    document["roommates"]["Pia"] = {}
    document["final_results"] = {"Nora": 7050, "Otto": 3500, "Pia": 2000}
    path.write_text(json.dumps(document))

    output = run_import(tmp_path)

    calculation.refresh_from_db()
    assert calculation.results == {"Nora": 7000, "Otto": 3500}
    assert ledger_image() == before
    assert report_line(output, "rent_ledger") == ["0", "0", "1", "2", "0"]
    kept = "calculation 2025-01 v1 keeps the database's version (--overwrite replaces both)"
    assert (
        "ledger 2025-02 Nora: amount_due is 7000.00 in the database, 7050 in 2025_01_v1.json, "
        f"amount_paid is 7000.00 in the database, 7050 in 2025_01_v1.json; {kept}"
    ) in output
    assert (
        f"ledger 2025-02 Pia: not in the database, 2000 due in 2025_01_v1.json; not created: {kept}"
    ) in output

    output = run_import(tmp_path, overwrite=True)

    calculation.refresh_from_db()
    assert calculation.results == {"Nora": 7050, "Otto": 3500, "Pia": 2000}
    assert ledger_image() == {
        "Nora": (Decimal(7050), Decimal(7050), calculation.pk),
        "Otto": (Decimal(3500), Decimal(3500), calculation.pk),
        "Pia": (Decimal(2000), Decimal(2000), calculation.pk),
    }
    assert report_line(output, "rent_ledger") == ["1", "1", "1", "0", "0"]
    assert "keeps the database's version" not in output
    assert "Nothing changed" in run_import(tmp_path)


def test_an_exports_row_for_a_conflicting_calculation_is_kept_too(tmp_path):
    """An export beside the changed file names the same calculation: its row is that
    calculation's, so it stays as the database has it until --overwrite moves both."""
    path = write_history(tmp_path, JANUARY, {"Nora": 7000})
    run_import(tmp_path)
    document = json.loads(path.read_text())
    document["final_results"] = {"Nora": 7050}
    path.write_text(json.dumps(document))
    january = {"config_month": "2025-01", "version": 1}
    paid = ledger_row(amount_due="7050", amount_paid="7050", paid_on="2025-01-25")
    write_export(tmp_path, rent_ledger=[{**paid, "calculation": january}])

    output = run_import(tmp_path)

    row = RentLedger.objects.get()
    # The import's payment for the month: dated on the due day (the history has no date).
    assert (row.amount_due, row.paid_on) == (Decimal(7000), date(2025, 1, 27))
    assert report_line(output, "rent_ledger") == ["0", "0", "0", "1", "0"]
    assert (
        "ledger 2025-02 Nora: amount_due is 7000.00 in the database, 7050 in export.json: "
        "rent_ledger[0], amount_paid is 7000.00 in the database, 7050 in export.json: "
        "rent_ledger[0]; calculation 2025-01 v1 keeps the database's version"
    ) in output

    run_import(tmp_path, overwrite=True)

    row = RentLedger.objects.get()
    # The export's 50 kr more, paid on its date, is recorded as a payment for the month.
    assert (row.amount_due, row.amount_paid, row.calculation.results) == (
        Decimal(7050),
        Decimal(7050),
        {"Nora": 7050},
    )
    assert sorted(p.paid_on for p in row.tenant.payments.all()) == [
        date(2025, 1, 25),
        date(2025, 1, 27),
    ]


# -- export rows naming what does not exist ------------------------------------------------


def test_an_export_row_naming_an_unknown_tenant_is_an_error_and_nothing_is_written(tmp_path):
    write_export(tmp_path, rent_ledger=[ledger_row("Ghost")], tenants=[{"name": "Nora"}])
    assert problems(tmp_path) == [
        "export.json: rent_ledger[0]: names a tenant that is in no file or table"
    ]
    assert not Tenant.objects.exists()


def test_an_export_row_naming_an_unknown_calculation_is_an_error(tmp_path):
    row = ledger_row(calculation={"config_month": "2025-01", "version": 3})
    write_export(tmp_path, tenants=[{"name": "Nora"}], rent_ledger=[row])
    assert problems(tmp_path) == [
        "export.json: rent_ledger[0].calculation: no calculation 2025-01 v3"
    ]
    assert not Tenant.objects.exists()


def test_an_item_owner_who_is_no_tenant_is_an_error(tmp_path):
    soffa = {"name": "Soffa", "value": "10", "owners": ["Ghost"]}
    write_export(tmp_path, tenants=[], co_owned_items=[soffa])
    assert problems(tmp_path) == ["export.json: co_owned_items[0].owners[0]: no tenant Ghost"]
    assert not CoOwnedItem.objects.exists()


# -- an export that disagrees with a calculation -------------------------------------------


def test_an_export_amount_other_than_the_calculations_is_warned_and_the_exports_used(tmp_path):
    write_history(tmp_path, JANUARY, {"Nora": 7000, "Otto": 3500})
    write_export(
        tmp_path,
        rent_ledger=[
            ledger_row(amount_due="6900", calculation={"config_month": "2025-01", "version": 1}),
            ledger_row("Otto", amount_due="3500"),
        ],
    )

    output = run_import(tmp_path)

    assert (
        "export.json: rent_ledger[0]: amount due 6900 differs from the current calculation's "
        "7000 (2025_01_v1.json); the export's is used"
    ) in output
    assert "rent_ledger[1]: amount due" not in output
    nora = RentLedger.objects.get(tenant__name="Nora")
    # No payment in the export: the calculation's (paid as charged, 7000) stands; the month is
    # paid and the 100 kr over are credit.
    assert (nora.amount_due, nora.amount_paid) == (Decimal(6900), Decimal(6900))

    assert balance_of(tenant=nora.tenant) == Decimal(-100)
    otto = RentLedger.objects.get(tenant__name="Otto")
    assert otto.calculation is None


def test_an_export_row_without_a_calculation_or_payment_is_unpaid(tmp_path):
    write_export(tmp_path, tenants=[{"name": "Nora"}], rent_ledger=[ledger_row()])
    run_import(tmp_path)
    row = RentLedger.objects.get()
    assert (row.amount_due, row.amount_paid, row.rent_month) == (
        Decimal(7000),
        Decimal(0),
        FEBRUARY,
    )


def test_an_export_bill_other_than_the_calculations_constants_is_warned_and_used(tmp_path):
    write_history(tmp_path, JANUARY, {"Nora": 7000})
    write_export(tmp_path, rent_configs=[{"key": "el", "value": "2100", "period": "2025-01-01"}])

    output = run_import(tmp_path)

    assert (
        "2025_01_v1.json: constants.el is 2000, the export has 2100 for 2025-01 "
        "(export.json: rent_configs[0]); the export's is used"
    ) in output
    assert RentConfig.objects.get(key="el", period=JANUARY).value == Decimal(2100)
    assert RentConfig.objects.get(key="kallhyra", period=JANUARY).value == Decimal(24530)


# -- one tenant in several exports ---------------------------------------------------------


def test_a_tenant_in_several_exports_is_created_once_and_compared_once(tmp_path):
    nora = {"id": "t-nora", "name": "Nora", "email": "nora@example.org"}
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.json").write_text(json.dumps({"tenants": [nora]}))
    output = run_import(tmp_path)
    assert Tenant.objects.get().legacy_id == "t-nora"
    assert report_line(output, "tenants") == ["1", "0", "0", "0", "0"]

    make_tenant("Otto")
    output = run_import(tmp_path)
    assert report_line(output, "tenants") == ["0", "0", "1", "0", "0"]


def test_an_item_the_files_give_new_owners_is_a_conflict_overwrite_adds_them(tmp_path):
    tenants = [{"name": "Nora"}, {"name": "Otto"}]
    soffa = {"name": "Soffa", "value": "10", "owners": ["Nora"]}
    write_export(tmp_path, tenants=tenants, co_owned_items=[soffa])
    run_import(tmp_path)
    write_export(tmp_path, tenants=tenants, co_owned_items=[{**soffa, "owners": ["Nora", "Otto"]}])

    output = run_import(tmp_path)
    assert "co-owned item Soffa: differs from export.json (co_owned_items[0]) in owners" in output
    assert list(CoOwnedItem.objects.get().owners.values_list("name", flat=True)) == ["Nora"]

    run_import(tmp_path, overwrite=True)
    owners = CoOwnedItem.objects.get().owners.values_list("name", flat=True)
    assert sorted(owners) == ["Nora", "Otto"]


# -- a tenant's stay ---------------------------------------------------------------------------


def test_a_tenants_stay_and_room_are_imported_and_a_second_run_changes_nothing(tmp_path):
    tenant = {
        "id": "t-nora", "name": "Nora", "startDate": "2025-01-01", "phone": "0701234567",
        "room": "Mörka rummet", "deposit": "5000", "depositPaidOn": "2024-12-20",
        "depositReturned": "4500", "depositReturnedOn": "2025-10-01",
        "signedOn": "2024-12-01", "noticeGivenOn": "2025-08-15",
    }  # fmt: skip
    rooms = [{"name": "Mörka rummet", "adjustment": "-1400", "description": "Mot norr"}]
    path = write_export(tmp_path, tenants=[tenant], rooms=rooms)
    report = run_import(path)
    assert "created room Mörka rummet (export.json: rooms[0])" in report
    nora = Tenant.objects.select_related("room").get()
    assert (nora.phone, nora.room.name, nora.room.adjustment) == (
        "+46701234567", "Mörka rummet", Decimal("-1400"),
    )  # fmt: skip
    assert (nora.deposit, nora.deposit_returned, nora.deposit_returned_on) == (
        Decimal("5000"), Decimal("4500"), date(2025, 10, 1),
    )  # fmt: skip
    assert (nora.signed_on, nora.notice_given_on) == (date(2024, 12, 1), date(2025, 8, 15))
    assert Room.objects.count() == 1
    assert "the database already holds these files" in run_import(path)


def test_a_stay_changed_in_the_app_is_kept_as_a_conflict(tmp_path):
    path = write_export(tmp_path, tenants=[{"name": "Nora", "phone": "0701234567"}])
    run_import(path)
    Tenant.objects.filter(name="Nora").update(phone="+46707654321")
    report = run_import(path)
    assert "phone is +46707654321 in the database, +46701234567 in export.json" in report
    assert Tenant.objects.get().phone == "+46707654321"


def test_a_differing_personnummer_is_a_conflict_whose_values_are_not_printed(tmp_path):
    path = write_export(tmp_path, tenants=[{"name": "Nora", "personnummer": "880320-0016"}])
    run_import(path)
    assert Tenant.objects.get().personnummer == "19880320-0016"
    Tenant.objects.filter(name="Nora").update(personnummer="19811228-9874")
    report = run_import(path)
    assert "tenant Nora: personnummer differs between the database and export.json" in report
    assert "880320-0016" not in report and "811228-9874" not in report
    assert Tenant.objects.get().personnummer == "19811228-9874"
