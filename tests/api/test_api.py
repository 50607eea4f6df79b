"""The JSON API's contract on the household's real data: every endpoint, field and type."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone, translation
from openapi_spec_validator import validate

from api.api import _refused, api
from rent.engine.split import RentInputError
from rent.models import RentCalculation, RentConfig, RentLedger, Tenant
from tests.builders import (
    make_ledger_row,
    make_member,
    make_tenant,
    make_token,
    set_config,
)
from tests.conftest import REAL_DATA_DIR
from tests.import_helpers import run_import
from tests.people import make_treasurer
from tests.rent_cases import load_history

pytestmark = [pytest.mark.django_db]

AUGUST_MESSAGE = (
    "*Hyran för augusti 2025* ska betalas innan 27 jul\n\n"
    "Fredrik, Rasmus: 7070 kr\nAdam: 7069 kr\n"
    "Amanda: 6841 kr (30 dagars boende)\nElvira: 228 kr (1 dags boende)"
)


@pytest.fixture
def household(real_data_dir):
    run_import(real_data_dir)


def bearer(scope="read"):
    _, raw = make_token(f"{scope} token", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def reader():
    return bearer("read")


@pytest.fixture
def treasurer():
    return bearer("treasurer")


def get(client, url, headers):
    response = client.get(url, **headers)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response


@pytest.mark.real_data
def test_friendly_message_of_july_2025_is_the_saved_august_message(client, household, reader):
    response = get(client, "/api/rent/friendly_message?year=2025&month=7", reader)
    assert response.status_code == 200
    body = response.json()
    assert body["message"] == AUGUST_MESSAGE
    assert (body["year"], body["month"]) == (2025, 7)
    saved = RentCalculation.objects.get(config_month=date(2025, 7, 1), status="current")
    assert body["data_source"] == {
        "type": "actual",
        "electricity_source": "current_bills",
        "description_sv": "Baserad på aktuella elräkningar",
        "status": "saved",
        "preliminary": False,
        "version": saved.version,
        "saved_at": saved.calculated_at.isoformat(timespec="seconds"),
        "pending_changes": [],
    }
    expected_el = load_history(real_data_dir_of(), "2025_08_v1")["constants"]["el"]
    assert body["electricity_amount"] == expected_el == 1973
    assert body["electricity_month"] == "juni"
    assert body["all_paid"] is True
    assert body["due_date"] == "2025-07-27"
    assert [p["name"] for p in body["payments"]] == [
        "Adam",
        "Amanda",
        "Elvira",
        "Fredrik",
        "Rasmus",
    ]
    assert all(isinstance(p["amount"], int) and p["paid"] is True for p in body["payments"])
    # Paid in full: what was paid, in whole kronor, is at least the amount (the kiosk's "av").
    assert all(p["amount_paid"] >= p["amount"] for p in body["payments"])
    generated = body["generated_at"]
    assert generated[10] == "T" and generated[-6] in "+-"  # ISO 8601 with an offset
    assert response["Cache-Control"] == "private, no-cache"
    assert response["ETag"].startswith('W/"')


def real_data_dir_of():
    return REAL_DATA_DIR


@pytest.mark.real_data
def test_history_of_august_2025_returns_its_five_rows(client, household, reader):
    body = get(client, "/api/rent/history?year=2025&month=8", reader).json()
    final = load_history(real_data_dir_of(), "2025_08_v1")["final_results"]
    assert [row["tenant"] for row in body] == sorted(final)
    for row in body:
        assert set(row) == {
            "id", "tenant", "rent_month", "amount_due", "amount_paid", "paid_on",
            "days_stayed", "room_adjustment",
            # the old names, as the old handbook's rent panel reads them (docs/api.md)
            "tenantId", "period", "amountDue", "amountPaid", "paymentDate", "createdAt",
        }  # fmt: skip
        assert row["rent_month"] == "2025-08-01"
        assert row["period"] == "2025-08-01T00:00:00+02:00"  # local midnight: August in any zone
        assert (row["amountDue"], row["amountPaid"]) == (row["amount_due"], row["amount_paid"])
        assert row["paymentDate"] == "2025-07-27T00:00:00+02:00"
        created = RentLedger.objects.get(pk=row["id"]).created_at
        assert row["createdAt"] == timezone.localtime(created).isoformat(timespec="seconds")
        assert row["tenantId"].startswith("cm")  # the old system's id (the export's `id`)
        assert row["amount_due"] == final[row["tenant"]] and isinstance(row["amount_due"], int)
        assert row["amount_paid"] == row["amount_due"]
        # Paid as charged: the import's payment, dated on the due day (the file has no date).
        assert isinstance(row["id"], int) and row["paid_on"] == "2025-07-27"
    assert {row["tenant"]: row["days_stayed"] for row in body} == {
        "Adam": 31, "Amanda": 30, "Elvira": 1, "Fredrik": 31, "Rasmus": 31,
    }  # fmt: skip


@pytest.mark.real_data
def test_breakdown_in_the_old_key_names(client, household, reader):
    body = get(client, "/api/rent?year=2025&month=7", reader).json()
    assert (
        body["Rent per Roommate"] == load_history(real_data_dir_of(), "2025_08_v1")["final_results"]
    )
    assert body["Kallhyra"] == 24530 and body["El"] == 1973 and body["Bredband"] == 400
    assert body["Total"] == 28278 and body["total_rent"] == 28278
    assert body["Vattenavgift"] == 375 and body["VA"] == 300 and body["Larm"] == 150
    assert body["Gasol"] == 550
    assert body["config"]["year"] == 2025 and body["config"]["month"] == 7
    assert body["calculation_details"]["rent_per_weight_point"] == 7069.5
    assert "friendly_message" not in body


@pytest.mark.real_data
def test_roommates_without_personal_fields_for_a_read_only_token(
    client, household, reader, treasurer
):
    body = get(client, "/api/rent/roommates?year=2025&month=7", reader).json()
    ids = {t.name: t.legacy_id for t in Tenant.objects.all()}
    assert body == [
        {"name": name, "days": days, "room_adjustment": 0, "id": ids[name], "roomAdjustment": 0}
        for name, days in [("Adam", 31), ("Amanda", 30), ("Elvira", 1), ("Fredrik", 31),
                           ("Rasmus", 31)]
    ]  # fmt: skip
    assert "@" not in json.dumps(body)
    full = get(client, "/api/rent/roommates?year=2025&month=7", treasurer).json()
    assert all(set(row) == {"name", "days", "room_adjustment", "start_date", "departure_date",
                            "id", "roomAdjustment", "email", "startDate", "departureDate"}
               for row in full)  # fmt: skip
    elvira = next(row for row in full if row["name"] == "Elvira")
    assert (elvira["start_date"], elvira["departure_date"]) == ("2024-11-22", "2025-08-01")
    assert (elvira["email"], elvira["startDate"], elvira["departureDate"]) == (
        "elvira@kimonokittens.com", "2024-11-22T00:00:00+01:00", "2025-08-01T00:00:00+02:00",
    )  # fmt: skip


@pytest.mark.real_data
def test_forecast_uses_the_electricity_bill_entered(client, household, reader):
    body = get(client, "/api/rent/forecast?year=2025&month=7", reader).json()
    assert set(body) == {"id", "title", "period", "final_results", "createdAt"}
    assert body["period"] == "2025-07-01"
    results = body["final_results"]
    entered = RentConfig.objects.get(key="el", period=date(2025, 7, 1)).value
    assert results["config"]["el"] == int(entered) == 1973  # the bill, not a projection
    assert sum(results["rent_per_roommate"].values()) >= results["total"]
    assert set(results["roommates"]) == {"Adam", "Amanda", "Elvira", "Fredrik", "Rasmus"}


@pytest.mark.real_data
def test_what_if_saves_nothing(client, household, reader):
    before = RentConfig.objects.count()
    response = client.post(
        "/api/rent",
        data={"year": 2025, "month": 7, "config": {"el": 2000}, "include_friendly_message": True},
        content_type="application/json",
        **reader,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["El"] == 2000 and body["Total"] == 28305
    assert body["friendly_message"].startswith("*Hyran för augusti 2025*")
    only_two = client.post(
        "/api/rent",
        data={"year": 2025, "month": 7, "roommates": {"Adam": {}, "Bea": {"days": 15}}},
        content_type="application/json",
        **reader,
    ).json()
    assert set(only_two["Rent per Roommate"]) == {"Adam", "Bea"}
    assert RentConfig.objects.count() == before


@pytest.mark.parametrize(
    ("method", "url", "body", "fragment"),
    [
        (
            "get",
            "/api/rent/friendly_message?year=2025&month=13",
            None,
            "month: Input should be less",
        ),
        ("get", "/api/rent?year=abc", None, "year"),
        ("post", "/api/rent", "{not json", "parse"),
        (
            "post",
            "/api/rent",
            {"month": 7, "config": {"el": -5}, "roommates": {"A": {}}},
            "config.el: Input should be greater than or equal to 0",
        ),
        (
            "post",
            "/api/rent",
            {"year": 2025, "month": 7, "config": {"hyra": 1}},
            "config.hyra: Extra",
        ),
        ("post", "/api/rent", {"month": 7, "roommates": {"A": {"days": 40}}}, "A.days: Input"),
        ("put", "/api/rent/config", {"updates": {"el": "many"}}, "el"),
        ("put", "/api/rent/config", {"updates": {"nope": 1}}, "updates.nope: Extra inputs"),
        (
            "put",
            "/api/rent/config",
            {"updates": {"el": 1e20}},
            "less than or equal to 9999999999.99",
        ),
        (
            "put",
            "/api/rent/config",
            {"updates": {"el": 12.345}},
            "updates.el: Value error, must be kronor with at most 2 decimals",
        ),
        (
            "put",
            "/api/rent/config",
            {"year": 2025, "month": 0, "updates": {}},
            "month: Input should be greater",
        ),
        ("put", "/api/rent/config", {"updates": [1]}, "updates"),
    ],
)
def test_bad_input_is_a_json_400_with_the_reason(client, treasurer, method, url, body, fragment):
    kwargs = {"content_type": "application/json"} if body is not None else {}
    data = body if isinstance(body, str) or body is None else json.dumps(body)
    response = getattr(client, method)(url, data=data, **kwargs, **treasurer)
    assert response.status_code == 400, response.content
    assert fragment.lower() in response.json()["error"].lower()


def test_the_schema_states_the_ranges_the_api_enforces(client, reader, treasurer):
    """Issue 21: `month=21074`, `year=0&month=0` were valid by the schema and answered 400."""
    schema = api.get_openapi_schema()
    for path in ("/api/rent", "/api/rent/friendly_message", "/api/rent/history"):
        params = {
            p["name"]: p["schema"]["anyOf"][0] for p in schema["paths"][path]["get"]["parameters"]
        }
        # The one range of years (rent.engine.months), as the admin's month pages take them.
        assert (params["year"]["minimum"], params["year"]["maximum"]) == (1900, 2999)
        assert (params["month"]["minimum"], params["month"]["maximum"]) == (1, 12)
    bodies = schema["components"]["schemas"]
    assert bodies["ConfigUpdate"]["required"] == ["updates"]
    assert bodies["ConfigValues"]["additionalProperties"] is False
    el = bodies["ConfigValues"]["properties"]["el"]["anyOf"][0]
    assert (el["minimum"], el["maximum"], el["multipleOf"]) == (0, 9_999_999_999.99, 0.01)
    for query in ("month=21074", "year=0&month=0"):
        response = client.get(f"/api/rent/friendly_message?{query}", **reader)
        assert response.status_code == 400 and "Input should be" in response.json()["error"]


def test_a_month_read_again_is_sent_as_first_rendered_until_the_data_changes(
    client, reader, monkeypatch
):
    """The body of a month read is kept under its ETag as rendered (api.api.HouseAPI): a 200
    read again builds nothing and is the same answer, headers included; a change to the data
    makes a new tag and a new body."""
    make_tenant("Adam", start_date=date(2024, 1, 1))
    make_tenant("Bea", start_date=date(2024, 1, 1))
    set_config("kallhyra", 10000, date(2025, 7, 1))
    url = "/api/rent/friendly_message?year=2025&month=7"
    first = get(client, url, reader)
    assert first.status_code == 200

    def build_again(*args):
        raise AssertionError("built again")

    with monkeypatch.context() as patched:
        patched.setattr("api.api.friendly_body", build_again)
        again = get(client, url, reader)
    assert again.status_code == 200 and again.content == first.content
    for header in ("ETag", "Cache-Control", "Vary", "Content-Type"):
        assert again[header] == first[header], header
    set_config("el", 1500, date(2025, 7, 1))
    changed = get(client, url, reader)
    assert changed["ETag"] != first["ETag"]
    assert changed.json()["message"] != first.json()["message"]


def test_a_month_without_rent_is_404_not_a_bad_request(client, reader):
    """An empty month is no fault of a request the schema accepts."""
    for url in ("/api/rent/friendly_message?year=2014&month=1", "/api/rent?year=2014&month=1",
                "/api/rent/forecast?year=2014&month=1"):  # fmt: skip
        response = client.get(url, **reader)
        assert response.status_code == 404, url
        assert response.json()["error"].startswith("No rent for this month:")
    what_if = client.post(
        "/api/rent", data={"year": None}, content_type="application/json", **reader
    )
    assert what_if.status_code == 404 and "name the roommates" in what_if.json()["error"]


def test_what_if_days_beyond_the_month_count_as_the_whole_month(client, reader):
    def rents(days):
        entry = {} if days is None else {"days": days}
        body = {"year": 2025, "month": 1, "config": {"kallhyra": 20000},
                "roommates": {"A": entry, "B": {}}}  # fmt: skip
        response = client.post("/api/rent", data=body, content_type="application/json", **reader)
        assert response.status_code == 200, response.content
        return response.json()["Rent per Roommate"]

    assert rents(30) == rents(None) == rents(28)  # February 2025: 28 days
    assert rents(14)["A"] < rents(None)["A"]


def test_what_the_engine_refuses_comes_with_its_code_in_the_active_language(rf):
    """The schema refuses most bad input first; what reaches the engine or a service and is
    refused there is answered by code, its sentence in the request's language."""
    error = RentInputError("days_out_of_range", name="A", days=31)
    with translation.override("sv"):
        swedish = _refused(rf.post("/api/rent"), error)
    with translation.override("en"):
        english = _refused(rf.post("/api/rent"), error)
    assert swedish.status_code == english.status_code == 400
    assert json.loads(swedish.content) == {
        "error": "A: mellan 1 och 31 dagar.",
        "code": "days_out_of_range",
    }
    assert json.loads(english.content) == {
        "error": "Invalid days for A: must be between 1 and 31",
        "code": "days_out_of_range",
    }


