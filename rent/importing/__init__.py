"""The household's history in the old system's format, both ways: bring it in once, correctly,
and never lose a row (import_rent here; readers, plan, writer, report), and write it out again
(exporting, the rent export; history_backup, the history of changes of the rent tables).

Formats and rules: docs/import-format.md.

`import_rent(paths)` reads and validates every file first, then plans every change against the
database, then writes it all in one transaction. On any error nothing is written.
"""

from __future__ import annotations

from rent.errors import RentError
from rent.importing.plan import plan_import
from rent.importing.readers import Problem, read_bundle
from rent.importing.report import ImportReport
from rent.importing.writer import apply_plan


class ImportFailed(RentError):
    """The files (or the files against the database) have errors; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("import_failed", count=len(problems))
        self.problems = problems


def import_rent(paths, *, dry_run: bool = False, overwrite: bool = False) -> ImportReport:
    """Import the files at `paths`; raises `ImportFailed` listing every error."""
    bundle = read_bundle(paths)
    if bundle.problems:
        raise ImportFailed(bundle.problems)
    plan = plan_import(bundle, overwrite=overwrite, dry_run=dry_run)
    if plan.problems:
        raise ImportFailed(plan.problems)
    if not dry_run:
        apply_plan(plan)
    return plan.report
