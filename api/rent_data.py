"""The rent figures the API, the rent pages and the kiosk show, cached by the data's version.

A month's snapshot costs four queries to compute (the split's two, the saved version, the rent
month's ledger rows) and none when cached; the cache key holds the data version, which every
write bumps, so no process can serve figures computed before a change.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.core.cache import cache

from api.versioning import data_version
from rent.breakdown import MonthBreakdown, month_breakdown
from rent.config import EffectiveConfig
from rent.legacy_api import legacy_breakdown
from rent.message import SWEDISH_MONTH_NAMES, rent_message
from rent.models import RentCalculation, RentLedger
from rent.month_rent import current_calculation
from rent.months import add_months, due_date
from rent.split import RentInputError, Split, round_half_away, split_from_history

CACHE_SECONDS = 60 * 60
DATA_SOURCES = {
    "actual": ("current_bills", "Baserad på aktuella elräkningar"),
    "historical": ("last_year_bills", "Baserad på prognos från förra årets elräkningar"),
    "projection": ("estimate", "Baserad på uppskattade elkostnader"),
}


@dataclass(frozen=True)
class Payment:
    """One ledger row of the rent month."""

    ledger_id: int
    tenant_id: int
    name: str
    amount_due: Decimal
    amount_paid: Decimal
    paid_on: date | None
    days_stayed: Decimal | None
    room_adjustment: Decimal | None

    @property
    def is_paid(self) -> bool:
        return self.amount_paid >= self.amount_due


@dataclass(frozen=True)
class MonthSnapshot:
    config_month: date
    config: EffectiveConfig | None
    split: Split | None
    engine_message: str | None
    error: str | None  # why the engine cannot split the month (nobody lives here)
    saved_message: str | None
    saved_version: int | None
    payments: list[Payment] = field(default_factory=list)

    @property
    def rent_month(self) -> date:
        return add_months(self.config_month, 1)

    @property
    def due_date(self) -> date:
        return due_date(self.config_month)

    @property
    def message(self) -> str | None:
        """The saved version's message where there is one, else the engine's."""
        return self.saved_message or self.engine_message

    @property
    def all_paid(self) -> bool:
        return bool(self.payments) and all(payment.is_paid for payment in self.payments)

    @property
    def total_paid(self) -> Decimal:
        return sum((payment.amount_paid for payment in self.payments), Decimal(0))

    @property
    def data_source_type(self) -> str:
        if self.config is None:
            return "projection"
        source = self.config.sources["el"]
        if source.kind == "projected":
            return "historical" if source.from_month is not None else "projection"
        return "actual"

    def data_source(self) -> dict:
        kind = self.data_source_type
        electricity_source, description = DATA_SOURCES[kind]
        return {
            "type": kind,
            "electricity_source": electricity_source,
            "description_sv": description,
        }

    @property
    def electricity_amount(self) -> int:
        return 0 if self.config is None else round_half_away(self.config.values["el"])

    @property
    def electricity_month(self) -> str:
        """The Swedish name of the month before the config month (the bills' month)."""
        return SWEDISH_MONTH_NAMES[add_months(self.config_month, -1).month - 1]

    def legacy_breakdown(self) -> dict | None:
        return None if self.split is None else legacy_breakdown(self.split)

    def people(self) -> list[dict]:
        """Everyone of the month: the split's share and the ledger row where saved."""
        payments = {payment.name: payment for payment in self.payments}
        shares = {share.name: share for share in self.split.roommates} if self.split else {}
        names = list(payments) if payments else list(shares)
        names += [name for name in shares if name not in names]
        rows = []
        for name in names:
            payment, share = payments.get(name), shares.get(name)
            rows.append(
                {
                    "name": name,
                    "amount": payment.amount_due if payment else Decimal(share.amount),
                    "saved": payment is not None,
                    "days": first_known(payment and payment.days_stayed, share and share.days),
                    "room_adjustment": first_known(
                        payment and payment.room_adjustment, share and share.room_adjustment
                    ),
                    "paid": payment.amount_paid if payment else Decimal(0),
                    "paid_on": payment.paid_on if payment else None,
                    "is_paid": payment.is_paid if payment else False,
                    "tenant_id": payment.tenant_id if payment else None,
                }
            )
        return rows


def first_known(*values):
    return next((value for value in values if value is not None), None)


def month_snapshot(config_month: date, *, version: str | None = None) -> MonthSnapshot:
    """Config month C's figures, from the cache when the data has not changed since."""
    version = data_version() if version is None else version
    key = f"rent:month:{version}:{config_month:%Y-%m}"
    snapshot = cache.get(key)
    if snapshot is None:
        snapshot = compute_month_snapshot(config_month)
        cache.set(key, snapshot, CACHE_SECONDS)
    return snapshot


def compute_month_snapshot(config_month: date) -> MonthSnapshot:
    breakdown: MonthBreakdown | None = None
    error = None
    try:
        breakdown = month_breakdown(config_month)
    except RentInputError as exc:
        error = str(exc)
    calculation = current_calculation(config_month)
    rows = (
        RentLedger.objects.filter(rent_month=add_months(config_month, 1))
        .select_related("tenant")
        .order_by("tenant__name")
    )
    payments = [
        Payment(
            ledger_id=row.pk,
            tenant_id=row.tenant_id,
            name=row.tenant.name,
            amount_due=row.amount_due,
            amount_paid=row.amount_paid,
            paid_on=row.paid_on,
            days_stayed=row.days_stayed,
            room_adjustment=row.room_adjustment,
        )
        for row in rows
    ]
    payments.sort(key=lambda payment: (payment.name.casefold(), payment.name))
    return MonthSnapshot(
        config_month=config_month,
        config=breakdown.config if breakdown else None,
        split=breakdown.split if breakdown else None,
        engine_message=breakdown.message if breakdown else None,
        error=error,
        saved_message=saved_message(calculation) if calculation else None,
        saved_version=calculation.version if calculation else None,
        payments=payments,
    )


def first_name(name: str) -> str:
    """What the kiosk and its feed show of a person: the first name only."""
    return name.split()[0] if name.split() else name


def saved_message(calculation: RentCalculation) -> str | None:
    """The rent message of a saved version, with the amounts it saved (not recomputed ones)."""
    inputs = calculation.inputs if isinstance(calculation.inputs, dict) else {}
    constants = {
        **(inputs.get("constants") or {}),
        "year": calculation.config_month.year,
        "month": calculation.config_month.month,
    }
    try:
        split = split_from_history(
            {"constants": constants, "roommates": calculation.ordered_roommates()}
        )
    except (RentInputError, TypeError, ValueError, ArithmeticError):
        return None
    results = calculation.ordered_results()
    shares = [
        replace(share, amount=int(results.get(share.name, share.amount)))
        for share in split.roommates
    ]
    split = replace(split, roommates=shares, rents={s.name: s.amount for s in shares})
    return rent_message(
        split, year=calculation.config_month.year, month=calculation.config_month.month
    )


@dataclass(frozen=True)
class RentHistory:
    """Every rent month's amount per person, from the ledger (saved versions' ledger rows)."""

    months: list[date]
    people: list[str]
    amounts: dict[tuple[date, str], Decimal]

    def total(self, month: date) -> Decimal:
        return sum(
            (self.amounts.get((month, name), Decimal(0)) for name in self.people), Decimal(0)
        )

    def rows(self) -> list[dict]:
        return [
            {
                "month": month,
                "total": self.total(month),
                "amounts": [self.amounts.get((month, name)) for name in self.people],
            }
            for month in self.months
        ]


def rent_history(*, version: str | None = None) -> RentHistory:
    version = data_version() if version is None else version
    key = f"rent:history:{version}"
    history = cache.get(key)
    if history is None:
        history = compute_rent_history()
        cache.set(key, history, CACHE_SECONDS)
    return history


def compute_rent_history() -> RentHistory:
    amounts: dict[tuple[date, str], Decimal] = {}
    for month, name, amount in RentLedger.objects.values_list(
        "rent_month", "tenant__name", "amount_due"
    ):
        amounts[(month, name)] = amount
    months = sorted({month for month, _ in amounts})
    people = sorted({name for _, name in amounts}, key=lambda name: (name.casefold(), name))
    return RentHistory(months=months, people=people, amounts=amounts)
