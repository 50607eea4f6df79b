"""Read and validate the household's files into plain records, without touching the database.

`values` checks one JSON value, `history`, `export` and `overrides` read one file of each
format, and `bundle` reads every file behind the given paths and checks them together. Every
problem names its file and the JSON path of the bad value (`2025_03_v1.json:
roommates.Adam.days: ...`), so a person can fix the file.
"""

from rent.importing.readers.bundle import content_key, read_bundle
from rent.importing.readers.export import EXPORT_FORMAT, EXPORT_FORMAT_VERSION
from rent.importing.readers.records import (
    Bundle,
    CalculationKey,
    ExportRecord,
    HistoryRecord,
    Problem,
)

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_FORMAT_VERSION",
    "Bundle",
    "CalculationKey",
    "ExportRecord",
    "HistoryRecord",
    "Problem",
    "content_key",
    "read_bundle",
]
