"""Calculations: each history file against the saved version of its month, and one current
calculation per month."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from rent.engine.occupancy import stayed_days
from rent.importing.plan.common import kept, reconcile
from rent.importing.readers import CalculationKey, HistoryRecord, content_key
from rent.importing.report import ImportReport
from rent.models import CalculationStatus, RentCalculation

CURRENT, SUPERSEDED, NEEDS_REVIEW = (
    CalculationStatus.CURRENT,
    CalculationStatus.SUPERSEDED,
    CalculationStatus.NEEDS_REVIEW,
)


@dataclass
class Calculations:
    """Every calculation of the files' months, and which file each one was matched with."""

    by_key: dict[CalculationKey, RentCalculation]  # new or existing
    record_of: dict[CalculationKey, HistoryRecord] = field(default_factory=dict)
    outcome: dict[CalculationKey, str] = field(default_factory=dict)  # a TableCount field
    current_records: list[HistoryRecord] = field(default_factory=list)  # current after import


def _key(calculation: RentCalculation) -> CalculationKey:
    return CalculationKey(calculation.config_month, calculation.version)


def plan_calculations(plan, bundle, tenants, overwrite) -> Calculations:
    records = bundle.histories
    calculations = Calculations(by_key=_saved_calculations(bundle))
    existing = dict(calculations.by_key)
    for record in records:
        key = CalculationKey(record.config_month, record.version)
        calculation = existing.get(key)
        if calculation is None:
            calculation = _new_calculation(plan, record)
            calculations.by_key[key] = calculation
            calculations.outcome[key] = "created"
        else:
            calculations.outcome[key] = _match_saved(plan, calculation, record, overwrite)
        calculations.record_of[key] = record
    for month in sorted({r.config_month for r in records}):
        _settle_statuses(plan, calculations, month)
    # A file written by export_rent restores a calculation; its ledger and config rows come
    # from the export file beside it, never re-derived.
    calculations.current_records = [
        r for r in calculations.current_records if r.period_source != "metadata"
    ]
    count = plan.report.tables["rent_calculations"]
    for kind in calculations.outcome.values():
        count.add(kind)
    _count_result_lines(plan.report, records, calculations.current_records)
    for record in records:
        for name in record.results:
            _warn_if_not_living_here(plan, tenants.for_history(name, record), record, name)
    return calculations


def _saved_calculations(bundle) -> dict[CalculationKey, RentCalculation]:
    """The saved calculations of the months the files name: one query."""
    months = {r.config_month for r in bundle.histories}
    months |= {
        row.calculation.config_month for e in bundle.exports for row in e.ledger if row.calculation
    }
    if not months:
        return {}
    return {
        _key(c): c
        for c in RentCalculation.objects.filter(
            config_month__gte=min(months), config_month__lte=max(months)
        )
    }


def _calculation_values(record: HistoryRecord) -> dict:
    return {
        "title": record.title,
        "calculated_at": record.calculated_at,
        "inputs": record.inputs,
        "results": record.results,
    }


def _new_calculation(plan, record: HistoryRecord) -> RentCalculation:
    calculation = RentCalculation(
        config_month=record.config_month,
        version=record.version,
        source=record.source or {"file": record.file, "sha256": record.sha256},
        **_calculation_values(record),
    )
    if record.created_at:
        plan.timestamps.append((calculation, {"created_at": record.created_at}))
    plan.calculations.create.append(calculation)
    return calculation


def _match_saved(plan, calculation: RentCalculation, record: HistoryRecord, overwrite) -> str:
    """A saved calculation against its file: the outcome, and the change planned if any."""
    label = f"calculation {calculation.config_month:%Y-%m} v{calculation.version}"
    if content_key(_stored_record(calculation)) == content_key(record):
        return "unchanged"
    if _adds_only_the_order(calculation, record):
        calculation.inputs = record.inputs
        plan.calculations.mark(calculation, "inputs")
        plan.report.notes.append(f"{label}: recorded the roommates' order from {record.file}")
        return "updated"
    # Saved in the app (finalize): history is superseded, never rewritten by a file.
    saved_in_the_app = "file" not in (calculation.source or {})
    outcome = reconcile(differing=True, made_elsewhere=saved_in_the_app, overwrite=overwrite)
    if outcome == "skipped":
        plan.report.skipped.append(
            kept(
                label,
                f"saved in the app; {record.file} holds a different version {calculation.version}",
            )
        )
    elif outcome == "updated":
        values = _calculation_values(record)
        for name, value in values.items():
            setattr(calculation, name, value)
        plan.calculations.mark(calculation, *values)
    else:
        plan.report.conflicts.append(f"{label}: the database's differs from {record.file}")
    return outcome


