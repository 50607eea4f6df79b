"""Ledger rows: the current calculations' amounts, replaced by an export's rows where it has
them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Sum

from rent.engine.money import ZERO
from rent.engine.months import add_months, due_date
from rent.importing.plan.common import Wish, kept, reconcile, show
from rent.importing.readers import CalculationKey, Problem
from rent.models import Payment, PaymentSource, RentLedger, Tenant

# The files' paid amount is compared with the payments named to that month (the row's own
# amount_paid is derived from payments); its date becomes the payment's.
LEDGER_FIELDS = (
    "amount_due",
    "amount_paid",
    "days_stayed",
    "room_adjustment",
    "calculation",
)


def plan_ledger(plan, bundle, tenants, calculations, overwrite) -> None:
    """`bundle`'s exports with their own payments carry them; their rows' paid amounts are
    then only derived and not read again."""
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
            if export.payments is not None:
                desired[(row.tenant_name.casefold(), row.rent_month)].values["amount_paid"] = None
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
    named_paid, paid_in_app = _named_payments(months)
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
        paid, paid_on = values["amount_paid"], values["paid_on"]
        if paid:
            paid_on = paid_on or due_date(add_months(month, -1))
        values = {**values, "amount_paid": ZERO, "paid_on": None}
        if row is None:
            new = RentLedger(tenant=tenant, rent_month=month, **values)
            if paid:
                plan.paid.append((new, paid, paid_on))
                # As the payment will allocate it (saves rewriting every row after).
                new.amount_paid, new.paid_on = min(paid, values["amount_due"]), paid_on
            plan.ledger.create.append(new)
            count.created += 1
            if any(wish.stamps.values()):
                plan.timestamps.append((new, wish.stamps))
            continue
        recorded = named_paid.get((row.tenant_id, month), ZERO)
        now = {
            **{name: getattr(row, name) for name in LEDGER_FIELDS},
            "calculation": row.calculation,
            "amount_paid": recorded,
        }
        wished = {**values, "amount_paid": recorded if paid is None else paid}
        differing = [name for name in LEDGER_FIELDS if now[name] != wished[name]]
        made_by_import = row.calculation is not None and "file" in (row.calculation.source or {})
        # A payment recorded in the app for the month: no longer as imported.
        as_imported = (
            made_by_import
            and (row.tenant_id, month) not in paid_in_app
            and _as_imported(row, tenant)
        )
        outcome = reconcile(
            differing=bool(differing),
            made_elsewhere=not made_by_import or held == "skipped",
            # A row still as imported (paid as charged, no date) follows its calculation,
            # unless that calculation keeps the database's version.
            overwrite=overwrite or (made_by_import and not held and as_imported),
        )
        count.add(outcome)
        if outcome == "unchanged":
            continue
        differences = ", ".join(
            f"{name} is {show(now[name])} in the database, {show(wished[name])} in {wish.where}"
            for name in differing
        )
        if held and made_by_import:
            differences += f"; {_why_kept(calculation, held)}"
        if outcome == "skipped":
            plan.report.skipped.append(kept(label, differences))
        elif outcome == "updated":
            if "amount_paid" in differing:
                plan.paid.append((row, paid, paid_on))
            fields = [name for name in differing if name != "amount_paid"]
            for name in fields:
                setattr(row, name, values[name])
            if fields:
                plan.ledger.mark(row, *fields)
        else:
            plan.report.conflicts.append(f"{label}: {differences}")


def _named_payments(months) -> tuple[dict, set]:
    """(tenant id, month) → the payments named to that month, in all; and those months
    that have a payment recorded in the app (not by an import), which an import keeps."""
    totals, in_app = {}, set()
    for tenant_id, month, source, total in (
        Payment.objects.filter(for_month__gte=min(months), for_month__lte=max(months))
        .order_by()
        .values_list("tenant_id", "for_month", "source")
        .annotate(total=Sum("amount"))
    ):
        total = (totals.get((tenant_id, month), ZERO) + total).quantize(Decimal("0.01"))
        totals[(tenant_id, month)] = total
        if source != PaymentSource.IMPORT:
            in_app.add((tenant_id, month))
    return totals, in_app


def _as_imported(row: RentLedger, tenant: Tenant) -> bool:
    """Paid as charged by the import's own payment (and nothing recorded in the app)."""
    charged = row.calculation.results.get(tenant.name)
    return charged is not None and Decimal(str(charged)) == row.amount_due == row.amount_paid
