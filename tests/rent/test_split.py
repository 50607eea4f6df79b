"""The split rules of docs/rent-rules.md (section 4), one rule per test, the exact cases, the
household's own history files, and property tests of what must hold for any input."""

import copy
import json
import subprocess
import sys
from decimal import Decimal, localcontext
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rent.engine.split import (
    CONFIG_KEYS,
    COST_KEY_BY_NAME,
    COST_KEYS,
    DEFAULTS,
    PER_MONTH_KEYS,
    PERSISTENT_KEYS,
    RentInputError,
    Split,
    round_half_away,
    split_from_history,
    split_rent,
)
from tests.rent_cases import (
    AUGUST_2025,
    AUGUST_2025_CONFIG,
    NOVEMBER_2024,
    NOVEMBER_2024_CONFIG,
    NOVEMBER_2024_RENTS,
    REPRODUCED_HISTORY_FILES,
    load_history,
)

REPO_ROOT = Path(__file__).resolve().parents[2]

# Costs that add up to exactly `total` with nothing else charged: makes rule tests readable.
NO_FEES = {"bredband": 0, "vattenavgift": 0, "va": 0, "larm": 0}


def costs(total, **more):
    return {"kallhyra": total, **NO_FEES, **more}


def full(*names, **adjustments):
    return {
        name: ({"room_adjustment": adjustments[name]} if name in adjustments else {})
        for name in names
    }


