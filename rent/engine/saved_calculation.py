"""A saved version's stored JSON, parsed once into types: `RentCalculation.saved`.

Every stored version has one shape (migration 0012 gave the older ones their tenant ids):

    inputs = {
        "constants": {"year": 2026, "month": 12, "kallhyra": 24530, ...},  # as used
        "roommates": {name: {"days": 16, "room_adjustment": 0}, ...},
        "roommate_order": [name, ...],  # jsonb re-sorts object keys; this keeps the order
        "overrides": {name: {"days": 15.5}},  # typed for this month only (saved in the app)
        "projected": ["el"],  # keys saved from an estimate
    }
    results = {name: kronor}
    tenant_ids = {name: tenant id}  # its own column: this database's ids, never exported

Names are the names at the time; the tenant id is the link, so renaming a tenant keeps it.
No days means a full month (rent.engine.months.explicit_days).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from rent.engine.months import add_months, days_in_month, explicit_days
from rent.engine.split import RentInputError, Split, split_from_history


@dataclass(frozen=True)
class SavedRoommate:
    name: str  # as saved
    tenant_id: int | None
    days: Decimal | None  # None: the full month
    room_adjustment: Decimal
    amount: int | None  # the kronor saved for them
    # Days and adjustment typed for this month only: {"days": ..., "room_adjustment": ...}.
    override: dict | None = None


@dataclass(frozen=True)
class SavedCalculation:
    config_month: date
    version: int
    saved_at: datetime | None
    saved_by: str
    constants: dict
    roommates: tuple[SavedRoommate, ...]  # in the split's order
    records_overrides: bool  # saved in the app: its overrides are recorded, not inferred
    projected: tuple[str, ...] = ()

    @property
    def rent_month(self) -> date:
        return add_months(self.config_month, 1)

    @property
    def month_length(self) -> int:
        return days_in_month(self.rent_month)

    def amounts(self) -> dict[str, int]:
        """Name (as saved) → kronor, in the split's order."""
        return {r.name: r.amount for r in self.roommates if r.amount is not None}

    def by_tenant(self, names: Mapping[str, int] | None = None) -> dict[int, SavedRoommate]:
        """Tenant id → saved roommate. `names` (casefolded name → tenant id) links a roommate
        saved without its id (a history file imported as it is) by its name."""
        names = names or {}
        result = {}
        for r in self.roommates:
            tenant_id = r.tenant_id if r.tenant_id is not None else names.get(r.name.casefold())
            if tenant_id is not None:
                result[tenant_id] = r
        return result

    def split(self) -> Split | None:
        """The saved inputs split again (its weights and details), or None when they no
        longer split. The amounts charged are the saved ones, not these."""
        roommates = {}
        for r in self.roommates:
            entry = {"room_adjustment": r.room_adjustment}
            if r.days is not None:
                entry["days"] = r.days
            roommates[r.name] = entry
        constants = {
            **self.constants,
            "year": self.config_month.year,
            "month": self.config_month.month,
        }
        try:
            return split_from_history({"constants": constants, "roommates": roommates})
        except (RentInputError, TypeError, ValueError, ArithmeticError):
            return None


def _decimal(value, default=None) -> Decimal | None:
    if value is None:
        return default
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return default


def parse_calculation(calculation) -> SavedCalculation:
    """The typed form of a RentCalculation row (read defensively here, and only here)."""
    inputs = calculation.inputs if isinstance(calculation.inputs, dict) else {}
    results = calculation.results if isinstance(calculation.results, dict) else {}
    source = calculation.source if isinstance(calculation.source, dict) else {}
    stored = inputs.get("roommates") if isinstance(inputs.get("roommates"), dict) else {}
    ids = calculation.tenant_ids if isinstance(calculation.tenant_ids, dict) else {}
    overrides = inputs.get("overrides") if isinstance(inputs.get("overrides"), dict) else {}
    month_length = days_in_month(add_months(calculation.config_month, 1))
    roommates = []
    for name in calculation.roommate_order():
        entry = stored.get(name)
        entry = entry if isinstance(entry, dict) else {}
        amount = results.get(name)
        override = overrides.get(name)
        tenant_id = ids.get(name)
        roommates.append(
            SavedRoommate(
                name=name,
                tenant_id=tenant_id if isinstance(tenant_id, int) else None,
                days=explicit_days(_decimal(entry.get("days")), month_length),
                room_adjustment=_decimal(entry.get("room_adjustment"), Decimal(0)),
                amount=int(amount) if isinstance(amount, int | float) else None,
                override=(
                    {
                        key: _decimal(value)
                        for key, value in override.items()
                        if key in ("days", "room_adjustment")
                    }
                    if isinstance(override, dict)
                    else None
                ),
            )
        )
    constants = inputs.get("constants") if isinstance(inputs.get("constants"), dict) else {}
    projected = inputs.get("projected") if isinstance(inputs.get("projected"), list) else []
    return SavedCalculation(
        config_month=calculation.config_month,
        version=calculation.version,
        saved_at=calculation.calculated_at,
        saved_by=source.get("saved_by") or "",
        constants=dict(constants),
        roommates=tuple(roommates),
        records_overrides="overrides" in inputs or bool(source.get("saved_by")),
        projected=tuple(str(key) for key in projected),
    )
