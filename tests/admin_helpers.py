"""Shared setup of the admin tests (one module per admin page).

A module names this file in `pytest_plugins` to get the fixtures `household` and `member`
(`treasurer` is everyone's: tests/conftest.py); the builders below serve tests that need a
variant.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from household.roles import MEMBER
from rent.models import RentCalculation, RentConfig
from tests.builders import make_item, make_ledger_row, make_login, make_tenant, set_month_config

C = date(2025, 9, 1)  # config month
R = date(2025, 10, 1)  # rent month (31 days)
MONTH = "2025-09"


def make_household():
    """Adam, Bea (a darker room, -1 400 kr) and Cissi (moves in 10 October); el for C."""
    adam = make_tenant("Adam", email="adam@example.com")
    bea = make_tenant("Bea", room_adjustment=Decimal("-1400"))
    cissi = make_tenant("Cissi", start_date=date(2025, 10, 10))
    set_month_config(C, el=2424)
    return {"adam": adam, "bea": bea, "cissi": cissi}


def make_member(household):
    return make_login("bea", role=MEMBER, tenant=household["bea"])


@pytest.fixture
def household():
    return make_household()


@pytest.fixture
def member(household):
    return make_member(household)


def tenant_form(**fields) -> dict:
    """The tenant page's POST: empty fields, no rows in the ledger inline, then `fields`."""
    return {
        "name": "",
        "email": "",
        "start_date": "",
        "departure_date": "",
        "room_adjustment": "0",
        "phone": "",
        "personnummer": "",
        "room": "",
        "interested_on": "",
        "signed_on": "",
        "notice_given_on": "",
        "deposit": "",
        "deposit_paid_on": "",
        "deposit_returned": "",
        "deposit_returned_on": "",
        "furnishing_deposit": "",
        "furnishing_deposit_paid_on": "",
        "furnishing_deposit_returned": "",
        "furnishing_deposit_returned_on": "",
        "legacy_id": "",
        "payer_names": "",
        "rent_reminders": "on",  # as the form shows it (ticked)
        "sms_reminders": "on",
        "user": "",
        **fields,
    }


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def view_urls(household) -> list[str]:
    """Every admin page of the rent app that a member may read, with a row of each kind."""
    adam = household["adam"]
    row = make_ledger_row(adam, R)
    item = make_item("Soffa", owners=[adam])
    calculation = RentCalculation.objects.create(
        config_month=date(2025, 8, 1), version=1, calculated_at=timezone.now(), results={"A": 1}
    )
    config = RentConfig.objects.get(key="el", period=C)
    return [
        reverse("admin:index"),
        reverse("admin:app_list", args=["rent"]),
        reverse("admin:rent_tenant_changelist"),
        reverse("admin:rent_tenant_change", args=[adam.pk]),
        reverse("admin:rent_tenant_history", args=[adam.pk]),
        reverse("admin:rent_rentconfig_changelist"),
        reverse("admin:rent_rentconfig_change", args=[config.pk]),
        reverse("admin:rent_rentconfig_history", args=[config.pk]),
        reverse("admin:rent_rentledger_changelist"),
        reverse("admin:rent_rentledger_changelist") + "?payment=overdue",
        reverse("admin:rent_rentledger_change", args=[row.pk]),
        reverse("admin:rent_rentledger_history", args=[row.pk]),
        reverse("admin:rent_rentcalculation_changelist"),
        reverse("admin:rent_rentcalculation_change", args=[calculation.pk]),
        reverse("admin:rent_coowneditem_changelist"),
        reverse("admin:rent_coowneditem_change", args=[item.pk]),
        reverse("admin:rent_coowneditem_history", args=[item.pk]),
        reverse("admin:rent_month_costs", kwargs={"month": MONTH}),
        reverse("admin:rent_month_rent", kwargs={"month": MONTH}),
        reverse("admin:rent_tenant_export"),
    ]
