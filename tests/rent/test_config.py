"""Config resolution for a config month, on SQLite and PostgreSQL (docs/rent-rules.md, 1)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from rent.engine.config import ConfigSource
from rent.engine.months import add_months
from rent.engine.split import round_half_away
from rent.formatting import decimal_text
from rent.ledger.inputs import effective_config
from rent.models import RentConfig
from tests.builders import set_config

pytestmark = pytest.mark.django_db

SEPT = date(2025, 9, 1)


def test_an_empty_database_gives_the_defaults_and_zero_for_per_month_keys():
    config = effective_config(SEPT)
    assert config.values == {
        "kallhyra": Decimal("24530"),
        "el": Decimal("0"),
        "bredband": Decimal("400"),
        "vattenavgift": Decimal("375"),
        "va": Decimal("300"),
        "larm": Decimal("150"),
        "drift_rakning": Decimal("0"),
        "gas": Decimal("0"),
        "saldo_innan": Decimal("0"),
        "extra_in": Decimal("0"),
    }
    assert config.sources["kallhyra"] == ConfigSource("default")
    assert config.sources["kallhyra"].label == "standardvärde"
    assert config.sources["gas"].kind == "default"
    # No el at all: 0 for the engine, but marked missing (projected: saving asks first).
    assert config.is_projected("el") and config.sources["el"].missing
    assert (
        config.sources["el"].label
        == "saknas: ingen räkning inlagd, ingen tidigare att uppskatta från"
    )
    assert not any(config.sources[key].missing for key in config.sources if key != "el")


def test_persistent_keys_carry_forward_from_the_latest_earlier_month():
    set_config("kallhyra", 24000, date(2024, 1, 1))
    set_config("kallhyra", 24530, date(2025, 8, 1))
    set_config("kallhyra", 25000, date(2025, 10, 1))  # later than C: ignored
    set_config("bredband", 450, date(2023, 5, 1))
    config = effective_config(SEPT)
    assert config.values["kallhyra"] == Decimal("24530")
    assert config.sources["kallhyra"] == ConfigSource("carried", date(2025, 8, 1))
    assert config.sources["kallhyra"].label == "från 2025-08"
    assert config.values["bredband"] == Decimal("450")
    assert config.sources["bredband"].label == "från 2023-05"
    assert config.values["larm"] == Decimal("150")
    assert config.sources["larm"].kind == "default"


def test_this_months_row_wins_and_says_so():
    set_config("kallhyra", 24000, date(2025, 8, 1))
    set_config("kallhyra", 24530, SEPT)
    config = effective_config(SEPT)
    assert config.values["kallhyra"] == Decimal("24530")
    assert config.sources["kallhyra"] == ConfigSource("this_month")
    assert config.sources["kallhyra"].label == "denna månad"


def test_per_month_keys_count_only_in_their_own_month():
    set_config("drift_rakning", 2612, date(2025, 8, 1))
    set_config("gas", 550, date(2025, 8, 1))
    set_config("saldo_innan", 100, date(2025, 10, 1))
    set_config("extra_in", 200, SEPT)
    config = effective_config(SEPT)
    assert config.values["drift_rakning"] == 0
    assert config.values["gas"] == 0
    assert config.values["saldo_innan"] == 0
    assert config.values["extra_in"] == Decimal("200")
    assert config.sources["extra_in"].kind == "this_month"


def test_a_stored_zero_means_zero_not_the_default():
    set_config("bredband", 0, date(2025, 1, 1))
    set_config("larm", 0, SEPT)
    config = effective_config(SEPT)
    assert config.values["bredband"] == 0
    assert config.sources["bredband"] == ConfigSource("carried", date(2025, 1, 1))
    assert config.values["larm"] == 0
    assert config.sources["larm"].kind == "this_month"


def test_a_stored_zero_el_is_not_projected():
    set_config("el", 1500, date(2024, 9, 1))
    set_config("el", 0, SEPT)
    config = effective_config(SEPT)
    assert config.values["el"] == 0
    assert not config.is_projected("el")


def test_el_is_projected_from_the_same_month_last_year_first():
    set_config("el", 2100, date(2024, 9, 1))
    set_config("el", 1700, date(2025, 8, 1))
    config = effective_config(SEPT)
    assert config.values["el"] == Decimal("2100")
    assert config.is_projected("el")
    assert config.sources["el"] == ConfigSource("projected", date(2024, 9, 1))
    assert config.sources["el"].label == "uppskattad från 2024-09"
    assert config.projected_keys == ["el"]


def test_el_is_otherwise_the_mean_of_the_twelve_months_before_rounded_to_kronor():
    set_config("el", 9999, date(2024, 8, 1))  # 13 months before: outside the window
    set_config("el", 1000, date(2024, 10, 1))
    set_config("el", 1501, date(2025, 8, 1))
    set_config("el", 5000, date(2025, 10, 1))  # after C: ignored
    config = effective_config(SEPT)
    assert config.values["el"] == Decimal("1251")  # 1250.5 rounds half away from zero
    assert config.sources["el"] == ConfigSource("projected", None, months_averaged=2)
    assert config.sources["el"].label == "uppskattad, medel av 2 månader"


def test_a_mean_of_one_month_is_singular():
    set_config("el", 1800, date(2025, 8, 1))
    config = effective_config(SEPT)
    assert config.values["el"] == Decimal("1800")
    assert config.sources["el"].label == "uppskattad, medel av 1 månad"


@pytest.mark.parametrize(
    ("source", "swedish", "english"),
    [
        (ConfigSource("this_month"), "denna månad", "this month"),
        (ConfigSource("carried", date(2025, 8, 1)), "från 2025-08", "from 2025-08"),
        (ConfigSource("default"), "standardvärde", "default"),
        (
            ConfigSource("projected", date(2024, 9, 1)),
            "uppskattad från 2024-09",
            "projected from 2024-09",
        ),
        (
            ConfigSource("projected", None, months_averaged=3),
            "uppskattad, medel av 3 månader",
            "projected, mean of 3 months",
        ),
        (
            ConfigSource("projected"),
            "saknas: ingen räkning inlagd, ingen tidigare att uppskatta från",
            "missing: no bill entered, none earlier to estimate from",
        ),
    ],
)
def test_source_labels_follow_the_language_swedish_by_default(source, swedish, english):
    assert source.label == swedish
    with translation.override("en"):
        assert source.label == english
        assert source.to_dict()["label"] == english


def test_el_of_this_month_is_not_projected():
    set_config("el", 2424, SEPT)
    config = effective_config(SEPT)
    assert config.values["el"] == Decimal("2424")
    assert config.sources["el"].kind == "this_month"
    assert config.projected_keys == []


def test_to_dict_is_json_able_with_sources():
    set_config("kallhyra", "24530.00", date(2025, 8, 1))
    set_config("el", "2424.50", SEPT)
    data = effective_config(SEPT).to_dict()
    assert data["kallhyra"] == {
        "value": "24530",
        "kind": "carried",
        "from_month": "2025-08",
        "label": "från 2025-08",
    }
    assert data["el"]["value"] == "2424.5"
    assert list(data)[:3] == ["kallhyra", "el", "bredband"]


def test_decimal_helpers():
    assert decimal_text(Decimal("7045.00")) == "7045"
    assert decimal_text(Decimal("-1400")) == "-1400"
    assert decimal_text(Decimal("15.50")) == "15.5"
    # The projected el is rounded with the split's own rule, half away from zero.
    assert round_half_away(Decimal("2.5")) == 3
    assert round_half_away(Decimal("-2.5")) == -3


def resolve_counting_queries(month):
    with CaptureQueriesContext(connection) as queries:
        effective_config(month)
    return len(queries)


def test_one_query_however_many_rows_are_stored():
    set_config("el", 1000, date(2025, 8, 1))
    few = resolve_counting_queries(SEPT)
    RentConfig.objects.bulk_create(  # ten years of five keys: 600 rows, in one insert
        RentConfig(key=key, period=add_months(date(2015, 1, 1), offset), value=Decimal(100))
        for offset in range(120)
        for key in ("kallhyra", "el", "bredband", "larm", "gas")
    )
    assert resolve_counting_queries(SEPT) == few == 1
