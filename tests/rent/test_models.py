"""The shared tables' constraints hold in the database itself, on SQLite and PostgreSQL alike."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from rent.engine.split import CONFIG_KEYS
from rent.models import (
    CalculationStatus,
    CoOwnedItem,
    RentCalculation,
    RentConfig,
    RentKey,
    RentLedger,
)
from tests.builders import make_ledger_row, make_tenant, set_config

pytestmark = pytest.mark.django_db


def assert_rejected(constraint: str, create):
    """`create` is refused by the database, by the constraint named `constraint` and no other."""
    with pytest.raises(IntegrityError) as rejected, transaction.atomic():
        create()
    assert violated_constraint(rejected.value) == constraint, rejected.value


def violated_constraint(error: IntegrityError) -> str:
    """The name of the constraint the database refused a row by.

    PostgreSQL names it; SQLite names check constraints and unique indexes on expressions, but
    gives a unique constraint over fields as its columns, which find the constraint's name.
    """
    if connection.vendor == "postgresql":
        return error.__cause__.diag.constraint_name
    message = str(error)
    if named := re.match(
        r"(?:CHECK constraint failed: |UNIQUE constraint failed: index ')(\w+)", message
    ):
        return named.group(1)
    columns = re.match(r"UNIQUE constraint failed: (.+)$", message).group(1).split(", ")
    for model in apps.get_app_config("rent").get_models():
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if fields and columns == [
                f"{model._meta.db_table}.{model._meta.get_field(name).column}" for name in fields
            ]:
                return constraint.name
    return message


def make_calculation(config_month=date(2025, 9, 1), version=1, **fields):
    fields.setdefault("calculated_at", timezone.now())
    return RentCalculation.objects.create(config_month=config_month, version=version, **fields)


class TestTenant:
    def test_name_is_unique_ignoring_case(self):
        make_tenant("Fredrik")
        assert_rejected("rent_tenant_name_ci_unique", lambda: make_tenant("fredrik"))

    def test_departure_before_start_is_rejected(self):
        assert_rejected(
            "rent_tenant_departure_after_start",
            lambda: make_tenant(start_date=date(2025, 3, 1), departure_date=date(2025, 2, 28)),
        )

    def test_departure_on_the_start_day_is_allowed(self):
        tenant = make_tenant(start_date=date(2025, 3, 1), departure_date=date(2025, 3, 1))
        assert tenant.pk

    def test_email_is_unique_when_present_but_may_be_blank_for_many(self):
        make_tenant(email="")
        make_tenant(email="")
        make_tenant(email="adam@example.org")
        assert_rejected(
            "rent_tenant_email_ci_unique", lambda: make_tenant(email="Adam@example.org")
        )

    def test_legacy_id_is_unique_when_present(self):
        make_tenant(legacy_id="cmcp56en7000myzpivjxfmxcc")
        make_tenant(legacy_id="")
        make_tenant(legacy_id="")
        assert_rejected(
            "rent_tenant_legacy_id_unique",
            lambda: make_tenant(legacy_id="cmcp56en7000myzpivjxfmxcc"),
        )

    def test_room_adjustment_defaults_to_zero_and_keeps_ore(self):
        tenant = make_tenant(room_adjustment=Decimal("-1400.50"))
        tenant.refresh_from_db()
        assert tenant.room_adjustment == Decimal("-1400.50")
        assert make_tenant().room_adjustment == 0


class TestRentConfig:
    def test_key_and_period_are_unique(self):
        set_config("el", 2424, date(2025, 9, 1))
        assert_rejected(
            "rent_config_key_period_unique",
            lambda: RentConfig.objects.create(key="el", value=1, period=date(2025, 9, 1)),
        )

    def test_period_must_be_the_first_of_a_month(self):
        assert_rejected(
            "rent_config_period_first_of_month",
            lambda: RentConfig.objects.create(key="el", value=1, period=date(2025, 9, 2)),
        )

    def test_value_is_decimal(self):
        row = set_config("el", "5935.98", date(2025, 3, 1))
        row.refresh_from_db()
        assert row.value == Decimal("5935.98")
        assert str(row) == "2025-03 el = 5935.98"


class TestRentCalculation:
    def test_only_one_current_calculation_per_month(self):
        make_calculation(version=1, status=CalculationStatus.CURRENT)
        assert_rejected(
            "rent_calculation_one_current_per_month",
            lambda: make_calculation(version=2, status=CalculationStatus.CURRENT),
        )

    def test_many_superseded_versions_are_fine(self):
        make_calculation(version=1, status=CalculationStatus.SUPERSEDED)
        make_calculation(version=2, status=CalculationStatus.SUPERSEDED)
        make_calculation(version=3, status=CalculationStatus.CURRENT)
        assert RentCalculation.objects.count() == 3

    def test_month_and_version_are_unique(self):
        make_calculation(version=1, status=CalculationStatus.SUPERSEDED)
        assert_rejected(
            "rent_calculation_month_version_unique",
            lambda: make_calculation(version=1, status=CalculationStatus.NEEDS_REVIEW),
        )

    def test_version_zero_is_rejected(self):
        assert_rejected("rent_calculation_version_gte_1", lambda: make_calculation(version=0))

    def test_config_month_must_be_the_first(self):
        assert_rejected(
            "rent_calculation_config_month_first_of_month",
            lambda: make_calculation(config_month=date(2025, 9, 15)),
        )

    def test_rent_month_is_the_month_after(self):
        assert make_calculation(config_month=date(2025, 12, 1)).rent_month == date(2026, 1, 1)

    def test_the_recorded_roommate_order_survives_storage(self):
        # jsonb (PostgreSQL) re-sorts object keys: shorter first, so Bo before Maja.
        calculation = make_calculation(
            inputs={
                "roommates": {"Maja": {}, "Bo": {}, "Alexandra": {"room_adjustment": -20}},
                "roommate_order": ["Maja", "Bo", "Alexandra"],
            },
            results={"Maja": 9591, "Bo": 9592, "Alexandra": 9572},
        )
        calculation.refresh_from_db()

        assert calculation.roommate_order() == ["Maja", "Bo", "Alexandra"]
        assert list(calculation.ordered_roommates().items()) == [
            ("Maja", {}),
            ("Bo", {}),
            ("Alexandra", {"room_adjustment": -20}),
        ]
        assert list(calculation.ordered_results().items()) == [
            ("Maja", 9591),
            ("Bo", 9592),
            ("Alexandra", 9572),
        ]

    def test_without_a_recorded_order_the_roommates_then_names_only_in_results(self):
        calculation = RentCalculation(
            inputs={"roommates": {"Maja": {}, "Bo": {}}},
            results={"Bo": 100, "Cy": 50, "Maja": 200},
        )
        assert calculation.roommate_order() == ["Maja", "Bo", "Cy"]
        assert list(calculation.ordered_results()) == ["Maja", "Bo", "Cy"]
        assert list(calculation.ordered_roommates()) == ["Maja", "Bo"]

    def test_an_empty_calculation_has_no_roommates(self):
        calculation = RentCalculation()
        assert calculation.roommate_order() == []
        assert calculation.ordered_roommates() == {}
        assert calculation.ordered_results() == {}


class TestRentLedger:
    def test_one_row_per_tenant_and_rent_month(self):
        tenant = make_tenant()
        make_ledger_row(tenant, date(2025, 10, 1))
        assert_rejected(
            "rent_ledger_tenant_month_unique", lambda: make_ledger_row(tenant, date(2025, 10, 1))
        )

    def test_negative_amount_due_is_rejected(self):
        assert_rejected(
            "rent_ledger_amount_due_gte_0", lambda: make_ledger_row(amount_due=Decimal("-1"))
        )

    def test_negative_amount_paid_is_rejected(self):
        assert_rejected(
            "rent_ledger_amount_paid_gte_0",
            lambda: RentLedger.objects.create(
                tenant=make_tenant(),
                rent_month=date(2025, 10, 1),
                amount_due=Decimal("1"),
                amount_paid=Decimal("-0.01"),
            ),
        )

    def test_rent_month_must_be_the_first(self):
        assert_rejected(
            "rent_ledger_rent_month_first_of_month",
            lambda: make_ledger_row(rent_month=date(2025, 10, 27)),
        )

    def test_tenant_with_ledger_rows_cannot_be_deleted(self):
        row = make_ledger_row()
        with pytest.raises(ProtectedError):
            row.tenant.delete()

    def test_outstanding_and_config_month(self):
        row = make_ledger_row(amount_due=Decimal("7045"), amount_paid=Decimal("7000"))
        assert row.outstanding == Decimal("45")
        assert row.config_month == date(2025, 9, 1)
        assert RentLedger.objects.get().days_stayed is None


class TestCoOwnedItem:
    def test_owners_and_negative_value(self):
        item = CoOwnedItem.objects.create(name="Soffa", value=Decimal("4000"))
        item.owners.add(make_tenant("A"), make_tenant("B"))
        assert sorted(o.name for o in item.owners.all()) == ["A", "B"]
        assert_rejected(
            "rent_coowneditem_value_gte_0",
            lambda: CoOwnedItem.objects.create(name="Skuld", value=Decimal("-1")),
        )


def test_the_config_keys_of_the_table_are_the_keys_of_the_rules():
    """RentKey (the table's choices) and the pure rules name the same keys in the same order."""
    assert tuple(RentKey.values) == CONFIG_KEYS
