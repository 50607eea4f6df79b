"""import_rent on the household's real files: every expected figure, on both databases."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from rent.importing.exporting import history_file_name
from rent.models import CalculationStatus, RentCalculation, RentConfig, RentLedger, Tenant
from tests.builders import make_ledger_row, make_tenant, set_config
from tests.import_helpers import database_image, run_import

pytestmark = [pytest.mark.django_db, pytest.mark.real_data]

CHARGED_FILES = {
    date(2024, 11, 1): "2024_11_v2.json",
    date(2025, 2, 1): "2025_01_v1.json",
    date(2025, 3, 1): "2025_02_v10.json",
    date(2025, 4, 1): "2025_03_v1.json",
    date(2025, 5, 1): "2025_04_v1.json",
    date(2025, 6, 1): "2025_05_v1.json",
    date(2025, 8, 1): "2025_08_v1.json",
}
ROWS_PER_MONTH = {date(2024, 11, 1): 6, date(2025, 8, 1): 5} | {
    date(2025, month, 1): 4 for month in (2, 3, 4, 5, 6)
}


@pytest.fixture
def history_dir(real_data_dir):
    return real_data_dir / "rent_history"


def final_results(real_data_dir, file_name):
    data = json.loads((real_data_dir / "rent_history" / file_name).read_text())
    return {name: Decimal(str(amount)) for name, amount in data["final_results"].items()}


def ledger_by_month():
    found = {}
    for row in RentLedger.objects.select_related("tenant"):
        found.setdefault(row.rent_month, {})[row.tenant.name] = row
    return found


def assert_the_charged_ledger(real_data_dir):
    ledger = ledger_by_month()
    assert RentLedger.objects.count() == 31
    assert {month: len(rows) for month, rows in ledger.items()} == ROWS_PER_MONTH
    for month, file_name in CHARGED_FILES.items():
        expected = final_results(real_data_dir, file_name)
        rows = ledger[month]
        assert {name: row.amount_due for name, row in rows.items()} == expected, file_name
        # Paid as charged: one payment per month, dated on its due day (the 27th before).
        assert all(
            row.amount_paid == row.amount_due
            and row.paid_on == date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 27)
            and row.allocations.get().payment.amount == row.amount_due
            for row in rows.values()
        )
        assert {row.calculation.source["file"] for row in rows.values()} == {file_name}


def test_the_whole_folder_gives_every_expected_figure(real_data_dir):
    output = run_import(real_data_dir)

    assert Tenant.objects.count() == 8
    assert RentCalculation.objects.count() == 15
    assert_the_charged_ledger(real_data_dir)
    assert "63 in 15 files; 31 became ledger rows from 7 current calculations; 32 stayed" in output
    # The file with a guessed period charges Astrid for a month before she moved in: a warning.
    assert (
        "2023_11_v1.json: Astrid is charged for 2023-12, but by the tenant's dates "
        "(2024-02-01 to 2024-11-30) did not live here that month"
    ) in output
    statuses = dict(
        RentCalculation.objects.values_list("source__file", "status").order_by("source__file")
    )
    current = sorted(name for name, status in statuses.items() if status == "current")
    assert current == sorted(CHARGED_FILES.values())
    assert statuses["2023_11_v1.json"] == CalculationStatus.NEEDS_REVIEW
    for version in (1, 2, 4, 5, 6, 8, 9):
        assert statuses[f"2025_02_v{version}.json"] == CalculationStatus.SUPERSEDED
    adam = Tenant.objects.get(name="Adam")
    assert adam.legacy_id == "cmcp5ovvc0000mnpiq34uprjv"
    assert adam.start_date == date(2025, 3, 1)  # taken literally, not shifted by its +0100
    assert Tenant.objects.get(name="Astrid").room_adjustment == Decimal("-1400")
    # Both Frans-Lukas and a Frans would be two people: the name is matched exactly.
    assert Tenant.objects.filter(name__istartswith="Frans").count() == 1


def test_config_rows_are_the_exports_seven_plus_the_current_calculations_bills(real_data_dir):
    run_import(real_data_dir)

    export = json.loads((real_data_dir / "production_database_20250928.json").read_text())
    for row in export["rent_configs"]:
        stored = RentConfig.objects.get(
            key=row["key"], period=date.fromisoformat(row["period"][:10])
        )
        assert stored.value == Decimal(row["value"])
    assert RentConfig.objects.get(key="el", period=date(2025, 8, 1)).created_at.isoformat() == (
        "2025-07-04T18:22:29+00:00"
    )
    from_export = {
        (row["key"], row["period"][:10]): Decimal(row["value"]) for row in export["rent_configs"]
    }
    expected = set(from_export)
    for file_name in CHARGED_FILES.values():
        constants = json.loads((real_data_dir / "rent_history" / file_name).read_text())[
            "constants"
        ]
        month = date(constants["year"], constants["month"], 1).isoformat()
        for key, value in constants.items():
            if key not in ("year", "month") and value is not None:
                expected.add((key, month))
                stored = RentConfig.objects.get(key=key, period=month).value
                # Where the export has the month's row too, the export's value is kept.
                assert stored == from_export.get((key, month), Decimal(str(value))), (key, month)
    stored = {
        (key, period.isoformat()) for key, period in RentConfig.objects.values_list("key", "period")
    }
    assert stored == expected
    # A null in the file records nothing: January 2025 has no drift_rakning row.
    assert not RentConfig.objects.filter(key="drift_rakning", period=date(2025, 1, 1)).exists()


def test_the_period_of_the_file_without_year_and_month_is_never_charged(real_data_dir):
    run_import(real_data_dir)

    guessed = RentCalculation.objects.get(source__file="2023_11_v1.json")
    assert guessed.status == CalculationStatus.NEEDS_REVIEW
    assert guessed.config_month == date(2023, 11, 1)
    assert not guessed.ledger_rows.exists()
    assert guessed.inputs["constants"]["drift"] == 4612  # kept, not interpreted


def test_an_overrides_file_files_it_as_a_superseded_version_of_october_2024(
    real_data_dir, tmp_path
):
    overrides = tmp_path / "import_overrides.json"
    overrides.write_text(
        json.dumps(
            {"import_overrides": {"2023_11_v1.json": {"config_month": "2024-10", "version": 1}}}
        )
    )
    run_import(real_data_dir, overrides)

    filed = RentCalculation.objects.get(source__file="2023_11_v1.json")
    assert (filed.config_month, filed.version, filed.status) == (date(2024, 10, 1), 1, "superseded")
    assert (
        RentCalculation.objects.get(config_month=date(2024, 10, 1), version=2).status == "current"
    )
    assert_the_charged_ledger(real_data_dir)


def test_the_history_folder_alone_gives_the_same_ledger_and_creates_tenants_by_name(
    real_data_dir, history_dir
):
    output = run_import(history_dir)

    assert_the_charged_ledger(real_data_dir)
    assert sorted(Tenant.objects.values_list("name", flat=True)) == [
        "Adam", "Amanda", "Astrid", "Elvira", "Frans-Lukas", "Fredrik", "Malin", "Rasmus",
    ]  # fmt: skip
    assert set(Tenant.objects.values_list("legacy_id", flat=True)) == {""}
    assert "created tenant Amanda (name only)" in output

    # The export afterwards completes the same tenants instead of adding new ones.
    run_import(real_data_dir)
    assert Tenant.objects.count() == 8
    assert Tenant.objects.get(name="Amanda").start_date == date(2025, 8, 2)


def test_a_second_run_changes_nothing_and_says_so(real_data_dir):
    run_import(real_data_dir)
    before = database_image()

    output = run_import(real_data_dir)

    assert database_image() == before
    assert "Nothing changed" in output
    for table in ("tenants", "rent_configs", "rent_calculations", "rent_ledger"):
        line = next(line for line in output.splitlines() if line.startswith(table))
        assert line.split()[1:3] == ["0", "0"], line  # created, updated
        assert line.split()[4:] == ["0", "0"], line  # conflicts, skipped


def test_a_dry_run_reports_the_same_and_writes_nothing(real_data_dir):
    before = database_image()

    output = run_import(real_data_dir, "--dry-run")

    assert database_image() == before
    assert "Dry run: nothing was written." in output
    ledger_line = next(line for line in output.splitlines() if line.startswith("rent_ledger"))
    assert ledger_line.split()[1:] == ["31", "0", "0", "0", "0"]
    assert "31 became ledger rows from 7 current calculations" in output
    # The same report as the real run, line for line, but for its last line.
    real = run_import(real_data_dir).splitlines()
    assert output.splitlines()[:-1] == real[:-1]
    assert real[-1] == "Imported."


def test_values_changed_in_the_app_are_kept_as_conflicts_unless_overwrite(real_data_dir):
    run_import(real_data_dir)
    row = RentLedger.objects.get(tenant__name="Adam", rent_month=date(2025, 8, 1))
    row.amount_due = Decimal("7000")
    row.save()
    RentConfig.objects.filter(key="el", period=date(2025, 7, 1)).update(value=Decimal("1999"))
    Tenant.objects.filter(name="Rasmus").update(email="rasmus@example.org")

    output = run_import(real_data_dir)

    row.refresh_from_db()
    assert row.amount_due == Decimal("7000")
    assert RentConfig.objects.get(key="el", period=date(2025, 7, 1)).value == Decimal("1999")
    assert Tenant.objects.get(name="Rasmus").email == "rasmus@example.org"
    assert "ledger 2025-08 Adam: amount_due is 7000.00 in the database, 7069" in output
    assert "config el 2025-07: 1999.00 in the database, 1973" in output
    assert "tenant Rasmus: email is rasmus@example.org in the database" in output

    run_import(real_data_dir, "--overwrite")

    row.refresh_from_db()
    assert row.amount_due == Decimal("7069")
    assert RentConfig.objects.get(key="el", period=date(2025, 7, 1)).value == Decimal("1973")
    assert Tenant.objects.get(name="Rasmus").email == "rasmus@kimonokittens.com"


def test_rows_made_in_the_app_are_never_touched(real_data_dir):
    fredrik = make_tenant("Fredrik")
    own = make_ledger_row(fredrik, rent_month=date(2025, 8, 1), amount_due=Decimal("7100"))
    later = make_ledger_row(fredrik, rent_month=date(2025, 10, 1), amount_due=Decimal("7045"))
    config = set_config("el", 2424, date(2025, 9, 1))

    output = run_import(real_data_dir, "--overwrite")

    own.refresh_from_db()
    assert own.amount_due == Decimal("7100") and own.calculation is None
    assert "ledger 2025-08 Fredrik: made in the app" in output
    assert RentLedger.objects.get(pk=later.pk).amount_due == Decimal("7045")
    assert RentConfig.objects.get(pk=config.pk).value == Decimal("2424")
    assert RentLedger.objects.count() == 32  # 30 imported + the two of the app


def test_calculate_rent_reproduces_what_was_charged_except_negotiated_months(real_data_dir):
    run_import(real_data_dir)
    ledger = ledger_by_month()

    def computed(config_month):
        out = StringIO()
        call_command("calculate_rent", "--month", config_month, "--json", stdout=out)
        return {
            name: Decimal(amount) for name, amount in json.loads(out.getvalue())["rents"].items()
        }

    for config_month, rent_month in [
        ("2025-01", date(2025, 2, 1)),
        ("2025-03", date(2025, 4, 1)),
        ("2025-04", date(2025, 5, 1)),
        ("2025-05", date(2025, 6, 1)),
        ("2025-07", date(2025, 8, 1)),
    ]:
        charged = {name: row.amount_due for name, row in ledger[rent_month].items()}
        assert computed(config_month) == charged, config_month
    for config_month, rent_month in [("2024-10", date(2024, 11, 1)), ("2025-02", date(2025, 3, 1))]:
        charged = {name: row.amount_due for name, row in ledger[rent_month].items()}
        assert computed(config_month) != charged, config_month


def test_every_calculation_keeps_its_files_roommate_order_through_an_export(
    real_data_dir, history_dir, tmp_path
):
    run_import(real_data_dir)
    call_command("export_rent", str(tmp_path), stdout=StringIO())

    for calculation in RentCalculation.objects.all():
        name = calculation.source["file"]
        original = json.loads((history_dir / name).read_text())
        exported_file = tmp_path / "rent_history" / history_file_name(calculation)
        exported = json.loads(exported_file.read_text())
        assert calculation.roommate_order() == list(original["roommates"]), name
        assert list(exported["roommates"]) == list(original["roommates"]), name
        assert list(exported["final_results"].items()) == list(original["final_results"].items())
