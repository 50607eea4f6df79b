"""Amounts as the household reads and writes them: Swedish kronor, `7 045 kr`, `1 234,50`.

The one home of money and number formatting (built on `django.utils.numberformat`) and of
money typed into forms (`parse_money_input`). Templates use the one `kronor` filter, defined
here and registered by both apps' tag libraries.
"""

import re
from datetime import date, datetime
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

from django.utils import numberformat, timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rent.engine.money import MONEY_DECIMAL_PLACES, MONEY_LIMIT
from rent.engine.numbers import decimal_text as decimal_text  # the engine's, the one rule
from rent.errors import RentError

_WIDE = Context(prec=80)  # quantizing a huge typed value must not fail the page


def _to_ore(amount) -> Decimal | None:
    """The amount rounded to öre (halves away from zero), or None when it is not a number."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite():
        return None
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP, context=_WIDE)


def _swedish(value: Decimal, decimals: int | None) -> str:
    """Digits grouped by a space, a decimal comma: Swedish whatever the active language."""
    with localcontext(_WIDE):
        return numberformat.format(
            value,
            decimal_sep=",",
            decimal_pos=decimals,
            grouping=3,
            thousand_sep=" ",
            force_grouping=True,
        )


def format_kronor(amount) -> str:
    """`7045` → "7 045 kr"; öre only when there are any: `7044.75` → "7 044,75 kr".

    `None` gives an empty string (a blank cell rather than "None"); a value that is not a
    finite number is shown as it is rather than failing the page.
    """
    if amount is None or amount == "":
        return ""
    value = _to_ore(amount)
    if value is None:
        return str(amount)
    if value == value.to_integral_value():
        return f"{_swedish(value, 0)} kr"
    return f"{_swedish(value, 2)} kr"


def format_whole_kronor(amount) -> str:
    """Whole kronor without "kr", rounded down (never more than was paid): `6624.50` → "6 624"."""
    value = _to_ore(amount)
    if value is None:
        return "" if amount in (None, "") else str(amount)
    return _swedish(value.to_integral_value(rounding=ROUND_FLOOR), 0)


def format_money_input(amount) -> str:
    """How a stored amount is shown in a money field: `3312` → "3 312,00"."""
    if amount is None or amount == "":
        return ""
    value = _to_ore(amount)
    if value is None:
        return str(amount)
    return _swedish(value, 2)


def plain_number(value) -> str:
    """A number without trailing zeros and with a decimal comma: `15.50` → "15,5", `31` → "31"."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f").replace(".", ",")


def ore_text(amount: Decimal) -> str:
    """Kronor with öre, a decimal comma and no grouping, as Swish reads it: `7045.5` → "7045,50"."""
    return f"{amount:.2f}".replace(".", ",")


def rounded_number(value, places=4) -> str:
    """A worked figure rounded for reading, without trailing zeros or grouping:
    `7044.75126` → "7044,7513" (4 places), `30542.00` → "30542"."""
    if value is None or value == "":
        return ""
    text = f"{value:.{int(places)}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_amount(value) -> Decimal | None:
    """`1 234,50`, `1234.50`, `1.234,50`, `-1400` and `7045 kr` → Decimal; blank → None.

    Lenient, for files (import); forms use the stricter `parse_money_input`.
    """
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = _SPACES.sub("", str(value))
    text = text.removesuffix("kr").replace("\u2212", "-")
    if not text:
        return None
    if "," in text and "." in text:
        # The separator that comes last is the decimal mark; the other groups thousands.
        thousands = "." if text.rindex(",") > text.rindex(".") else ","
        text = text.replace(thousands, "")
    text = text.replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise MoneyInputError("not_an_amount", value=value) from None
    if not amount.is_finite():
        raise MoneyInputError("not_an_amount", value=value)
    return amount


# `3312`, `3 312`, `-1 400`, each optionally with `,50` / `.50` and ` kr`. Spaces only between
# groups of three digits; one decimal mark with one or two decimals.
_MONEY_INPUT = re.compile(
    r"(?P<sign>[-\u2212])?\s*(?P<whole>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)"
    r"(?:[.,](?P<ore>\d+))?\s*(?:kr)?"
)


