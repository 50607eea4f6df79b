"""The Swedish rent message (docs/rent-rules.md, section 5): the three exact messages and the
grouping rules."""

from decimal import Decimal

import pytest

from rent.engine.message import format_days, rent_message, stay_text
from rent.engine.split import split_rent
from tests.rent_cases import (
    AUGUST_2025,
    AUGUST_2025_CONFIG,
    NOVEMBER_2024,
    NOVEMBER_2024_CONFIG,
    NOVEMBER_2024_MESSAGE,
)

NO_FEES = {"bredband": 0, "vattenavgift": 0, "va": 0, "larm": 0}


def message(roommates, config, *, year, month):
    return rent_message(
        split_rent(roommates, config, year=year, month=month), year=year, month=month
    )


def test_six_roommates_november_2024():
    message_text = message(NOVEMBER_2024, NOVEMBER_2024_CONFIG, year=2024, month=10)
    assert message_text == NOVEMBER_2024_MESSAGE


def test_five_roommates_august_2025():
    assert message(AUGUST_2025, AUGUST_2025_CONFIG, year=2025, month=7) == (
        "*Hyran för augusti 2025* ska betalas innan 27 jul\n"
        "\n"
        "Fredrik, Rasmus: 7070 kr\n"
        "Adam: 7069 kr\n"
        "Amanda: 6841 kr (30 dagars boende)\n"
        "Elvira: 228 kr (1 dags boende)"
    )


def test_everyone_paying_the_same_october_2025():
    roommates = {"Fredrik": {}, "Adam": {}, "Amanda": {}, "Rasmus": {}}
    config = {"kallhyra": 24530, "el": 2424, "bredband": 400}
    assert message(roommates, config, year=2025, month=9) == (
        "*Hyran för oktober 2025* ska betalas innan 27 sep\n*7045 kr* för alla"
    )


def test_december_config_month_is_january_rent_of_the_next_year():
    text = message({"A": {}}, {}, year=2025, month=12)
    assert text.startswith("*Hyran för januari 2026* ska betalas innan 27 dec\n")


@pytest.mark.parametrize(
    ("month", "rent_month_name", "abbreviation"),
    [
        (1, "februari", "jan"),
        (2, "mars", "feb"),
        (3, "april", "mar"),
        (4, "maj", "apr"),
        (5, "juni", "maj"),
        (6, "juli", "jun"),
        (7, "augusti", "jul"),
        (8, "september", "aug"),
        (9, "oktober", "sep"),
        (10, "november", "okt"),
        (11, "december", "nov"),
        (12, "januari", "dec"),
    ],
)
def test_month_names_and_abbreviations(month, rent_month_name, abbreviation):
    header = message({"A": {}}, {}, year=2025, month=month).split("\n")[0]
    year = 2026 if month == 12 else 2025
    assert header == f"*Hyran för {rent_month_name} {year}* ska betalas innan 27 {abbreviation}"


def test_everyone_paying_the_same_says_so_even_with_partial_stays():
    # Exact shares 10002.37 and 9997.63: 10002 and 9998, then equalisation lifts B to 10002.
    split = split_rent(
        {"A": {}, "B": {"days": 29, "room_adjustment": 340}},
        {"kallhyra": 20000, **NO_FEES},
        year=2024,
        month=10,
    )
    assert split.equalised
    assert rent_message(split, year=2024, month=10).endswith(
        "\n*" + str(split.rents["A"]) + " kr* för alla"
    )


def test_one_day_is_singular():
    text = message({"A": {}, "B": {"days": 1}}, {}, year=2024, month=10)
    assert text.endswith("B: 831 kr (1 dags boende)")


def test_fractional_days_print_with_their_decimal():
    text = message({"A": {}, "B": {}, "C": {}, "Adam": {"days": 15.5}}, {}, year=2025, month=2)
    # Exact 7358.57 x3 and 3679.29; the krona too many comes off A (first of the .57s).
    assert text.split("\n")[2:] == [
        "B, C: 7359 kr",
        "A: 7358 kr",
        "Adam: 3679 kr (15.5 dagars boende)",
    ]


def test_days_given_as_the_whole_month_count_as_a_full_month():
    text = message(
        {"A": {"days": 31}, "B": {"days": 31}, "C": {"days": 10}}, {}, year=2025, month=7
    )
    assert text.split("\n")[2] == "A, B: 11089 kr"


def test_a_lone_full_month_roommate_has_no_days():
    text = message({"A": {}, "B": {"room_adjustment": -1000}}, {}, year=2024, month=10)
    # Exact 13377.5 and 12377.5: both round up, the krona too many comes off A.
    assert text.split("\n")[2:] == ["A: 13377 kr", "B: 12378 kr"]


def test_groups_go_from_the_highest_amount_down_with_people_in_roommate_order():
    roommates = {
        "Ö": {"room_adjustment": -500},
        "A": {},
        "M": {"room_adjustment": -500},
        "B": {},
    }
    text = message(roommates, {"kallhyra": 40000, **NO_FEES}, year=2024, month=10)
    assert text.split("\n")[2:] == ["A, B: 10250 kr", "Ö, M: 9750 kr"]


def test_a_group_with_a_partial_stay_lists_everyone_on_their_own_line():
    # A (full month, -4000) and B (20 days) both come to exactly 8000: no shared line.
    roommates = {"A": {"room_adjustment": -4000}, "B": {"days": 20}, "C": {}}
    text = message(roommates, {"kallhyra": 28000, **NO_FEES}, year=2024, month=10)
    assert text.split("\n")[2:] == [
        "C: 12000 kr",
        "A: 8000 kr",
        "B: 8000 kr (20 dagars boende)",
    ]


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (21, "21"),
        (Decimal("21.0"), "21"),
        (Decimal("15.5"), "15.5"),
        (15.5, "15.5"),
        (Decimal("15.50"), "15.5"),
        (1, "1"),
    ],
)
def test_format_days(days, text):
    assert format_days(days) == text


def test_stay_text():
    assert stay_text(1) == "1 dags boende"
    assert stay_text(Decimal("1.0")) == "1 dags boende"
    assert stay_text(21) == "21 dagars boende"
    assert stay_text(Decimal("0.5")) == "0.5 dagars boende"


def test_an_impossible_month_is_refused():
    split = split_rent({"A": {}}, {})
    with pytest.raises(ValueError, match="not a month"):
        rent_message(split, year=2025, month=13)
