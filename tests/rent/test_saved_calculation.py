"""A saved version's JSON parsed once into types (RentCalculation.saved)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from rent.models import RentCalculation

OCTOBER_CONFIG = date(2025, 9, 1)  # the rent month is October: 31 days


def calculation(**fields) -> RentCalculation:
    fields.setdefault("inputs", {})
    fields.setdefault("results", {})
    return RentCalculation(
        config_month=OCTOBER_CONFIG, version=2, calculated_at=timezone.now(), **fields
    )


def test_an_imported_version_with_full_days_written_out_means_a_full_month():
    saved = calculation(
        inputs={"constants": {"kallhyra": 20000},
                "roommates": {"Adam": {"days": 31, "room_adjustment": -300},
                              "Bea": {"days": 15.5}}},
        results={"Adam": 10266, "Bea": 5000},
    ).saved  # fmt: skip
    adam, bea = saved.roommates
    assert (adam.days, adam.room_adjustment, adam.amount) == (None, Decimal(-300), 10266)
    assert (bea.days, bea.room_adjustment) == (Decimal("15.5"), Decimal(0))
    assert not saved.records_overrides and adam.override is None
    assert saved.amounts() == {"Adam": 10266, "Bea": 5000}


def test_a_version_saved_in_the_app_records_its_overrides_and_tenant_ids():
    saved = calculation(
        inputs={"roommates": {"Adam": {"days": 15}, "Bea": {}},
                "roommate_order": ["Bea", "Adam"], "overrides": {"Adam": {"days": 15}},
                "projected": ["el"]},
        results={"Adam": 100, "Bea": 200},
        tenant_ids={"Adam": 7, "Bea": 8},
        source={"saved_by": "kassor"},
    ).saved  # fmt: skip
    assert [r.name for r in saved.roommates] == ["Bea", "Adam"]  # the split's order
    assert saved.records_overrides and saved.saved_by == "kassor"
    assert saved.by_tenant()[7].override == {"days": Decimal(15)}
    assert saved.projected == ("el",)


def test_a_roommate_without_an_id_is_linked_by_name_capitals_not_counting():
    saved = calculation(inputs={"roommates": {"Adam": {}}}, results={"Adam": 1}).saved
    assert saved.by_tenant() == {}
    assert saved.by_tenant({"adam": 3})[3].name == "Adam"


@pytest.mark.parametrize("inputs", [None, [], {"roommates": []}])
def test_malformed_json_without_roommates_holds_only_the_results_names(inputs):
    saved = calculation(inputs=inputs, results={"Adam": "lots"}).saved
    assert [(r.name, r.amount, r.days) for r in saved.roommates] == [("Adam", None, None)]


def test_a_malformed_roommate_entry_counts_as_a_full_month_without_adjustment():
    saved = calculation(inputs={"roommates": {"Adam": "x"}, "constants": 3}, results={}).saved
    adam = saved.roommates[0]
    assert (adam.days, adam.room_adjustment, saved.constants) == (None, Decimal(0), {})


def test_the_saved_inputs_split_again():
    saved = calculation(
        inputs={"constants": {"kallhyra": 20000, "el": 0, "bredband": 0, "vattenavgift": 0,
                              "va": 0, "larm": 0},
                "roommates": {"Adam": {}, "Bea": {}}},
        results={"Adam": 10000, "Bea": 10000},
    ).saved  # fmt: skip
    assert saved.split().rents == {"Adam": 10000, "Bea": 10000}
    broken = calculation(inputs={"roommates": {"Adam": {"days": 99}}}, results={}).saved
    assert broken.split() is None