def _wanted_status(calculation: RentCalculation, record: HistoryRecord | None) -> str | None:
    """The status the files ask for, if any: an explicit one, or needs-review for a guess."""
    if record is None:  # only in the database: it keeps its status
        return calculation.status
    if record.status:
        return record.status
    return NEEDS_REVIEW if record.period_guessed else None


def _settle_statuses(plan, calculations: Calculations, month) -> None:
    """One current calculation per month: the one a file marks current, else the highest
    version not marked superseded or needs-review. A saved current one that loses is demoted."""
    here = [c for key, c in calculations.by_key.items() if key.config_month == month]
    wanted = {c.version: _wanted_status(c, calculations.record_of.get(_key(c))) for c in here}
    explicit = [
        c for c in here if _key(c) in calculations.record_of and wanted[c.version] == CURRENT
    ]
    candidates = [c for c in here if wanted[c.version] not in (NEEDS_REVIEW, SUPERSEDED)]
    winner = explicit[0] if explicit else max(candidates, key=lambda c: c.version, default=None)
    for calculation in here:
        if calculation is winner:
            status = CURRENT
        else:
            status = NEEDS_REVIEW if wanted[calculation.version] == NEEDS_REVIEW else SUPERSEDED
        _set_status(plan, calculations, calculation, status)
    if winner is not None and _key(winner) in calculations.record_of:
        calculations.current_records.append(calculations.record_of[_key(winner)])


def _set_status(plan, calculations: Calculations, calculation, status: str) -> None:
    if calculation.pk is None:
        calculation.status = status
        return
    if calculation.status == status:
        return
    if calculation.status == CURRENT:
        plan.demoted.append(calculation)
    plan.report.notes.append(
        f"calculation {calculation.config_month:%Y-%m} v{calculation.version}: "
        f"{calculation.status} → {status}"
    )
    calculation.status = status
    plan.calculations.mark(calculation, "status")
    if calculations.outcome.get(_key(calculation), "unchanged") == "unchanged":
        calculations.outcome[_key(calculation)] = "updated"


def _count_result_lines(report: ImportReport, records, current_records) -> None:
    report.result_lines = sum(len(r.results) for r in records)
    report.current_calculations = len(current_records)
    report.ledger_lines = sum(len(r.results) for r in current_records)
    report.other_lines = report.result_lines - report.ledger_lines


def _adds_only_the_order(calculation: RentCalculation, record: HistoryRecord) -> bool:
    """Imported before `roommate_order` was recorded, and otherwise the same as the file.

    Such a calculation gets the file's order (on PostgreSQL its stored roommates lost it).
    """
    if "roommate_order" in (calculation.inputs or {}) or "roommate_order" not in record.inputs:
        return False
    inputs = {key: value for key, value in record.inputs.items() if key != "roommate_order"}
    return content_key(_stored_record(calculation)) == content_key(replace(record, inputs=inputs))


def _stored_record(calculation: RentCalculation):
    return HistoryRecord(
        file="",
        sha256="",
        version=calculation.version,
        title=calculation.title,
        calculated_at=calculation.calculated_at,
        inputs=calculation.inputs,
        results=calculation.results,
        amounts={},
        roommates={},
        constants={},
        config_month=calculation.config_month,
        period_source="",
    )


def _warn_if_not_living_here(plan, tenant, record, name) -> None:
    if tenant.start_date is None and tenant.departure_date is None:
        return
    if stayed_days(tenant.start_date, tenant.departure_date, record.rent_month) == 0:
        plan.report.warnings.append(
            f"{record.file}: {name} is charged for {record.rent_month:%Y-%m}, but by the "
            f"tenant's dates ({tenant.start_date or '…'} to {tenant.departure_date or '…'}) "
            "did not live here that month"
        )
