"""Writes of the rent engine: saving a config month's split (docs/rent-rules.md,
section 6)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from rent.engine.breakdown import MonthBreakdown, json_number
from rent.engine.months import days_or_full, explicit_days
from rent.engine.split import resolve_config
from rent.errors import RentError
from rent.formatting import decimal_text
from rent.ledger.inputs import month_breakdown
from rent.models import CalculationStatus, RentCalculation, RentLedger


class FinalizeError(RentError):
    """The month cannot be saved as it stands; the code says why and what to do."""


class ProjectedElectricityError(FinalizeError):
    """The month's electricity is an estimate; saving it needs an explicit force."""


@dataclass(frozen=True)
class PaidChange:
    """Someone who has paid toward the month whose amount a new version would change."""

    name: str
    paid: Decimal
    old_amount: Decimal
    new_amount: Decimal

    @property
    def difference(self) -> Decimal:
        """What they would owe (+) or have to their credit (−) for the month afterwards."""
        return self.new_amount - self.paid


class PaidChangesError(FinalizeError):
    """A new version changes the amount of someone who has paid: it must be confirmed."""

    def __init__(self, changes: list[PaidChange]):
        self.changes = changes
        super().__init__("paid_amounts_change", names=", ".join(change.name for change in changes))


@dataclass
class FinalizeResult:
    calculation: RentCalculation  # the month's current calculation after saving
    previous: RentCalculation | None  # the calculation it superseded, if any
    breakdown: MonthBreakdown
    unchanged: bool = False  # same inputs and results as the current version: nothing new
    # name → (old kronor or None, new kronor or None), against the previous version
    changes: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    ledger_created: list[str] = field(default_factory=list)
    ledger_updated: list[str] = field(default_factory=list)
    ledger_removed: list[str] = field(default_factory=list)
    # rows for someone no longer in the split, kept because something was paid
    ledger_kept_paid: list[str] = field(default_factory=list)


def finalize_month(
    *,
    config_month: date,
    title: str = "",
    saved_by=None,
    overrides: Mapping[str, Mapping] | None = None,
    force: bool = False,
    confirm_paid: bool = False,
) -> FinalizeResult:
    """Save C's split as a new current version and make R's ledger rows match it.

    Atomic: the month's tenants, calculations and R's ledger rows are locked while it runs.
    Safe to run twice: with the same inputs and results as the current version nothing new
    is stored.
    Refuses a month whose electricity is projected unless `force`, and a new version that
    changes the amount of anyone who has already paid toward the month unless `confirm_paid`
    (`PaidChangesError` lists them: paid, new amount, difference).
    """
    with transaction.atomic():
        # Locks the month's tenants first: a second save of the same month waits here, then
        # reads the calculations the first one committed (and finds itself unchanged).
        breakdown = month_breakdown(config_month, overrides=overrides, lock=True)
        calculations = list(
            RentCalculation.objects.select_for_update()
            .filter(config_month=config_month)
            .order_by("-version")
        )
        current = next((c for c in calculations if c.status == CalculationStatus.CURRENT), None)
        if breakdown.config.is_projected("el") and not force:
            source = breakdown.config.sources["el"]
            raise ProjectedElectricityError(
                "electricity_projected",
                month=date_format(config_month, "F Y"),
                source=source.label,
                amount=decimal_text(breakdown.config.values["el"]),
            )
        negative = [name for name, amount in breakdown.split.rents.items() if amount < 0]
        if negative:
            raise FinalizeError("negative_rent", names=", ".join(negative))
        inputs, results = calculation_inputs(breakdown, overrides, force), breakdown.results()

        if (
            current is not None
            and current.results == results
            and same_inputs(current.inputs, inputs, breakdown.days_in_rent_month)
        ):
            result = FinalizeResult(
                calculation=current, previous=None, breakdown=breakdown, unchanged=True
            )
        else:
            paid_changes = changes_for_those_who_paid(breakdown, results)
            if paid_changes and not confirm_paid:
                raise PaidChangesError(paid_changes)
            if current is not None:
                current.status = CalculationStatus.SUPERSEDED
                current.save(update_fields=["status"])
            latest = max((c.version for c in calculations), default=0)
            calculation = RentCalculation.objects.create(
                config_month=config_month,
                version=latest + 1,
                title=title,
                calculated_at=timezone.now(),
                status=CalculationStatus.CURRENT,
                inputs=inputs,
                results=results,
                tenant_ids={resident.name: resident.tenant.pk for resident in breakdown.residents},
                source={"saved_by": username_of(saved_by)},
            )
            result = FinalizeResult(
                calculation=calculation,
                previous=current,
                breakdown=breakdown,
                changes=amount_changes(current.saved.amounts() if current else {}, results),
            )
        sync_ledger(result)
        return result


