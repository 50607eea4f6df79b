"""Compare what the files say with what the database holds, and decide every change.

The database is read in a fixed handful of queries, whatever the number of files; nothing is
written here. Values someone changed in the app are kept and reported as conflicts (unless
overwrite), rows the app made are never touched, and nothing is ever deleted.

Who made a row: the importer writes every row with the history reason `CHANGE_REASON`, so a row
whose creation record ("+") has another reason, or that has no creation record at all, was made
elsewhere (the admin, the app, a fixture) and the files never change it, even with overwrite.
This is asked of the history once per table, only for the rows the files disagree with.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from rent.importing.readers import Bundle, CalculationKey, HistoryRecord, Problem, content_key
from rent.importing.report import ImportReport
from rent.models import (
    CalculationStatus,
    CoOwnedItem,
    RentCalculation,
    RentConfig,
    RentLedger,
    Tenant,
)
from rent.occupancy import stayed_days

# The history reason of every row the importer creates or changes (writer.py records it).
CHANGE_REASON = "import_rent"

CURRENT, SUPERSEDED, NEEDS_REVIEW = (
    CalculationStatus.CURRENT,
    CalculationStatus.SUPERSEDED,
    CalculationStatus.NEEDS_REVIEW,
)
TENANT_FIELDS = ("name", "email", "start_date", "departure_date", "room_adjustment", "legacy_id")
LEDGER_FIELDS = (
    "amount_due",
    "amount_paid",
    "paid_on",
    "days_stayed",
    "room_adjustment",
    "calculation",
)


@dataclass
class Changes:
    """Rows to create, and rows to update with the fields that change."""

    create: list = field(default_factory=list)
    update: dict = field(default_factory=dict)  # saved row's pk -> (obj, set of field names)

    def mark(self, obj, *names):
        self.update.setdefault(obj.pk, (obj, set()))[1].update(names)

    @property
    def updates(self):
        return list(self.update.values())


@dataclass
class Plan:
    report: ImportReport
    problems: list[Problem] = field(default_factory=list)
    tenants: Changes = field(default_factory=Changes)
    calculations: Changes = field(default_factory=Changes)
    demoted: list = field(default_factory=list)  # current -> superseded, written first
    ledger: Changes = field(default_factory=Changes)
    configs: Changes = field(default_factory=Changes)
    items: Changes = field(default_factory=Changes)
    item_owners: list = field(default_factory=list)  # (item, tenant) pairs to add
    timestamps: list = field(default_factory=list)  # (obj, {field: datetime}) kept from the file


def _blank(value) -> bool:
    return value in (None, "") or (isinstance(value, Decimal) and value == 0)


def _made_elsewhere(model, rows) -> set[int]:
    """The primary keys of `rows` (saved rows) that the importer did not create.

    One query of the model's history, whatever the number of rows (none when `rows` is empty).
    A row counts as the importer's only when its creation record carries `CHANGE_REASON`; the
    importer has written history since its first version, so a row without a creation record
    (made by a bulk insert, loaddata or SQL, or before the history existed) is not its, and is
    kept: when in doubt, no data is lost. If a primary key was ever reused, its latest creation
    record decides.
    """
    pks = {row.pk for row in rows}
    if not pks:
        return set()
    reason_of = {}
    for pk, reason in (
        model.history.filter(id__in=pks, history_type="+")
        .order_by("history_date", "history_id")
        .values_list("id", "history_change_reason")
    ):
        reason_of[pk] = reason
    return {pk for pk in pks if reason_of.get(pk) != CHANGE_REASON}


def _kept(label: str, differences: str) -> str:
    """A line of the report's Skipped: a row the files disagree with, made outside the importer."""
    return f"{label}: made in the app, kept ({differences})"


def reconcile(*, differing: bool, made_elsewhere: bool, overwrite: bool) -> str:
    """The one ladder every table follows for a row the database already holds: equal →
    unchanged; made in the app → skipped (kept, even with overwrite); overwrite → updated;
    else a conflict (the database's value is kept). Returns the report's column."""
    if not differing:
        return "unchanged"
    if made_elsewhere:
        return "skipped"
    return "updated" if overwrite else "conflicts"


