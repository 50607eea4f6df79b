"""export_rent: the whole rent database as files; importing them into an empty one gives it back."""

import json
from datetime import date, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from rent.importing.exporting import EXPORT_FILE
from rent.models import (
    CoOwnedItem,
    Payment,
    RentCalculation,
    RentConfig,
    RentLedger,
    Room,
    Tenant,
)
from tests.builders import make_ledger_row, make_payment, make_tenant
from tests.import_helpers import database_image, run_import

pytestmark = pytest.mark.django_db


STAY_FIELDS = ("phone", "personnummer", "room__name", "interested_on", "signed_on",
               "notice_given_on",
               "deposit", "deposit_paid_on", "deposit_returned", "deposit_returned_on",
               "furnishing_deposit", "furnishing_deposit_paid_on", "furnishing_deposit_returned",
               "furnishing_deposit_returned_on")  # fmt: skip


def rows_by_natural_key() -> dict:
    """Every row of the rent tables, with foreign keys as natural keys instead of ids."""
    return {
        "tenants": sorted(
            Tenant.objects.values_list(
                "name",
                "email",
                "start_date",
                "departure_date",
                "room_adjustment",
                "legacy_id",
                "created_at",
                "updated_at",
                *STAY_FIELDS,
            )
        ),  # fmt: skip
        "rooms": sorted(
            Room.objects.values_list(
                "name", "adjustment", "description", "created_at", "updated_at"
            )
        ),
        "configs": sorted(
            RentConfig.objects.values_list("key", "period", "value", "created_at", "updated_at")
        ),
        "calculations": sorted(
            (
                c.config_month,
                c.version,
                c.title,
                c.calculated_at,
                c.status,
                json.dumps(c.inputs, sort_keys=True),
                json.dumps(c.results, sort_keys=True),
                json.dumps(c.source, sort_keys=True),
                c.created_at,
            )  # fmt: skip
            for c in RentCalculation.objects.all()
        ),
        "ledger": sorted(
            (
                r.tenant.name,
                r.rent_month,
                r.amount_due,
                r.amount_paid,
                r.paid_on,
                r.days_stayed,
                r.room_adjustment,
                (r.calculation.config_month, r.calculation.version) if r.calculation else None,
                r.created_at,
                r.updated_at,
            )  # fmt: skip
            for r in RentLedger.objects.select_related("tenant", "calculation")
        ),
        "payments": sorted(
            (
                p.tenant.name,
                p.paid_on,
                p.amount,
                p.method,
                p.for_month,
                p.reference,
                p.message,
                p.source,
                p.note,
                p.bank_key,
                p.created_at,
                tuple(sorted((a.ledger_row.rent_month, a.amount) for a in p.allocations.all())),
            )  # fmt: skip
            for p in Payment.objects.select_related("tenant").prefetch_related(
                "allocations__ledger_row"
            )
        ),
        "items": sorted(
            (
                i.name,
                i.description,
                i.purchase_date,
                i.value,
                sorted(o.name for o in i.owners.all()),
            )
            for i in CoOwnedItem.objects.prefetch_related("owners")
        ),
    }


def empty_the_rent_tables():
    Payment.objects.all().delete()
    RentLedger.objects.all().delete()
    CoOwnedItem.objects.all().delete()
    RentCalculation.objects.all().delete()
    RentConfig.objects.all().delete()
    Tenant.objects.all().delete()


@pytest.fixture
def lived_in_database():
    """The demo household plus rows only the app makes: an app calculation, unpaid rows."""
    run_import(settings.DEMO_DATA_DIR)
    guest = make_tenant("Ögon Gäst", email="gast@example.org", start_date=date(2025, 11, 3))
    make_ledger_row(guest, rent_month=date(2025, 11, 1), amount_due=Decimal("5012.50"))
    # Payments the app records: a part payment with a reference, credit, and a refund.
    alva = Tenant.objects.get(name="Alva")
    make_payment(guest, "2000", date(2025, 10, 25), reference="KK2511OGON", method="bank")
    make_payment(alva, "300", date(2025, 10, 26), note="Dubbelbetalning")
    make_payment(alva, "-300", date(2025, 10, 30), method="cash")
    RentCalculation.objects.create(
        config_month=date(2025, 11, 1),
        version=1,
        calculated_at=datetime.fromisoformat("2025-11-20T18:00:00+01:00"),
        inputs={"constants": {"el": 2900}, "roommates": {"Alva": {}}, "overrides": {}},
        results={"Alva": 26000},
        source={"saved_by": "kassor"},
    )
    return rows_by_natural_key()


def test_export_then_import_into_an_empty_database_reproduces_every_row(
    lived_in_database, tmp_path
):
    out = StringIO()
    call_command("export_rent", str(tmp_path), stdout=out)
    assert "history files" in out.getvalue()
    assert (tmp_path / EXPORT_FILE).is_file()
    assert len(list((tmp_path / "rent_history").glob("*.json"))) == RentCalculation.objects.count()

    empty_the_rent_tables()
    run_import(tmp_path)

    assert rows_by_natural_key() == lived_in_database


def test_the_export_carries_payments_and_its_format_version(lived_in_database, tmp_path):
    call_command("export_rent", str(tmp_path), stdout=StringIO())
    document = json.loads((tmp_path / EXPORT_FILE).read_text())

    assert document["format"] == "kimonokittens-rent-export"
    assert document["format_version"] == 1
    unpaid = [row for row in document["rent_ledger"] if row["amount_paid"] == "0.00"]
    assert all(row["paid_on"] is None for row in unpaid)
    payments = document["payments"]
    assert len(payments) == Payment.objects.count() > 3
    with_reference = next(p for p in payments if p["reference"])
    assert (with_reference["tenant"], with_reference["amount"], with_reference["method"]) == (
        "Ögon Gäst",
        "2000.00",
        "bank",
    )
    assert sum(Decimal(p["amount"]) for p in payments if p["tenant"] == "Alva") == sum(
        Decimal(row["amount_paid"]) for row in document["rent_ledger"] if row["tenant"] == "Alva"
    )
    assert {item["name"] for item in document["co_owned_items"]} == {
        "Dammsugare",
        "Soffa (grön manchester)",
    }


def test_importing_an_export_into_the_database_it_came_from_changes_nothing(
    lived_in_database, tmp_path
):
    call_command("export_rent", str(tmp_path), stdout=StringIO())
    before = database_image()

    output = run_import(tmp_path)

    assert "Nothing changed" in output
    assert database_image() == before


def test_the_demo_household_imports_twice_without_a_change():
    run_import(settings.DEMO_DATA_DIR)
    before = database_image()

    assert "Nothing changed" in run_import(settings.DEMO_DATA_DIR)
    assert database_image() == before


@pytest.mark.real_data
def test_the_real_data_round_trips(real_data_dir, tmp_path):
    run_import(real_data_dir)
    expected = rows_by_natural_key()
    call_command("export_rent", str(tmp_path), stdout=StringIO())

    empty_the_rent_tables()
    run_import(tmp_path)

    assert rows_by_natural_key() == expected


def test_the_rent_export_never_carries_a_personnummer(tmp_path):
    make_tenant("Nils", personnummer="19880320-0016")
    call_command("export_rent", str(tmp_path), stdout=StringIO())
    text = (tmp_path / EXPORT_FILE).read_text()
    assert "880320-0016" not in text and "personnummer" not in text
