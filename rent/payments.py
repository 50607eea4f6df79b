"""Recording payments on the ledger.

Two treasurers may act on one row at once: marking paid locks the rows it changes and skips
those that are paid by the time it gets them, and a ledger form refuses to save over a row
changed since it was shown (rent.forms.LedgerRowForm with rent.optimistic). Either way one
change wins and the other is told.
"""

from datetime import date

from django.db import transaction

from rent.models import RentLedger


def mark_paid_in_full(*, rows, on: date) -> int:
    """Mark each unpaid row of `rows` as paid in full on `on`; returns how many changed.

    Rows already paid in full keep their amount and date. Each row is saved on its own so
    the history of changes records who marked it and when. The rows are locked first: a
    second marking at the same moment waits, then finds them paid and changes nothing.
    """
    changed = 0
    with transaction.atomic():
        locked = (
            RentLedger.objects.select_for_update()
            .filter(pk__in=list(rows.values_list("pk", flat=True)))
            .unpaid()
            .order_by("pk")
        )
        for row in locked:
            row.amount_paid = row.amount_due
            row.paid_on = on
            row.save(update_fields=["amount_paid", "paid_on", "updated_at"])
            changed += 1
    return changed