def plan_import(bundle: Bundle, *, overwrite: bool = False, dry_run: bool = False) -> Plan:
    report = ImportReport(
        history_files=len(bundle.histories),
        export_files=len(bundle.exports),
        override_files=len(bundle.override_files),
        dry_run=dry_run,
    )
    report.warnings.extend(bundle.warnings)
    plan = Plan(report=report)
    tenants = _TenantIndex(plan, overwrite)
    tenants.apply_exports(bundle)
    calculations = _plan_calculations(plan, bundle, tenants, overwrite)
    _plan_ledger(plan, bundle, tenants, calculations, overwrite)
    _plan_configs(plan, bundle, calculations, overwrite)
    _plan_items(plan, bundle, tenants, overwrite)
    return plan


class _TenantIndex:
    """Tenants matched by legacy id, then by exact name ignoring case; never by prefix."""

    def __init__(self, plan: Plan, overwrite: bool):
        self.plan, self.overwrite = plan, overwrite
        self.count = plan.report.tables["tenants"]
        self.all = list(Tenant.objects.all())
        self.by_legacy = {t.legacy_id: t for t in self.all if t.legacy_id}
        self.by_name = {t.name.casefold(): t for t in self.all}
        self.touched: set[int] = set()  # pks of the saved tenants already compared

    def find(self, name: str = "", legacy_id: str = ""):
        return (self.by_legacy.get(legacy_id) if legacy_id else None) or self.by_name.get(
            name.casefold()
        )

    def _add(self, tenant: Tenant) -> Tenant:
        self.plan.tenants.create.append(tenant)
        self.count.created += 1
        self.by_name[tenant.name.casefold()] = tenant
        if tenant.legacy_id:
            self.by_legacy[tenant.legacy_id] = tenant
        return tenant

    def apply_exports(self, bundle: Bundle) -> None:
        compared = []  # (tenant, the file's values, where) of the saved tenants the files name
        for export in bundle.exports:
            for record in export.tenants:
                values = {
                    "name": record.name,
                    "email": record.email,
                    "start_date": record.start_date,
                    "departure_date": record.departure_date,
                    "room_adjustment": record.room_adjustment,
                    "legacy_id": record.legacy_id,
                }
                tenant = self.find(record.name, record.legacy_id)
                if tenant is None:
                    tenant = self._add(Tenant(**values))
                    stamps = {"created_at": record.created_at, "updated_at": record.updated_at}
                    if any(stamps.values()):
                        self.plan.timestamps.append((tenant, stamps))
                    continue
                if tenant.pk is None or tenant.pk in self.touched:
                    continue
                self.touched.add(tenant.pk)
                compared.append((tenant, values, f"{export.file}: {record.where}"))
        differences = [(t, v, w, _tenant_differences(t, v)) for t, v, w in compared]
        made_elsewhere = _made_elsewhere(Tenant, [t for t, _, _, (_, d) in differences if d])
        for tenant, values, where, (filled, differing) in differences:
            if differing and tenant.pk in made_elsewhere:
                self.count.skipped += 1
                self.plan.report.skipped.append(
                    _kept(f"tenant {tenant.name}", _tenant_conflict(differing, where))
                )
                continue
            self._apply(tenant, values, where, filled, differing)

    def _apply(self, tenant: Tenant, values: dict, where: str, filled, differing) -> None:
        if differing and not self.overwrite:
            self.count.conflicts += 1
            for difference in differing:
                self.plan.report.conflicts.append(
                    f"tenant {tenant.name}: {_tenant_conflict([difference], where)}"
                )
        changed = filled + ([name for name, *_ in differing] if self.overwrite else [])
        if changed:
            for name in changed:
                setattr(tenant, name, values[name])
            self.plan.tenants.mark(tenant, *changed)
            self.count.updated += 1
        elif not differing:
            self.count.unchanged += 1

    def for_history(self, name: str, record: HistoryRecord) -> Tenant:
        tenant = self.find(name)
        if tenant is None:
            tenant = self._add(Tenant(name=name))
            self.plan.report.notes.append(
                f"created tenant {name} (name only): named in {record.file}, matches no tenant"
            )
        elif tenant.pk is not None and tenant.pk not in self.touched:
            self.touched.add(tenant.pk)
            self.count.unchanged += 1
        return tenant