def test_unknown_paths_and_methods_are_404_and_405(client, reader):
    assert client.get("/api/nothing-here", **reader).status_code == 404
    assert client.get("/api/nothing-here", **reader).json() == {"error": "Not found"}
    assert client.get("/api/", **reader).json() == {"error": "Not found"}
    refused = client.delete("/api/rent/friendly_message", **reader)
    assert refused.status_code == 405 and "GET" in refused["Allow"]
    assert refused.json()["error"].startswith("Method not allowed: DELETE")


def test_put_config_goes_through_the_month_costs_service_and_is_in_the_history(client, treasurer):
    url, updates = "/api/rent/config", {"year": 2025, "month": 9, "updates": {"el": 2424}}
    response = client.put(url, data=updates, content_type="application/json", **treasurer)
    assert response.status_code == 200
    assert response.json() == {"status": "success", "updated": ["el"]}
    row = RentConfig.objects.get(key="el", period=date(2025, 9, 1))
    assert row.value == Decimal("2424")
    again = {"year": 2025, "month": 9, "updates": {"el": 2500.5, "gas": "550"}}
    response = client.put(url, data=again, content_type="application/json", **treasurer)
    assert response.json()["updated"] == ["el", "gas"]
    assert RentConfig.objects.filter(key="el", period=date(2025, 9, 1)).count() == 1
    row.refresh_from_db()
    assert row.value == Decimal("2500.50")
    reasons = set(row.history.values_list("history_change_reason", flat=True))
    assert reasons == {"API token: treasurer token"}