def test_the_split_needs_no_django():
    """The rules stay a plain function: importing them (and the message) loads no Django."""
    code = (
        "import sys, rent.engine.split, rent.engine.message, api.legacy_api; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    assert result.stdout.strip() == "[]"


# --- 1. Validation ------------------------------------------------------------------------------


def test_no_roommates_is_refused():
    with pytest.raises(RentInputError, match=r"^No roommates provided$"):
        split_rent({}, {})


@pytest.mark.parametrize("days", [0, -1, 31, 30.01, Decimal("-0.5")])
def test_days_outside_the_month_are_refused_with_the_month_length(days):
    with pytest.raises(RentInputError, match=r"^Invalid days for Malin: must be between 1 and 30$"):
        split_rent({"Fredrik": {}, "Malin": {"days": days}}, {})


@pytest.mark.parametrize("days", ["21", True, float("nan"), float("inf"), [21]])
def test_days_that_are_not_numbers_are_refused(days):
    with pytest.raises(RentInputError, match=r"^Invalid days for Malin: must be between 1 and 30$"):
        split_rent({"Malin": {"days": days}}, {})


def test_the_day_limit_is_the_length_of_the_rent_month():
    # Config month January 2025: the rent month is February 2025, 28 days.
    with pytest.raises(RentInputError, match=r"^Invalid days for Malin: must be between 1 and 28$"):
        split_rent({"Malin": {"days": 29}}, {}, year=2025, month=1)
    assert split_rent({"Malin": {"days": 28}}, {}, year=2025, month=1).roommates[0].full_month


def test_fractional_days_are_allowed():
    split = split_rent({"Fredrik": {}, "Adam": {"days": 15.5}}, costs(30000))
    assert split.roommates[1].days == Decimal("15.5")
    assert split.roommates[1].weight == Decimal("15.5") / 30


def test_a_tiny_positive_number_of_days_is_allowed():
    assert split_rent({"Elvira": {"days": Decimal("0.5")}}, costs(100)).rents == {"Elvira": 100}


@pytest.mark.parametrize("key", ["kallhyra", "el", "bredband"])
def test_negative_base_costs_are_refused(key):
    with pytest.raises(RentInputError, match=rf"^{key} must be a positive number$"):
        split_rent({"Fredrik": {}}, {key: -1})


@pytest.mark.parametrize("key", ["kallhyra", "el", "bredband"])
def test_base_costs_that_are_not_numbers_are_refused(key):
    with pytest.raises(RentInputError, match=rf"^{key} must be a positive number$"):
        split_rent({"Fredrik": {}}, {key: "1600"})


@pytest.mark.parametrize("key", ["kallhyra", "el", "bredband"])
def test_zero_base_costs_are_allowed(key):
    split = split_rent({"Fredrik": {}}, {key: 0})
    assert split.config[key] == 0


def test_other_costs_that_are_not_numbers_are_refused():
    with pytest.raises(RentInputError, match=r"^saldo_innan must be a number$"):
        split_rent({"Fredrik": {}}, {"saldo_innan": "550"})


@pytest.mark.parametrize("key", ["vattenavgift", "va", "larm", "drift_rakning", "gas"])
def test_negative_fees_and_gas_are_refused(key):
    """A negative bill would lower everyone's rent: only saldo_innan and extra_in may be."""
    with pytest.raises(RentInputError, match=rf"^{key} must be a positive number$"):
        split_rent({"Fredrik": {}}, {key: -1})


@pytest.mark.parametrize("key", ["saldo_innan", "extra_in"])
def test_the_previous_balance_and_extra_income_may_be_negative(key):
    assert split_rent({"Fredrik": {}}, {key: -100}).config[key] == -100


def test_one_list_of_cost_keys_gives_every_property():
    assert [key.name for key in COST_KEYS] == list(CONFIG_KEYS)
    negative = {name for name, key in COST_KEY_BY_NAME.items() if key.may_be_negative}
    assert negative == {"saldo_innan", "extra_in"}
    assert {key.name: key.default for key in COST_KEYS if key.persistent} == DEFAULTS


def test_a_room_adjustment_that_is_not_a_number_is_refused():
    with pytest.raises(
        RentInputError, match=r"^Invalid room_adjustment for Astrid: must be a number$"
    ):
        split_rent({"Astrid": {"room_adjustment": "-1400"}}, {})


def test_roommates_are_validated_before_costs():
    with pytest.raises(RentInputError, match=r"^No roommates provided$"):
        split_rent({}, {"el": -1})


# --- The config as the split uses it ------------------------------------------------------------


def test_key_groups_cover_every_cost_key_once():
    assert set(PER_MONTH_KEYS) | set(PERSISTENT_KEYS) == {
        "kallhyra",
        "el",
        "bredband",
        "vattenavgift",
        "va",
        "larm",
        "drift_rakning",
        "saldo_innan",
        "extra_in",
        "gas",
    }
    assert not set(PER_MONTH_KEYS) & set(PERSISTENT_KEYS)
    assert set(DEFAULTS) == set(PERSISTENT_KEYS)


def test_missing_keys_take_the_defaults_and_zeros():
    split = split_rent({"Fredrik": {}}, {})
    assert split.config == {
        "kallhyra": Decimal(24530),
        "el": 0,
        "bredband": Decimal(400),
        "vattenavgift": Decimal(375),
        "va": Decimal(300),
        "larm": Decimal(150),
        "drift_rakning": 0,
        "saldo_innan": 0,
        "extra_in": 0,
        "gas": 0,
    }
    assert split.total == Decimal(24530 + 400 + 375 + 300 + 150)


def test_null_counts_as_missing():
    split = split_rent({"Fredrik": {}}, {"drift_rakning": None, "bredband": None})
    assert split.config["drift_rakning"] == 0
    assert split.config["bredband"] == 400


def test_a_given_zero_means_zero_not_the_default():
    split = split_rent({"Fredrik": {}}, {"vattenavgift": 0, "va": 0, "larm": 0})
    assert split.fee_lines == {"vattenavgift": 0, "va": 0, "larm": 0}
    assert split.total == Decimal(24530 + 400)


def test_unknown_keys_are_ignored():
    split = split_rent({"Fredrik": {}}, {"drift": 4612, "year": 2024, "note": "x"})
    assert split.total == Decimal(24530 + 400 + 825)


def test_the_quarterly_invoice_replaces_the_three_monthly_fees():
    split = split_rent({"Fredrik": {}}, {"drift_rakning": 2612})
    assert split.fee_lines == {"drift_rakning": Decimal(2612)}
    assert split.total == Decimal(24530 + 400 + 2612)


def test_without_a_quarterly_invoice_the_three_fees_are_charged():
    split = split_rent({"Fredrik": {}}, {"drift_rakning": 0})
    assert split.fee_lines == {"vattenavgift": 375, "va": 300, "larm": 150}


def test_total_adds_costs_and_gas_and_subtracts_balance_and_extra_income():
    config = {
        "kallhyra": 24530,
        "el": 1973,
        "bredband": 400,
        "gas": 550,
        "saldo_innan": 100,
        "extra_in": 50,
    }
    split = split_rent({"Fredrik": {}}, config)
    assert split.total == Decimal(24530 + 1973 + 400 + 825 + 550 - 100 - 50)


def test_float_inputs_keep_their_decimal_value():
    split = split_rent({"Fredrik": {}}, {"el": 5935.98, "vattenavgift": 375, "va": 0, "larm": 0})
    assert split.config["el"] == Decimal("5935.98")
    assert split.total == Decimal("31240.98")


# --- D, the length of the rent month ------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (None, None, 30),
        (2024, 10, 30),  # rent month November
        (2025, 7, 31),  # rent month August
        (2025, 1, 28),  # rent month February 2025
        (2024, 1, 29),  # rent month February 2024, a leap year
        (2025, 12, 31),  # rent month January 2026
    ],
)
def test_days_in_month_is_the_rent_months_length(year, month, expected):
    assert split_rent({"A": {}}, {}, year=year, month=month).days_in_month == expected


