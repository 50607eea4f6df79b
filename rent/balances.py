"""One balance per person, over the ledger: what is due minus what is paid, summed.

Every page that shows what someone owes or has to their credit asks this module, so the
figures agree everywhere. A positive balance is owed to the house; a negative one is credit
("tillgodo") that stays until the treasurer settles it (`settle_credit`), each recorded as a
`CreditSettlement`:

- paid back: the house pays the money out, so the refund counts like an amount due
  (balance = due − paid + refunded);
- counted toward a coming month: the overpaid amount moves from the overpaid rows to that
  month's row (both rows' history shows it); the balance does not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from rent.models import CreditSettlement, RentLedger, SettlementKind, Tenant

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def _ledger_sum():
    return Subquery(
        RentLedger.objects.filter(tenant=OuterRef("pk"))
        .order_by()
        .values("tenant")
        .annotate(total=Sum(F("amount_due") - F("amount_paid"), output_field=MONEY))
        .values("total")[:1],
        output_field=MONEY,
    )


def _settled_sum():
    return Subquery(
        CreditSettlement.objects.filter(tenant=OuterRef("pk"), kind=SettlementKind.REFUND)
        .order_by()
        .values("tenant")
        .annotate(total=Sum("amount", output_field=MONEY))
        .values("total")[:1],
        output_field=MONEY,
    )


def with_balance(tenants=None):
    """Tenants annotated with `balance` (due − paid over their ledger rows, plus settled
    credit; one query)."""
    tenants = Tenant.objects.all() if tenants is None else tenants
    return tenants.annotate(
        balance=Coalesce(_ledger_sum(), Value(ZERO), output_field=MONEY)
        + Coalesce(_settled_sum(), Value(ZERO), output_field=MONEY)
    )


def balance_of(*, tenant: Tenant) -> Decimal:
    """The tenant's balance: positive is owed, negative is credit."""
    ledger = RentLedger.objects.filter(tenant=tenant).aggregate(
        balance=Sum(F("amount_due") - F("amount_paid"), output_field=MONEY)
    )["balance"]
    settled = CreditSettlement.objects.filter(tenant=tenant, kind=SettlementKind.REFUND).aggregate(
        total=Sum("amount", output_field=MONEY)
    )["total"]
    return (ledger or ZERO) + (settled or ZERO)


def balances(*, tenants=None) -> dict[int, Decimal]:
    """Tenant id → balance, for every tenant in `tenants` (default: all)."""
    return {tenant.pk: tenant.balance for tenant in with_balance(tenants)}


@dataclass(frozen=True)
class StatementLine:
    rent_month: date
    amount_due: Decimal
    amount_paid: Decimal
    paid_on: date | None
    running_balance: Decimal
    label: str = ""  # a settlement of credit: what happened to it

    @property
    def balance(self) -> Decimal:
        """This line alone: positive is unpaid, negative is paid beyond the amount due."""
        return self.amount_due - self.amount_paid

    @property
    def is_settlement(self) -> bool:
        return bool(self.label)


def settlement_label(settlement: CreditSettlement) -> str:
    if settlement.kind == SettlementKind.TOWARD_MONTH and settlement.rent_month:
        from django.utils.formats import date_format

        return gettext("Credit counted toward %(month)s") % {
            "month": date_format(settlement.rent_month, "F Y")
        }
    return gettext("Credit paid back")


def statement_lines(*, tenant: Tenant) -> list[StatementLine]:
    """The tenant's months (and settled credit), oldest first, each with the running balance
    up to and including it; the last running balance is `balance_of`."""
    entries = [
        (row.rent_month, 0, row.amount_due, row.amount_paid, row.paid_on, "")
        for row in RentLedger.objects.filter(tenant=tenant)
    ]
    # A refund counts like an amount due; credit counted toward a month only moved between
    # rows (shown there), so its line carries no amount.
    entries += [
        (
            s.settled_on,
            1,
            s.amount if s.kind == SettlementKind.REFUND else ZERO,
            ZERO,
            s.settled_on,
            settlement_label(s),
        )
        for s in CreditSettlement.objects.filter(tenant=tenant)
    ]
    lines, running = [], ZERO
    for when, _order, due, paid, paid_on, label in sorted(entries, key=lambda e: e[:2]):
        running += due - paid
        lines.append(StatementLine(when, due, paid, paid_on, running, label))
    return lines


