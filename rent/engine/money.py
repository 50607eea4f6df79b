"""Money's constants: kronor with öre, Decimal never float, in one precision.

Framework-free so the engine can use them (and the one plain text of a number, which the
engine's message and config use and rent.formatting hands on); the model and form field are
in `rent.fields`.
"""

from decimal import Decimal

ZERO = Decimal("0")

# Every money column is a DecimalField(max_digits=14, decimal_places=2): below 1 000 000 000 000.
MONEY_MAX_DIGITS = 14
MONEY_DECIMAL_PLACES = 2
MONEY_LIMIT = Decimal(10) ** (MONEY_MAX_DIGITS - MONEY_DECIMAL_PLACES)


def decimal_text(value: Decimal | int | float) -> str:
    """A number without trailing zeros and with a decimal point, for files, commands and the
    rent message: `24530.00` → "24530", `15.50` → "15.5", `-1400` → "-1400"."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f")
