"""The rent message posted to the house chat (`*…*` is bold there), in the household's words."""

from __future__ import annotations

from decimal import Decimal
from itertools import groupby

from rent.engine.months import DUE_DAY
from rent.engine.numbers import decimal_text
from rent.engine.split import RentInputError, Split

SWEDISH_MONTH_NAMES = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
SWEDISH_MONTH_ABBREVIATIONS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "maj",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "nov",
    "dec",
)


def rent_message(split: Split, *, year: int, month: int) -> str:
    """The message for config month year-month: rent for the month after, due the 27th before.

    Everyone paying the same gets one line; otherwise people are grouped by amount, highest
    first, and anyone who did not stay the whole month is shown with their days.
    """
    if not 1 <= month <= 12:
        raise RentInputError("not_a_month", month=month)
    rent_year, rent_month = (year + 1, 1) if month == 12 else (year, month + 1)
    header = (
        f"*Hyran för {SWEDISH_MONTH_NAMES[rent_month - 1]} {rent_year}* "
        f"ska betalas innan {DUE_DAY} {SWEDISH_MONTH_ABBREVIATIONS[month - 1]}"
    )
    amounts = {share.amount for share in split.roommates}
    if len(amounts) == 1:
        return f"{header}\n*{amounts.pop()} kr* för alla"

    lines = []
    by_amount = sorted(split.roommates, key=lambda share: -share.amount)  # stable: roommate order
    for amount, group in groupby(by_amount, key=lambda share: share.amount):
        people = list(group)
        if len(people) >= 2 and all(share.full_month for share in people):
            lines.append(f"{', '.join(share.name for share in people)}: {amount} kr")
            continue
        for share in people:
            line = f"{share.name}: {amount} kr"
            if not share.full_month:
                line += f" ({stay_text(share.days)})"
            lines.append(line)
    return header + "\n\n" + "\n".join(lines)


def stay_text(days: Decimal | int | float) -> str:
    """`21 dagars boende`, `1 dags boende`, `15.5 dagars boende`."""
    text = format_days(days)
    return f"{text} {'dags' if Decimal(text) == 1 else 'dagars'} boende"


def format_days(days: Decimal | int | float) -> str:
    """Whole days without decimals (`21`), fractional days as written (`15.5`)."""
    return decimal_text(days)