# What the admin's "Saldo" page shows ---------------------------------------------------------


@dataclass
class BalanceRow:
    tenant: Tenant
    balance: Decimal
    # the ledger rows behind it: unpaid months (owed) or overpaid months (credit)
    months: list[RentLedger] = field(default_factory=list)

    @property
    def credit(self) -> Decimal:
        return -self.balance if self.balance < 0 else ZERO

    @property
    def overpaid(self) -> Decimal:
        """Paid beyond the amount due on some months: credit that can count toward another."""
        return sum(
            (
                row.amount_paid - row.amount_due
                for row in self.months
                if row.amount_paid > row.amount_due
            ),
            ZERO,
        )

    @property
    def settleable(self) -> Decimal:
        return max(self.credit, self.overpaid)


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


def balance_overview() -> BalanceOverview:
    """Everyone whose balance is not zero, with the months behind it. Two queries."""
    tenants = [tenant for tenant in with_balance().order_by("name") if tenant.balance]
    rows = {tenant.pk: BalanceRow(tenant, tenant.balance) for tenant in tenants}
    for row in (
        RentLedger.objects.filter(tenant__in=list(rows))
        .exclude(amount_due=F("amount_paid"))
        .order_by("rent_month")
    ):
        rows[row.tenant_id].months.append(row)
    ordered = sorted(rows.values(), key=lambda row: row.tenant.name.casefold())
    return BalanceOverview(
        owing=[row for row in ordered if row.balance > 0],
        credit=[row for row in ordered if row.balance < 0],
    )


class SettlementError(ValueError):
    """A settlement that cannot be made; the message says why."""


def settle_credit(
    *,
    tenant: Tenant,
    amount: Decimal,
    kind: str,
    on: date,
    rent_month: date | None = None,
    note: str = "",
) -> CreditSettlement:
    """Settle `amount` of the tenant's credit: paid back, or counted toward `rent_month`.

    Paying back needs that much credit in the balance. Counting toward a month moves the
    amount paid beyond the amount due on earlier rows (oldest first) to that month's row.
    """
    from rent.formatting import format_kronor

    with transaction.atomic():
        Tenant.objects.select_for_update().filter(pk=tenant.pk).first()
        if amount is None or amount <= 0:
            raise SettlementError(gettext("The amount must be more than 0 kr."))
        if kind == SettlementKind.TOWARD_MONTH:
            rows = list(
                RentLedger.objects.select_for_update().filter(tenant=tenant).order_by("rent_month")
            )
            target = next((row for row in rows if row.rent_month == rent_month), None)
            if target is None:
                raise SettlementError(
                    gettext("%(name)s has no ledger row for that month yet.")
                    % {"name": tenant.name}
                )
            overpaid = [
                row for row in rows if row is not target and row.amount_paid > row.amount_due
            ]
            credit = sum((row.amount_paid - row.amount_due for row in overpaid), ZERO)
        else:
            credit = -balance_of(tenant=tenant)
        if amount > credit:
            raise SettlementError(
                gettext("%(name)s has only %(credit)s in credit.")
                % {"name": tenant.name, "credit": format_kronor(max(credit, ZERO))}
            )
        if kind == SettlementKind.TOWARD_MONTH:
            left = amount
            for row in overpaid:
                take = min(left, row.amount_paid - row.amount_due)
                row.amount_paid -= take
                row.save(update_fields=["amount_paid", "updated_at"])
                left -= take
                if not left:
                    break
            target.amount_paid += amount
            target.paid_on = target.paid_on or on
            target.save(update_fields=["amount_paid", "paid_on", "updated_at"])
        else:
            rent_month = None
        return CreditSettlement.objects.create(
            tenant=tenant, kind=kind, amount=amount, settled_on=on, rent_month=rent_month, note=note
        )
