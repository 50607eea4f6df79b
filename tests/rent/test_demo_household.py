"""The demo household in fixtures/ shows every feature of the importer.

A new user runs `make run` (`import_rent` without PATH, DEBUG on) and should see a lived-in app:
at least 18 config months, several versions of one month, people moving in and out mid-month,
a room adjustment, a quarterly invoice month, a gas purchase, a month with `saldo_innan`, and
some unpaid rows. These tests read the files themselves and the database they import into, so
none of these features can silently disappear when the demo is regenerated.
"""

import importlib.util
import json
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Sum

from rent.engine.months import add_months, days_in_month, last_of_month
from rent.engine.split import split_from_history
from rent.models import CalculationStatus, RentCalculation, RentConfig, RentLedger, Tenant
from rent.versioning import data_version
from tests.import_helpers import run_import

DEMO = Path(settings.DEMO_DATA_DIR)


def history_documents() -> dict[str, dict]:
    return {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((DEMO / "rent_history").glob("*.json"))
    }


def export_document() -> dict:
    return json.loads((DEMO / "household_export.json").read_text(encoding="utf-8"))


def config_month(document: dict) -> date:
    return date(document["constants"]["year"], document["constants"]["month"], 1)


def test_the_history_files_cover_at_least_18_config_months_one_with_several_versions():
    documents = history_documents()
    versions = Counter(config_month(document) for document in documents.values())

    assert len(versions) >= 18
    months = sorted(versions)
    assert months == [add_months(months[0], i) for i in range(len(months))], "a gap in the demo"
    assert max(versions.values()) >= 3
    for document in documents.values():  # every file names its own config month
        assert {"year", "month"} <= document["constants"].keys()


def test_the_bills_include_a_quarterly_invoice_a_gas_purchase_and_a_saldo_innan():
    constants = [document["constants"] for document in history_documents().values()]

    assert any((c.get("drift_rakning") or 0) > 0 for c in constants)
    assert any((c.get("gas") or 0) > 0 for c in constants)
    assert any((c.get("saldo_innan") or 0) != 0 for c in constants)


def test_people_move_in_and_out_mid_month_and_one_has_a_room_adjustment():
    tenants = export_document()["tenants"]
    starts = [date.fromisoformat(t["startDate"][:10]) for t in tenants if t["startDate"]]
    departures = [
        date.fromisoformat(t["departureDate"][:10]) for t in tenants if t["departureDate"]
    ]
    assert any(day.day != 1 for day in starts), "nobody moves in mid-month"
    assert any(day != last_of_month(day) for day in departures), "nobody moves out mid-month"
    assert any(t["roomAdjustment"] for t in tenants)

    partial, adjusted = set(), set()
    for document in history_documents().values():
        rent_month = add_months(config_month(document), 1)
        for name, entry in document["roommates"].items():
            if entry.get("days") and entry["days"] < days_in_month(rent_month):
                partial.add(name)
            if entry.get("room_adjustment"):
                adjusted.add(name)
    assert len(partial) >= 2, "the history has no mid-month moves"
    assert adjusted


def test_every_final_result_is_what_the_rent_engine_computes():
    for name, document in history_documents().items():
        split = split_from_history(document)
        assert {person: Decimal(str(amount)) for person, amount in split.rents.items()} == {
            person: Decimal(str(amount)) for person, amount in document["final_results"].items()
        }, name


def test_the_files_are_what_the_generator_writes(tmp_path, monkeypatch):
    """fixtures/ and scripts/make_demo_household.py agree: regenerating changes nothing."""
    spec = importlib.util.spec_from_file_location(
        "make_demo_household", DEMO.parent / "scripts" / "make_demo_household.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setattr(script, "FIXTURES", tmp_path)

    script.main()

    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.json"))
    in_repo = [Path("household_export.json")]
    in_repo += sorted(p.relative_to(DEMO) for p in (DEMO / "rent_history").glob("*.json"))
    assert written == sorted(in_repo)
    for name in written:
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), name


@pytest.mark.django_db
def test_the_run_command_imports_a_lived_in_household(settings):
    """`import_rent` without PATH, DEBUG on and RENT_DATA_DIR unset, as `make run` does it."""
    settings.DEBUG = True
    settings.RENT_DATA_DIR = ""
    before = data_version()
    output = run_import()
    # The importer bumps the data version and allocates the payments itself (no signals).
    assert data_version() != before
    for row in RentLedger.objects.annotate(allocated=Sum("allocations__amount")):
        assert row.amount_paid == (row.allocated or 0), row

    assert "Imported." in output
    current = RentCalculation.objects.filter(status=CalculationStatus.CURRENT)
    assert current.count() >= 18
    assert RentCalculation.objects.filter(status=CalculationStatus.SUPERSEDED).count() >= 2
    assert RentLedger.objects.values("rent_month").distinct().count() >= 18
    unpaid = [row for row in RentLedger.objects.all() if row.amount_paid < row.amount_due]
    assert len(unpaid) >= 2
    paid_with_a_date = RentLedger.objects.filter(paid_on__isnull=False)
    assert paid_with_a_date.exists()
    assert RentConfig.objects.filter(key="drift_rakning", value__gt=0).exists()
    assert RentConfig.objects.filter(key="gas", value__gt=0).exists()
    assert RentConfig.objects.exclude(value=0).filter(key="saldo_innan").exists()
    assert Tenant.objects.exclude(room_adjustment=0).exists()
    assert Tenant.objects.filter(departure_date__isnull=False).count() >= 2
    assert RentLedger.objects.filter(days_stayed__isnull=False).exists()
    # A lived-in household does not warn about its own files.
    assert "Warnings:" not in output


@pytest.mark.real_data
def test_the_demo_people_are_fictional(real_data_dir):
    """No real tenant's name or email is in fixtures/ (the real data stays outside the repo)."""
    export = json.loads((real_data_dir / "production_database_20250928.json").read_text())
    real = {t["name"].casefold() for t in export["tenants"]}
    real |= {t["email"].casefold() for t in export["tenants"] if t.get("email")}
    for path in [DEMO / "household_export.json", *sorted((DEMO / "rent_history").glob("*.json"))]:
        text = path.read_text(encoding="utf-8").casefold()
        assert not [value for value in real if f'"{value}"' in text], path.name
