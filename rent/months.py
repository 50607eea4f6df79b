"""Calendar months as the first day of the month: the one representation the whole project uses."""

import calendar
from datetime import date


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after `month` (negative goes back)."""
    index = month.year * 12 + (month.month - 1) + count
    return date(index // 12, index % 12 + 1, 1)


def days_in_month(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def last_of_month(month: date) -> date:
    return month.replace(day=days_in_month(month))


def parse_month(text: str) -> date:
    """`2025-09` → date(2025, 9, 1). Raises ValueError with the text on anything else."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a month (expected YYYY-MM): {text!r}") from exc
