"""What the readers make of the household's files: plain records, and the problems found.

Every problem names its file and the JSON path of the bad value
(`2025_03_v1.json: roommates.Adam.days: ...`), so a person can fix the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from rent.engine.months import add_months


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
    # The stay (rent.engine.stays): what the old system's later exports and export_rent hold.
    stay: dict = field(default_factory=dict)  # Tenant field name -> value, only those given
    room_name: str = ""


@dataclass
class RoomRecord:
    where: str
    name: str
    adjustment: Decimal
    description: str
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


@dataclass(frozen=True)
class CalculationKey:
    """A saved calculation's identity: its config month and version."""

    config_month: date
    version: int


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
    calculation: CalculationKey | None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class PaymentRecord:
    where: str
    tenant_name: str
    paid_on: date
    amount: Decimal
    method: str
    for_month: date | None
    reference: str
    message: str
    source: str
    note: str
    bank_key: str
    created_at: datetime | None = None

    def identity(self) -> tuple:
        """What makes two payments the same one (a re-import records nothing again)."""
        return (self.paid_on, self.amount, self.for_month, self.reference, self.note, self.bank_key)


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
    rooms: list[RoomRecord] = field(default_factory=list)
    # None: a file without payments (its rows' paid amounts become payments)
    payments: list[PaymentRecord] | None = None


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
