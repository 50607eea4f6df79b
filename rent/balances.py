"""One balance per person, over the ledger: what is due minus what is paid, summed.

Every page that shows what someone owes or has to their credit asks this module, so the
figures agree everywhere. A positive balance is owed to the house; a negative one is credit
("tillgodo") that stays until the treasurer settles it.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, F, Sum, Value
from django.db.models.functions import Coalesce

from rent.models import RentLedger, Tenant

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def with_balance(tenants=None):
    """Tenants annotated with `balance` (due − paid over all their ledger rows; one query)."""
    tenants = Tenant.objects.all() if tenants is None else tenants
    return tenants.annotate(
        balance=Coalesce(
            Sum(F("ledger_rows__amount_due") - F("ledger_rows__amount_paid"), output_field=MONEY),
            Value(ZERO),
            output_field=MONEY,
        )
    )


def balance_of(*, tenant: Tenant) -> Decimal:
    """The tenant's balance: positive is owed, negative is credit."""
    total = RentLedger.objects.filter(tenant=tenant).aggregate(
        balance=Sum(F("amount_due") - F("amount_paid"), output_field=MONEY)
    )["balance"]
    return total or ZERO


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

    @property
    def balance(self) -> Decimal:
        """This month alone: positive is unpaid, negative is paid beyond the amount due."""
        return self.amount_due - self.amount_paid


def statement_lines(*, tenant: Tenant) -> list[StatementLine]:
    """The tenant's months, oldest first, each with the running balance up to and including it."""
    lines, running = [], ZERO
    for row in RentLedger.objects.filter(tenant=tenant).order_by("rent_month"):
        running += row.amount_due - row.amount_paid
        lines.append(
            StatementLine(row.rent_month, row.amount_due, row.amount_paid, row.paid_on, running)
        )
    return lines