# --- 2-4. Weights, prorated adjustments, rent per weight point ----------------------------------


def test_weight_is_days_over_the_month_and_missing_days_mean_the_whole_month():
    split = split_rent({"A": {}, "B": {"days": 15}, "C": {"days": 30}}, costs(25000))
    assert [share.weight for share in split.roommates] == [1, Decimal("0.5"), 1]
    assert [share.full_month for share in split.roommates] == [True, False, True]
    assert split.total_weight == Decimal("2.5")


def test_adjustments_are_prorated_by_days():
    split = split_rent(
        {"A": {}, "B": {"days": 15, "room_adjustment": -1400}, "C": {"room_adjustment": 600}},
        costs(25000),
    )
    assert [share.prorated_adjustment for share in split.roommates] == [0, -700, 600]
    assert split.total_adjustment == -100


def test_a_discount_is_paid_by_everyone_else_in_proportion_to_weight():
    split = split_rent(
        {"A": {}, "B": {"days": 15}, "C": {"room_adjustment": -1000}}, costs(Decimal("24000"))
    )
    # distributable = 24000 + 1000, over weight 2.5: 10000 per full month.
    assert split.distributable == 25000
    assert split.rent_per_weight_point == 10000
    assert [share.exact_share for share in split.roommates] == [10000, 5000, 9000]
    assert split.rents == {"A": 10000, "B": 5000, "C": 9000}


def test_exact_shares_always_add_up_to_the_total():
    split = split_rent(NOVEMBER_2024, NOVEMBER_2024_CONFIG, year=2024, month=10)
    assert sum(share.exact_share for share in split.roommates) == pytest.approx(split.total)
    assert split.total == 29142


# --- 5. Rounding half away from zero ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("2.5"), 3),
        (Decimal("3.5"), 4),
        (Decimal("-2.5"), -3),
        (Decimal("0.5"), 1),
        (Decimal("-0.5"), -1),
        (Decimal("2.4999"), 2),
        (Decimal("-2.4999"), -2),
        (Decimal("7068.5"), 7069),
        (0, 0),
    ],
)
def test_round_half_away_from_zero(value, expected):
    assert round_half_away(value) == expected


def test_halves_round_away_from_zero_where_pythons_round_would_go_to_even():
    # A's exact share is 7069.5 and B's 6500.5 (both halves). Away from zero gives 7070 and 6501,
    # one krona over the total, so the walk takes it back from A (tie, roommate order).
    # Python's round() would give 7070 and 6500 instead.
    split = split_rent(full("A", "B", B=-569), costs(13570))
    assert [share.exact_share for share in split.roommates] == [
        Decimal("7069.5"),
        Decimal("6500.5"),
    ]
    assert split.rents == {"A": 7069, "B": 6501}
    assert split.total_paid == 13570


# --- 6. The remainder walk ----------------------------------------------------------------------


