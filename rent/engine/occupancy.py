"""Who lives here in rent month R, and for how many days (docs/rent-rules.md, section 3): the
rules, on tenants already read. The one query that reads them is
rent.ledger.inputs.residents_of.

Move-in and departure days are both days lived. Roommates are ordered by name compared
case-insensitively in Python (`str.casefold`), never by the database's collation: PostgreSQL
and SQLite sort Å, Ä, Ö differently, and the order breaks ties in the split.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from rent.engine.months import days_in_month, explicit_days, last_of_month
from rent.errors import RentError

# A tenant (rent.models.Tenant): its name, start and departure dates and room adjustment.
Tenant = Any


class UnknownRoommateError(RentError, ValueError):
    """An override names someone who does not live here in that month."""


def stayed_days(start_date: date | None, departure_date: date | None, rent_month: date) -> int:
    """The inclusive overlap of [start_date, departure_date] with R, in days (0 when none).

    No start date means they lived here before R; no departure date means they still do.
    """
    first, last = rent_month, last_of_month(rent_month)
    begin = max(start_date, first) if start_date else first
    end = min(departure_date, last) if departure_date else last
    return max((end - begin).days + 1, 0)


def days_stayed(tenant: Tenant, rent_month: date) -> Decimal | None:
    """Days lived in R: None for the full month (no explicit days), else a Decimal (0 = none)."""
    days = stayed_days(tenant.start_date, tenant.departure_date, rent_month)
    return explicit_days(days, days_in_month(rent_month))


@dataclass(frozen=True)
class Resident:
    """One tenant living here in R, with the days and adjustment the split uses."""

    tenant: Tenant
    days: Decimal | None  # None: the full month
    room_adjustment: Decimal
    overridden: bool = False

    @property
    def name(self) -> str:
        return self.tenant.name

    def roommate_entry(self) -> dict:
        entry: dict = {}
        if self.days is not None:
            entry["days"] = self.days
        entry["room_adjustment"] = self.room_adjustment
        return entry


def residents_from(tenants: Iterable[Tenant], rent_month: date) -> list[Resident]:
    """The tenants with at least one day in R as residents, ordered by name (casefold)."""
    residents = [
        Resident(
            tenant=tenant,
            days=days_stayed(tenant, rent_month),
            room_adjustment=tenant.room_adjustment,
        )
        for tenant in tenants
    ]
    # Casefold first; names equal but for case (never the database's order) by the name itself.
    residents.sort(key=lambda resident: (resident.name.casefold(), resident.name))
    return residents


def apply_overrides(
    residents: list[Resident], overrides: Mapping[str, Mapping], rent_month: date
) -> list[Resident]:
    by_name = {resident.name: resident for resident in residents}
    unknown = [name for name in overrides if name not in by_name]
    if unknown:
        raise UnknownRoommateError(
            "not_living_here", month=f"{rent_month:%Y-%m}", names=", ".join(sorted(unknown))
        )
    result = []
    for resident in residents:
        override = overrides.get(resident.name)
        if not override:
            result.append(resident)
            continue
        days, adjustment = resident.days, resident.room_adjustment
        if "days" in override:
            days = None if override["days"] is None else Decimal(str(override["days"]))
        if "room_adjustment" in override and override["room_adjustment"] is not None:
            adjustment = Decimal(str(override["room_adjustment"]))
        result.append(
            Resident(resident.tenant, days=days, room_adjustment=adjustment, overridden=True)
        )
    return result
