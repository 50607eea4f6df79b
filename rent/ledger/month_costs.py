"""Saving the month's bills from the "Månadens kostnader" page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from household.locks import lock_until_commit
from rent.engine.config import CONFIG_KEYS
from rent.ledger.inputs import effective_config
from rent.models import RentConfig


@dataclass
class SavedCosts:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


def save_month_costs(*, config_month: date, values: Mapping[str, Decimal | None]) -> SavedCosts:
    """Make config month C's rows say `values`; safe to run again with the same values.

    - a key that already has a row for C: updated to the value (a blank value removes the row,
      so the key falls back to an earlier month, its default or a projection);
    - a key without a row for C: a row is created only when the value differs from what C
      would use anyway (carried, default or projected), or when the key is missing (no bill
      and nothing to estimate from: any value typed, even 0, is the bill). An untouched form
      stores nothing, and an unchanged projected electricity bill stays marked as projected.
    """
    result = SavedCosts()
    with transaction.atomic():
        # Two treasurers saving the same month: the second waits for the first, then sees its
        # rows (no duplicate key, no 500) and applies its own values over them.
        lock_until_commit(f"rent-config-month:{config_month:%Y-%m}")
        rows = {
            row.key: row
            for row in RentConfig.objects.select_for_update().filter(period=config_month)
        }
        inherited = effective_config(config_month)
        for key in CONFIG_KEYS:
            if key not in values:
                continue
            value, row = values[key], rows.get(key)
            if row is not None and value is None:
                row.delete()
                result.removed.append(key)
            elif row is not None and row.value != value:
                row.value = value
                row.save(update_fields=["value", "updated_at"])
                result.updated.append(key)
            elif (
                row is None
                and value is not None
                and (value != inherited.values[key] or inherited.sources[key].missing)
            ):
                RentConfig.objects.create(key=key, period=config_month, value=value)
                result.created.append(key)
    return result
