"""The old API's key names over our breakdown."""

import json

from api.legacy_api import legacy_breakdown
from rent.engine.split import split_rent
from tests.rent_cases import NOVEMBER_2024, NOVEMBER_2024_CONFIG, NOVEMBER_2024_RENTS


def november_2024(**config):
    return split_rent(NOVEMBER_2024, NOVEMBER_2024_CONFIG | config, year=2024, month=10)


def test_a_month_with_the_quarterly_invoice():
    legacy = legacy_breakdown(november_2024().to_dict())
    assert legacy["Kallhyra"] == 24530
    assert legacy["El"] == 1600
    assert legacy["Bredband"] == 400
    assert legacy["Kvartalsfaktura drift"] == 2612
    assert "Vattenavgift" not in legacy and "VA" not in legacy and "Larm" not in legacy
    assert legacy["Drift total"] == 1600 + 400 + 2612
    assert legacy["Total"] == 29142
    assert legacy["total_rent"] == 29142
    assert legacy["total_paid"] == 29142
    assert legacy["Rent per Roommate"] == NOVEMBER_2024_RENTS
    assert legacy["rents"] == NOVEMBER_2024_RENTS
    assert list(legacy["rents"]) == list(NOVEMBER_2024)


def test_a_month_with_the_three_monthly_fees_and_gas():
    split = split_rent(
        {"Adam": {}, "Amanda": {"days": 30}, "Elvira": {"days": 1}, "Fredrik": {}, "Rasmus": {}},
        {"kallhyra": 24530, "el": 1973, "bredband": 400, "gas": 550},
        year=2025,
        month=7,
    )
    legacy = legacy_breakdown(split.to_dict())
    assert (legacy["Vattenavgift"], legacy["VA"], legacy["Larm"]) == (375, 300, 150)
    assert "Kvartalsfaktura drift" not in legacy
    assert legacy["Gasol"] == 550
    assert legacy["Drift total"] == 1973 + 400 + 825 + 550
    assert legacy["Total"] == 28278


def test_gas_balance_and_extra_income_appear_only_when_non_zero():
    legacy = legacy_breakdown(november_2024().to_dict())
    assert not {"Gasol", "Saldo innan", "Extra in"} & set(legacy)
    legacy = legacy_breakdown(november_2024(saldo_innan=100, extra_in=50, gas=80).to_dict())
    assert (legacy["Saldo innan"], legacy["Extra in"], legacy["Gasol"]) == (100, 50, 80)
    assert legacy["Total"] == 29142 + 80 - 150
    assert legacy["Drift total"] == 1600 + 400 + 2612 + 80


def test_config_and_calculation_details():
    legacy = legacy_breakdown(november_2024().to_dict())
    assert legacy["config"] == {
        "year": 2024,
        "month": 10,
        "kallhyra": 24530,
        "el": 1600,
        "bredband": 400,
        "vattenavgift": 375,
        "va": 300,
        "larm": 150,
        "drift_rakning": 2612,
        "saldo_innan": 0,
        "extra_in": 0,
        "gas": 0,
    }
    assert legacy["calculation_details"] == {
        "total_weight": 4.9667,  # 4 + 29/30
        "rent_per_weight_point": 6149.40,  # (29142 + 1400) / 4.9667
        "prorated_adjustments": {"Astrid": -1400},
        "total_adjustment": -1400,
        "distributable_rent": 30542,
    }


def test_amounts_with_ore_become_json_numbers():
    split = split_rent({"A": {}, "B": {}}, {"el": 5935.98})
    legacy = legacy_breakdown(split.to_dict())
    assert legacy["El"] == 5935.98
    assert legacy["Total"] == 31690.98
    assert json.loads(json.dumps(legacy)) == legacy


def test_config_values_with_their_sources_are_accepted():
    data = november_2024().to_dict()
    data["config"] = {
        key: {"value": value, "source": "this_month", "from_month": None, "label": "denna månad"}
        for key, value in data["config"].items()
    }
    assert legacy_breakdown(data) == legacy_breakdown(november_2024().to_dict())


def test_a_split_itself_is_accepted():
    split = november_2024()
    assert legacy_breakdown(split) == legacy_breakdown(split.to_dict())


def test_the_result_is_json():
    legacy = legacy_breakdown(november_2024().to_dict())
    assert json.loads(json.dumps(legacy)) == legacy