def test_a_positive_remainder_goes_to_the_largest_fractional_part_first():
    # Exact shares 10000.2, 8000.45, 6000.35: all round down, one krona short; B has .45.
    split = split_rent(
        full("A", "B", "C", B=Decimal("-1999.75"), C=Decimal("-3999.85")), costs(24001)
    )
    assert [share.exact_share for share in split.roommates] == [
        Decimal("10000.2"),
        Decimal("8000.45"),
        Decimal("6000.35"),
    ]
    assert split.remainder == 1
    assert split.rents == {"A": 10000, "B": 8001, "C": 6000}


def test_a_negative_remainder_is_taken_from_the_largest_fractional_part_first():
    # Exact shares 10000.55, 8000.65, 6000.8: all round up, one krona over; C has .8.
    split = split_rent(
        full("A", "B", "C", B=Decimal("-1999.9"), C=Decimal("-3999.75")), costs(24002)
    )
    assert split.remainder == -1
    assert split.rents == {"A": 10001, "B": 8001, "C": 6000}


def test_remainder_ties_go_in_roommate_order():
    # A, B, C all at .667: the krona comes off A, the first in roommate order
    # (docs/rent-rules.md, the split step 6).
    split = split_rent(full("A", "B", "C", C=-20), costs(28755))
    assert split.rents == {"A": 9591, "B": 9592, "C": 9572}
    reordered = split_rent(full("B", "A", "C", C=-20), costs(28755))
    assert reordered.rents == {"B": 9591, "A": 9592, "C": 9572}


def test_equal_fractional_parts_tie_exactly_whatever_the_size_of_the_share():
    # W = 63/30, p = 20657 / 2.1. Elvira (1 day) 327.888..., Rasmus (19 days) 6229.888...: the
    # same fractional part 8/9, so the krona too many comes off Elvira, first in roommate order.
    # With 28-digit Decimals the two parts differ in the last digit (327.8888...889 keeps one
    # more 8 than 6229.888...889), and Rasmus would wrongly pay the krona.
    roommates = {
        "Elvira": {"days": 1},
        "Fredrik": {},
        "Malin": {"days": 13},
        "Rasmus": {"days": 19},
    }
    split = split_rent(roommates, costs(20657))
    assert split.remainder == -1
    assert split.rents == {"Elvira": 327, "Fredrik": 9837, "Malin": 4263, "Rasmus": 6230}


def test_the_remainder_is_itself_rounded_half_away_from_zero():
    # One roommate, total 7068.5: the share rounds to 7069, the remainder -0.5 rounds to -1.
    split = split_rent({"A": {}}, costs(Decimal("7068.5")))
    assert split.remainder == -1
    assert split.rents == {"A": 7068}


# --- 7. Equalisation ----------------------------------------------------------------------------


def test_a_spread_under_ten_kronor_is_lifted_to_the_highest_share():
    split = split_rent(full("A", "B", B=-9), costs(20001))
    assert split.equalised
    assert split.rents == {"A": 10005, "B": 10005}
    assert split.total_paid == 20010
    assert split.total == 20001


def test_a_spread_of_ten_kronor_or_more_is_left_alone():
    split = split_rent(full("A", "B", B=-10), costs(20000))
    assert not split.equalised
    assert split.rents == {"A": 10005, "B": 9995}


def test_equal_shares_are_not_equalisation():
    split = split_rent(full("A", "B"), costs(20000))
    assert not split.equalised
    assert split.rents == {"A": 10000, "B": 10000}


def test_a_single_roommate_is_never_equalised():
    split = split_rent({"A": {}}, costs(Decimal("7044.75")))
    assert not split.equalised
    assert split.rents == {"A": 7045}


# --- 8. Whole kronor ----------------------------------------------------------------------------


def test_shares_are_whole_kronor():
    split = split_rent(AUGUST_2025, AUGUST_2025_CONFIG, year=2025, month=7)
    assert all(type(amount) is int for amount in split.rents.values())
    assert type(split.total_paid) is int
    assert all(type(share.amount) is int for share in split.roommates)


# --- The exact cases (docs/rent-rules.md) ---------------------------------------------------------


