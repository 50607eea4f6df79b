"""Calendar months as the first day of the month: the one representation the whole project uses."""

import calendar
from datetime import date
from decimal import Decimal


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after `month` (negative goes back)."""
    index = month.year * 12 + (month.month - 1) + count
    return date(index // 12, index % 12 + 1, 1)


def days_in_month(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def explicit_days(days, month_length: int) -> Decimal | None:
    """ "No days means a full month", decided here only: the days of a stay as a Decimal, or
    None for the full month (no days given, or as many as the month has)."""
    if days is None:
        return None
    days = Decimal(str(days))
    return None if days == month_length else days


def days_or_full(days, month_length: int) -> Decimal:
    """The days of a stay, the month's length where none are given."""
    days = explicit_days(days, month_length)
    return Decimal(month_length) if days is None else days


def last_of_month(month: date) -> date:
    return month.replace(day=days_in_month(month))


# The months the house system deals in. Outside them, a month and its neighbours (the rent
# month after, the previous month's page) could fall outside what dates can hold.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def parse_month(text: str) -> date:
    """`2025-09` → date(2025, 9, 1). Raises ValueError with the text on anything else,
    including years outside FIRST_YEAR..LAST_YEAR (`0001-01`, `9999-12`)."""
    try:
        year, month = (int(part) for part in str(text).split("-"))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(year)
        return date(year, month, 1)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a month (expected YYYY-MM): {text!r}") from exc


# Rent for rent month R is due by this day of config month C = R - 1; after it, it is overdue.
DUE_DAY = 27


def due_date(config_month: date) -> date:
    """The day config month C's rent (for R = C + 1) must be paid by: the 27th of C."""
    return config_month.replace(day=DUE_DAY)


def config_month_due_next(today: date) -> date:
    """The config month whose rent is due next: this month until the 27th, then the next one.

    On 30 November the rent for December was due on 27 November; what matters now is the
    December config month (the rent for January, due on 27 December).
    """
    this_month = today.replace(day=1)
    return this_month if today.day <= DUE_DAY else add_months(this_month, 1)


def overdue_rent_months_through(today: date) -> date:
    """The latest rent month that is overdue when unpaid on `today` (its due day has passed)."""
    return config_month_due_next(today)
