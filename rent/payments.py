"""Recording payments, and keeping the ledger's paid amounts derived from them.

A payment is a row (rent.models.Payment); rent.allocation spreads a tenant's payments over
their months, and `reallocate` saves that spread as Allocation rows and each ledger row's
`amount_paid`/`paid_on`, in the same transaction as the change that caused it. Every write
to payments or to a ledger row's amount due ends in `reallocate` (the signals at the end of
this module catch saves and deletes made anywhere else, such as the admin or the importer).

Two treasurers may act at once: `reallocate` locks the tenant's row first, so one change
waits for the other and then allocates over both.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from rent.allocation import Money, Month, allocate
from rent.models import Allocation, Payment, PaymentMethod, PaymentSource, RentLedger, Tenant
from rent.months import add_months, due_date

ZERO = Decimal("0")
# A ledger row saved with only these fields changed is reallocation's own write.
DERIVED_FIELDS = {"amount_paid", "paid_on", "updated_at"}


# The note of a payment made from a file's paid amount for a month (import_rent, admin import).
PAID_AMOUNT_NOTE = "Betalt belopp enligt importerad fil"

_deferred = threading.local()


@contextmanager
def reallocation_deferred():
    """Many saves in a row (the admin's import of a file): each tenant concerned is allocated
    once at the end instead of after every save, which made a file quadratic in the number of
    a tenant's months. Use it inside the transaction of the saves; when the block raises,
    nothing is allocated (the transaction is rolled back anyway)."""
    if getattr(_deferred, "tenants", None) is not None:  # nested: the outer block allocates
        yield
        return
    _deferred.tenants = pending = set()
    try:
        yield
    finally:
        _deferred.tenants = None
    for tenant_id in sorted(pending):
        reallocate(tenant_id=tenant_id)


def reallocate(*, tenant_id: int) -> None:
    """Spread the tenant's payments over their months again and save the result."""
    pending = getattr(_deferred, "tenants", None)
    if pending is not None:
        pending.add(tenant_id)
        return
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


def record_payment(
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
    """Record one payment (negative: a refund) and allocate it with the tenant's others."""
    if amount is None or amount == 0:
        raise PaymentError("A payment cannot be 0 kr.")
    with transaction.atomic():
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
        payment._skip_reallocation = True
        payment.save()
        reallocate(tenant_id=tenant.pk)
    return payment


class PaymentError(ValueError):
    """A payment that cannot be recorded; the message says why."""


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
    if so_far is None:
        so_far = (
            Payment.objects.filter(tenant_id=row.tenant_id, for_month=row.rent_month).aggregate(
                total=Sum("amount")
            )["total"]
            or ZERO
        )
    difference = (paid or ZERO) - so_far
    if not difference:
        return None
    return record_payment(
        tenant=row.tenant,
        amount=difference,
        paid_on=on or row.paid_on or due_date(add_months(row.rent_month, -1)),
        method=PaymentMethod.OTHER,
        for_month=row.rent_month,
        source=source,
        recorded_by=recorded_by,
        note=note,
    )


def mark_paid_in_full(*, rows, on: date, recorded_by=None) -> int:
    """Record a payment of what is left on each unpaid row of `rows`; returns how many.

    Rows already paid in full are left as they are. The rows are locked first: a second
    marking at the same moment waits, then finds them paid and records nothing.
    """
    changed = 0
    with transaction.atomic():
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


# Saves and deletes made anywhere (admin, importer, shell) keep the paid amounts derived. ----


@receiver(post_save, sender=RentLedger, dispatch_uid="rent_ledger_reallocate")
def _ledger_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields and set(update_fields) <= DERIVED_FIELDS):
        return
    reallocate(tenant_id=instance.tenant_id)


@receiver(post_delete, sender=RentLedger, dispatch_uid="rent_ledger_deleted_reallocate")
def _ledger_deleted(sender, instance, **kwargs):
    if Tenant.objects.filter(pk=instance.tenant_id).exists():
        reallocate(tenant_id=instance.tenant_id)


@receiver(post_save, sender=Payment, dispatch_uid="rent_payment_reallocate")
def _payment_saved(sender, instance, raw=False, **kwargs):
    if raw or getattr(instance, "_skip_reallocation", False):
        return
    reallocate(tenant_id=instance.tenant_id)


@receiver(post_delete, sender=Payment, dispatch_uid="rent_payment_deleted_reallocate")
def _payment_deleted(sender, instance, **kwargs):
    if Tenant.objects.filter(pk=instance.tenant_id).exists():
        reallocate(tenant_id=instance.tenant_id)