class MoneyInputError(RentError, ValueError):
    """Money typed in a way that cannot be read for sure; the message says what to type."""


def parse_money_input(text, *, label: str = "") -> Decimal | None:
    """Money typed in a form → Decimal; blank → None. Refuses anything ambiguous.

    Accepted: `3312`, `3312,00`, `3 312,50`, `3312.50`, `3 312 kr`, `-1 400`.
    Refused (with a message naming `label`): more than two decimals (`1.234` might mean one
    thousand), both marks (`1.234,50`), odd groups (`33 12`), letters, and amounts too large
    for the ledger.
    """
    if text is None:
        return None
    if isinstance(text, Decimal):
        return text
    text = str(text).strip()
    if not text:
        return None
    name = label or _("The amount")
    match = _MONEY_INPUT.fullmatch(text)
    if match is None:
        raise MoneyInputError("money_unreadable", field=name)
    ore = match["ore"] or ""
    if len(ore) > MONEY_DECIMAL_PLACES:
        raise MoneyInputError("money_decimals", field=name)
    digits = _SPACES.sub("", match["whole"])
    amount = Decimal(f"{digits}.{ore or '0'}")
    if match["sign"]:
        amount = -amount
    if abs(amount) >= MONEY_LIMIT:
        raise MoneyInputError(
            "money_too_large", field=name, limit=format_kronor(MONEY_LIMIT - Decimal("0.01"))
        )
    return amount.quantize(Decimal("0.01"))


def format_balance(balance) -> str:
    """A balance as the household says it: `6 009 kr` owed, `706 kr tillgodo` in credit."""
    if balance is None or balance == "":
        return ""
    value = _to_ore(balance)
    if value is not None and value < 0:
        return _("%(amount)s in credit") % {"amount": format_kronor(-value)}
    return format_kronor(balance)


# Swedish short month names as the Language Council writes them: "7 dec. 2026", "3 mars 2026".
_SWEDISH_SHORT_MONTHS = [
    "jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "dec.",
]  # fmt: skip


def format_day(day) -> str:
    """A day as a person reads it: "7 dec. 2026" (Swedish), "7 Dec 2026" (English); a
    datetime is shown as its local day; blank stays blank."""
    if day is None or day == "":
        return ""
    if isinstance(day, datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    if not isinstance(day, date):
        return str(day)
    if (get_language() or "sv").startswith("sv"):
        return f"{day.day} {_SWEDISH_SHORT_MONTHS[day.month - 1]} {day.year}"
    return date_format(day, "j M Y")


def format_day_time(moment) -> str:
    """A moment in local time: "7 dec. 2026 14:05"; blank stays blank."""
    if not moment:
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{format_day(local.date())} {local:%H:%M}"


def kronor_html(amount):
    """`{{ 7045|kronor }}` → "7 045 kr", in a span that never breaks between its digits and
    "kr" (`.kr { white-space: nowrap }` in each page's stylesheet); blank stays blank."""
    text = format_kronor(amount)
    return format_html('<span class="kr">{}</span>', text) if text else ""


def balance_html(amount):
    """`{{ balance|balance }}` → "6 009 kr" owed, "706 kr tillgodo" in credit; unbroken."""
    text = format_balance(amount)
    return format_html('<span class="kr">{}</span>', text) if text else ""


def message_html(message: str | None) -> str:
    """The chat message as HTML: `*bold*` becomes <strong>, lines stay lines (text escaped)."""
    if not message:
        return ""
    lines = []
    for line in escape(message).split("\n"):
        parts = line.split("*")
        html = "".join(
            f"<strong>{part}</strong>" if index % 2 and index < len(parts) - 1 else part
            for index, part in enumerate(parts)
        )
        lines.append(html)
    return mark_safe("<br>".join(lines))  # noqa: S308 - every part escaped above
