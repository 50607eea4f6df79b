"""What every page, the kiosk, the API and the handbook show about the rent: one function per
question, so one person and month have one figure wherever they look.

- `charged_month`: the month as charged. Saved: the ledger rows the saved version made (days,
  adjustment, amount, paid, left per tenant id), the saved message, version and time, and what
  changed since saving (charging nobody until it is saved again). Never saved: the split as it
  would be saved now, labelled preliminary, never mixed with saved lines.
- `proposed_month`: the month as it would be if saved now (a proposal, labelled as one).
- `tenant_account`: a tenant's balance, months and payments (rent.ledger.balances).
- `tenant_of`: the tenant of a login; `is_own_tenant`: whether a tenant is the login's own.
- `forecast`: the month from the bills entered, projecting only what is missing.
- `rent_history`: every rent month's amount per person, from the ledger.

Cached by the data's version (rent.versioning), which every write bumps: no process serves
figures computed before a change. Pages render these and compute nothing of their own.

The handbook reaches rent only through this module (an import contract in pyproject.toml):
besides these questions it takes from here the months it shows (add_months, due_date,
config_month_due_next), the one rounding (round_half_away), the data version (data_version),
the tenant (Tenant), the one formatting (format_day, format_day_time, plain_number,
rounded_number, kronor_html, balance_html) and the backup's text of a document and a moment
(document_text, moment_text): each imported here as itself ("import x as x"), to be re-exported.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Sum
from django.utils.translation import get_language, gettext

from rent.engine.breakdown import MonthBreakdown
from rent.engine.config import CONFIG_KEYS, EffectiveConfig
from rent.engine.message import SWEDISH_MONTH_NAMES, rent_message
from rent.engine.months import add_months, days_in_month, due_date, explicit_days
from rent.engine.months import config_month_due_next as config_month_due_next
from rent.engine.occupancy import UnknownRoommateError
from rent.engine.split import RentInputError, Split, resolve_config, round_half_away, split_rent
from rent.formatting import balance_html as balance_html
from rent.formatting import format_day as format_day
from rent.formatting import format_day_time as format_day_time
from rent.formatting import kronor_html as kronor_html
from rent.formatting import plain_number as plain_number
from rent.formatting import rounded_number as rounded_number
from rent.importing.exporting import document_text as document_text
from rent.importing.exporting import moment_text as moment_text
from rent.ledger.balances import StatementLine, statement_lines
from rent.ledger.inputs import month_breakdown, residents_of
from rent.ledger.month_rent import compare_with_saved, current_calculation, saved_overrides
from rent.models import RentCalculation, RentLedger, Tenant
from rent.versioning import data_version

CACHE_SECONDS = 60 * 60
ZERO = Decimal(0)


class MonthStatus:
    SAVED = "saved"  # the saved version applies, nothing has changed since
    CHANGED = "changed"  # saved, but the bills or tenants changed since ("ändrat sedan sparad")
    NEVER_SAVED = "never_saved"  # preliminary: nobody is charged yet


DATA_SOURCES = {
    "actual": ("current_bills", "Baserad på aktuella elräkningar"),
    "historical": ("last_year_bills", "Baserad på prognos från förra årets elräkningar"),
    "projection": ("estimate", "Baserad på uppskattade elkostnader"),
}


# --- the month as it would be if saved now -----------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """The split the month would be saved with now (the saved version's own days and room
    adjustments applied): what "Spara" would charge. Not a charge."""

    config_month: date
    breakdown: MonthBreakdown | None
    error: str | None  # why it cannot be split (nobody lives here), in the active language
    is_proposal: bool = True

    def amounts(self) -> dict[int, int]:
        """Tenant id → kronor."""
        if self.breakdown is None:
            return {}
        rents = self.breakdown.split.rents
        return {r.tenant.pk: rents[r.name] for r in self.breakdown.residents}


_UNREAD = object()


def proposed_month(config_month: date, *, calculation=_UNREAD) -> Proposal:
    """`calculation`: the month's current version (or None) when the caller has read it."""
    if calculation is _UNREAD:
        calculation = current_calculation(config_month)
    try:
        residents = residents_of(add_months(config_month, 1))
        overrides = saved_overrides(calculation, residents)
        breakdown = month_breakdown(config_month, overrides=overrides or None, residents=residents)
    except (RentInputError, UnknownRoommateError) as exc:
        return Proposal(config_month, None, exc.message)
    return Proposal(config_month, breakdown, None)


