"""A config month's split from the database, on SQLite and PostgreSQL (docs/rent-rules.md)."""

import json
import os
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rent.engine.breakdown import json_number
from rent.engine.months import add_months
from rent.engine.split import RentInputError, split_from_history
from rent.ledger.inputs import month_breakdown
from rent.models import RentConfig, Tenant
from tests.builders import make_tenant, set_config, set_month_config

pytestmark = pytest.mark.django_db

OCT_2024 = date(2024, 10, 1)  # config month; rent month November 2024 (30 days)
JULY_2025 = date(2025, 7, 1)
SEPT_2025 = date(2025, 9, 1)


def six_roommates_november_2024():
    """The worked example of docs/rent-rules.md (six roommates, November 2024), as tenants
    with move-in and departure dates."""
    set_month_config(OCT_2024, kallhyra=24530, el=1600, bredband=400, drift_rakning=2612)
    make_tenant("Fredrik")
    make_tenant("Rasmus")
    make_tenant("Frans-Lukas")
    make_tenant("Astrid", room_adjustment=Decimal("-1400"))
    make_tenant("Malin", departure_date=date(2024, 11, 21))  # 21 days, inclusive
    make_tenant("Elvira", start_date=date(2024, 11, 23))  # 8 days, inclusive


def test_the_six_roommate_case_from_tenants_and_config_rows():
    six_roommates_november_2024()
    breakdown = month_breakdown(OCT_2024)
    assert breakdown.rent_month == date(2024, 11, 1)
    assert breakdown.split.rents == {
        "Astrid": 4749,
        "Elvira": 1641,
        "Frans-Lukas": 6149,
        "Fredrik": 6149,
        "Malin": 4305,
        "Rasmus": 6149,
    }
    assert breakdown.roommates["Malin"] == {"days": Decimal(21), "room_adjustment": Decimal(0)}
    assert "days" not in breakdown.roommates["Fredrik"]
    assert breakdown.message.startswith("*Hyran för november 2024* ska betalas innan 27 okt")
    assert "Elvira: 1641 kr (8 dagars boende)" in breakdown.message


def test_the_september_2025_case_with_carried_and_default_values():
    set_config("kallhyra", 24530, date(2025, 1, 1))
    set_config("el", 2424, SEPT_2025)
    for name in ("Adam", "Fredrik", "Rasmus", "Amanda"):
        make_tenant(name)
    breakdown = month_breakdown(SEPT_2025)
    assert breakdown.split.rents == dict.fromkeys(("Adam", "Amanda", "Fredrik", "Rasmus"), 7045)
    assert breakdown.split.total == Decimal("28179")
    assert breakdown.split.total_paid == 28180
    assert (
        breakdown.message == "*Hyran för oktober 2025* ska betalas innan 27 sep\n*7045 kr* för alla"
    )


def test_overrides_are_used_for_this_month():
    set_month_config(JULY_2025, el=1973, gas=550)
    for name in ("Adam", "Fredrik", "Rasmus"):
        make_tenant(name)
    make_tenant("Amanda", start_date=date(2025, 8, 2))  # 30 days of 31
    make_tenant("Elvira", departure_date=date(2025, 8, 5))
    breakdown = month_breakdown(JULY_2025, overrides={"Elvira": {"days": 1}})
    assert breakdown.split.rents == {
        "Adam": 7069,
        "Amanda": 6841,
        "Elvira": 228,
        "Fredrik": 7070,
        "Rasmus": 7070,
    }


def test_to_dict_is_json_able_and_carries_sources_fee_lines_and_rows():
    six_roommates_november_2024()
    data = json.loads(json.dumps(month_breakdown(OCT_2024).to_dict()))
    assert data["config_month"] == "2024-10"
    assert data["rent_month"] == "2024-11"
    assert data["config"]["kallhyra"]["value"] == "24530"
    assert data["config"]["kallhyra"]["label"] == "denna månad"
    assert data["config"]["larm"]["label"] == "standardvärde"
    assert data["fee_lines"] == {"drift_rakning": "2612"}
    assert data["total"] == "29142"
    assert data["total_paid"] == 29142
    assert data["rents"]["Astrid"] == 4749
    astrid = next(row for row in data["roommates"] if row["name"] == "Astrid")
    assert astrid["room_adjustment"] == "-1400"
    assert astrid["amount"] == 4749
    assert {"total_weight", "rent_per_weight_point", "total_adjustment", "distributable"} <= set(
        data
    )
    assert data["projected"] == []
    assert data["message"].startswith("*Hyran för november 2024*")


