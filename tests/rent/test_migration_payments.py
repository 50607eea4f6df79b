"""Migration 0006: every paid amount of the ledger becomes one payment row, every refund of
settled credit a negative payment, and every balance stays what it was; and back again.

Run on the household's real data: imported, taken back to the schema before payments (its
paid amounts and a refund as they were), then migrated forward."""

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import rent
from tests.import_helpers import run_import
from tests.migration_helpers import migrate, migrated

pytestmark = [pytest.mark.real_data, pytest.mark.django_db(transaction=True)]

BEFORE = [("rent", "0005_text_rules")]
AFTER = [("rent", "0006_payments_as_rows")]


def old_balances(apps) -> dict[str, Decimal]:
    """The balance before payments were rows: due − paid over the ledger, plus refunds."""
    RentLedger = apps.get_model("rent", "RentLedger")
    CreditSettlement = apps.get_model("rent", "CreditSettlement")
    totals: dict[str, Decimal] = {}
    for row in RentLedger.objects.select_related("tenant"):
        totals[row.tenant.name] = totals.get(row.tenant.name, 0) + row.amount_due - row.amount_paid
    for settlement in CreditSettlement.objects.filter(kind="refund").select_related("tenant"):
        totals[settlement.tenant.name] += settlement.amount
    return totals


def new_balances(apps) -> dict[str, Decimal]:
    RentLedger = apps.get_model("rent", "RentLedger")
    Payment = apps.get_model("rent", "Payment")
    totals: dict[str, Decimal] = {}
    for row in RentLedger.objects.select_related("tenant"):
        totals[row.tenant.name] = totals.get(row.tenant.name, 0) + row.amount_due
    for payment in Payment.objects.select_related("tenant"):
        totals[payment.tenant.name] -= payment.amount
    return totals


def test_every_paid_amount_becomes_one_payment_and_no_balance_changes(real_data_dir):
    run_import(real_data_dir)
    with migrated(BEFORE) as old:
        RentLedger = old.get_model("rent", "RentLedger")
        CreditSettlement = old.get_model("rent", "CreditSettlement")
        assert RentLedger.objects.filter(amount_paid__gt=0).count() > 20
        # What the old schema could hold beyond the files: an overpaid month with its date,
        # credit paid back, and credit counted toward a later month.
        overpaid = RentLedger.objects.filter(amount_paid__gt=0).order_by("rent_month").first()
        overpaid.amount_paid += Decimal("706.50")
        overpaid.paid_on = date(2025, 1, 25)
        overpaid.save()
        CreditSettlement.objects.create(
            tenant_id=overpaid.tenant_id,
            kind="refund",
            amount=Decimal("300"),
            settled_on=date(2025, 2, 1),
        )
        CreditSettlement.objects.create(
            tenant_id=overpaid.tenant_id,
            kind="toward_month",
            amount=Decimal("100"),
            settled_on=date(2025, 2, 1),
            rent_month=overpaid.rent_month,
        )
        paid_rows = {
            (row.tenant.name, row.rent_month): (row.amount_paid, row.paid_on)
            for row in RentLedger.objects.filter(amount_paid__gt=0).select_related("tenant")
        }
        before = old_balances(old)

        new = migrate(AFTER)
        Payment = new.get_model("rent", "Payment")
        positive = Payment.objects.filter(amount__gt=0).select_related("tenant")
        assert len(positive) == len(paid_rows)
        for payment in positive:
            amount, paid_on = paid_rows[(payment.tenant.name, payment.for_month)]
            assert payment.amount == amount
            assert payment.paid_on == (paid_on or date(
                payment.for_month.year - (payment.for_month.month == 1),
                (payment.for_month.month - 2) % 12 + 1,
                27,
            ))  # fmt: skip
        refund = Payment.objects.get(amount__lt=0)
        assert (refund.amount, refund.tenant_id) == (Decimal("-300"), overpaid.tenant_id)
        assert (
            "100"
            in Payment.objects.get(tenant_id=overpaid.tenant_id, for_month=overpaid.rent_month).note
        )
        assert new_balances(new) == before
        # The ledger's paid amounts are the payments' allocations, never above the amount due.
        NewLedger = new.get_model("rent", "RentLedger")
        Allocation = new.get_model("rent", "Allocation")
        for row in NewLedger.objects.all():
            allocated = sum(
                (a.amount for a in Allocation.objects.filter(ledger_row_id=row.pk)), Decimal(0)
            )
            assert row.amount_paid == allocated <= row.amount_due

        back = migrate(BEFORE)
        assert old_balances(back) == before


@pytest.mark.django_db(transaction=False)
def test_the_migration_carries_its_own_allocation_and_imports_no_app_code():
    """A later change to rent.ledger.allocation must not change what a fresh `migrate` does."""
    source = Path(rent.__file__).parent / "migrations" / "0006_payments_as_rows.py"
    modules = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.ImportFrom):
            modules.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
    assert modules == {"dataclasses", "datetime", "decimal", "django", "simple_history"}
