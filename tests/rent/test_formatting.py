from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from rent.formatting import (
    MoneyInputError,
    decimal_text,
    format_balance,
    format_day,
    format_day_time,
    format_kronor,
    format_money_input,
    format_whole_kronor,
    ore_text,
    parse_amount,
    parse_money_input,
    plain_number,
    rounded_number,
)
from rent.templatetags.rent_admin import balance, balance_change, kronor


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


# Money typed in forms, and the other shapes of a number --------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("3312", Decimal("3312.00")),
        ("3312,00", Decimal("3312.00")),
        ("3 312,50", Decimal("3312.50")),
        ("3\u00a0312,50", Decimal("3312.50")),
        ("3312.50", Decimal("3312.50")),
        ("3 312 kr", Decimal("3312.00")),
        ("3312,5", Decimal("3312.50")),
        ("-1 400", Decimal("-1400.00")),
        ("\u22121400", Decimal("-1400.00")),
        ("  0 ", Decimal("0.00")),
        ("", None),
        (None, None),
    ],
)
def test_parse_money_input_accepts_the_swedish_spellings(typed, amount):
    assert parse_money_input(typed, label="Betalt") == amount


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1.234", "Betalt: högst två decimaler"),
        ("3312,005", "Betalt: högst två decimaler"),
        ("1.234,50", "Betalt: skriv ett belopp"),
        ("1,234.50", "Betalt: skriv ett belopp"),
        ("33 12", "Betalt: skriv ett belopp"),
        ("3312 kronor", "Betalt: skriv ett belopp"),
        ("1e30", "Betalt: skriv ett belopp"),
        ("NaN", "Betalt: skriv ett belopp"),
        ("9999999999999", "Betalt: för stort; högst 999 999 999 999,99 kr."),
        ("1000000000000,00", "Betalt: för stort"),
    ],
)
def test_parse_money_input_refuses_what_is_ambiguous_or_too_large(typed, message):
    with pytest.raises(MoneyInputError) as refused:
        parse_money_input(typed, label="Betalt")
    assert refused.value.message.startswith(message)


def test_the_largest_amount_the_ledger_holds_is_accepted():
    assert parse_money_input("999 999 999 999,99") == Decimal("999999999999.99")


def test_money_is_shown_back_in_a_field_with_ore():
    assert format_money_input(Decimal("3312")) == "3 312,00"
    assert format_money_input(Decimal("-1400.5")) == "-1 400,50"
    assert format_money_input(None) == ""


def test_plain_numbers_and_balances():
    assert plain_number(Decimal("15.50")) == "15,5"
    assert plain_number(Decimal("31.00")) == "31"
    assert format_balance(Decimal("6009")) == "6 009 kr"
    assert format_balance(Decimal("-706")) == "706 kr tillgodo"
    assert format_balance(Decimal("0")) == "0 kr"


def test_worked_figures_are_rounded_for_reading():
    assert rounded_number(Decimal("7044.75126")) == "7044,7513"
    assert rounded_number(Decimal("0.26666666"), 4) == "0,2667"
    assert rounded_number(Decimal("30542.00"), "2") == "30542"
    assert rounded_number(Decimal("-1400.5"), 2) == "-1400,5"
    assert rounded_number(None) == ""


def test_huge_or_odd_values_never_fail_a_page():
    assert format_kronor(Decimal("1e30")) == "1 000 000 000 000 000 000 000 000 000 000 kr"
    assert format_kronor(Decimal("NaN")) == "NaN"
    assert format_kronor("x") == "x"


def test_days_are_written_the_swedish_way_and_english_on_request():
    assert format_day(date(2026, 12, 7)) == "7 dec. 2026"
    assert format_day(date(2026, 3, 1)) == "1 mars 2026"  # mars, maj, juni, juli: not shortened
    assert format_day(None) == "" and format_day("") == ""
    # 13:05 UTC is 14:05 in Stockholm (the project's time zone) in winter.
    assert format_day_time(datetime(2026, 12, 7, 13, 5, tzinfo=UTC)) == ("7 dec. 2026 14:05")
    with translation.override("en"):
        assert format_day(date(2026, 12, 7)) == "7 Dec 2026"


def test_whole_kronor_are_rounded_down_never_showing_more_than_was_paid():
    assert format_whole_kronor(Decimal("6624.50")) == "6 624"
    assert format_whole_kronor(Decimal("6779")) == "6 779"
    assert format_whole_kronor(None) == ""


def test_the_kronor_filter_keeps_an_amount_on_one_line():
    assert kronor(Decimal("3312.50")) == '<span class="kr">3 312,50 kr</span>'
    assert kronor(None) == ""  # blank stays blank (`|default:"—"` still works)
    assert balance(Decimal("-706")) == '<span class="kr">706 kr tillgodo</span>'

    class Line:
        def __init__(self, due, paid, is_payment):
            self.amount_due, self.amount_paid, self.is_payment = due, paid, is_payment

    assert balance_change(Line(Decimal(6009), 0, False)) == '<span class="kr">+6 009 kr</span>'
    assert balance_change(Line(0, Decimal(6009), True)) == '<span class="kr">\u22126 009 kr</span>'
    assert balance_change(Line(0, Decimal(-500), True)) == '<span class="kr">+500 kr</span>'


def test_decimal_text_drops_trailing_zeros_and_keeps_a_point():
    assert decimal_text(Decimal("7045.00")) == "7045"
    assert decimal_text(Decimal("-1400")) == "-1400"
    assert decimal_text(Decimal("15.50")) == "15.5"
    assert decimal_text(15.5) == "15.5"
    assert decimal_text(21) == "21"


def test_ore_text_has_a_comma_and_no_grouping():
    assert ore_text(Decimal("7045.5")) == "7045,50"
    assert ore_text(Decimal("12345")) == "12345,00"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("tre", "money_unreadable"),
        ("3312,005", "money_decimals"),
        ("9999999999999", "money_too_large"),
    ],
)
def test_money_typed_wrong_is_named_by_code(typed, code):
    with pytest.raises(MoneyInputError) as refused:
        parse_money_input(typed, label="Betalt")
    assert (refused.value.code, refused.value.params["field"]) == (code, "Betalt")


def test_a_file_amount_that_is_not_one_is_named_by_code():
    with pytest.raises(MoneyInputError) as refused:
        parse_amount("many")
    assert (refused.value.code, refused.value.params) == ("not_an_amount", {"value": "many"})
    assert isinstance(refused.value, ValueError)  # the importers catch ValueError
