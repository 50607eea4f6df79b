"""Read every file behind the given paths, recognise each one's format from its content (never
its name), and check them one by one and all together, before anything touches the database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from rent.engine.months import days_in_month
from rent.importing.readers.export import EXPORT_FORMAT, read_export
from rent.importing.readers.history import history_period_from_name, read_history
from rent.importing.readers.overrides import OVERRIDES_KEY, read_overrides
from rent.importing.readers.records import Bundle, HistoryRecord, Invalid, Problem, TenantRecord
from rent.importing.readers.values import Many
from rent.models import CalculationStatus

UNKNOWN_FORMAT = (
    "unknown format: neither a history file (metadata, constants, roommates, final_results), "
    "a database export (tenants, rent_configs, rent_ledger) "
    f"nor an overrides file ({OVERRIDES_KEY})"
)


def collect_files(paths) -> tuple[list[Path], list[Problem]]:
    """The files behind the paths: a directory gives its `*.json` and `rent_history/*.json`."""
    files, problems = [], []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(path.glob("*.json"))
            if (path / "rent_history").is_dir():
                found += sorted((path / "rent_history").glob("*.json"))
            files.extend(item for item in found if item.is_file() or item.is_symlink())
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            problems.append(Problem(str(path), "", "no such file or directory"))
    unique = list(dict.fromkeys(file.resolve() if file.exists() else file for file in files))
    return unique, problems


def read_bundle(paths) -> Bundle:
    """Read every file, recognise its format, and validate each one and all of them together."""
    files, problems = collect_files(paths)
    bundle = Bundle(problems=problems)
    for path in files:
        read_file(path, bundle)
    _apply_overrides(bundle)
    _validate_together(bundle)
    return bundle


def read_file(path: Path, bundle: Bundle) -> None:
    name = path.name
    try:
        raw = path.read_bytes()
        document = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        bundle.problems.append(Problem(name, "", f"cannot read the file: {exc}"))
        return
    except json.JSONDecodeError as exc:
        bundle.problems.append(
            Problem(name, "", f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
        )
        return
    except RecursionError:
        bundle.problems.append(
            Problem(name, "", "JSON nested too deeply to read (lists or objects inside each other)")
        )
        return
    try:
        _read_document(name, raw, document, bundle)
    except Many as many:
        bundle.problems.extend(Problem(name, bad.path, bad.message) for bad in many.errors)
    except Invalid as bad:
        bundle.problems.append(Problem(name, bad.path, bad.message))


def _read_document(name: str, raw: bytes, document, bundle: Bundle) -> None:
    kind = recognise(document)
    if kind == "history":
        bundle.histories.append(read_history(name, raw, document))
    elif kind == "export":
        bundle.exports.append(read_export(name, document))
    elif kind == "overrides":
        bundle.overrides.update(read_overrides(name, document, bundle.overrides))
        bundle.override_files.append(name)
    else:
        bundle.problems.append(Problem(name, "", UNKNOWN_FORMAT))


def recognise(document) -> str | None:
    if not isinstance(document, dict):
        return None
    if OVERRIDES_KEY in document:
        return "overrides"
    if document.get("format") == EXPORT_FORMAT or {"tenants", "rent_configs", "rent_ledger"} & (
        document.keys()
    ):
        return "export"
    if {"metadata", "constants", "roommates", "final_results"} & document.keys():
        return "history"
    return None


def _apply_overrides(bundle: Bundle) -> None:
    by_name = {record.file: record for record in bundle.histories}
    for file_name, override in bundle.overrides.items():
        record = by_name.get(file_name)
        if record is None:
            bundle.warnings.append(f"overrides: {file_name} is not among the imported files")
            continue
        if override.config_month is not None:
            record.config_month, record.period_source = override.config_month, "overrides"
        elif record.period_guessed and override.status != CalculationStatus.NEEDS_REVIEW:
            record.period_source = "overrides"  # the guessed period, confirmed explicitly
        if override.version is not None:
            record.version = override.version
        if override.status is not None:
            record.status = override.status
    for record in bundle.histories:
        if record.config_month is None:
            record.config_month = history_period_from_name(record.file)
            if record.config_month is None:
                bundle.problems.append(
                    Problem(
                        record.file,
                        "constants",
                        "has no year/month, and the file name is not YYYY_MM_vN.json: "
                        "give its config month in an overrides file",
                    )
                )


def _validate_together(bundle: Bundle) -> None:
    dated = [record for record in bundle.histories if record.config_month is not None]
    for record in dated:
        _check_days(record, bundle)
    bundle.histories = _without_copies(bundle)
    _check_one_current_per_month(bundle)
    _validate_export_rows(bundle)


def _check_days(record: HistoryRecord, bundle: Bundle) -> None:
    """No roommate stays more days than the rent month has."""
    limit = days_in_month(record.rent_month)
    for person, roommate in record.roommates.items():
        if roommate.days is not None and roommate.days > limit:
            bundle.problems.append(
                Problem(
                    record.file,
                    f"roommates.{person}.days",
                    f"must be a number > 0 and at most {limit} (the days of rent month "
                    f"{record.rent_month:%Y-%m}), got {roommate.days}",
                )
            )


def _without_copies(bundle: Bundle) -> list[HistoryRecord]:
    """One record per config month and version: a copied file is imported once, with a warning;
    two different files claiming the same version are an error."""
    seen: dict[tuple[date, int], HistoryRecord] = {}
    kept = []
    for record in bundle.histories:
        if record.config_month is None:
            kept.append(record)
            continue
        key = (record.config_month, record.version)
        other = seen.setdefault(key, record)
        if other is record:
            kept.append(record)
        elif content_key(other) != content_key(record):
            kept.append(record)
            bundle.problems.append(
                Problem(
                    record.file,
                    "metadata.version",
                    f"config month {key[0]:%Y-%m} version {key[1]} is also in {other.file} "
                    "with different content",
                )
            )
        else:
            bundle.warnings.append(
                f"{record.file}: the same calculation as {other.file} (config month "
                f"{key[0]:%Y-%m} version {key[1]}); imported and counted once, from {other.file}"
            )
    return kept


def _check_one_current_per_month(bundle: Bundle) -> None:
    explicit_current: dict[date, HistoryRecord] = {}
    for record in bundle.histories:
        if record.status != CalculationStatus.CURRENT or record.config_month is None:
            continue
        if record.config_month in explicit_current:
            bundle.problems.append(
                Problem(
                    record.file,
                    "metadata.status",
                    f"two files are marked current for {record.config_month:%Y-%m}: "
                    f"this and {explicit_current[record.config_month].file}",
                )
            )
        explicit_current[record.config_month] = record


def content_key(record: HistoryRecord):
    return (
        record.title,
        record.calculated_at,
        json.dumps(record.inputs, sort_keys=True),
        json.dumps(record.results, sort_keys=True),
    )


def _validate_export_rows(bundle: Bundle) -> None:
    """The same row given twice with different values, across all exports, is an error."""
    tenants, configs, ledger = {}, {}, {}
    for export in bundle.exports:
        for tenant in export.tenants:
            key = tenant.name.casefold()
            if key in tenants and tenants[key] != _tenant_values(tenant):
                bundle.problems.append(
                    Problem(export.file, tenant.where, f"tenant {tenant.name} is given twice")
                )
            tenants[key] = _tenant_values(tenant)
        for config in export.configs:
            key = (config.key, config.period)
            if key in configs and configs[key] != config.value:
                bundle.problems.append(
                    Problem(
                        export.file,
                        config.where,
                        f"{config.key} for {config.period:%Y-%m} is given twice, "
                        f"as {configs[key]} and {config.value}",
                    )
                )
            configs[key] = config.value
        for row in export.ledger:
            key = (row.tenant_legacy_id or row.tenant_name.casefold(), row.rent_month)
            if key in ledger:
                bundle.problems.append(
                    Problem(export.file, row.where, "this tenant's rent month is given twice")
                )
            ledger[key] = row


def _tenant_values(tenant: TenantRecord):
    return (
        tenant.legacy_id,
        tenant.email,
        tenant.start_date,
        tenant.departure_date,
        tenant.room_adjustment,
    )
