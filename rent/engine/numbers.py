"""A number as plain text, the one rule: the engine's message and config use it, and
rent.formatting hands it on to files, commands and pages. Framework-free."""

from decimal import Decimal


def decimal_text(value: Decimal | int | float) -> str:
    """A number without trailing zeros and with a decimal point, for files, commands and the
    rent message: `24530.00` → "24530", `15.50` → "15.5", `-1400` → "-1400"."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f")
