"""How payments are spread over a person's months: a plain function, no database.

The ledger's paid amount is derived from this and nothing else (rent.ledger.payments saves the
result in the same transaction as the change that caused it), so it never disagrees with the
payments. The rules:

- payments count in the order they were made (date, then the order they were recorded);
- a payment goes first to the month the treasurer named, then to the open months, oldest
  first; a month is never paid beyond its amount due; what is left over is credit, and
  credit counts toward months that open later (they are allocated again when they do);
- a refund (a negative payment) takes back from the newest money first: credit, then the
  newest allocations; a refund beyond all money so far is taken from the next payments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rent.engine.money import ZERO


@dataclass(frozen=True)
class Month:
    key: object  # the ledger row's id
    rent_month: date
    amount_due: Decimal


@dataclass(frozen=True)
class Money:
    key: object  # the payment's id
    paid_on: date
    amount: Decimal  # negative: a refund
    for_month: date | None = None
    order: int = 0  # ties on the same day: the order recorded


@dataclass
class Result:
    allocations: dict[tuple, Decimal]  # (payment key, month key) → amount
    paid: dict[object, Decimal]  # month key → amount paid
    paid_on: dict[object, date | None]  # month key → date of the last payment counted
    credit: Decimal


def allocate(months: list[Month], payments: list[Money]) -> Result:
    """Allocate `payments` to `months` (see the module's rules)."""
    ordered = sorted(payments, key=lambda p: (p.paid_on, p.order))
    # 1. Refunds take back from the newest payments made before them; what they cannot take
    #    back yet is taken from the next payments.
    left: dict[object, Decimal] = {}
    named_month = {p.key: p.for_month for p in ordered}
    owed_back = ZERO
    for payment in ordered:
        if payment.amount >= 0:
            take = min(owed_back, payment.amount)
            left[payment.key] = payment.amount - take
            owed_back -= take
            continue
        owed_back += -payment.amount
        # A correction named to a month takes back from that month's payments first.
        same_month = [k for k in left if payment.for_month and named_month[k] == payment.for_month]
        others = [k for k in left if k not in same_month]
        for earlier in [*reversed(same_month), *reversed(others)]:
            take = min(owed_back, left[earlier])
            left[earlier] -= take
            owed_back -= take
            if not owed_back:
                break
    # 2. What is left of each payment goes to its named month, then oldest open first.
    by_month = sorted(months, key=lambda m: m.rent_month)
    open_amount = {m.key: max(m.amount_due, ZERO) for m in by_month}
    allocations: dict[tuple, Decimal] = {}
    paid = {m.key: ZERO for m in by_month}
    paid_on: dict[object, date | None] = {m.key: None for m in by_month}
    credit = ZERO
    for payment in ordered:
        amount = left.get(payment.key, ZERO)
        if amount <= 0:
            continue
        named = [m for m in by_month if m.rent_month == payment.for_month]
        for month in named + [m for m in by_month if m not in named]:
            take = min(amount, open_amount[month.key])
            if take <= 0:
                continue
            open_amount[month.key] -= take
            allocations[(payment.key, month.key)] = (
                allocations.get((payment.key, month.key), ZERO) + take
            )
            paid[month.key] += take
            paid_on[month.key] = payment.paid_on
            amount -= take
            if not amount:
                break
        credit += amount
    return Result(allocations, paid, paid_on, credit)


def payment_needs_confirmation(*, due: Decimal | None, paid: Decimal | None) -> bool:
    """The one rule every form that records money asks by: does this look like a typing
    mistake (more than is due, or just short of it)? `due` is what is open, `paid` what the
    form would record toward it (the ledger row's form: its amount due and the paid amount
    typed; the payment form: what is left and the payment).

    Nothing, exactly the amount due, or an obviously partial payment (at most 90 % of what is
    due) pass as they are; a refund (negative) is never asked about here.
    """
    if paid is None or due is None or paid <= 0 or paid == due:
        return False
    return paid > due or paid > due * Decimal("0.9")
