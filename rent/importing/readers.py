"""Read and validate the household's files into plain records, without touching the database.

Every file is read completely before anything is written. Each problem is reported with its
file and the JSON path of the bad value (`2025_03_v1.json: roommates.Adam.days: ...`), so a
person can fix the file; the format of a file is recognised from its content, never its name.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rent.models import CalculationStatus, RentKey
from rent.months import add_months, days_in_month, parse_month

COST_KEYS = tuple(RentKey.values)
EXPORT_FORMAT = "kimonokittens-rent-export"
EXPORT_FORMAT_VERSION = 1
OVERRIDES_KEY = "import_overrides"
STATUSES = tuple(CalculationStatus.values)
HISTORY_NAME = re.compile(r"^(\d{4})_(\d{1,2})_v(\d+)\.json$")
# `2025-08-01`, `2025-08-01 00:00:00 +0200`, `2025-08-01T00:00:00+02:00`, `...Z`.
STAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)


@dataclass(frozen=True)
class Problem:
    """One error in one file, at one JSON path."""

    file: str
    path: str
    message: str

    def __str__(self):
        return (
            f"{self.file}: {self.path}: {self.message}"
            if self.path
            else (f"{self.file}: {self.message}")
        )


class Invalid(Exception):
    """Raised inside a reader for one bad value; collected as a `Problem`."""

    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path
        self.message = message


@dataclass
class Roommate:
    days: Decimal | None
    room_adjustment: Decimal | None


@dataclass
class HistoryRecord:
    """One saved calculation (`YYYY_MM_vN.json`)."""

    file: str
    sha256: str
    version: int
    title: str
    calculated_at: datetime
    inputs: dict  # every top-level section but metadata and final_results, exactly as read
    results: dict  # name -> amount exactly as read (JSON numbers)
    amounts: dict[str, Decimal]
    roommates: dict[str, Roommate]
    constants: dict[str, Decimal]  # the known cost keys that have a value
    config_month: date | None  # None: not known from the content
    period_source: str  # "constants", "metadata", "overrides" or "file name"
    status: str | None = None  # explicit (overrides file or an export's metadata), else derived
    source: dict | None = None  # provenance carried by an exported file
    created_at: datetime | None = None

    @property
    def period_guessed(self) -> bool:
        return self.period_source == "file name"

    @property
    def rent_month(self) -> date:
        return add_months(self.config_month, 1)


@dataclass
class TenantRecord:
    where: str
    legacy_id: str
    name: str
    email: str
    start_date: date | None
    departure_date: date | None
    room_adjustment: Decimal
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class ConfigRecord:
    where: str
    key: str
    value: Decimal
    period: date
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class LedgerRecord:
    where: str
    tenant_name: str
    tenant_legacy_id: str
    rent_month: date
    amount_due: Decimal
    amount_paid: Decimal | None
    paid_on: date | None
    days_stayed: Decimal | None
    room_adjustment: Decimal | None
    calculation: tuple[date, int] | None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class ItemRecord:
    where: str
    name: str
    description: str
    purchase_date: date | None
    value: Decimal
    owners: list[str]


@dataclass
class ExportRecord:
    file: str
    format_version: int  # 0: the old system's export
    tenants: list[TenantRecord] = field(default_factory=list)
    configs: list[ConfigRecord] = field(default_factory=list)
    ledger: list[LedgerRecord] = field(default_factory=list)
    items: list[ItemRecord] = field(default_factory=list)


@dataclass
class Override:
    config_month: date | None
    version: int | None
    status: str | None


@dataclass
class Bundle:
    """Everything read from the given paths, validated as a whole."""

    histories: list[HistoryRecord] = field(default_factory=list)
    exports: list[ExportRecord] = field(default_factory=list)
    overrides: dict[str, Override] = field(default_factory=dict)
    override_files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# -- values -----------------------------------------------------------------------------------


def _join(path: str, key: str) -> str:
    return f"{path}.{key}"


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def to_decimal(value, path: str, *, allow_string: bool = False) -> Decimal:
    """A JSON number (or, in an export, a numeric string) as an exact Decimal."""
    if _is_number(value):
        number = Decimal(str(value))
    elif allow_string and isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise Invalid(path, f"must be a number, got {value!r}") from None
    else:
        raise Invalid(path, f"must be a number, got {json.dumps(value)}")
    if not number.is_finite():
        raise Invalid(path, f"must be a number, got {value!r}")
    return number


def money(value, path: str, *, allow_string=False, minimum: Decimal | None = None) -> Decimal:
    number = to_decimal(value, path, allow_string=allow_string)
    if minimum is not None and number < minimum:
        raise Invalid(path, f"must be {minimum} or more, got {value}")
    try:
        whole_ore = number == number.quantize(Decimal("0.01"))
    except InvalidOperation:  # more digits than the context holds: far too large
        raise Invalid(path, f"is too large: {value}") from None
    if not whole_ore:
        raise Invalid(path, f"must have at most 2 decimals (öre), got {value}")
    if abs(number) >= Decimal("1e10"):
        raise Invalid(path, f"is too large: {value}")
    return number


def _stamp_parts(text, path: str):
    if not isinstance(text, str) or not (match := STAMP.match(text.strip())):
        raise Invalid(path, f"must be a date or timestamp such as 2025-08-01, got {text!r}")
    return match.groups()


def calendar_date(text, path: str) -> date:
    """The calendar date written in the string, taken literally (never converted to UTC)."""
    year, month, day, *_ = _stamp_parts(text, path)
    try:
        return date(int(year), int(month), int(day))
    except ValueError as exc:
        raise Invalid(path, f"is not a valid date: {text!r} ({exc})") from None


def month_start(text, path: str) -> date:
    """A period: the 1st of a month at midnight. Anything else is an error, never fixed."""
    year, month, day, hour, minute, second, fraction, _ = _stamp_parts(text, path)
    try:
        day_value = date(int(year), int(month), int(day))
    except ValueError as exc:
        raise Invalid(path, f"is not a valid date: {text!r} ({exc})") from None
    has_time = any(int(part or 0) for part in (hour, minute, second, fraction))
    if day_value.day != 1 or has_time:
        raise Invalid(path, f"must be the 1st of a month at midnight, got {text!r}")
    return day_value


def instant(text, path: str) -> datetime:
    """A real moment in time: it must carry its offset."""
    year, month, day, hour, minute, second, fraction, offset = _stamp_parts(text, path)
    if hour is None or offset is None:
        raise Invalid(path, f"must be a timestamp with an offset, got {text!r}")
    offset = "+00:00" if offset == "Z" else offset
    if ":" not in offset:
        offset = f"{offset[:3]}:{offset[3:]}"
    iso = f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}"
    if fraction:
        iso += f".{fraction.ljust(6, '0')}"
    try:
        return datetime.fromisoformat(iso + offset)
    except ValueError as exc:
        raise Invalid(path, f"is not a valid timestamp: {text!r} ({exc})") from None


def _text(value, path: str, *, required=False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise Invalid(path, "must be a non-empty text" if required else "must be a text")
    return value.strip() if required else value


def _object(value, path: str) -> dict:
    if not isinstance(value, dict):
        raise Invalid(path, f"must be an object, got {type(value).__name__}")
    return value


def _list(value, path: str) -> list:
    if not isinstance(value, list):
        raise Invalid(path, f"must be a list, got {type(value).__name__}")
    return value


def _month_text(value, path: str) -> date:
    try:
        return parse_month(value) if isinstance(value, str) else month_start(value, path)
    except ValueError:
        return month_start(value, path)


# -- files --------------------------------------------------------------------------------


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
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        bundle.problems.append(Problem(name, "", f"cannot read the file: {exc}"))
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        bundle.problems.append(
            Problem(name, "", f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
        )
        return
    kind = recognise(document)
    try:
        if kind == "history":
            bundle.histories.append(read_history(name, raw, document))
        elif kind == "export":
            bundle.exports.append(read_export(name, document))
        elif kind == "overrides":
            bundle.overrides.update(read_overrides(name, document, bundle))
            bundle.override_files.append(name)
        else:
            bundle.problems.append(
                Problem(
                    name,
                    "",
                    "unknown format: neither a history file (metadata, constants, roommates, "
                    "final_results), a database export (tenants, rent_configs, rent_ledger) "
                    f"nor an overrides file ({OVERRIDES_KEY})",
                )
            )
    except _Many as many:
        bundle.problems.extend(Problem(name, bad.path, bad.message) for bad in many.errors)
    except Invalid as bad:
        bundle.problems.append(Problem(name, bad.path, bad.message))


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


class _Many(Exception):
    def __init__(self, errors: list[Invalid]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


class _Collector:
    """Runs checks and keeps going after a bad value, so one run lists every problem."""

    def __init__(self):
        self.errors: list[Invalid] = []

    def check(self, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Invalid as bad:
            self.errors.append(bad)
            return None

    def done(self):
        if self.errors:
            raise _Many(self.errors)


# -- history files ------------------------------------------------------------------------------


def read_history(name: str, raw: bytes, document: dict) -> HistoryRecord:
    found = _Collector()
    for section in ("metadata", "constants", "roommates", "final_results"):
        if section not in document:
            found.errors.append(Invalid(section, "missing"))
        else:
            found.check(_object, document[section], section)
    found.done()
    metadata, constants = document["metadata"], document["constants"]
    roommates_in, results_in = document["roommates"], document["final_results"]

    calculated_at = found.check(
        instant, metadata.get("calculation_date"), "metadata.calculation_date"
    )
    version = metadata.get("version")
    if version is None and (match := HISTORY_NAME.match(name)):
        version = int(match.group(3))
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        found.errors.append(Invalid("metadata.version", "must be a whole number ≥ 1"))
    title = found.check(_text, metadata.get("title"), "metadata.title") or ""

    config_month, period_source = None, "file name"
    if "config_month" in metadata:
        config_month = found.check(_month_text, metadata["config_month"], "metadata.config_month")
        period_source = "metadata"
    elif constants.get("year") is not None or constants.get("month") is not None:
        year, month = constants.get("year"), constants.get("month")
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2999:
            found.errors.append(Invalid("constants.year", f"must be a year, got {year!r}"))
        elif not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
            found.errors.append(
                Invalid("constants.month", f"must be a month number 1-12, got {month!r}")
            )
        else:
            config_month, period_source = date(year, month, 1), "constants"

    known = {}
    for key in COST_KEYS:
        value = constants.get(key)
        if value is not None:
            known[key] = found.check(money, value, f"constants.{key}")

    roommates = {}
    if not roommates_in:
        found.errors.append(Invalid("roommates", "must name at least one roommate"))
    for person, entry in roommates_in.items():
        where = _join("roommates", person)
        if not person.strip():
            found.errors.append(Invalid(where, "a roommate needs a name"))
        if found.check(_object, entry, where) is None:
            continue
        days = entry.get("days")
        if days is not None:
            days = found.check(to_decimal, days, f"{where}.days")
            if days is not None and days <= 0:
                found.errors.append(Invalid(f"{where}.days", "must be a number > 0"))
                days = None
        adjustment = entry.get("room_adjustment")
        if adjustment is not None:
            adjustment = found.check(money, adjustment, f"{where}.room_adjustment")
        roommates[person] = Roommate(days=days, room_adjustment=adjustment)

    amounts = {}
    for person, amount in results_in.items():
        value = found.check(money, amount, _join("final_results", person), minimum=Decimal(0))
        if value is not None:
            amounts[person] = value
    missing = [person for person in roommates_in if person not in results_in]
    extra = [person for person in results_in if person not in roommates_in]
    if missing or extra:
        parts = [f"missing {', '.join(missing)}"] if missing else []
        parts += [f"not in roommates: {', '.join(extra)}"] if extra else []
        found.errors.append(
            Invalid("final_results", "names differ from roommates (" + "; ".join(parts) + ")")
        )

    if "roommate_order" in document:
        found.check(_roommate_order, document["roommate_order"], list(roommates_in))
    status = metadata.get("status")
    if status is not None and status not in STATUSES:
        found.errors.append(Invalid("metadata.status", f"must be one of {', '.join(STATUSES)}"))
    source = metadata.get("source")
    if source is not None:
        found.check(_object, source, "metadata.source")
    created_at = _optional_check(found, instant, metadata.get("created_at"), "metadata.created_at")
    found.done()
    return HistoryRecord(
        file=name,
        sha256=hashlib.sha256(raw).hexdigest(),
        version=version,
        title=title,
        calculated_at=calculated_at,
        inputs=_inputs(document, period_source),
        results=dict(results_in),
        amounts=amounts,
        roommates=roommates,
        constants=known,
        config_month=config_month,
        period_source=period_source,
        status=status,
        source=source,
        created_at=created_at,
    )


_NOT_INPUTS = ("metadata", "final_results")


def _inputs(document: dict, period_source: str) -> dict:
    """Every section but metadata and final_results, plus the roommates' order.

    The order breaks ties in the split and orders the rent message, and PostgreSQL's jsonb
    re-sorts object keys, so it is stored as the list `roommate_order` (the order of the file's
    `roommates`, whose names are those of `final_results`). A file written by export_rent
    restores the stored inputs exactly: it carries `roommate_order` when the calculation had it.
    """
    inputs = {key: value for key, value in document.items() if key not in _NOT_INPUTS}
    if "roommate_order" not in inputs and period_source != "metadata":
        inputs["roommate_order"] = list(document["roommates"])
    return inputs


def _roommate_order(value, names: list[str]) -> list:
    order = _list(value, "roommate_order")
    if not all(isinstance(name, str) for name in order) or sorted(order) != sorted(names):
        raise Invalid("roommate_order", "must list every name in roommates once")
    return order


def _optional_check(found: _Collector, parse, value, path):
    return None if value is None else found.check(parse, value, path)


def history_period_from_name(name: str) -> date | None:
    match = HISTORY_NAME.match(name)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


# -- database exports ------------------------------------------------------------------------


def _first(row: dict, *keys):
    for key in keys:
        if key in row:
            return key, row[key]
    return keys[0], None


def read_export(name: str, document: dict) -> ExportRecord:
    found = _Collector()
    version = document.get("format_version", 0)
    if document.get("format") == EXPORT_FORMAT and version != EXPORT_FORMAT_VERSION:
        raise Invalid(
            "format_version",
            f"this importer reads version {EXPORT_FORMAT_VERSION}, got {version!r}",
        )
    export = ExportRecord(file=name, format_version=version)
    for key in ("tenants", "rent_configs", "rent_ledger", "co_owned_items"):
        if document.get(key) is not None:
            found.check(_list, document[key], key)
    found.done()

    for index, row in enumerate(document.get("tenants") or []):
        where = f"tenants[{index}]"
        if found.check(_object, row, where) is None:
            continue
        legacy_id = row.get("id")
        export.tenants.append(
            TenantRecord(
                where=where,
                legacy_id=found.check(_text, legacy_id, f"{where}.id") or "",
                name=found.check(_text, row.get("name"), f"{where}.name", required=True) or "",
                email=(found.check(_text, row.get("email"), f"{where}.email") or "").strip(),
                start_date=_optional_check(
                    found, calendar_date, row.get("startDate"), f"{where}.startDate"
                ),
                departure_date=_optional_check(
                    found, calendar_date, row.get("departureDate"), f"{where}.departureDate"
                ),
                room_adjustment=_optional_check(
                    found,
                    lambda v, p: money(v, p, allow_string=True),
                    row.get("roomAdjustment"),
                    f"{where}.roomAdjustment",
                )
                or Decimal(0),
                created_at=_optional_check(
                    found, instant, row.get("created_at"), f"{where}.created_at"
                ),
                updated_at=_optional_check(
                    found, instant, row.get("updated_at"), f"{where}.updated_at"
                ),
            )
        )
        tenant = export.tenants[-1]
        if (
            tenant.start_date
            and tenant.departure_date
            and tenant.departure_date < tenant.start_date
        ):
            found.errors.append(Invalid(f"{where}.departureDate", "is before startDate"))

    for index, row in enumerate(document.get("rent_configs") or []):
        where = f"rent_configs[{index}]"
        if found.check(_object, row, where) is None:
            continue
        key = row.get("key")
        if key not in COST_KEYS:
            found.errors.append(
                Invalid(f"{where}.key", f"must be one of {', '.join(COST_KEYS)}, got {key!r}")
            )
        export.configs.append(
            ConfigRecord(
                where=where,
                key=key,
                value=found.check(money, row.get("value"), f"{where}.value", allow_string=True),
                period=found.check(month_start, row.get("period"), f"{where}.period"),
                created_at=_optional_check(
                    found, instant, row.get("created_at"), f"{where}.created_at"
                ),
                updated_at=_optional_check(
                    found, instant, row.get("updated_at"), f"{where}.updated_at"
                ),
            )
        )

    for index, row in enumerate(document.get("rent_ledger") or []):
        where = f"rent_ledger[{index}]"
        if found.check(_object, row, where) is None:
            continue
        export.ledger.append(_ledger_record(row, where, found))

    for index, row in enumerate(document.get("co_owned_items") or []):
        where = f"co_owned_items[{index}]"
        if found.check(_object, row, where) is None:
            continue
        owners = found.check(_list, row.get("owners") or [], f"{where}.owners") or []
        export.items.append(
            ItemRecord(
                where=where,
                name=found.check(_text, row.get("name"), f"{where}.name", required=True) or "",
                description=found.check(_text, row.get("description"), f"{where}.description")
                or "",
                purchase_date=_optional_check(
                    found, calendar_date, row.get("purchase_date"), f"{where}.purchase_date"
                ),
                value=found.check(
                    money,
                    row.get("value", 0),
                    f"{where}.value",
                    allow_string=True,
                    minimum=Decimal(0),
                )
                or Decimal(0),
                owners=[
                    found.check(_text, owner, f"{where}.owners[{i}]", required=True) or ""
                    for i, owner in enumerate(owners)
                ],
            )
        )
    found.done()
    return export


def _ledger_record(row: dict, where: str, found: _Collector) -> LedgerRecord:
    def field_value(parse, *keys, **kwargs):
        key, value = _first(row, *keys)
        return _optional_check(found, lambda v, p: parse(v, p, **kwargs), value, f"{where}.{key}")

    tenant_name = row.get("tenant")
    legacy_id = row.get("tenantId") or row.get("tenant_id")
    if not tenant_name and not legacy_id:
        found.errors.append(Invalid(f"{where}.tenant", "missing: a tenant name or tenantId"))
    month_key, month_value = _first(row, "rent_month", "period")
    rent_month = found.check(month_start, month_value, f"{where}.{month_key}")
    due_key, due = _first(row, "amount_due", "amountDue")
    amount_due = found.check(
        money, due, f"{where}.{due_key}", allow_string=True, minimum=Decimal(0)
    )
    calculation = None
    if row.get("calculation") is not None:
        link = found.check(_object, row["calculation"], f"{where}.calculation")
        if link is not None:
            month = found.check(_month_text, link.get("config_month"), f"{where}.calculation")
            number = link.get("version")
            if not isinstance(number, int) or number < 1:
                found.errors.append(Invalid(f"{where}.calculation.version", "must be ≥ 1"))
            elif month is not None:
                calculation = (month, number)
    return LedgerRecord(
        where=where,
        tenant_name=found.check(_text, tenant_name, f"{where}.tenant") or "",
        tenant_legacy_id=found.check(_text, legacy_id, f"{where}.tenantId") or "",
        rent_month=rent_month,
        amount_due=amount_due,
        amount_paid=field_value(
            money, "amount_paid", "amountPaid", allow_string=True, minimum=Decimal(0)
        ),
        paid_on=field_value(calendar_date, "paid_on", "paymentDate"),
        days_stayed=field_value(to_decimal, "days_stayed", allow_string=True),
        room_adjustment=field_value(money, "room_adjustment", allow_string=True),
        calculation=calculation,
        created_at=field_value(instant, "created_at", "createdAt"),
        updated_at=field_value(instant, "updated_at", "updatedAt"),
    )


# -- overrides ---------------------------------------------------------------------------------


def read_overrides(name: str, document: dict, bundle: Bundle) -> dict[str, Override]:
    found = _Collector()
    entries = _object(document[OVERRIDES_KEY], OVERRIDES_KEY)
    overrides = {}
    for file_name, entry in entries.items():
        where = _join(OVERRIDES_KEY, file_name)
        if found.check(_object, entry, where) is None:
            continue
        unknown = set(entry) - {"config_month", "version", "status", "note"}
        if unknown:
            found.errors.append(Invalid(where, f"unknown keys: {', '.join(sorted(unknown))}"))
        month = _optional_check(
            found, _month_text, entry.get("config_month"), f"{where}.config_month"
        )
        version = entry.get("version")
        if version is not None and (not isinstance(version, int) or version < 1):
            found.errors.append(Invalid(f"{where}.version", "must be a whole number ≥ 1"))
        status = entry.get("status")
        if status is not None and status not in STATUSES:
            found.errors.append(Invalid(f"{where}.status", f"must be one of {', '.join(STATUSES)}"))
        if file_name in bundle.overrides or file_name in overrides:
            found.errors.append(Invalid(where, "is overridden twice"))
        overrides[file_name] = Override(config_month=month, version=version, status=status)
    found.done()
    return overrides


# -- the files together ---------------------------------------------------------------------------


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
    seen: dict[tuple[date, int], HistoryRecord] = {}
    duplicates: set[int] = set()
    for record in bundle.histories:
        if record.config_month is None:
            continue
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
        key = (record.config_month, record.version)
        other = seen.get(key)
        if other is None:
            seen[key] = record
        elif content_key(other) != content_key(record):
            bundle.problems.append(
                Problem(
                    record.file,
                    "metadata.version",
                    f"config month {key[0]:%Y-%m} version {key[1]} is also in {other.file} "
                    "with different content",
                )
            )
        else:  # the same calculation saved twice (a copied file): imported once
            duplicates.add(id(record))
            bundle.warnings.append(
                f"{record.file}: the same calculation as {other.file} (config month "
                f"{key[0]:%Y-%m} version {key[1]}); imported and counted once, from {other.file}"
            )
    bundle.histories = [record for record in bundle.histories if id(record) not in duplicates]
    explicit_current: dict[date, HistoryRecord] = {}
    for record in bundle.histories:
        if record.status == CalculationStatus.CURRENT and record.config_month is not None:
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
    _validate_export_rows(bundle)


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