def test_six_roommates_november_2024():
    split = split_rent(NOVEMBER_2024, NOVEMBER_2024_CONFIG, year=2024, month=10)
    assert list(split.rents.items()) == [
        ("Fredrik", 6149),
        ("Rasmus", 6149),
        ("Frans-Lukas", 6149),
        ("Astrid", 4749),
        ("Malin", 4305),
        ("Elvira", 1641),
    ]
    assert split.days_in_month == 30
    assert split.fee_lines == {"drift_rakning": Decimal(2612)}


def test_five_roommates_august_2025():
    split = split_rent(AUGUST_2025, AUGUST_2025_CONFIG, year=2025, month=7)
    assert split.total == 28278
    assert list(split.rents.items()) == [
        ("Adam", 7069),
        ("Amanda", 6841),
        ("Elvira", 228),
        ("Fredrik", 7070),
        ("Rasmus", 7070),
    ]
    assert split.days_in_month == 31
    assert split.total_paid == 28278


def test_four_full_month_roommates_october_2025_are_equalised():
    split = split_rent(
        full("Fredrik", "Adam", "Amanda", "Rasmus"),
        {"kallhyra": 24530, "el": 2424, "bredband": 400},
        year=2025,
        month=9,
    )
    assert split.total == 28179
    assert all(share.exact_share == Decimal("7044.75") for share in split.roommates)
    assert split.equalised
    assert set(split.rents.values()) == {7045}
    assert split.total_paid == 28180


def test_five_roommates_with_adjustments():
    split = split_rent(
        full("A", "B", "C", "D", "E", A=600, B=-1400, C=-400, D=-1900, E=-1900), costs(29200)
    )
    assert list(split.rents.values()) == [7440, 5440, 6440, 4940, 4940]


def test_three_roommates_spread_of_twenty_is_not_equalised():
    split = split_rent(full("A", "B", "C", C=-20), costs(28755))
    assert list(split.rents.values()) == [9591, 9592, 9572]
    assert not split.equalised


# --- The household's own history ----------------------------------------------------------------


def charged(history) -> dict[str, int]:
    """final_results as whole kronor (older files write 6408.0)."""
    results = history["final_results"]
    assert all(Decimal(str(value)) % 1 == 0 for value in results.values())
    return {name: int(value) for name, value in results.items()}


@pytest.mark.real_data
@pytest.mark.parametrize("name", REPRODUCED_HISTORY_FILES)
def test_history_file_is_reproduced_exactly(real_data_dir, name):
    history = load_history(real_data_dir, name)
    split = split_from_history(history)
    assert list(split.rents.items()) == list(charged(history).items())


@pytest.mark.real_data
def test_the_thirteen_files_are_all_the_files_but_the_two_old_rule_files(real_data_dir):
    on_disk = {path.stem for path in (real_data_dir / "rent_history").glob("*.json")}
    assert on_disk - set(REPRODUCED_HISTORY_FILES) == {"2025_02_v10", "2023_11_v1"}
    assert len(REPRODUCED_HISTORY_FILES) == 13


@pytest.mark.real_data
def test_2025_02_v10_was_made_rounding_each_share_up_and_is_not_matched(real_data_dir):
    """March 2025 with Adam for half the month: the old script rounded every share up separately.

    Exact shares 9051.43 x3 and 4525.71 (total 31680). The file charged 9052 x3 and 4526 (31682);
    today's rules round to 9051 x3 and 4526, then give the missing krona to Adam (largest
    fractional part): 9051 x3 and 4527, exactly the total.
    """
    history = load_history(real_data_dir, "2025_02_v10")
    split = split_from_history(history)
    assert charged(history) == {"Fredrik": 9052, "Rasmus": 9052, "Elvira": 9052, "Adam": 4526}
    assert split.rents == {"Fredrik": 9051, "Rasmus": 9051, "Elvira": 9051, "Adam": 4527}
    assert split.total == 31680
    assert split.total_paid == 31680
    assert sum(charged(history).values()) == 31682


