"""Money's constants: kronor with öre, Decimal never float, in one precision.

Framework-free so the engine can use them; the model and form field are in `rent.fields`.
"""

from decimal import Decimal

ZERO = Decimal("0")

# Every money column is a DecimalField(max_digits=14, decimal_places=2): below 1 000 000 000 000.
MONEY_MAX_DIGITS = 14
MONEY_DECIMAL_PLACES = 2
MONEY_LIMIT = Decimal(10) ** (MONEY_MAX_DIGITS - MONEY_DECIMAL_PLACES)
