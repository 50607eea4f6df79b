"""What an import did (or, in a dry run, would do), in a form a person can check line by line."""

from __future__ import annotations

from dataclasses import dataclass, field

TABLES = ("tenants", "rent_configs", "rent_calculations", "rent_ledger", "co_owned_items")


@dataclass
class TableCount:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    skipped: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def add(self, outcome: str) -> None:
        """Count one row under `outcome`: created, updated, unchanged, conflicts or skipped."""
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass
class ImportReport:
    tables: dict[str, TableCount] = field(default_factory=lambda: {t: TableCount() for t in TABLES})
    history_files: int = 0
    export_files: int = 0
    override_files: int = 0
    result_lines: int = 0
    ledger_lines: int = 0  # result lines of current calculations: they define ledger rows
    current_calculations: int = 0
    other_lines: int = 0  # result lines that stay in superseded or needs-review calculations
    conflicts: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return any(count.changed for count in self.tables.values())

    def lines(self) -> list[str]:
        out = [
            f"Read {self.history_files} history files, {self.export_files} database exports, "
            f"{self.override_files} overrides files.",
            "",
            f"{'table':<18} {'created':>8} {'updated':>8} {'unchanged':>10} {'conflicts':>10} "
            f"{'skipped':>8}",
        ]
        for name, count in self.tables.items():
            out.append(
                f"{name:<18} {count.created:>8} {count.updated:>8} {count.unchanged:>10} "
                f"{count.conflicts:>10} {count.skipped:>8}"
            )
        out += [
            "",
            f"Result lines: {self.result_lines} in {self.history_files} files; "
            f"{self.ledger_lines} became ledger rows from {self.current_calculations} current "
            f"calculations; {self.other_lines} stayed in superseded or needs-review calculations.",
        ]
        for title, items in (
            ("Conflicts (the database's value is kept; --overwrite replaces it)", self.conflicts),
            ("Skipped (made in the app: kept, even with --overwrite)", self.skipped),
            ("Notes", self.notes),
            ("Warnings", self.warnings),
        ):
            if items:
                out += ["", f"{title}:"] + [f"  - {item}" for item in items]
        out.append("")
        if self.dry_run:
            out.append("Dry run: nothing was written.")
        elif not self.changed and (self.conflicts or self.skipped):
            out.append("Nothing changed: the database keeps the differences listed above.")
        elif not self.changed:
            out.append("Nothing changed: the database already holds these files.")
        else:
            out.append("Imported.")
        return out

    def text(self) -> str:
        return "\n".join(self.lines())