# --- the month as charged ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChargedLine:
    """One person's line of a month."""

    tenant_id: int
    name: str  # the tenant's name now
    days: Decimal  # days lived in the rent month
    full_month: bool
    room_adjustment: Decimal
    amount: Decimal  # charged (saved), or what would be charged (preliminary)
    paid: Decimal  # toward this month (rent.ledger.allocation)
    paid_on: date | None
    ledger_id: int | None  # None: preliminary, no ledger row

    @property
    def left(self) -> Decimal:
        return max(self.amount - self.paid, ZERO)

    @property
    def is_paid(self) -> bool:
        return self.ledger_id is not None and self.paid >= self.amount


@dataclass(frozen=True)
class ChargedMonth:
    config_month: date
    status: str  # MonthStatus
    lines: list[ChargedLine]
    message: str | None
    split: Split | None  # the split behind the lines (saved: with the saved amounts)
    costs: dict[str, Decimal]  # every cost key as charged (saved) or as it stands (preliminary)
    el_source: str  # "actual", "historical" or "projection"
    version: int | None = None
    saved_at: datetime | None = None
    saved_by: str = ""
    changes: list[str] = field(default_factory=list)  # since saving, in the active language
    proposal: Proposal | None = None
    config: EffectiveConfig | None = None  # the bills as they stand now, with their sources
    error: str | None = None  # why a never-saved month cannot be split

    @property
    def rent_month(self) -> date:
        return add_months(self.config_month, 1)

    @property
    def due_date(self) -> date:
        return due_date(self.config_month)

    @property
    def is_saved(self) -> bool:
        return self.status != MonthStatus.NEVER_SAVED

    @property
    def preliminary(self) -> bool:
        return not self.is_saved

    @property
    def changed_since_saved(self) -> bool:
        return self.status == MonthStatus.CHANGED

    @property
    def total_due(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def total_paid(self) -> Decimal:
        """What was paid toward this month (nothing while it is preliminary)."""
        return sum((line.paid for line in self.lines), ZERO)

    @property
    def total_left(self) -> Decimal:
        return sum((line.left for line in self.lines), ZERO)

    @property
    def all_paid(self) -> bool:
        return bool(self.lines) and all(line.is_paid for line in self.lines)

    @property
    def total_costs(self) -> Decimal | None:
        return None if self.split is None else self.split.total

    def line_for(self, tenant_id: int) -> ChargedLine | None:
        return next((line for line in self.lines if line.tenant_id == tenant_id), None)

    def proposed_amounts(self) -> dict[int, int]:
        """Tenant id → what a new save would charge, when that differs from the charge."""
        if not self.changed_since_saved or self.proposal is None:
            return {}
        return self.proposal.amounts()

    def data_source(self) -> dict:
        electricity_source, description = DATA_SOURCES[self.el_source]
        if self.preliminary:
            description = f"Preliminär, inte sparad. {description}"
        elif self.changed_since_saved:
            description = f"Sparad version {self.version or ''}, ändrad sedan. {description}"
        return {
            "type": self.el_source,
            "electricity_source": electricity_source,
            "description_sv": description,
            "status": self.status,
            "preliminary": self.preliminary,
            "version": self.version,
            "saved_at": self.saved_at.isoformat(timespec="seconds") if self.saved_at else None,
            "pending_changes": list(self.changes),
        }

    @property
    def electricity_amount(self) -> int:
        return round_half_away(self.costs.get("el", ZERO))

    @property
    def electricity_month(self) -> str:
        """The Swedish name of the month before the config month (the bills' month)."""
        return SWEDISH_MONTH_NAMES[add_months(self.config_month, -1).month - 1]

    def cost_lines(self) -> list[dict]:
        """The month's costs as charged: each key once, the fees the quarterly invoice replaces
        and empty optional lines left out; balance and extra income subtracted."""
        if self.split is None:
            return []
        charged = self.split.fee_lines
        lines = []
        for key in CONFIG_KEYS:
            value = self.costs.get(key, ZERO)
            if key in ("vattenavgift", "va", "larm", "drift_rakning") and key not in charged:
                continue
            if not value and key in ("saldo_innan", "extra_in", "gas", "drift_rakning"):
                continue
            sign = -1 if key in ("saldo_innan", "extra_in") else 1
            if self.is_saved:
                source = gettext("as saved")
            elif self.config is not None:
                source = self.config.sources[key].label
            else:
                source = ""
            lines.append({"key": key, "amount": sign * value, "source": source})
        return lines


def charged_month(config_month: date, *, version: str | None = None) -> ChargedMonth:
    """Config month C's rent as charged, from the cache when the data has not changed since."""
    version = data_version() if version is None else version
    # The changes and errors are words in the active language: cached per language.
    key = f"rent:charged:{version}:{get_language()}:{config_month:%Y-%m}"
    month = cache.get(key)
    if month is None:
        month = compute_charged_month(config_month)
        cache.set(key, month, CACHE_SECONDS)
    return month


def _el_source(config: EffectiveConfig | None, projected: bool | None = None) -> str:
    if config is None:
        return "projection" if projected else "actual"
    source = config.sources["el"]
    if source.kind == "projected":
        return "historical" if source.from_month is not None else "projection"
    return "actual"


def compute_charged_month(config_month: date) -> ChargedMonth:
    calculation = current_calculation(config_month)
    proposal = proposed_month(config_month, calculation=calculation)
    rows = list(
        RentLedger.objects.filter(rent_month=add_months(config_month, 1)).select_related("tenant")
    )
    if calculation is None and not rows:
        return _preliminary(config_month, proposal)
    return _saved(config_month, proposal, calculation, rows)


def _preliminary(config_month: date, proposal: Proposal) -> ChargedMonth:
    breakdown = proposal.breakdown
    if breakdown is None:
        return ChargedMonth(
            config_month, MonthStatus.NEVER_SAVED, [], None, None, {}, "actual",
            proposal=proposal, error=proposal.error,
        )  # fmt: skip
    shares = {share.name: share for share in breakdown.split.roommates}
    lines = [
        ChargedLine(
            tenant_id=resident.tenant.pk,
            name=resident.name,
            days=shares[resident.name].days,
            full_month=shares[resident.name].full_month,
            room_adjustment=shares[resident.name].room_adjustment,
            amount=Decimal(shares[resident.name].amount),
            paid=ZERO,
            paid_on=None,
            ledger_id=None,
        )
        for resident in breakdown.residents
    ]
    return ChargedMonth(
        config_month=config_month,
        status=MonthStatus.NEVER_SAVED,
        lines=lines,
        message=breakdown.message,
        split=breakdown.split,
        costs=dict(breakdown.split.config),
        el_source=_el_source(breakdown.config),
        proposal=proposal,
        config=breakdown.config,
    )


def _saved(
    config_month: date,
    proposal: Proposal,
    calculation: RentCalculation | None,
    rows: list[RentLedger],
) -> ChargedMonth:
    month_length = days_in_month(add_months(config_month, 1))
    saved = calculation.saved if calculation is not None else None
    names = {row.tenant.name.casefold(): row.tenant_id for row in rows}
    by_tenant = saved.by_tenant(names) if saved else {}
    order = {tenant_id: index for index, tenant_id in enumerate(by_tenant)}
    rows.sort(key=lambda row: (order.get(row.tenant_id, len(order)), row.tenant.name.casefold()))
    lines = []
    for row in rows:
        entry = by_tenant.get(row.tenant_id)
        if entry is not None:
            days, adjustment = entry.days, entry.room_adjustment
        else:
            days = explicit_days(row.days_stayed, month_length)
            adjustment = row.room_adjustment or ZERO
        lines.append(
            ChargedLine(
                tenant_id=row.tenant_id,
                name=row.tenant.name,
                days=Decimal(month_length) if days is None else days,
                full_month=days is None,
                room_adjustment=adjustment,
                amount=row.amount_due,
                paid=row.amount_paid,
                paid_on=row.paid_on,
                ledger_id=row.pk,
            )
        )
    split = _charged_split(saved, lines, by_tenant) or _ledger_split(
        config_month, saved, proposal, lines
    )
    changes = _changes(calculation, proposal, lines)
    costs = dict(split.config) if split is not None else {}
    if not costs and saved is not None:
        try:
            costs = resolve_config(saved.constants)
        except RentInputError:
            costs = {}
    projected = saved is not None and "el" in saved.projected
    return ChargedMonth(
        config_month=config_month,
        status=MonthStatus.CHANGED if changes else MonthStatus.SAVED,
        lines=lines,
        message=(
            rent_message(split, year=config_month.year, month=config_month.month)
            if split is not None
            else None
        ),
        split=split,
        costs=costs,
        el_source="projection" if projected else "actual",
        version=saved.version if saved else None,
        saved_at=saved.saved_at if saved else None,
        saved_by=saved.saved_by if saved else "",
        changes=changes,
        proposal=proposal,
        config=proposal.breakdown.config if proposal.breakdown else None,
    )


def _charged_split(saved, lines: list[ChargedLine], by_tenant: dict) -> Split | None:
    """The saved inputs' split carrying the amounts charged (the ledger's) under the tenants'
    names now, in the saved order: what the message, the API and the example show."""
    if saved is None or not lines:
        return None
    split = saved.split()
    if split is None:
        return None
    charged = {line.tenant_id: line for line in lines}
    by_name = {entry.name: tenant_id for tenant_id, entry in by_tenant.items()}
    shares = []
    for share in split.roommates:
        line = charged.get(by_name.get(share.name))
        if line is None:
            continue  # saved, but no ledger row charges them
        shares.append(replace(share, name=line.name, amount=int(line.amount)))
    if len(shares) != len(lines):
        return None  # the ledger charges someone the saved split leaves out
    rents = {share.name: share.amount for share in shares}
    return replace(split, roommates=shares, rents=rents, total_paid=sum(rents.values()))


def _ledger_split(config_month: date, saved, proposal: Proposal, lines) -> Split | None:
    """For ledger rows no saved version explains (imported without one, or edited by hand):
    the split of their own days and adjustments over the saved costs (else the bills now),
    carrying the ledger's amounts."""
    if not lines:
        return None
    if saved is not None:
        constants = saved.constants
    elif proposal.breakdown is not None:
        constants = proposal.breakdown.config.split_config()
    else:
        constants = {}
    roommates = {}
    for line in lines:
        entry = {"room_adjustment": line.room_adjustment}
        if not line.full_month and line.days > 0:
            entry["days"] = line.days
        roommates[line.name] = entry
    try:
        split = split_rent(roommates, constants, year=config_month.year, month=config_month.month)
    except (RentInputError, TypeError, ValueError, ArithmeticError):
        return None
    rents = {line.name: int(line.amount) for line in lines}
    shares = [replace(share, amount=rents[share.name]) for share in split.roommates]
    return replace(split, roommates=shares, rents=rents, total_paid=sum(rents.values()))


def _changes(
    calculation: RentCalculation | None, proposal: Proposal, lines: list[ChargedLine]
) -> list[str]:
    """What a new save would change, in words; nothing when it would charge the same."""
    if proposal.breakdown is None:
        if lines and proposal.error:
            return [proposal.error]
        return []
    if calculation is not None:
        comparison = compare_with_saved(calculation, proposal.breakdown)
        if comparison.differs:
            return comparison.changes
    return _ledger_changes(proposal.breakdown, lines)


def _ledger_changes(breakdown: MonthBreakdown, lines: list[ChargedLine]) -> list[str]:
    """Ledger rows no saved version explains, against the split now: who came, who left."""
    charged = {line.tenant_id: line for line in lines}
    now = {resident.tenant.pk: resident for resident in breakdown.residents}
    changes = []
    for tenant_id, resident in now.items():
        if tenant_id in charged:
            continue
        start = resident.tenant.start_date
        if start and start >= breakdown.rent_month:
            changes.append(
                gettext("%(name)s moves in %(date)s")
                % {"name": resident.name, "date": f"{start.day}/{start.month}"}
            )
        else:
            changes.append(gettext("%(name)s added") % {"name": resident.name})
    for tenant_id, line in charged.items():
        if tenant_id not in now:
            changes.append(gettext("%(name)s no longer lives here") % {"name": line.name})
    amounts = {r.tenant.pk: breakdown.split.rents[r.name] for r in breakdown.residents}
    if not changes and {t: int(line.amount) for t, line in charged.items()} != amounts:
        changes.append(gettext("the amounts differ"))
    return changes


# --- a person ----------------------------------------------------------------------------------


def tenant_of(user) -> Tenant | None:
    """The tenant whose login this is, or None."""
    return Tenant.objects.of_login(user).first()


def is_own_tenant(user, tenant_id) -> bool:
    """The login is linked to the tenant with this id (whether or not they live here now)."""
    return tenant_id is not None and Tenant.objects.of_login(user).filter(pk=tenant_id).exists()


@dataclass(frozen=True)
class TenantAccount:
    tenant: Tenant
    balance: Decimal  # rent.ledger.balances: owed (+) or credit (−), every month
    lines: list[StatementLine]  # months and payments, oldest first, with the running balance

    @property
    def unpaid(self) -> list[StatementLine]:
        """The months with something left to pay, oldest first."""
        return [line for line in self.lines if not line.is_payment and line.outstanding > 0]

    @property
    def owed(self) -> Decimal:
        return self.balance if self.balance > 0 else ZERO

    @property
    def credit(self) -> Decimal:
        return -self.balance if self.balance < 0 else ZERO


def tenant_account(tenant: Tenant) -> TenantAccount:
    """A tenant's balance and months: rent.ledger.balances, the one balance."""
    lines = statement_lines(tenant=tenant)  # its last running balance is balance_of's
    return TenantAccount(
        tenant=tenant, balance=lines[-1].running_balance if lines else ZERO, lines=lines
    )


# --- the forecast ------------------------------------------------------------------------------


def forecast(config_month: date) -> MonthBreakdown:
    """The month from the bills entered, projecting only what is missing (el from last year or
    the year's mean), for everyone living here by their dates. Raises RentInputError."""
    return month_breakdown(config_month)


# --- the history -------------------------------------------------------------------------------


def first_name(name: str) -> str:
    """What the kiosk and its feed show of a person: the first name only."""
    return name.split()[0] if name.split() else name


@dataclass(frozen=True)
class RentHistory:
    """Every rent month's amount per person and the month's total, summed by the database from
    the ledger (saved versions' ledger rows)."""

    months: list[date]
    people: list[str]
    amounts: dict[tuple[date, str], Decimal]
    totals: dict[date, Decimal] = field(default_factory=dict)

    def total(self, month: date) -> Decimal:
        return self.totals.get(month, ZERO)

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
    """One query: the ledger summed per rent month and name in the database (two people of
    one name are one line, as the chart names them), the totals from those sums."""
    amounts: dict[tuple[date, str], Decimal] = {}
    totals: dict[date, Decimal] = {}
    summed = (
        RentLedger.objects.order_by()
        .values_list("rent_month", "tenant__name")
        .annotate(amount=Sum("amount_due"))
    )
    for month, name, amount in summed:
        amounts[(month, name)] = amount
        totals[month] = totals.get(month, ZERO) + amount
    months = sorted(totals)
    people = sorted({name for _, name in amounts}, key=lambda name: (name.casefold(), name))
    return RentHistory(months=months, people=people, amounts=amounts, totals=totals)