@pytest.mark.real_data
def test_2023_11_v1_was_a_flat_discount_script_and_is_not_matched(real_data_dir):
    """The first November 2024 draft: no year/month, a single `drift` key, and a script that
    took flat discounts off the shares instead of prorating and redistributing them.

    Under today's rules: `drift` is not a cost key (ignored), the fees default to 825, no month
    means 30 days; Astrid's 15 days halve both her weight and her -1400 adjustment.
    """
    history = load_history(real_data_dir, "2023_11_v1")
    split = split_from_history(history)
    assert charged(history) == {
        "Fredrik": 6408,
        "Rasmus": 6408,
        "Frans-Lukas": 6408,
        "Astrid": 5008,
        "Malin": 4508,
    }
    assert split.rents == {
        "Fredrik": 6213,
        "Rasmus": 6212,
        "Frans-Lukas": 6212,
        "Astrid": 2406,
        "Malin": 4312,
    }
    assert split.days_in_month == 30
    assert split.total == 24530 + 400 + 825 - 400
    # The file's shares are a flat 6408 less each discount (1400, 1900): not a split of any total
    # the rules would compute.
    assert sum(charged(history).values()) == 28740
    assert split.total_paid == split.total


# --- Reading a history file ---------------------------------------------------------------------


def test_split_from_history_takes_the_config_month_from_constants():
    history = {
        "metadata": {"version": 1},
        "constants": {"year": 2025, "month": 7, **AUGUST_2025_CONFIG},
        "roommates": AUGUST_2025,
        "final_results": {"ignored": 1},
    }
    split = split_from_history(history)
    assert (split.year, split.month, split.days_in_month) == (2025, 7, 31)
    assert split.rents == split_rent(AUGUST_2025, AUGUST_2025_CONFIG, year=2025, month=7).rents


def test_split_from_history_without_a_month_uses_thirty_days_and_ignores_legacy_keys():
    history = {"constants": {"kallhyra": 24530, "drift": 4612}, "roommates": {"A": {"days": 30}}}
    split = split_from_history(history)
    assert split.days_in_month == 30
    assert split.year is None
    assert split.total == 24530 + 400 + 825


def test_split_from_history_accepts_empty_and_null_roommate_entries():
    split = split_from_history({"constants": {}, "roommates": {"A": {}, "B": None}})
    assert split.rents == {"A": 12878, "B": 12878}  # 25755 / 2, equalised


def test_split_from_history_refuses_a_file_without_roommates():
    with pytest.raises(RentInputError, match=r"^No roommates provided$"):
        split_from_history({"constants": {"kallhyra": 24530}})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "A history file must be a JSON object"),
        ({"constants": [], "roommates": {"A": {}}}, "constants must be an object"),
        ({"constants": {}, "roommates": ["A"]}, "roommates must be an object"),
        ({"constants": {"year": 2025, "month": 7.5}, "roommates": {"A": {}}}, "month must be"),
    ],
)
def test_split_from_history_refuses_malformed_files(data, message):
    with pytest.raises(RentInputError, match=message):
        split_from_history(data)


# --- The result as data -------------------------------------------------------------------------


def test_to_dict_is_json_and_keeps_every_detail():
    split = split_rent(NOVEMBER_2024, NOVEMBER_2024_CONFIG, year=2024, month=10)
    data = json.loads(json.dumps(split.to_dict()))
    assert data["rents"] == NOVEMBER_2024_RENTS
    assert data["total"] == "29142"
    assert data["total_paid"] == 29142
    assert data["days_in_month"] == 30
    assert data["fee_lines"] == {"drift_rakning": "2612"}
    assert data["config"]["kallhyra"] == "24530"
    assert (data["year"], data["month"]) == (2024, 10)
    assert data["total_weight"] == str(Decimal(4) + Decimal(29) / 30)
    assert data["total_adjustment"] == "-1400"
    assert data["distributable"] == "30542"
    astrid = data["roommates"][3]
    assert astrid == {
        "name": "Astrid",
        "days": "30",
        "full_month": True,
        "room_adjustment": "-1400",
        "weight": "1",
        "prorated_adjustment": "-1400",
        "exact_share": astrid["exact_share"],
        "amount": 4749,
    }
    assert Decimal(astrid["exact_share"]) == split.roommates[3].exact_share


