"""Recording payments and writing ledger rows, each keeping the ledger's paid amounts derived.

A payment is a row (rent.models.Payment); rent.ledger.allocation spreads a tenant's payments over
their months, and `reallocate` saves that spread as Allocation rows and each ledger row's
`amount_paid`/`paid_on`. Every service here that writes payments or ledger rows does three
things itself, in its own transaction, in this order: bumps the data version (the API's
caches and ETags are keyed by it), writes, and reallocates each tenant it touched. There are
no signals: a write made anywhere else (the admin, an importer, the bank page) goes through
one of these functions, or bumps and reallocates itself in the same way.

Two treasurers may act at once: `reallocate` locks the tenant's row first, so one change
waits for the other and then allocates over both.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from rent.engine.money import ZERO
from rent.engine.months import add_months, due_date
from rent.errors import RentError
from rent.ledger.allocation import Money, Month, allocate
from rent.models import Allocation, Payment, PaymentMethod, PaymentSource, RentLedger, Tenant
from rent.versioning import bump_data_version

# The note of a payment made from a file's paid amount for a month (import_rent, admin import).
PAID_AMOUNT_NOTE = "Betalt belopp enligt importerad fil"


def reallocate(*, tenant_id: int) -> None:
    """Spread the tenant's payments over their months again and save the result.

    Called by every writer after its writes, inside its transaction (once per tenant: a
    file of many months allocates each tenant once, at its end)."""
    with transaction.atomic():
        Tenant.objects.select_for_update().filter(pk=tenant_id).first()
        rows = list(RentLedger.objects.select_for_update().filter(tenant_id=tenant_id))
        payments = list(Payment.objects.filter(tenant_id=tenant_id))
        result = allocate(
            [Month(row.pk, row.rent_month, row.amount_due) for row in rows],
            [Money(p.pk, p.paid_on, p.amount, p.for_month, p.pk) for p in payments],
        )
        wanted = {key: amount for key, amount in result.allocations.items() if amount > 0}
        existing = {
            (a.payment_id, a.ledger_row_id): a
            for a in Allocation.objects.filter(ledger_row__tenant_id=tenant_id)
        }
        stale = [a.pk for key, a in existing.items() if wanted.get(key) != a.amount]
        if stale:
            Allocation.objects.filter(pk__in=stale).delete()
        Allocation.objects.bulk_create(
            [
                Allocation(payment_id=payment_id, ledger_row_id=row_id, amount=amount)
                for (payment_id, row_id), amount in wanted.items()
                if (payment_id, row_id) not in existing
                or existing[(payment_id, row_id)].amount != amount
            ]
        )
        for row in rows:
            paid, paid_on = result.paid[row.pk], result.paid_on[row.pk]
            if row.amount_paid != paid or row.paid_on != paid_on:
                row.amount_paid, row.paid_on = paid, paid_on
                # Saved one by one: the history of changes shows each month's paid amount.
                row.save(update_fields=["amount_paid", "paid_on", "updated_at"])


def reallocate_all(tenant_ids: Iterable[int]) -> None:
    """`reallocate` each of the tenants (in id order, the order every writer locks them in)."""
    for tenant_id in sorted(set(tenant_ids)):
        reallocate(tenant_id=tenant_id)


class PaymentError(RentError, ValueError):
    """A payment that cannot be recorded; the message says why."""


def new_payment(
    *,
    tenant: Tenant,
    amount: Decimal,
    paid_on: date,
    method: str = PaymentMethod.SWISH,
    for_month: date | None = None,
    reference: str = "",
    message: str = "",
    source: str = PaymentSource.HAND,
    recorded_by=None,
    note: str = "",
    bank_key: str = "",
) -> Payment:
    """Check and save one payment row, without allocating it: for writers that save many and
    then reallocate each tenant once (the admin's import of a file). Others use
    `record_payment`."""
    if amount is None or amount == 0:
        raise PaymentError("payment_zero")
    payment = Payment(
        tenant=tenant,
        amount=amount,
        paid_on=paid_on,
        method=method,
        for_month=for_month,
        reference=reference,
        message=message,
        source=source,
        recorded_by=recorded_by,
        note=note,
        bank_key=bank_key,
    )
    payment.full_clean(exclude=["tenant", "recorded_by"])
    payment.save()
    return payment


def record_payment(*, tenant: Tenant, **fields) -> Payment:
    """Record one payment (negative: a refund) and allocate it with the tenant's others.
    `fields` are `new_payment`'s."""
    with transaction.atomic():
        bump_data_version()
        payment = new_payment(tenant=tenant, **fields)
        reallocate(tenant_id=tenant.pk)
    return payment


def save_payment(*, payment: Payment) -> Payment:
    """A payment changed as a whole (the admin's form, or going back to an old version):
    saved and allocated again; when it moved to another tenant, both tenants are."""
    return _save_and_reallocate(payment)


def delete_payments(*, payments: Iterable[Payment]) -> int:
    """Delete payments (the admin's delete); each tenant's months are allocated again."""
    return _delete_and_reallocate(Payment, payments)


def save_ledger_row(*, row: RentLedger) -> RentLedger:
    """A ledger row created or changed (its amount due, days, ...), never its paid amount,
    which follows from the payments: saved and the tenant's months allocated again."""
    return _save_and_reallocate(row)


def delete_ledger_rows(*, rows: Iterable[RentLedger]) -> int:
    """Delete ledger rows; the payments that counted toward them count elsewhere (or are
    credit)."""
    return _delete_and_reallocate(RentLedger, rows)


def _save_and_reallocate(row):
    """Save a payment or a ledger row in one transaction with a new data version; its tenant's
    months are allocated again, and those of the tenant it belonged to before a move."""
    with transaction.atomic():
        bump_data_version()
        before = None
        if row.pk is not None:
            owner = type(row).objects.filter(pk=row.pk).values_list("tenant_id", flat=True)
            before = owner.first()
        row.save()
        reallocate_all({row.tenant_id, before} - {None})
    return row


def _delete_and_reallocate(model, rows) -> int:
    """Delete payments or ledger rows; each of their tenants' months are allocated again."""
    rows = list(rows)
    with transaction.atomic():
        bump_data_version()
        tenants = {row.tenant_id for row in rows}
        model.objects.filter(pk__in=[row.pk for row in rows]).delete()
        reallocate_all(tenants)
    return len(rows)


def paid_difference(*, row: RentLedger, paid: Decimal, so_far: Decimal | None = None) -> Decimal:
    """What a form or an old file saying "this month, X kr paid in all" adds: the difference
    to `so_far` (what the person saw as paid), by default to the payments named to the month."""
    if so_far is None:
        so_far = (
            Payment.objects.filter(tenant_id=row.tenant_id, for_month=row.rent_month).aggregate(
                total=Sum("amount")
            )["total"]
            or ZERO
        )
    return (paid or ZERO) - so_far


def month_payment_fields(
    *, row: RentLedger, difference: Decimal, on: date | None, **fields
) -> dict:
    """The fields of a payment of `difference` named to the row's month."""
    return {
        "tenant": row.tenant,
        "amount": difference,
        "paid_on": on or row.paid_on or due_date(add_months(row.rent_month, -1)),
        "method": PaymentMethod.OTHER,
        "for_month": row.rent_month,
        **fields,
    }


def set_paid_for_month(
    *,
    row: RentLedger,
    paid: Decimal,
    on: date | None,
    source: str = PaymentSource.HAND,
    recorded_by=None,
    note: str = "",
    so_far: Decimal | None = None,
) -> Payment | None:
    """What a form or an old file says: "this month, X kr paid in all". Recorded as a payment
    of the difference, named to the month, so saying the same again records nothing; less
    than before is a correction (negative). `so_far`: what the person saw as paid (a form);
    by default the payments named to that month so far (an imported file)."""
    difference = paid_difference(row=row, paid=paid, so_far=so_far)
    if not difference:
        return None
    fields = month_payment_fields(
        row=row, difference=difference, on=on, source=source, recorded_by=recorded_by, note=note
    )
    return record_payment(**fields)


def mark_paid_in_full(*, rows, on: date, recorded_by=None) -> int:
    """Record a payment of what is left on each unpaid row of `rows`; returns how many.

    Rows already paid in full are left as they are. The rows are locked first: a second
    marking at the same moment waits, then finds them paid and records nothing.
    """
    changed = 0
    with transaction.atomic():
        bump_data_version()
        locked = (
            RentLedger.objects.select_for_update()
            .filter(pk__in=list(rows.values_list("pk", flat=True)))
            .select_related("tenant")
            .order_by("pk")
        )
        for row in locked:
            row.refresh_from_db(fields=["amount_paid", "amount_due"])
            left = row.amount_due - row.amount_paid
            if left <= 0:
                continue
            record_payment(
                tenant=row.tenant,
                amount=left,
                paid_on=on,
                method=PaymentMethod.OTHER,
                for_month=row.rent_month,
                recorded_by=recorded_by,
                note="Betald i sin helhet",
            )
            changed += 1
    return changed
