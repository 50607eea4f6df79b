"""Shared data of the admin tests (one module per admin page makes its fixtures from it)."""

from datetime import date
from decimal import Decimal

from tests.builders import make_login, make_tenant, set_month_config

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


def make_treasurer():
    return make_login("kassor", role="Kassör")


def make_member(household):
    return make_login("bea", role="Boende", tenant=household["bea"])


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]
