"""Benchmark of the rent engine: pure splits per second, and database queries per month.

Run: `DEBUG=true .venv/bin/python bench/engine.py` from the repo root.

It prints how many 6-person splits (the six-roommate case of docs/rent-rules.md) the pure
`split_rent` computes per second, and how many database queries `month_breakdown` takes to
compute one config month from the database at 6 and 60 tenants and at 10 and 1000 stored
config rows. The query count must be the same in every cell: it does not grow with tenants or
config rows.

The database is a throwaway SQLite file in a temporary directory, migrated from scratch and
deleted afterwards; set BENCH_USE_CONFIGURED_DB=true to use the configured DATABASE_URL instead
(the benchmark then runs inside a transaction that is rolled back, leaving it unchanged).
"""

import time
from datetime import date
from decimal import Decimal

import benchdb  # sets Django up: first
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rent.engine.config import CONFIG_KEYS
from rent.engine.months import add_months
from rent.engine.split import split_rent
from rent.ledger.inputs import month_breakdown
from rent.models import RentConfig, RentLedger, Tenant

CONFIG_MONTH = date(2024, 10, 1)
SIX_ROOMMATES = {
    "Fredrik": {},
    "Rasmus": {},
    "Frans-Lukas": {},
    "Astrid": {"room_adjustment": Decimal("-1400")},
    "Malin": {"days": Decimal(21)},
    "Elvira": {"days": Decimal(8)},
}
SIX_CONFIG = {"kallhyra": 24530, "el": 1600, "bredband": 400, "drift_rakning": 2612}


def splits_per_second(seconds: float = 1.0) -> float:
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(100):
            split_rent(SIX_ROOMMATES, SIX_CONFIG, year=2024, month=10)
        count += 100
    return count / elapsed


def fill(tenants: int, config_rows: int) -> None:
    """Exactly `tenants` tenants (some arriving mid-month) and `config_rows` config rows.

    Deletes what is there first (inside the transaction that main() rolls back).
    """
    RentLedger.objects.all().delete()
    Tenant.objects.all().delete()
    RentConfig.objects.all().delete()
    rent_month = add_months(CONFIG_MONTH, 1)
    Tenant.objects.bulk_create(
        Tenant(
            name=f"Tenant {index:03}",
            start_date=rent_month.replace(day=1 + index % 28) if index % 3 else None,
            room_adjustment=Decimal(-100 * (index % 4)),
        )
        for index in range(tenants)
    )
    rows, month = [], CONFIG_MONTH
    while len(rows) < config_rows:
        for key in CONFIG_KEYS:
            if len(rows) < config_rows:
                rows.append(RentConfig(key=key, period=month, value=Decimal(100 + len(rows))))
        month = add_months(month, -1)
    RentConfig.objects.bulk_create(rows)


def queries_for_one_month() -> int:
    with CaptureQueriesContext(connection) as queries:
        month_breakdown(CONFIG_MONTH)
    return len(queries)


def main() -> int:
    print(f"pure split, 6 roommates: {splits_per_second():,.0f} splits per second")
    counts = {}
    with benchdb.rolled_back():
        for tenants in (6, 60):
            for config_rows in (10, 1000):
                fill(tenants, config_rows)
                counts[tenants, config_rows] = queries_for_one_month()
                print(
                    f"one month from the database, {tenants:>2} tenants, "
                    f"{config_rows:>4} config rows: {counts[tenants, config_rows]} queries"
                )
    if len(set(counts.values())) != 1:
        print("FAIL: the number of queries grows with tenants or config rows")
        return 1
    print("OK: the number of queries does not grow with tenants or config rows")
    return 0


if __name__ == "__main__":
    benchdb.run(main)
