"""What every table's planner shares: the plan itself, the one reconcile ladder, and who made a
row.

Who made a row: the importer writes every row with the history reason `CHANGE_REASON`, so a row
whose creation record ("+") has another reason, or that has no creation record at all, was made
elsewhere (the admin, the app, a fixture) and the files never change it, even with overwrite.
This is asked of the history once per table, only for the rows the files disagree with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rent.importing.readers import Problem
from rent.importing.report import ImportReport
from rent.models import Tenant

# The history reason of every row the importer creates or changes (writer.py records it).
CHANGE_REASON = "import_rent"


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
    rooms: Changes = field(default_factory=Changes)  # created only, before the tenants
    tenants: Changes = field(default_factory=Changes)
    calculations: Changes = field(default_factory=Changes)
    demoted: list = field(default_factory=list)  # current -> superseded, written first
    ledger: Changes = field(default_factory=Changes)
    configs: Changes = field(default_factory=Changes)
    items: Changes = field(default_factory=Changes)
    item_owners: list = field(default_factory=list)  # (item, tenant) pairs to add
    timestamps: list = field(default_factory=list)  # (obj, {field: datetime}) kept from the file
    # (ledger row, amount paid in all, paid on): the files' paid amounts, recorded as payments
    paid: list = field(default_factory=list)
    payments: list = field(default_factory=list)  # an export's payments not in the database


@dataclass
class Wish:
    """What the files say one row should hold, where they say it, and the row's own times."""

    values: dict
    where: str
    stamps: dict = field(default_factory=dict)
    tenant: Tenant | None = None  # a ledger row's


def blank(value) -> bool:
    return value in (None, "") or (isinstance(value, Decimal) and value == 0)


def show(value) -> str:
    return "empty" if blank(value) and value != 0 else str(value)


def made_outside_the_import(model, rows) -> set[int]:
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


def kept(label: str, differences: str) -> str:
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
