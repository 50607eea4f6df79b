from datetime import date

import pytest

from rent.months import add_months, days_in_month, last_of_month, parse_month


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
