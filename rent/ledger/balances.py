"""One balance per person: everything due minus everything paid, over all months.

Every page that shows what someone owes or has to their credit asks this module, so the
figures agree everywhere. A positive balance is owed to the house; a negative one is credit
("tillgodo"): money paid beyond the months so far, which counts toward the next months as
they are saved (rent.ledger.allocation) or is paid back by the treasurer (`settle_credit`, recorded
as a negative payment, a refund).

The balance is over payments (rent.models.Payment), not over the ledger's paid amounts: those
are the part of the payments allocated to each month, and credit is allocated to none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from rent.engine.money import ZERO
from rent.errors import RentError
from rent.fields import MONEY_OUTPUT as MONEY
from rent.models import Payment, RentLedger, Tenant


def _sum_per_tenant(queryset, expression):
    return Subquery(
        queryset.filter(tenant=OuterRef("pk"))
        .order_by()
        .values("tenant")
        .annotate(total=Sum(expression, output_field=MONEY))
        .values("total")[:1],
        output_field=MONEY,
    )


def with_balance(tenants=None, *, through: date | None = None):
    """Tenants annotated with `balance` (due over their ledger rows minus their payments;
    one query). `through`: only the months up to that rent month count as due (what is due
    now, for a reminder), every payment counts."""
    tenants = Tenant.objects.all() if tenants is None else tenants
    rows = RentLedger.objects if through is None else RentLedger.objects.filter(
        rent_month__lte=through
    )  # fmt: skip
    return tenants.annotate(
        balance=Coalesce(_sum_per_tenant(rows, "amount_due"), Value(ZERO), output_field=MONEY)
        - Coalesce(_sum_per_tenant(Payment.objects, "amount"), Value(ZERO), output_field=MONEY)
    )


def balance_of(*, tenant: Tenant, through: date | None = None) -> Decimal:
    """The tenant's balance: positive is owed, negative is credit (`through`: see
    `with_balance`)."""
    rows = RentLedger.objects.filter(tenant=tenant)
    if through is not None:
        rows = rows.filter(rent_month__lte=through)
    due = rows.aggregate(total=Sum("amount_due", output_field=MONEY))["total"]
    paid = Payment.objects.filter(tenant=tenant).aggregate(total=Sum("amount", output_field=MONEY))[
        "total"
    ]
    return (due or ZERO) - (paid or ZERO)


def open_amount_for_payment(*, tenant: Tenant, for_month: date | None, payment=None) -> Decimal:
    """What a payment typed by hand is compared with: what is left of the named month (its
    ledger row), else the tenant's balance; as if `payment` (one being changed) were not
    there. Never below 0: with nothing open, any payment is more than is due."""
    from rent.models import Allocation

    row = None
    if for_month is not None:
        row = RentLedger.objects.filter(tenant=tenant, rent_month=for_month).first()
    if row is not None:
        left = row.amount_due - row.amount_paid
        if payment is not None:
            left += (
                Allocation.objects.filter(payment=payment, ledger_row=row).aggregate(
                    total=Sum("amount", output_field=MONEY)
                )["total"]
                or ZERO
            )
    else:
        left = balance_of(tenant=tenant)
        if payment is not None and payment.tenant_id == tenant.pk:
            left += Payment.objects.get(pk=payment.pk).amount
    return max(left, ZERO)


def balances(*, tenants=None, through: date | None = None) -> dict[int, Decimal]:
    """Tenant id → balance, for every tenant in `tenants` (default: all)."""
    return {tenant.pk: tenant.balance for tenant in with_balance(tenants, through=through)}


@dataclass(frozen=True)
class StatementLine:
    """One month (what was due, and how much of the payments counts toward it) or one
    payment (its amount; a refund is negative), with the running balance after it."""

    when: date
    amount_due: Decimal
    amount_paid: Decimal
    paid_on: date | None
    running_balance: Decimal
    label: str = ""  # a payment: how it was paid, and its reference
    payment: Payment | None = None

    @property
    def rent_month(self) -> date:
        return self.when

    @property
    def balance(self) -> Decimal:
        """A month alone: positive is unpaid."""
        return self.amount_due - self.amount_paid

    @property
    def outstanding(self) -> Decimal:
        """A month alone: what is left to pay of it (never negative)."""
        return max(self.amount_due - self.amount_paid, ZERO)

    @property
    def is_payment(self) -> bool:
        return self.payment is not None

    @property
    def is_settlement(self) -> bool:  # a refund
        return self.payment is not None and self.payment.amount < 0


def payment_label(payment: Payment) -> str:
    if payment.amount < 0:
        text = gettext("Paid back")
    else:
        text = gettext("Payment, %(method)s") % {"method": payment.get_method_display()}
    if payment.reference:
        text += f" ({payment.reference})"
    return text


def statement_lines(*, tenant: Tenant) -> list[StatementLine]:
    """The tenant's months and payments, oldest first, each with the running balance up to
    and including it; the last running balance is `balance_of`. A month counts on its first
    day; a payment on the day it was paid."""
    return _lines(RentLedger.objects.filter(tenant=tenant), Payment.objects.filter(tenant=tenant))


@dataclass(frozen=True)
class RecentStatement:
    """The lines from `since` on, after the balance of everything before it (`opening`,
    summed in the database), so a statement costs the same after ten years."""

    since: date
    opening: Decimal
    earlier: int  # months and payments before `since`, summed into `opening`
    lines: list[StatementLine]

    @property
    def balance(self) -> Decimal:
        return self.lines[-1].running_balance if self.lines else self.opening


def recent_statement(*, tenant: Tenant, since: date) -> RecentStatement:
    """`statement_lines` from `since` on: the same lines with the same running balances (what
    came before is summed in SQL); its `balance` is `balance_of`. Three queries."""
    from django.db.models import Count, IntegerField

    def per_tenant(queryset, aggregate, output_field):
        return Coalesce(
            Subquery(
                queryset.filter(tenant=OuterRef("pk"))
                .order_by()
                .values("tenant")
                .annotate(total=aggregate)
                .values("total")[:1],
                output_field=output_field,
            ),
            Value(ZERO if output_field is MONEY else 0),
            output_field=output_field,
        )

    rows_before = RentLedger.objects.filter(rent_month__lt=since)
    payments_before = Payment.objects.filter(paid_on__lt=since)
    count = IntegerField()
    before = (
        Tenant.objects.filter(pk=tenant.pk)
        .annotate(
            due=per_tenant(rows_before, Sum("amount_due", output_field=MONEY), MONEY),
            paid=per_tenant(payments_before, Sum("amount", output_field=MONEY), MONEY),
            months_before=per_tenant(rows_before, Count("pk"), count),
            payments_before=per_tenant(payments_before, Count("pk"), count),
        )
        .values("due", "paid", "months_before", "payments_before")
        .get()
    )
    opening = before["due"] - before["paid"]
    return RecentStatement(
        since=since,
        opening=opening,
        earlier=before["months_before"] + before["payments_before"],
        lines=_lines(
            RentLedger.objects.filter(tenant=tenant, rent_month__gte=since),
            Payment.objects.filter(tenant=tenant, paid_on__gte=since),
            opening,
        ),
    )


def _lines(rows, payments, opening: Decimal = ZERO) -> list[StatementLine]:
    entries = [
        (row.rent_month, 0, row.pk, row.amount_due, row.amount_paid, row.paid_on, "", None)
        for row in rows
    ]
    entries += [
        (p.paid_on, 1, p.pk, ZERO, p.amount, p.paid_on, payment_label(p), p) for p in payments
    ]
    lines, running = [], opening
    for when, _order, _pk, due, paid, paid_on, label, payment in sorted(
        entries, key=lambda e: e[:3]
    ):
        running += due if payment is None else -paid
        lines.append(StatementLine(when, due, paid, paid_on, running, label, payment))
    return lines


# What the admin's "Saldo" page shows ---------------------------------------------------------


@dataclass
class BalanceRow:
    tenant: Tenant
    balance: Decimal
    # the ledger rows behind it: unpaid months (owed) or overpaid months (credit)
    months: list[RentLedger] = field(default_factory=list)
    lines: list[StatementLine] = field(default_factory=list)  # the latest months and payments
    reference: str = ""  # the reference code for the coming month

    @property
    def credit(self) -> Decimal:
        return -self.balance if self.balance < 0 else ZERO

    @property
    def settleable(self) -> Decimal:
        """Credit that can be paid back."""
        return self.credit


@dataclass
class BalanceOverview:
    owing: list[BalanceRow]
    credit: list[BalanceRow]

    @property
    def total_owed(self) -> Decimal:
        return sum((row.balance for row in self.owing), ZERO)

    @property
    def total_credit(self) -> Decimal:
        return sum((row.credit for row in self.credit), ZERO)


def balance_overview(*, coming_month: date | None = None, recent: int = 6) -> BalanceOverview:
    """Everyone whose balance is not zero, with the months behind it, their latest months and
    payments as lines (running balance) and the reference code for `coming_month`. Four
    queries, whatever the number of people."""
    from rent.ledger.reference import code_for, person_parts

    everyone = list(with_balance().order_by("name"))
    parts = person_parts(everyone)
    tenants = [tenant for tenant in everyone if tenant.balance]
    rows = {tenant.pk: BalanceRow(tenant, tenant.balance) for tenant in tenants}
    ledger: dict[int, list] = {pk: [] for pk in rows}
    for row in RentLedger.objects.filter(tenant__in=list(rows)).order_by("rent_month"):
        ledger[row.tenant_id].append(row)
        if row.amount_due > row.amount_paid:
            rows[row.tenant_id].months.append(row)
    paid: dict[int, list] = {pk: [] for pk in rows}
    for payment in Payment.objects.filter(tenant__in=list(rows)):
        paid[payment.tenant_id].append(payment)
    for pk, row in rows.items():
        row.lines = _lines(ledger[pk], paid[pk])[-recent:]
        if coming_month:
            row.reference = code_for(parts[pk], coming_month)
    ordered = sorted(rows.values(), key=lambda row: row.tenant.name.casefold())
    return BalanceOverview(
        owing=[row for row in ordered if row.balance > 0],
        credit=[row for row in ordered if row.balance < 0],
    )


class SettlementError(RentError, ValueError):
    """A settlement that cannot be made; the message says why."""


def settle_credit(
    *, tenant: Tenant, amount: Decimal, on: date, note: str = "", recorded_by=None
) -> Payment:
    """Pay back `amount` of the tenant's credit: recorded as a negative payment (a refund).

    (Credit counts toward the coming months by itself: rent.ledger.allocation.)
    """
    from django.db import transaction

    from rent.formatting import format_kronor
    from rent.ledger.payments import record_payment
    from rent.models import PaymentMethod

    with transaction.atomic():
        Tenant.objects.select_for_update().filter(pk=tenant.pk).first()
        if amount is None or amount <= 0:
            raise SettlementError("amount_not_positive")
        credit = -balance_of(tenant=tenant)
        if amount > credit:
            raise SettlementError(
                "not_enough_credit", name=tenant.name, credit=format_kronor(max(credit, ZERO))
            )
        return record_payment(
            tenant=tenant,
            amount=-amount,
            paid_on=on,
            method=PaymentMethod.OTHER,
            note=note or gettext("Credit paid back"),
            recorded_by=recorded_by,
        )
