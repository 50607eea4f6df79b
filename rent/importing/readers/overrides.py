"""An overrides file: the household's corrections to history files it cannot edit (their
config month, version or status), by file name."""

from __future__ import annotations

from rent.importing.readers.history import STATUSES
from rent.importing.readers.records import Override
from rent.importing.readers.values import Collector, join, json_object, month_text

OVERRIDES_KEY = "import_overrides"
ENTRY_KEYS = {"config_month", "version", "status", "note"}


def read_overrides(name: str, document: dict, known: dict[str, Override]) -> dict[str, Override]:
    """The file's overrides; `known` holds those of the files read before it."""
    found = Collector()
    entries = json_object(document[OVERRIDES_KEY], OVERRIDES_KEY)
    overrides = {}
    for file_name, entry in entries.items():
        where = join(OVERRIDES_KEY, file_name)
        if found.check(json_object, entry, where) is None:
            continue
        unknown = set(entry) - ENTRY_KEYS
        if unknown:
            found.error(where, f"unknown keys: {', '.join(sorted(unknown))}")
        month = found.optional(month_text, entry.get("config_month"), f"{where}.config_month")
        version = entry.get("version")
        if version is not None and (not isinstance(version, int) or version < 1):
            found.error(f"{where}.version", "must be a whole number ≥ 1")
        status = entry.get("status")
        if status is not None and status not in STATUSES:
            found.error(f"{where}.status", f"must be one of {', '.join(STATUSES)}")
        if file_name in known or file_name in overrides:
            found.error(where, "is overridden twice")
        overrides[file_name] = Override(config_month=month, version=version, status=status)
    found.done()
    return overrides