def _tenant_differences(tenant: Tenant, values: dict) -> tuple[list, list]:
    """The fields the files fill in (empty in the database), and those that differ."""
    filled, differing = [], []
    for name, value in values.items():
        current = getattr(tenant, name)
        if current == value:
            continue
        if _blank(current):
            filled.append(name)
        elif not _blank(value) or name not in ("email", "legacy_id"):
            differing.append((name, current, value))
    return filled, differing


def _tenant_conflict(differing: list, where: str) -> str:
    return "; ".join(
        f"{name} is {_show(current)} in the database, {_show(value)} in {where}"
        for name, current, value in differing
    )


def _show(value) -> str:
    return "empty" if _blank(value) and value != 0 else str(value)


# -- calculations ---------------------------------------------------------------------------


@dataclass
class _Calculations:
    """Every calculation of the files' months, and which file each one was matched with."""

    by_key: dict[CalculationKey, RentCalculation]  # new or existing
    record_of: dict[CalculationKey, HistoryRecord] = field(default_factory=dict)
    outcome: dict[CalculationKey, str] = field(default_factory=dict)  # a TableCount field
    current_records: list[HistoryRecord] = field(default_factory=list)  # current after import


def _key(calculation: RentCalculation) -> CalculationKey:
    return CalculationKey(calculation.config_month, calculation.version)


