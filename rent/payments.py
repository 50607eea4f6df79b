"""Recording payments on the ledger."""

from datetime import date

from django.db import transaction

from rent.models import RentLedger


def mark_paid_in_full(*, rows, on: date) -> int:
    """Mark each unpaid row of `rows` as paid in full on `on`; returns how many changed.

    Rows already paid in full keep their amount and date. Each row is saved on its own so
    the history of changes records who marked it and when.
    """
    changed = 0
    with transaction.atomic():
        for row in RentLedger.objects.filter(pk__in=rows.values("pk")).unpaid():
            row.amount_paid = row.amount_due
            row.paid_on = on
            row.save(update_fields=["amount_paid", "paid_on", "updated_at"])
            changed += 1
    return changed