def test_put_config_by_a_logged_in_treasurer_needs_csrf_and_records_the_user():

    user = make_treasurer()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    body = json.dumps({"year": 2025, "month": 9, "updates": {"el": 1000}})
    refused = client.put("/api/rent/config", data=body, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]
    client.get("/hyra/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.put(
        "/api/rent/config", data=body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200, response.content
    record = RentConfig.objects.get(key="el", period=date(2025, 9, 1)).history.get()
    assert record.history_user == user
    assert record.history_change_reason == "API: kassor"


def test_the_openapi_schema_is_valid_and_lists_every_endpoint(client):
    client.force_login(make_member("boende"))  # the docs are for household members
    schema = client.get("/api/schema/").json()
    validate(schema)
    assert set(schema["paths"]) == {
        "/api/rent/friendly_message", "/api/rent", "/api/rent/forecast", "/api/rent/history",
        "/api/rent/roommates", "/api/rent/config", "/api/rent/month",
    }  # fmt: skip
    assert set(schema["paths"]["/api/rent/roommates"]) == {"get", "post"}
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.parametrize(
    ("stored", "kind", "source", "amount"),
    [
        ({date(2025, 9, 1): 2424}, "actual", "current_bills", 2424),
        ({date(2024, 9, 1): 1800, date(2025, 5, 1): 900}, "historical", "last_year_bills", 1800),
        ({date(2025, 5, 1): 900, date(2025, 6, 1): 1001}, "projection", "estimate", 951),
        ({}, "projection", "estimate", 0),
    ],
)
def test_the_data_source_says_where_the_electricity_came_from(
    client, reader, stored, kind, source, amount
):
    make_tenant("Adam")
    for period, value in stored.items():
        set_config("el", value, period)
    body = get(client, "/api/rent/friendly_message?year=2025&month=9", reader).json()
    assert (body["data_source"]["type"], body["data_source"]["electricity_source"]) == (
        kind,
        source,
    )
    assert body["electricity_amount"] == amount
    assert body["electricity_month"] == "augusti"
    assert body["all_paid"] is False  # no ledger rows for the rent month yet
    assert body["message"].startswith("*Hyran för oktober 2025*")


def test_without_year_and_month_the_current_month_in_stockholm_is_used(client, reader, monkeypatch):
    make_tenant("Adam")
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2025, 12, 31))
    body = get(client, "/api/rent/friendly_message", reader).json()
    assert (body["year"], body["month"]) == (2025, 12)
    assert body["message"].startswith("*Hyran för januari 2026*")


def test_no_answer_ever_carries_a_personnummer(client, treasurer):
    nils = make_tenant("Nils", personnummer="19880320-0016", email="nils@example.org")
    make_ledger_row(nils, rent_month=date(2025, 10, 1))
    _, kiosk = make_token("kiosk")
    answers = [
        client.get(url, **treasurer).content.decode()
        for url in ("/api/rent/roommates?year=2025&month=9", "/api/rent/history?year=2025&month=10",
                    "/api/rent?year=2025&month=9", "/api/rent/friendly_message?year=2025&month=9")
    ]  # fmt: skip
    answers.append(client.get(f"/k/{kiosk}/api/rent/friendly_message?year=2025&month=9").content)
    assert "nils@example.org" in answers[0]  # the treasurer's token sees personal fields ...
    assert all("880320-0016" not in str(answer) for answer in answers)  # ... never the personnummer