def _plan_calculations(plan, bundle, tenants, overwrite) -> _Calculations:
    records = bundle.histories
    calculations = _Calculations(by_key=_saved_calculations(bundle))
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
            _kept(
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


def _settle_statuses(plan, calculations: _Calculations, month) -> None:
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


def _set_status(plan, calculations: _Calculations, calculation, status: str) -> None:
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


# -- ledger ------------------------------------------------------------------------------------


@dataclass
class _Wish:
    """What the files say one row should hold, where they say it, and the row's own times."""

    values: dict
    where: str
    stamps: dict = field(default_factory=dict)
    tenant: Tenant | None = None  # a ledger row's


def _plan_ledger(plan, bundle, tenants, calculations, overwrite) -> None:
    desired: dict[tuple[str, date], _Wish] = {}  # (tenant's name casefolded, rent month)
    for record in calculations.current_records:
        calculation = calculations.by_key[CalculationKey(record.config_month, record.version)]
        for name, amount in record.amounts.items():
            tenant = tenants.find(name)
            roommate = record.roommates[name]
            desired[(tenant.name.casefold(), record.rent_month)] = _Wish(
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
        _reconcile_ledger(plan, desired, overwrite)


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
    desired[key] = _Wish(
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


def _reconcile_ledger(plan, desired: dict, overwrite: bool) -> None:
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
            made_elsewhere=not made_by_import,
            # A row still as imported (paid as charged, no date) follows its calculation.
            overwrite=overwrite or (made_by_import and _as_imported(row, tenant)),
        )
        count.add(outcome)
        if outcome == "unchanged":
            continue
        label = f"ledger {month:%Y-%m} {tenant.name}"
        differences = ", ".join(
            f"{name} is {_show(getattr(row, name))} in the database, "
            f"{_show(values[name])} in {wish.where}"
            for name in differing
        )
        if outcome == "skipped":
            plan.report.skipped.append(_kept(label, differences))
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


def _warn_if_not_living_here(plan, tenant, record, name) -> None:
    if tenant.start_date is None and tenant.departure_date is None:
        return
    if stayed_days(tenant.start_date, tenant.departure_date, record.rent_month) == 0:
        plan.report.warnings.append(
            f"{record.file}: {name} is charged for {record.rent_month:%Y-%m}, but by the "
            f"tenant's dates ({tenant.start_date or '…'} to {tenant.departure_date or '…'}) "
            "did not live here that month"
        )


# -- config rows -------------------------------------------------------------------------------


def _plan_configs(plan, bundle, calculations, overwrite) -> None:
    desired: dict[tuple[str, date], _Wish] = {}  # (key, period)
    for export in bundle.exports:
        for row in export.configs:
            desired[(row.key, row.period)] = _Wish(
                values={"value": row.value},
                where=f"{export.file}: {row.where}",
                stamps={"created_at": row.created_at, "updated_at": row.updated_at},
            )
    for record in calculations.current_records:
        for key, value in record.constants.items():
            given = desired.get((key, record.config_month))
            if given is None:
                desired[(key, record.config_month)] = _Wish(
                    values={"value": value}, where=f"{record.file}: constants"
                )
            elif given.values["value"] != value:
                plan.report.warnings.append(
                    f"{record.file}: constants.{key} is {value}, the export has "
                    f"{given.values['value']} for {record.config_month:%Y-%m} ({given.where}); "
                    "the export's is used"
                )
    if desired:
        _reconcile_configs(plan, desired, overwrite)


def _reconcile_configs(plan, desired: dict, overwrite: bool) -> None:
    count = plan.report.tables["rent_configs"]
    periods = {period for _, period in desired}
    existing = {
        (row.key, row.period): row
        for row in RentConfig.objects.filter(period__gte=min(periods), period__lte=max(periods))
    }
    made_elsewhere = _made_elsewhere(
        RentConfig,
        [
            existing[k]
            for k, wish in desired.items()
            if k in existing and existing[k].value != wish.values["value"]
        ],
    )
    for (key, period), wish in sorted(desired.items(), key=lambda i: i[0][1]):
        value, row = wish.values["value"], existing.get((key, period))
        if row is None:
            new = RentConfig(key=key, period=period, value=value)
            plan.configs.create.append(new)
            count.created += 1
            if any(wish.stamps.values()):
                plan.timestamps.append((new, wish.stamps))
            continue
        outcome = reconcile(
            differing=row.value != value,
            made_elsewhere=row.pk in made_elsewhere,
            overwrite=overwrite,
        )
        count.add(outcome)
        label = f"config {key} {period:%Y-%m}"
        differences = f"{row.value} in the database, {value} in {wish.where}"
        if outcome == "skipped":
            plan.report.skipped.append(_kept(label, differences))
        elif outcome == "updated":
            row.value = value
            plan.configs.mark(row, "value")
        elif outcome == "conflicts":
            plan.report.conflicts.append(f"{label}: {differences}")


# -- co-owned items -----------------------------------------------------------------------------


def _plan_items(plan, bundle, tenants, overwrite) -> None:
    records = [(export, item) for export in bundle.exports for item in export.items]
    if not records:
        return
    count = plan.report.tables["co_owned_items"]
    existing = {
        item.name.casefold(): item for item in CoOwnedItem.objects.prefetch_related("owners")
    }
    compared = []  # (export, record, item, the file's values, owners) of saved items
    for export, record in records:
        owners = []
        for index, name in enumerate(record.owners):
            tenant = tenants.find(name)
            if tenant is None:
                plan.problems.append(
                    Problem(export.file, f"{record.where}.owners[{index}]", f"no tenant {name}")
                )
            else:
                owners.append(tenant)
        values = {
            "description": record.description,
            "purchase_date": record.purchase_date,
            "value": record.value,
        }
        item = existing.get(record.name.casefold())
        if item is None:
            item = CoOwnedItem(name=record.name, **values)
            existing[record.name.casefold()] = item
            plan.items.create.append(item)
            plan.item_owners.extend((item, owner) for owner in owners)
            count.created += 1
        elif item.pk is not None:
            compared.append((export, record, item, values, owners))
    made_elsewhere = _made_elsewhere(
        CoOwnedItem, [item for _, _, item, v, o in compared if any(_item_differences(item, v, o))]
    )
    for export, record, item, values, owners in compared:
        differing, missing = _item_differences(item, values, owners)
        outcome = reconcile(
            differing=bool(differing or missing),
            made_elsewhere=item.pk in made_elsewhere,
            overwrite=overwrite,
        )
        count.add(outcome)
        differences = ", ".join(differing + (["owners"] if missing else []))
        label = f"co-owned item {item.name}"
        in_file = f"differs from {export.file} ({record.where}) in {differences}"
        if outcome == "skipped":
            plan.report.skipped.append(_kept(label, in_file))
        elif outcome == "updated":
            for name in differing:
                setattr(item, name, values[name])
            if differing:
                plan.items.mark(item, *differing)
            plan.item_owners.extend((item, owner) for owner in missing)
        elif outcome == "conflicts":
            plan.report.conflicts.append(f"{label}: {in_file}")


def _item_differences(item: CoOwnedItem, values: dict, owners: list) -> tuple[list, list]:
    """The fields that differ from the file, and the file's owners the item does not have."""
    differing = [name for name, value in values.items() if getattr(item, name) != value]
    have = {owner.pk for owner in item.owners.all()}
    missing = [owner for owner in owners if owner.pk is None or owner.pk not in have]
    return differing, missing
