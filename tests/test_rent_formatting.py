from decimal import Decimal

import pytest

from rent.formatting import format_kronor


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("7045"), "7 045 kr"),
        (Decimal("7045.00"), "7 045 kr"),
        (7045, "7 045 kr"),
        (Decimal("7044.75"), "7 044,75 kr"),
        (Decimal("0"), "0 kr"),
        (Decimal("999"), "999 kr"),
        (Decimal("1000"), "1 000 kr"),
        (Decimal("24530"), "24 530 kr"),
        (Decimal("1234567.5"), "1 234 567,50 kr"),
        (Decimal("-1400"), "-1 400 kr"),
        (Decimal("-0.5"), "-0,50 kr"),
        ("2424", "2 424 kr"),
    ],
)
def test_format_kronor(amount, text):
    assert format_kronor(amount) == text


def test_format_kronor_leaves_a_missing_amount_blank():
    assert format_kronor(None) == ""


def test_format_kronor_rounds_ore_half_away_from_zero():
    assert format_kronor(Decimal("10.005")) == "10,01 kr"
    assert format_kronor(Decimal("-10.005")) == "-10,01 kr"
