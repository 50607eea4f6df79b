"""A history file (`YYYY_MM_vN.json`): one saved calculation, checked section by section."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal

from rent.engine.months import FIRST_YEAR, LAST_YEAR
from rent.importing.readers.records import HistoryRecord, Invalid, Roommate
from rent.importing.readers.values import (
    Collector,
    instant,
    join,
    json_list,
    json_object,
    money,
    month_text,
    text,
    to_decimal,
    whole_number,
)
from rent.models import CalculationStatus, RentKey

COST_KEYS = tuple(RentKey.values)
STATUSES = tuple(CalculationStatus.values)
HISTORY_NAME = re.compile(r"^(\d{4})_(\d{1,2})_v(\d+)\.json$")
SECTIONS = ("metadata", "constants", "roommates", "final_results")
_NOT_INPUTS = ("metadata", "final_results")


def read_history(name: str, raw: bytes, document: dict) -> HistoryRecord:
    found = Collector()
    for section in SECTIONS:
        if section not in document:
            found.error(section, "missing")
        else:
            found.check(json_object, document[section], section)
    found.done()
    metadata, roommates_in = document["metadata"], document["roommates"]
    results_in = document["final_results"]

    calculated_at = found.check(
        instant, metadata.get("calculation_date"), "metadata.calculation_date"
    )
    version = _version(name, metadata, found)
    title = found.check(text, metadata.get("title"), "metadata.title") or ""
    config_month, period_source = _config_month(metadata, document["constants"], found)
    constants = _constants(document["constants"], found)
    roommates = _roommates(roommates_in, found)
    amounts = _amounts(roommates_in, results_in, found)
    if "roommate_order" in document:
        found.check(_roommate_order, document["roommate_order"], list(roommates_in))
    status = metadata.get("status")
    if status is not None and status not in STATUSES:
        found.error("metadata.status", f"must be one of {', '.join(STATUSES)}")
    source = metadata.get("source")
    found.optional(json_object, source, "metadata.source")
    created_at = found.optional(instant, metadata.get("created_at"), "metadata.created_at")
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
        constants=constants,
        config_month=config_month,
        period_source=period_source,
        status=status,
        source=source,
        created_at=created_at,
    )


def _version(name: str, metadata: dict, found: Collector):
    """metadata.version, or the N of a file named YYYY_MM_vN.json."""
    version = metadata.get("version")
    if version is None and (match := HISTORY_NAME.match(name)):
        version = int(match.group(3))
    if not whole_number(version):
        found.error("metadata.version", "must be a whole number ≥ 1")
    return version


def _config_month(metadata: dict, constants: dict, found: Collector) -> tuple[date | None, str]:
    """The config month and where it was read: metadata, constants, or (later) the file name."""
    if "config_month" in metadata:
        month = found.check(month_text, metadata["config_month"], "metadata.config_month")
        return month, "metadata"
    year, month = constants.get("year"), constants.get("month")
    if year is None and month is None:
        return None, "file name"
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        found.error("constants.year", f"must be a year, got {year!r}")
    elif isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        found.error("constants.month", f"must be a month number 1-12, got {month!r}")
    else:
        return date(year, month, 1), "constants"
    return None, "file name"


def _constants(constants: dict, found: Collector) -> dict[str, Decimal]:
    """The known cost keys that have a value."""
    return {
        key: found.check(money, constants[key], f"constants.{key}")
        for key in COST_KEYS
        if constants.get(key) is not None
    }


def _roommates(roommates_in: dict, found: Collector) -> dict[str, Roommate]:
    if not roommates_in:
        found.error("roommates", "must name at least one roommate")
    roommates = {}
    for person, entry in roommates_in.items():
        where = join("roommates", person)
        if not person.strip():
            found.error(where, "a roommate needs a name")
        if found.check(json_object, entry, where) is not None:
            roommates[person] = Roommate(
                days=_days(entry.get("days"), f"{where}.days", found),
                room_adjustment=found.optional(
                    money, entry.get("room_adjustment"), f"{where}.room_adjustment"
                ),
            )
    return roommates


def _days(value, path: str, found: Collector) -> Decimal | None:
    days = found.optional(to_decimal, value, path)
    if days is not None and days <= 0:
        found.error(path, "must be a number > 0")
        return None
    return days


def _amounts(roommates_in: dict, results_in: dict, found: Collector) -> dict[str, Decimal]:
    """final_results as Decimals; its names must be those of roommates."""
    amounts = {}
    for person, amount in results_in.items():
        value = found.check(money, amount, join("final_results", person), minimum=Decimal(0))
        if value is not None:
            amounts[person] = value
    missing = [person for person in roommates_in if person not in results_in]
    extra = [person for person in results_in if person not in roommates_in]
    if missing or extra:
        parts = [f"missing {', '.join(missing)}"] if missing else []
        parts += [f"not in roommates: {', '.join(extra)}"] if extra else []
        found.error("final_results", "names differ from roommates (" + "; ".join(parts) + ")")
    return amounts


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
    order = json_list(value, "roommate_order")
    if not all(isinstance(name, str) for name in order) or sorted(order) != sorted(names):
        raise Invalid("roommate_order", "must list every name in roommates once")
    return order


def history_period_from_name(name: str) -> date | None:
    match = HISTORY_NAME.match(name)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)