def test_projected_el_is_reported():
    set_config("el", 1800, add_months(SEPT_2025, -12))
    make_tenant("Adam")
    breakdown = month_breakdown(SEPT_2025)
    assert breakdown.config.values["el"] == Decimal("1800")
    assert breakdown.to_dict()["projected"] == ["el"]
    assert breakdown.to_dict()["config"]["el"]["label"] == "uppskattad från 2024-09"


def test_nobody_living_here_is_an_input_error():
    make_tenant("Gone", departure_date=date(2025, 9, 30))
    with pytest.raises(RentInputError, match="No roommates provided"):
        month_breakdown(SEPT_2025)


def test_inputs_are_in_the_history_format_and_recompute_to_the_same_results():
    six_roommates_november_2024()
    breakdown = month_breakdown(OCT_2024)
    inputs = json.loads(json.dumps(breakdown.inputs()))
    assert inputs["constants"]["year"] == 2024
    assert inputs["constants"]["month"] == 10
    assert inputs["constants"]["kallhyra"] == 24530
    assert inputs["constants"]["larm"] == 150
    assert inputs["roommates"]["Astrid"] == {"room_adjustment": -1400}
    assert inputs["roommates"]["Elvira"] == {"days": 8, "room_adjustment": 0}
    assert split_from_history(inputs).rents == breakdown.results()


def test_json_number():
    assert json_number(Decimal("24530.00")) == 24530
    assert isinstance(json_number(Decimal("24530.00")), int)
    assert json_number(Decimal("15.50")) == 15.5


def count_queries(config_month):
    with CaptureQueriesContext(connection) as queries:
        month_breakdown(config_month)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_tenants_or_config_rows():
    set_config("el", 2424, SEPT_2025)
    for name in ("Adam", "Bea", "Cilla", "Dan", "Eva", "Fia"):
        make_tenant(name)
    few = count_queries(SEPT_2025)
    Tenant.objects.bulk_create(
        Tenant(name=f"Extra {index}", start_date=date(2025, 10, 1 + index % 28))
        for index in range(54)
    )
    months = [add_months(date(2010, 1, 1), index) for index in range(188)]  # to August 2025
    values = {"kallhyra": 24000, "el": 1500, "bredband": 400, "gas": 100}
    RentConfig.objects.bulk_create(
        RentConfig(key=key, period=month, value=value)
        for month in months
        for key, value in values.items()
    )
    assert RentConfig.objects.count() == 1 + 188 * 4
    assert count_queries(SEPT_2025) == few == 2


@pytest.mark.django_db(databases=[])
def test_the_engine_benchmark_runs_and_reports_a_constant_query_count(tmp_path):
    """bench/engine.py on its own throwaway SQLite file: splits per second, queries per month."""
    repo = Path(__file__).resolve().parents[2]
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DEBUG="true", TMPDIR=str(tmp_path))
    env.pop("BENCH_USE_CONFIGURED_DB", None)
    result = subprocess.run(
        [sys.executable, "bench/engine.py"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"pure split, 6 roommates: [\d,]+ splits per second", result.stdout)
    counts = re.findall(r"(\d+) tenants, +(\d+) config rows: (\d+) queries", result.stdout)
    assert {(tenants, rows) for tenants, rows, _ in counts} == {
        ("6", "10"),
        ("6", "1000"),
        ("60", "10"),
        ("60", "1000"),
    }
    assert {queries for _, _, queries in counts} == {"2"}
    assert "OK: the number of queries does not grow" in result.stdout
