"""Migration 0011: every money column becomes a MoneyField of 14 digits; amounts are kept."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("rent", "0010_tenant_personnummer")]
AFTER = [("rent", "0011_money_field")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_amounts_are_kept_when_the_precision_widens():
    try:
        check_amounts_are_kept()
    finally:
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())  # back to the latest of every app


def check_amounts_are_kept():
    apps = migrate(BEFORE)
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
