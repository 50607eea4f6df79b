"""The month snapshot behind the API, the rent pages and the kiosk."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from api.rent_data import (
    compute_month_snapshot,
    compute_rent_history,
    month_snapshot,
    saved_message,
)
from rent.models import CalculationStatus, RentCalculation
from tests.builders import make_ledger_row, make_tenant, set_month_config

pytestmark = pytest.mark.django_db

SEPTEMBER, OCTOBER = date(2025, 9, 1), date(2025, 10, 1)


def test_a_saved_version_keeps_its_amounts_in_the_message():
    """Files made under older rules charged other amounts than today's rules give."""
    calculation = RentCalculation.objects.create(
        config_month=SEPTEMBER,
        version=1,
        calculated_at=timezone.now(),
        status=CalculationStatus.CURRENT,
        inputs={
            "constants": {"kallhyra": 20000, "el": 0},
            "roommates": {"Adam": {}, "Bea": {}},
            "roommate_order": ["Bea", "Adam"],
        },  # fmt: skip
        results={"Adam": 10400, "Bea": 10100},
    )
    message = saved_message(calculation)
    assert message.startswith("*Hyran för oktober 2025*")
    assert "Adam: 10400 kr\nBea: 10100 kr" in message  # saved amounts, highest first


def test_a_broken_saved_version_falls_back_to_the_engine():
    make_tenant("Adam")
    RentCalculation.objects.create(
        config_month=SEPTEMBER, version=1, calculated_at=timezone.now(),
        inputs={"roommates": {"Adam": {"days": 99}}}, results={"Adam": 1},
    )  # fmt: skip
    snapshot = compute_month_snapshot(SEPTEMBER)
    assert snapshot.saved_message is None and snapshot.saved_version == 1
    assert snapshot.message == snapshot.engine_message


def test_all_paid_needs_rows_and_every_row_paid_in_full():
    adam, bea = make_tenant("Adam"), make_tenant("Bea")
    assert compute_month_snapshot(SEPTEMBER).all_paid is False  # no rows yet
    make_ledger_row(adam, rent_month=OCTOBER, amount_paid=Decimal("7045"))
    row = make_ledger_row(bea, rent_month=OCTOBER, amount_paid=Decimal("7000"))
    assert compute_month_snapshot(SEPTEMBER).all_paid is False
    row.amount_paid = row.amount_due
    row.save()
    assert compute_month_snapshot(SEPTEMBER).all_paid is True


def test_nobody_living_here_is_an_error_not_an_exception():
    snapshot = compute_month_snapshot(SEPTEMBER)
    assert snapshot.split is None and snapshot.error == "No roommates provided"
    assert snapshot.message is None and snapshot.data_source()["type"] == "projection"


def test_the_snapshot_is_cached_until_the_data_changes(django_assert_num_queries):
    make_tenant("Adam")
    set_month_config(SEPTEMBER, el=2424)
    first = month_snapshot(SEPTEMBER)
    with django_assert_num_queries(1):  # only the version
        assert month_snapshot(SEPTEMBER) == first
    set_month_config(SEPTEMBER, el=3000)
    assert month_snapshot(SEPTEMBER).electricity_amount == 3000


def test_the_history_has_every_month_and_person_from_the_ledger():
    adam, bea = make_tenant("adam"), make_tenant("Bea")
    make_ledger_row(adam, rent_month=SEPTEMBER, amount_due=Decimal(100))
    make_ledger_row(adam, rent_month=OCTOBER, amount_due=Decimal(110))
    make_ledger_row(bea, rent_month=OCTOBER, amount_due=Decimal(120))
    history = compute_rent_history()
    assert history.months == [SEPTEMBER, OCTOBER] and history.people == ["adam", "Bea"]
    assert [row["total"] for row in history.rows()] == [Decimal(100), Decimal(230)]
    assert history.rows()[0]["amounts"] == [Decimal(100), None]