def test_fractional_days_survive_to_dict():
    split = split_rent({"A": {}, "Adam": {"days": 15.5}}, {}, year=2025, month=2)
    assert split.to_dict()["roommates"][1]["days"] == "15.5"


def test_split_is_frozen():
    split = split_rent({"A": {}}, {})
    assert isinstance(split, Split)
    with pytest.raises(AttributeError):
        split.total_paid = 0


# --- Properties ---------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=50000, places=2)
signed_money = st.decimals(min_value=-5000, max_value=5000, places=2)
config_months = st.one_of(
    st.just((None, None)),
    st.tuples(st.integers(min_value=2020, max_value=2030), st.integers(min_value=1, max_value=12)),
)


@st.composite
def months_and_roommates(draw, min_size=1):
    year, month = draw(config_months)
    length = split_rent({"x": {}}, {}, year=year, month=month).days_in_month
    days = st.one_of(
        st.none(),
        st.integers(min_value=1, max_value=length),
        st.decimals(min_value=Decimal("0.5"), max_value=length, places=1),
    )
    adjustment = st.one_of(st.none(), signed_money, st.integers(min_value=-3000, max_value=3000))
    infos = draw(
        st.lists(
            st.fixed_dictionaries({}, optional={"days": days, "room_adjustment": adjustment}),
            min_size=min_size,
            max_size=8,
        )
    )
    roommates = {f"R{index}": info for index, info in enumerate(infos)}
    return year, month, roommates


configs = st.fixed_dictionaries(
    {},
    optional={
        "kallhyra": money,
        "el": money,
        "bredband": st.decimals(min_value=0, max_value=1000, places=2),
        "vattenavgift": money,
        "va": money,
        "larm": money,
        "drift_rakning": money,
        "saldo_innan": money,
        "extra_in": money,
        "gas": money,
    },
)


@settings(max_examples=300, deadline=None)
@given(months_and_roommates(), configs)
def test_total_paid_stays_within_the_total_and_the_equalisation(case, config):
    year, month, roommates = case
    split = split_rent(roommates, config, year=year, month=month)
    n = len(roommates)
    assert split.total - Decimal("0.5") <= split.total_paid
    assert split.total_paid <= split.total + 9 * (n - 1) + Decimal("0.5")
    assert split.total_paid == sum(split.rents.values())


@settings(max_examples=300, deadline=None)
@given(months_and_roommates(), configs, st.data())
def test_roommates_with_equal_days_and_adjustments_differ_by_at_most_one_krona(case, config, data):
    year, month, roommates = case
    names = list(roommates)
    model = data.draw(st.sampled_from(names))
    position = data.draw(st.integers(min_value=0, max_value=len(names)))
    names.insert(position, "Twin")
    with_twin = {name: roommates.get(name, roommates[model]) for name in names}
    split = split_rent(with_twin, config, year=year, month=month)
    assert abs(split.rents["Twin"] - split.rents[model]) <= 1


@settings(max_examples=200, deadline=None)
@given(months_and_roommates(), configs, months_and_roommates(), configs)
def test_shares_depend_only_on_the_inputs(case, config, other_case, other_config):
    year, month, roommates = case
    roommates_before, config_before = copy.deepcopy(roommates), copy.deepcopy(config)
    first = split_rent(roommates, config, year=year, month=month)
    # Another split in between, copies of the inputs, read-only mappings and a caller's odd
    # decimal context must all leave the result unchanged, and the inputs untouched.
    split_rent(other_case[2], other_config, year=other_case[0], month=other_case[1])
    again = split_rent(copy.deepcopy(roommates), dict(config), year=year, month=month)
    read_only = split_rent(
        MappingProxyType({name: MappingProxyType(info) for name, info in roommates.items()}),
        MappingProxyType(config),
        year=year,
        month=month,
    )
    with localcontext() as context:
        context.prec = 6
        low_precision = split_rent(roommates, config, year=year, month=month)
    assert first == again == read_only == low_precision
    assert first.to_dict() == low_precision.to_dict()
    assert roommates == roommates_before and config == config_before
