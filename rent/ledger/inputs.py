"""What a month's split is computed from, read from the database: the effective config (the
`RentConfig` rows, one query), the residents (the `Tenant` rows, one query) and the month's
breakdown from both. The rules they feed are the engine's (rent.engine.config, .occupancy,
.breakdown), which read nothing themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.db.models import OuterRef, Q, Subquery

from rent.engine.breakdown import MonthBreakdown, breakdown_of
from rent.engine.config import PERSISTENT_KEYS, PROJECTION_MONTHS, EffectiveConfig, config_from_rows
from rent.engine.months import add_months, last_of_month
from rent.engine.occupancy import Resident, apply_overrides, residents_from
from rent.models import RentConfig, Tenant, moved_in_by


def effective_config(config_month: date) -> EffectiveConfig:
    """Resolve every key for config month C in one query (rent.engine.config)."""
    window_start = add_months(config_month, -PROJECTION_MONTHS)
    latest_persistent_period = (
        RentConfig.objects.filter(key=OuterRef("key"), period__lte=config_month)
        .order_by("-period")
        .values("period")[:1]
    )
    rows = RentConfig.objects.filter(
        Q(period=config_month)
        | Q(key="el", period__gte=window_start, period__lt=config_month)
        | Q(key__in=PERSISTENT_KEYS, period=Subquery(latest_persistent_period))
    ).values_list("key", "period", "value")
    return config_from_rows(config_month, rows)


def residents_of(
    rent_month: date, *, overrides: Mapping[str, Mapping] | None = None, lock: bool = False
) -> list[Resident]:
    """Every tenant with at least one day in R, ordered by name (casefold). One query.

    `overrides` maps a name to {"days": ..., "room_adjustment": ...} for this month only
    (the household once set 15.5 days as a negotiated half month); a full-month override
    of days (None) removes explicit days. `lock` locks their rows until the transaction ends
    (finalize uses it so that two saves of one month run one after the other).
    """
    tenants = (Tenant.objects.select_for_update() if lock else Tenant.objects).filter(
        moved_in_by(last_of_month(rent_month)),
        Q(departure_date__isnull=True) | Q(departure_date__gte=rent_month),
    )
    residents = residents_from(tenants, rent_month)
    if overrides:
        residents = apply_overrides(residents, overrides, rent_month)
    return residents


def roommates_for(
    rent_month: date, *, overrides: Mapping[str, Mapping] | None = None
) -> dict[str, dict]:
    """Name → {"days"?, "room_adjustment"} in roommate order, as the split takes them."""
    return {
        resident.name: resident.roommate_entry()
        for resident in residents_of(rent_month, overrides=overrides)
    }


def month_breakdown(
    config_month: date,
    *,
    overrides: Mapping[str, Mapping] | None = None,
    lock: bool = False,
    residents: list[Resident] | None = None,
) -> MonthBreakdown:
    """Compute config month C's split from the database (rent month R = C + 1).

    `lock` (inside a transaction) locks the roommates' tenant rows first, so that what is read
    after it, the config included, is what a concurrent save of the same month committed.
    """
    rent_month = add_months(config_month, 1)
    if residents is None:  # `residents`: the month's, read already by the caller
        residents = residents_of(rent_month, overrides=overrides, lock=lock)
    elif overrides:
        residents = apply_overrides(residents, overrides, rent_month)
    config = effective_config(config_month)
    return breakdown_of(config_month, config=config, residents=residents)
