from datetime import date
from decimal import Decimal

import pytest

from rent.engine.months import (
    DUE_DAY,
    add_months,
    config_month_due_next,
    days_in_month,
    days_or_full,
    due_date,
    explicit_days,
    last_of_month,
    parse_month,
)


@pytest.mark.parametrize(
    ("month", "count", "expected"),
    [
        (date(2025, 9, 1), 1, date(2025, 10, 1)),
        (date(2025, 12, 1), 1, date(2026, 1, 1)),
        (date(2025, 1, 1), -1, date(2024, 12, 1)),
        (date(2025, 9, 1), -12, date(2024, 9, 1)),
        (date(2025, 9, 1), 0, date(2025, 9, 1)),
    ],
)
def test_add_months(month, count, expected):
    assert add_months(month, count) == expected


def test_days_in_month_knows_leap_years():
    assert days_in_month(date(2024, 2, 1)) == 29
    assert days_in_month(date(2025, 2, 1)) == 28
    assert last_of_month(date(2025, 4, 1)) == date(2025, 4, 30)


def test_parse_month():
    assert parse_month("2025-09") == date(2025, 9, 1)
    for bad in ["2025-13", "2025", "sept", "2025-09-01"]:
        with pytest.raises(ValueError, match="not a month"):
            parse_month(bad)


def test_the_due_day_and_the_month_due_next():
    assert DUE_DAY == 27
    assert due_date(date(2026, 12, 1)) == date(2026, 12, 27)
    assert config_month_due_next(date(2026, 11, 27)) == date(2026, 11, 1)
    assert config_month_due_next(date(2026, 11, 30)) == date(2026, 12, 1)
    assert config_month_due_next(date(2026, 12, 28)) == date(2027, 1, 1)


@pytest.mark.parametrize("text", ["0001-01", "9999-12", "1899-12", "3000-01", "2025-13", "x"])
def test_months_outside_the_house_systems_years_are_refused(text):
    with pytest.raises(ValueError, match="not a month"):
        parse_month(text)


def test_no_days_means_a_full_month_decided_in_one_place():
    assert explicit_days(None, 31) is None and explicit_days(31, 31) is None
    assert explicit_days(31.0, 31) is None and explicit_days("15.5", 31) == Decimal("15.5")
    assert days_or_full(None, 30) == Decimal(30) and days_or_full(15, 30) == Decimal(15)
