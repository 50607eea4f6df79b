"""Migration 0011: every money column becomes a MoneyField of 14 digits; amounts are kept."""

from datetime import date
from decimal import Decimal

import pytest

from tests.migration_helpers import migrate, migrated

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("rent", "0010_tenant_personnummer")]
AFTER = [("rent", "0011_money_field")]


def test_amounts_are_kept_when_the_precision_widens():
    with migrated(BEFORE) as apps:
        check_amounts_are_kept(apps)


def check_amounts_are_kept(apps):
    Tenant = apps.get_model("rent", "Tenant")
    RentLedger = apps.get_model("rent", "RentLedger")
    Payment = apps.get_model("rent", "Payment")
    tenant = Tenant.objects.create(name="Adam", room_adjustment=Decimal("-1400.50"))
    RentLedger.objects.create(
        tenant=tenant, rent_month=date(2025, 10, 1), amount_due=Decimal("9999999999.99")
    )
    Payment.objects.create(
        tenant=tenant, paid_on=date(2025, 9, 25), amount=Decimal("-250.25"), method="swish"
    )

    apps = migrate(AFTER)
    Tenant = apps.get_model("rent", "Tenant")
    RentLedger = apps.get_model("rent", "RentLedger")
    Payment = apps.get_model("rent", "Payment")
    assert Tenant.objects.get().room_adjustment == Decimal("-1400.50")
    assert RentLedger.objects.get().amount_due == Decimal("9999999999.99")
    assert Payment.objects.get().amount == Decimal("-250.25")
    row = RentLedger.objects.get()
    row.amount_due = Decimal("999999999999.99")  # did not fit before
    row.save()
    assert RentLedger.objects.get().amount_due == Decimal("999999999999.99")
