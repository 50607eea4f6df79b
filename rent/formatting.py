"""Amounts as the household reads and writes them: Swedish kronor, `7 045 kr`, `1 234,50`."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _


def format_kronor(amount) -> str:
    """`7045` → "7 045 kr"; öre only when there are any: `7044.75` → "7 044,75 kr".

    Groups of three digits are separated by a space and the decimal mark is a comma, as in
    Swedish. `None` gives an empty string (a blank cell rather than "None").
    """
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _, ore = f"{abs(value):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = " ".join(groups)
    if ore != "00":
        text += f",{ore}"
    return f"{sign}{text} kr"


_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_amount(value) -> Decimal | None:
    """`1 234,50`, `1234.50`, `1.234,50`, `-1400` and `7045 kr` → Decimal; blank → None."""
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
        raise ValueError(_("Not an amount: %(value)s") % {"value": value}) from None
    if not amount.is_finite():
        raise ValueError(_("Not an amount: %(value)s") % {"value": value})
    return amount
