"""Ledger rows: the current calculations' amounts, replaced by an export's rows where it has
them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rent.importing.plan.common import Wish, kept, reconcile, show
from rent.importing.readers import CalculationKey, Problem
from rent.models import RentLedger, Tenant

LEDGER_FIELDS = (
    "amount_due",
    "amount_paid",
    "paid_on",
    "days_stayed",
    "room_adjustment",
    "calculation",
)


def plan_ledger(plan, bundle, tenants, calculations, overwrite) -> None:
    desired: dict[tuple[str, date], Wish] = {}  # (tenant's name casefolded, rent month)
    for record in calculations.current_records:
        calculation = calculations.by_key[CalculationKey(record.config_month, record.version)]
        for name, amount in record.amounts.items():
            tenant = tenants.find(name)
            roommate = record.roommates[name]
            desired[(tenant.name.casefold(), record.rent_month)] = Wish(
                tenant=tenant,
                values={
                    "amount_due": amount,
                    "amount_paid": amount,
                    "paid_on": None,
                    "days_stayed": roommate.days,
                    "room_adjustment": roommate.room_adjustment,
                    "calculation": calculation,
                },
                where=record.file,
            )
    for export in bundle.exports:
        for row in export.ledger:
            _ledger_from_export(plan, export, row, tenants, calculations, desired)
    if desired:
        _reconcile_ledger(plan, desired, _kept_versions(calculations), overwrite)


def _kept_versions(calculations) -> dict[CalculationKey, str]:
    """The calculations whose file's version is not taken: "conflicts" (the database's differs,
    no --overwrite) or "skipped" (saved in the app). A ledger row follows the calculation that is
    kept, so the file's amounts for these neither change nor create a row."""
    return {
        key: outcome
        for key, outcome in calculations.outcome.items()
        if outcome in ("conflicts", "skipped")
    }


def _why_kept(calculation, outcome: str) -> str:
    label = f"calculation {calculation.config_month:%Y-%m} v{calculation.version}"
    if outcome == "conflicts":
        return f"{label} keeps the database's version (--overwrite replaces both)"
    return f"{label} was saved in the app and is kept"


def _ledger_from_export(plan, export, row, tenants, calculations, desired) -> None:
    """An export's ledger row replaces what a calculation says of that tenant's month."""
    tenant = tenants.find(row.tenant_name, row.tenant_legacy_id)
    where = f"{export.file}: {row.where}"
    if tenant is None:
        plan.problems.append(
            Problem(export.file, row.where, "names a tenant that is in no file or table")
        )
        return
    calculation = None
    if row.calculation:
        calculation = calculations.by_key.get(row.calculation)
        if calculation is None:
            plan.problems.append(
                Problem(
                    export.file,
                    f"{row.where}.calculation",
                    f"no calculation {row.calculation.config_month:%Y-%m} "
                    f"v{row.calculation.version}",
                )
            )
            return
    key = (tenant.name.casefold(), row.rent_month)
    base = desired.get(key)
    if base and base.values["amount_due"] != row.amount_due:
        plan.report.warnings.append(
            f"{where}: amount due {row.amount_due} differs from the current "
            f"calculation's {base.values['amount_due']} ({base.where}); the export's is used"
        )
    paid = row.amount_paid
    if paid is None:
        paid = base.values["amount_paid"] if base else Decimal(0)
    desired[key] = Wish(
        tenant=tenant,
        values={
            "amount_due": row.amount_due,
            "amount_paid": paid,
            "paid_on": row.paid_on,
            "days_stayed": row.days_stayed,
            "room_adjustment": row.room_adjustment,
            "calculation": calculation,
        },
        where=where,
        stamps={"created_at": row.created_at, "updated_at": row.updated_at},
    )


def _reconcile_ledger(plan, desired: dict, kept_versions: dict, overwrite: bool) -> None:
    count = plan.report.tables["rent_ledger"]
    months = {month for _, month in desired}
    existing = {
        (row.tenant_id, row.rent_month): row
        for row in RentLedger.objects.filter(
            rent_month__gte=min(months), rent_month__lte=max(months)
        ).select_related("calculation")
    }
    for (_, month), wish in desired.items():
        tenant, values = wish.tenant, wish.values
        row = existing.get((tenant.pk, month)) if tenant.pk else None
        label = f"ledger {month:%Y-%m} {tenant.name}"
        calculation = values["calculation"]
        held = calculation and kept_versions.get(
            CalculationKey(calculation.config_month, calculation.version)
        )
        if row is None and held:
            count.add(held)
            (plan.report.conflicts if held == "conflicts" else plan.report.skipped).append(
                f"{label}: not in the database, {values['amount_due']} due in {wish.where}; "
                f"not created: {_why_kept(calculation, held)}"
            )
            continue
        if row is None:
            new = RentLedger(tenant=tenant, rent_month=month, **values)
            plan.ledger.create.append(new)
            count.created += 1
            if any(wish.stamps.values()):
                plan.timestamps.append((new, wish.stamps))
            continue
        differing = [
            name
            for name in LEDGER_FIELDS
            if (row.calculation if name == "calculation" else getattr(row, name)) != values[name]
        ]
        made_by_import = row.calculation is not None and "file" in (row.calculation.source or {})
        outcome = reconcile(
            differing=bool(differing),
            made_elsewhere=not made_by_import or held == "skipped",
            # A row still as imported (paid as charged, no date) follows its calculation,
            # unless that calculation keeps the database's version.
            overwrite=overwrite or (made_by_import and not held and _as_imported(row, tenant)),
        )
        count.add(outcome)
        if outcome == "unchanged":
            continue
        differences = ", ".join(
            f"{name} is {show(getattr(row, name))} in the database, "
            f"{show(values[name])} in {wish.where}"
            for name in differing
        )
        if held and made_by_import:
            differences += f"; {_why_kept(calculation, held)}"
        if outcome == "skipped":
            plan.report.skipped.append(kept(label, differences))
        elif outcome == "updated":
            for name in differing:
                setattr(row, name, values[name])
            plan.ledger.mark(row, *differing)
        else:
            plan.report.conflicts.append(f"{label}: {differences}")


def _as_imported(row: RentLedger, tenant: Tenant) -> bool:
    charged = row.calculation.results.get(tenant.name)
    return (
        charged is not None
        and Decimal(str(charged)) == row.amount_due == row.amount_paid
        and row.paid_on is None
    )
