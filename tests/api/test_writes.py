"""Writes through the API (api/writes.py): the old roommate actions and saving a month, for the
treasurer's token, through the admin's services and history, refused where the admin refuses."""

from datetime import date
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from api.tokens import create_token
from rent.models import CalculationStatus, RentCalculation, RentLedger, Tenant
from tests.builders import make_ledger_row, make_tenant, set_config
from tests.people import make_treasurer

pytestmark = pytest.mark.django_db

SEPT = date(2025, 9, 1)
OCT = date(2025, 10, 1)


@pytest.fixture
def treasurer_token():
    user = make_treasurer()
    _, raw = create_token(name="Husets skript", scope="treasurer", created_by=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, path, body, headers):
    response = client.post(path, data=body, content_type="application/json", **headers)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response


def roommates(client, headers, **body):
    return post(client, "/api/rent/roommates", body, headers)


def test_add_a_person_as_the_old_server_did(client, treasurer_token):
    response = roommates(
        client, treasurer_token, action="add_permanent", name="Elvira", email="elvira@example.org",
        start_date="2024-11-22", room_adjustment="-1 400",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    tenant = Tenant.objects.get(name="Elvira")
    assert (tenant.email, tenant.start_date, tenant.room_adjustment) == (
        "elvira@example.org", date(2024, 11, 22), Decimal("-1400"),
    )  # fmt: skip
    body = response.json()
    assert body["status"] == "success" and body["new_tenant"] == str(tenant.pk)
    assert body["tenant"] == {
        "name": "Elvira", "id": str(tenant.pk), "roomAdjustment": -1400,
        "email": "elvira@example.org", "startDate": "2024-11-22T00:00:00+01:00",
        "departureDate": None,
    }  # fmt: skip
    record = tenant.history.get()
    assert (record.history_change_reason, record.history_user.username) == (
        "API token: Husets skript", "kassor",
    )  # fmt: skip
    # "add" is the same action
    assert roommates(client, treasurer_token, action="add", name="Filip").status_code == 200


def test_a_name_taken_is_refused_with_the_admins_words_and_nothing_written(client, treasurer_token):
    make_tenant("Adam")
    response = roommates(client, treasurer_token, action="add_permanent", name="adam")
    assert response.status_code == 409  # a clash with a stored row (schemathesis: ST202)
    assert "En annan hyresgäst har redan det här namnet" in response.json()["error"]
    assert Tenant.objects.count() == 1
    response = roommates(client, treasurer_token, action="add_permanent", name="Bo",
                         email="inte en adress")  # fmt: skip
    assert response.status_code == 400 and response.json()["error"].startswith("email: ")


def test_set_departure_and_its_refusals(client, treasurer_token):
    adam = make_tenant("Adam", start_date=date(2025, 3, 1))
    response = roommates(client, treasurer_token, action="set_departure", name="ADAM",
                         end_date="2025-12-15")  # fmt: skip
    assert response.status_code == 200
    assert response.json()["message"] == "Set departure date for Adam to 2025-12-15"
    adam.refresh_from_db()
    assert adam.departure_date == date(2025, 12, 15)
    assert adam.history.first().history_change_reason == "API token: Husets skript"
    before = roommates(client, treasurer_token, action="set_departure", name="Adam",
                       end_date="2025-01-01")  # fmt: skip
    assert before.status_code == 409  # beside the stored moving-in day (schemathesis: ST202)
    assert "Utflyttningsdagen måste vara samma dag som eller efter" in before.json()["error"]
    adam.refresh_from_db()
    assert adam.departure_date == date(2025, 12, 15)  # nothing written
    # A new person's two days, each a date, that clash with each other: the same 409 (found by
    # schemathesis: no schema can compare two dates).
    new = roommates(client, treasurer_token, action="add", name="Bo", start_date="2020-01-01",
                    departure_date="2000-01-01")  # fmt: skip
    assert new.status_code == 409
    assert "Utflyttningsdagen måste vara samma dag som eller efter" in new.json()["error"]
    assert not Tenant.objects.filter(name="Bo").exists()
    missing = roommates(client, treasurer_token, action="set_departure", name="Adam")
    assert missing.status_code == 400 and missing.json() == {
        "error": "end_date is required for this action",
        "code": "api_field_required",
    }
    nobody = roommates(client, treasurer_token, action="set_departure", name="Zed",
                       end_date="2025-12-15")  # fmt: skip
    assert nobody.status_code == 404 and nobody.json() == {"error": "Tenant not found: Zed"}


def test_set_a_room_adjustment(client, treasurer_token):
    bea = make_tenant("Bea")
    for action in ("update_adjustment", "set_adjustment"):
        response = roommates(client, treasurer_token, action=action, name="Bea",
                             room_adjustment="-1 400,50")  # fmt: skip
        assert response.status_code == 200, response.content
    bea.refresh_from_db()
    assert bea.room_adjustment == Decimal("-1400.50")
    huge = roommates(client, treasurer_token, action="update_adjustment", name="Bea",
                     room_adjustment=10**13)  # fmt: skip
    assert huge.status_code == 400 and huge.json()["error"].startswith("room_adjustment: ")


def test_unknown_and_unsupported_actions_are_clear_errors(client, treasurer_token):
    make_tenant("Bea")
    assert roommates(client, treasurer_token, action="remove", name="Bea").json() == {
        "error": "Invalid action: remove (add_permanent, set_departure, update_adjustment)",
        "code": "api_invalid_action",
    }
    temporary = roommates(client, treasurer_token, action="set_temporary", name="Bea", days=10)
    assert temporary.status_code == 400 and "POST /api/rent/month" in temporary.json()["error"]
    assert temporary.json()["code"] == "api_set_temporary"


@pytest.fixture
def september():
    return {name: make_tenant(name) for name in ("Adam", "Amanda", "Fredrik", "Rasmus")}


def test_saving_a_month_goes_through_the_admins_service(client, treasurer_token, september):
    projected = post(client, "/api/rent/month", {"year": 2025, "month": 9}, treasurer_token)
    assert projected.status_code == 409
    assert 'Send "force": true' in projected.json()["error"]
    assert not RentCalculation.objects.exists()
    set_config("el", 2424, SEPT)
    saved = post(client, "/api/rent/month", {"year": 2025, "month": 9, "title": "Via skript"},
                 treasurer_token)  # fmt: skip
    assert saved.status_code == 200, saved.content
    assert saved.json() == {
        "status": "saved", "config_month": "2025-09", "version": 1, "unchanged": False,
        "rent_per_roommate": {"Adam": 7045, "Amanda": 7045, "Fredrik": 7045, "Rasmus": 7045},
    }  # fmt: skip
    calculation = RentCalculation.objects.get()
    assert (calculation.title, calculation.source) == (
        "Via skript", {"saved_by": "API token: Husets skript"},
    )  # fmt: skip
    row = RentLedger.objects.get(tenant=september["Adam"], rent_month=OCT)
    assert row.history.first().history_change_reason == "API token: Husets skript"
    again = post(client, "/api/rent/month", {"year": 2025, "month": 9}, treasurer_token)
    assert again.json()["status"] == "unchanged" and RentCalculation.objects.count() == 1


def test_a_month_its_room_adjustments_make_negative_is_a_clash_not_a_bad_request(
    client, treasurer_token, september
):
    """Found by schemathesis in bench/probe.py (ST202, 250 examples): a schema-valid save
    answered 400 when the stored room adjustments left someone a negative rent. No schema can
    say that of a sum: 409, the month's figures clash, nothing saved."""
    set_config("el", 2424, SEPT)
    september["Adam"].room_adjustment = Decimal("-50000")
    september["Adam"].save()
    refused = post(client, "/api/rent/month", {"year": 2025, "month": 9}, treasurer_token)
    assert refused.status_code == 409
    assert refused.json() == {"error": "Negativ hyra för Adam: kontrollera rumsjusteringarna."}
    assert not RentCalculation.objects.exists()


def test_a_new_amount_for_someone_who_paid_needs_confirm_paid(client, treasurer_token, september):
    set_config("el", 2424, SEPT)
    make_ledger_row(september["Adam"], rent_month=OCT, amount_due=Decimal("7000"),
                    amount_paid=7000)  # fmt: skip
    refused = post(client, "/api/rent/month", {"year": 2025, "month": 9}, treasurer_token)
    assert refused.status_code == 409
    assert "Adam: paid 7000.00 kr, new amount 7045 kr" in refused.json()["error"]
    assert not RentCalculation.objects.exists()
    confirmed = post(client, "/api/rent/month", {"year": 2025, "month": 9, "confirm_paid": True},
                     treasurer_token)  # fmt: skip
    assert confirmed.status_code == 200
    assert RentCalculation.objects.get().status == CalculationStatus.CURRENT


def test_a_months_own_days_are_given_as_roommates(client, treasurer_token, september):
    set_config("el", 2424, SEPT)
    body = {"year": 2025, "month": 9, "roommates": {"Amanda": {"days": 15.5}}}
    response = post(client, "/api/rent/month", body, treasurer_token)
    assert response.status_code == 200, response.content
    assert RentCalculation.objects.get().inputs["overrides"] == {"Amanda": {"days": 15.5}}
    unknown = post(client, "/api/rent/month",
                   {"year": 2025, "month": 9, "roommates": {"Zed": {"days": 3}}},
                   treasurer_token)  # fmt: skip
    assert unknown.status_code == 404 and "Zed" in unknown.json()["error"]  # as reading it


def test_the_old_save_through_post_rent_is_pointed_to_the_new_path(client, treasurer_token):
    body = {"year": 2025, "month": 9, "history_options": {"title": "x"}}
    response = post(client, "/api/rent", body, treasurer_token)
    assert response.status_code == 400
    assert "POST /api/rent/month" in response.json()["error"]
    assert response.json()["code"] == "api_what_if_saves"


def test_saving_a_month_refuses_what_its_schema_refuses(client, treasurer_token, september):
    """Found by schemathesis in bench/probe.py: a JSON array was read as an empty request (and
    saved the current month), and a year of 56 passed the schema to be refused by the server."""
    for body in ([None, None], {"year": 56, "month": 9}, {"year": 2025, "month": 13},
                 {"year": 2025, "month": 9, "force": "yes"},
                 {"year": 2025, "month": 9, "surprise": 1}):  # fmt: skip
        response = post(client, "/api/rent/month", body, treasurer_token)
        assert response.status_code == 400, (body, response.content)
    assert not RentCalculation.objects.exists()


def test_the_schema_names_the_actions_and_allows_no_history_options(client, treasurer_token):
    client.force_login(make_treasurer("kassor2"))
    schema = client.get("/api/schema/").json()["components"]["schemas"]
    assert schema["RoommateAction"]["properties"]["action"]["enum"] == [
        "add_permanent", "add", "set_departure", "update_adjustment", "set_adjustment",
    ]  # fmt: skip
    assert schema["WhatIf"]["properties"]["history_options"]["type"] == "null"
    assert schema["SaveMonth"]["properties"]["year"]["anyOf"][0]["maximum"] == 2999


def test_saving_a_month_nobody_lives_in_is_no_rent_and_a_name_is_required(client, treasurer_token):
    """Found by schemathesis in bench/probe.py (ST202): both were 400 to requests the schema
    allowed. A month with nobody living here answers as reading it does (404)."""
    response = post(client, "/api/rent/month", {"year": 2000, "month": 1}, treasurer_token)
    assert response.status_code == 404 and "no one lives here" in response.json()["error"]
    for name in ("", " Adam", "=HYPERLINK(1)"):
        added = roommates(client, treasurer_token, action="add_permanent", name=name)
        assert added.status_code == 400 and added.json()["error"].startswith("name: "), name
    assert not Tenant.objects.exists()
    client.force_login(make_treasurer("kassor2"))
    name = client.get("/api/schema/").json()["components"]["schemas"]["RoommateAction"]
    assert name["properties"]["name"]["minLength"] == 1
    adding = name["oneOf"][0]["properties"]
    kinds = [part["type"] for part in adding["room_adjustment"]["anyOf"]]
    assert kinds == ["number", "string", "null"]  # not any JSON: {} was a 400 (ST202)
    assert roommates(client, treasurer_token, action="add", name="Bo",
                     room_adjustment={}).status_code == 400  # fmt: skip
    assert roommates(client, treasurer_token, action="add", name="Bo",
                     room_adjustment="-1 400,50").status_code == 200  # fmt: skip


def test_what_the_api_refuses_itself_has_a_code_and_the_same_english_words():
    """Refusals the schema leaves to the API (rent.errors codes "api_..."): the code for every
    caller, the English sentence for scripts, whatever the request's language."""
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from api.api import BadInput, config_month_of
    from api.kiosk_base import _whole
    from api.writes import _adjustment, _day, _refusal

    def refusal(call, *args, **kwargs):
        with pytest.raises(BadInput) as refused:
            call(*args, **kwargs)
        return refused.value.code, str(refused.value)

    with translation.override("sv"):
        assert refusal(config_month_of, 1800, 1) == ("api_invalid_month", "Invalid month: 1800-1")
        assert refusal(_day, None, "end_date", required=True) == (
            "api_field_required",
            "end_date is required for this action",
        )
        assert refusal(_day, "15 dec", "end_date") == (
            "api_not_a_date",
            "end_date: not a date (YYYY-MM-DD): '15 dec'",
        )
        assert refusal(_adjustment, True, required=False) == (
            "api_not_a_number",
            "room_adjustment must be a number",
        )
        code, text = refusal(_adjustment, "mycket", required=False)
        assert code == "api_value_refused" and text.startswith("room_adjustment: ")
        assert refusal(_whole, "nio", "year") == (
            "api_not_a_whole_number",
            "year must be a whole number, got 'nio'",
        )
    refused = _refusal(ValidationError({"name": ["Taken."], "__all__": ["Not now."]}), stored=False)
    assert (refused.code, str(refused)) == ("api_refused", "name: Taken.; Not now.")
    with translation.override("sv"):
        assert refused.message == "Nekat: name: Taken.; Not now."


def test_bills_the_schema_lets_through_are_refused_by_code(client, treasurer_token):
    """PUT /api/rent/config: a key that is no bill, and a value that is not an amount."""
    from unittest import mock

    from api import api as api_module

    class Updates:
        def __init__(self, values):
            self.values = values

        def dict(self, exclude_unset):
            return self.values

    class Body:
        year, month = 2025, 9

        def __init__(self, values):
            self.updates = Updates(values)

    request = mock.Mock(auth=mock.Mock(can_write=True, label="test", user=None))
    for values, code in [
        ({"nope": 1}, "api_unknown_config_key"),
        ({"el": [1]}, "api_not_a_number"),
        ({"el": "mycket"}, "api_value_refused"),
    ]:
        with pytest.raises(api_module.BadInput) as refused:
            api_module.update_config(request, Body(values))
        assert refused.value.code == code


def published_roommate_action(client) -> Draft202012Validator:
    client.force_login(make_treasurer("kassor2"))
    schema = client.get("/api/schema/").json()["components"]["schemas"]["RoommateAction"]
    client.logout()
    return Draft202012Validator(schema, format_checker=FormatChecker())


def test_the_schema_states_what_each_roommate_action_requires(client, treasurer_token):
    """Found by schemathesis in bench/probe.py (ST202): `set_departure` without `end_date` was
    valid by the schema and answered 400. The published schema now says what the view enforces
    per action (days as dates, an email Django takes, the text rules); the view still refuses
    the same requests in its own words."""
    schema = published_roommate_action(client)
    make_tenant("Adam", start_date=date(2024, 1, 1))
    outside = [
        {"action": "set_departure", "name": "Adam"},
        {"action": "set_departure", "name": "Adam", "end_date": "", "departure_date": None},
        {"action": "set_departure", "name": "Adam", "end_date": "31/12/2025"},
        {"action": "update_adjustment", "name": "Adam"},
        {"action": "set_adjustment", "name": "Adam", "room_adjustment": None},
        {"action": "add", "name": "Bo", "email": "inte en adress"},
        {"action": "add", "name": "Bo", "email": "=bo@example.org"},
        {"action": "add", "name": "Bo\u202e"},
        {"action": "add", "name": "Bo\x07"},
        {"action": "add", "name": "Bo", "start_date": "2025-13-01"},
        {"action": "set_temporary", "name": "Bo"},
    ]
    errors = []
    for body in outside:
        assert not schema.is_valid(body), body
        response = roommates(client, treasurer_token, **body)
        assert response.status_code == 400, (body, response.content)
        errors.append(response.json()["error"])
    assert errors[0] == "end_date is required for this action"
    assert errors[7].startswith("name: Innehåller ett osynligt eller riktningsändrande tecken")
    assert Tenant.objects.count() == 1
    valid = [
        {"action": "set_departure", "name": "Adam", "end_date": "2025-12-31"},
        {"action": "set_departure", "name": "adam", "end_date": "", "departure_date": "2026-01-31"},
        {"action": "update_adjustment", "name": "Adam", "room_adjustment": "-1 400,50"},
        {"action": "set_adjustment", "name": "Adam", "room_adjustment": 250},
        {"action": "add", "name": "Bo", "email": "bo@example.org", "start_date": "2025-01-01",
         "departure_date": "", "end_date": None},
        {"action": "add_permanent", "name": "Cilla", "email": "", "room_adjustment": None},
        # a field the action does not read may hold anything (schemathesis: ST201)
        {"action": "set_departure", "name": "Adam", "end_date": "2026-02-28", "email": "x",
         "start_date": "i går", "room_adjustment": {}},
    ]  # fmt: skip
    for body in valid:
        assert schema.is_valid(body), body
        response = roommates(client, treasurer_token, **body)
        assert response.status_code == 200, (body, response.content)
    adam = Tenant.objects.get(name="Adam")
    assert (adam.departure_date, adam.room_adjustment) == (date(2026, 2, 28), Decimal(250))
    assert Tenant.objects.get(name="Bo").email == "bo@example.org"