def changes_for_those_who_paid(breakdown: MonthBreakdown, results: Mapping[str, int]):
    """Per ledger row of R with something paid whose amount the new results would change."""
    changes = []
    rows = (
        RentLedger.objects.filter(rent_month=breakdown.rent_month, amount_paid__gt=0)
        .select_related("tenant")
        .order_by("tenant__name")
    )
    for row in rows:
        new = results.get(row.tenant.name)
        # Someone no longer in the split keeps their row as it is (see sync_ledger).
        if new is not None and Decimal(new) != row.amount_due:
            changes.append(
                PaidChange(row.tenant.name, row.amount_paid, row.amount_due, Decimal(new))
            )
    return changes


def calculation_inputs(
    breakdown: MonthBreakdown, overrides: Mapping[str, Mapping] | None, force: bool
) -> dict:
    """The history format, plus this month's overrides and any projected key saved by force.

    `roommate_order` records the roommates' order (it breaks ties), because PostgreSQL's
    jsonb does not keep the key order of the `roommates` object.
    """
    inputs = breakdown.inputs()
    inputs["roommate_order"] = list(breakdown.roommates)
    if overrides:
        inputs["overrides"] = {
            name: {key: breakdown_number(value) for key, value in override.items()}
            for name, override in overrides.items()
        }
    if breakdown.config.projected_keys:
        inputs["projected"] = breakdown.config.projected_keys
    return inputs


def same_inputs(stored: Mapping, new: Mapping, month_length: int) -> bool:
    """Whether two calculations' inputs mean the same split, however they were written.

    An imported history file writes `"days": 31` and float kronor where a save from the app
    leaves full-month days out; both mean the same, and saving again must not add a version.
    """
    normalized = normalized_inputs(new, month_length)
    return normalized is not None and normalized_inputs(stored, month_length) == normalized


def normalized_inputs(inputs: Mapping, month_length: int):
    """(config month, every cost as a Decimal, roommates, projected keys), or None."""
    try:
        constants = inputs.get("constants") or {}
        # A dict, not a list: PostgreSQL's jsonb does not keep key order (see
        # calculation_inputs). Equal results are required as well, so ties came out the same.
        roommates = {}
        for name, info in (inputs.get("roommates") or {}).items():
            info = info or {}
            adjustment = Decimal(str(info.get("room_adjustment") or 0))
            roommates[name] = (explicit_days(info.get("days"), month_length), adjustment)
        return (
            constants.get("year"),
            constants.get("month"),
            resolve_config(constants),
            roommates,
            list(inputs.get("projected") or []),
        )
    except (AttributeError, TypeError, ArithmeticError, ValueError):
        return None


def breakdown_number(value):
    return None if value is None else json_number(Decimal(str(value)))


def username_of(saved_by) -> str | None:
    if saved_by is None:
        return None
    if hasattr(saved_by, "get_username"):
        return saved_by.get_username()
    return str(saved_by)


def amount_changes(
    old: Mapping[str, int], new: Mapping[str, int]
) -> dict[str, tuple[int | None, int | None]]:
    """Per person whose amount differs: (old, new); None where they were not in that version."""
    names = list(new) + [name for name in old if name not in new]
    return {
        name: (old.get(name), new.get(name)) for name in names if old.get(name) != new.get(name)
    }


def sync_ledger(result: FinalizeResult) -> None:
    """Make R's ledger rows match the calculation. `amount_paid` is never touched here: when
    a row is written, the data version is bumped first and each tenant whose row changed is
    allocated again afterwards (rent.ledger.payments), in the caller's transaction.

    Rows are saved one by one (a handful per month) so the change history records each.
    """
    from rent.ledger.payments import reallocate_all
    from rent.versioning import bump_data_version

    breakdown = result.breakdown
    rent_month = breakdown.rent_month
    month_length = breakdown.days_in_rent_month
    rows = {
        row.tenant_id: row
        for row in RentLedger.objects.select_for_update()
        .filter(rent_month=rent_month)
        .select_related("tenant")
    }
    shares = {share.name: share for share in breakdown.split.roommates}
    create, update = [], []
    for resident in breakdown.residents:
        share = shares[resident.name]
        wanted = {
            "amount_due": Decimal(share.amount),
            "days_stayed": days_or_full(resident.days, month_length),
            "room_adjustment": resident.room_adjustment,
            "calculation_id": result.calculation.pk,
        }
        row = rows.pop(resident.tenant.pk, None)
        if row is None:
            create.append(RentLedger(tenant=resident.tenant, rent_month=rent_month, **wanted))
            result.ledger_created.append(resident.name)
        elif any(getattr(row, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(row, name, value)
            update.append(row)
            result.ledger_updated.append(resident.name)
    remove = []
    for row in sorted(rows.values(), key=lambda row: row.tenant.name.casefold()):
        if row.amount_paid > 0:
            result.ledger_kept_paid.append(row.tenant.name)
        else:
            remove.append(row)
            result.ledger_removed.append(row.tenant.name)
    if not (create or update or remove):
        return
    bump_data_version()
    for row in create + update:
        row.save()
    for row in remove:
        row.delete()
    reallocate_all(row.tenant_id for row in create + update + remove)
