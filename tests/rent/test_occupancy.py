"""Who lives here in a rent month, on SQLite and PostgreSQL (docs/rent-rules.md, section 3)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import rent.ledger.inputs
from rent.engine.occupancy import UnknownRoommateError, days_stayed, stayed_days
from rent.ledger.inputs import residents_of, roommates_for
from rent.models import Tenant
from tests.builders import make_tenant

pytestmark = pytest.mark.django_db

OCT = date(2025, 10, 1)  # 31 days


class TestStayedDays:
    @pytest.mark.parametrize(
        ("start", "departure", "days"),
        [
            (None, None, 31),
            (date(2025, 10, 1), None, 31),
            (date(2025, 10, 31), None, 1),  # the move-in day is a day lived
            (date(2025, 10, 11), None, 21),
            (None, date(2025, 10, 1), 1),  # the departure day is a day lived
            (None, date(2025, 10, 8), 8),
            (date(2025, 10, 10), date(2025, 10, 10), 1),
            (date(2025, 9, 1), date(2025, 11, 30), 31),
            (date(2025, 11, 1), None, 0),
            (None, date(2025, 9, 30), 0),
        ],
    )
    def test_inclusive_overlap_with_the_rent_month(self, start, departure, days):
        assert stayed_days(start, departure, OCT) == days

    def test_february_of_a_leap_year(self):
        assert stayed_days(None, None, date(2024, 2, 1)) == 29
        assert stayed_days(date(2024, 2, 29), None, date(2024, 2, 1)) == 1


def test_days_stayed_is_none_for_the_full_month():
    assert days_stayed(make_tenant("Adam"), OCT) is None
    partial = make_tenant("Bea", start_date=date(2025, 10, 22))
    assert days_stayed(partial, OCT) == Decimal(10)


def test_only_tenants_with_a_day_in_the_rent_month_are_roommates():
    make_tenant("Fredrik")
    make_tenant("Gone", departure_date=date(2025, 9, 30))
    make_tenant("Later", start_date=date(2025, 11, 1))
    make_tenant("Leaving", departure_date=date(2025, 10, 1))
    make_tenant("Arriving", start_date=date(2025, 10, 31), room_adjustment=Decimal("-400"))
    make_tenant("Astrid", room_adjustment=Decimal("-1400"))
    assert roommates_for(OCT) == {
        "Arriving": {"days": Decimal(1), "room_adjustment": Decimal("-400")},
        "Astrid": {"room_adjustment": Decimal("-1400")},
        "Fredrik": {"room_adjustment": Decimal("0")},
        "Leaving": {"days": Decimal(1), "room_adjustment": Decimal("0")},
    }


def test_names_are_ordered_case_insensitively_with_swedish_letters_after_z():
    for name in ("Örjan", "Zoe", "Åsa", "adam", "Ärla", "Bertil", "bea"):
        make_tenant(name)
    # str.casefold compares code points: ä (U+00E4) < å (U+00E5) < ö (U+00F6), all after z,
    # on both databases alike.
    assert list(roommates_for(OCT)) == ["adam", "bea", "Bertil", "Zoe", "Ärla", "Åsa", "Örjan"]


def test_the_order_is_made_in_python_not_by_the_database(monkeypatch):
    """Whatever order the database returns the rows in, the roommates come out by casefold."""
    for name in ("Adam", "Åsa", "bea", "Örjan"):
        make_tenant(name)

    class TenantsInReverse:
        """rent.ledger.inputs' Tenant, its query answered in the reverse of the database's order."""

        class objects:  # noqa: N801 - stands in for the manager
            @staticmethod
            def filter(*args, **kwargs):
                return list(Tenant.objects.filter(*args, **kwargs).order_by("-pk"))

    monkeypatch.setattr(rent.ledger.inputs, "Tenant", TenantsInReverse)
    assert list(roommates_for(OCT)) == ["Adam", "bea", "Åsa", "Örjan"]


def test_overrides_change_days_and_adjustment_for_this_month_only():
    make_tenant("Adam")
    make_tenant("Elvira", start_date=date(2025, 10, 23))
    roommates = roommates_for(
        OCT,
        overrides={"Adam": {"days": 15.5}, "Elvira": {"days": 8, "room_adjustment": -200}},
    )
    assert roommates == {
        "Adam": {"days": Decimal("15.5"), "room_adjustment": Decimal("0")},
        "Elvira": {"days": Decimal("8"), "room_adjustment": Decimal("-200")},
    }
    assert roommates_for(OCT)["Elvira"] == {"days": Decimal(9), "room_adjustment": Decimal(0)}


def test_an_override_of_days_to_none_means_the_full_month():
    make_tenant("Elvira", start_date=date(2025, 10, 23))
    residents = residents_of(OCT, overrides={"Elvira": {"days": None}})
    assert residents[0].days is None
    assert residents[0].overridden


def test_an_override_for_someone_not_living_here_is_refused():
    make_tenant("Adam")
    make_tenant("Gone", departure_date=date(2025, 9, 30))
    with pytest.raises(UnknownRoommateError, match="Not living here in 2025-10: Gone"):
        roommates_for(OCT, overrides={"Gone": {"days": 3}})


def test_one_query_however_many_tenants():
    for index in range(40):
        make_tenant(f"Person {index}", start_date=date(2025, 10, 1 + index % 28))
    with CaptureQueriesContext(connection) as queries:
        roommates_for(OCT)
    assert len(queries) == 1


def test_a_person_only_interested_or_signed_without_a_moving_in_day_is_not_a_resident():
    make_tenant("Always")  # no dates: the old system's rows always lived here
    make_tenant("Curious", interested_on=date(2025, 9, 1))
    make_tenant("Signed", signed_on=date(2025, 9, 20))
    make_tenant("Moving", signed_on=date(2025, 9, 20), start_date=date(2025, 10, 16))
    assert [resident.name for resident in residents_of(OCT)] == ["Always", "Moving"]
    assert set(Tenant.objects.living_here(OCT).values_list("name", flat=True)) == {"Always"}
