"""Who may call what on the API: every route the API answers, asked with each method it takes
as each of the household's people (tests/people.py, logged in with a session), with the one
outcome each must get. Tokens and the kiosk's cookie: tests/api/test_auth.py."""

from datetime import date

from tests.access import LOGIN, differences, label_names, outcome, url_names
from tests.builders import make_ledger_row, set_month_config
from tests.people import PERSONS, log_in

C = date(2025, 9, 1)  # the config month asked for (rent month October)
MONTH = "?year=2025&month=9"

# (method, URL, JSON body or None) of each route, by its URL name.
CALLS = {
    "api-root": ("get", "/api/", None),
    "openapi-json": ("get", "/api/schema/", None),
    "openapi-view": ("get", "/api/docs/", None),
    "friendly_message": ("get", f"/api/rent/friendly_message{MONTH}", None),
    "breakdown": ("get", f"/api/rent{MONTH}", None),
    "forecast": ("get", f"/api/rent/forecast{MONTH}", None),
    "history": ("get", "/api/rent/history?year=2025&month=10", None),
    "roommates": ("get", f"/api/rent/roommates{MONTH}", None),
    "what_if": ("post", "/api/rent", {"year": 2025, "month": 9}),
    "update_config": ("put", "/api/rent/config",
                      {"year": 2025, "month": 9, "updates": {"gas": 100}}),
    "change_roommates": ("post", "/api/rent/roommates",
                         {"action": "update_adjustment", "name": "Maja", "room_adjustment": -100}),
    "save_month": ("post", "/api/rent/month", {"year": 2025, "month": 9, "force": True}),
    "api-not-found": ("get", "/api/finns-inte", None),
}  # fmt: skip

# A session reads the API when its login is a household member (api.auth.Session): a login that
# is no member, like no login at all, is 401. Writes need the treasurer (403 for a member).
# The docs and the schema are pages for members too (settings.MEMBERS_ONLY_VIEWS, checked by the
# membership middleware): the login page for no login, 403 for a login that is no member.
# fmt: off
EXPECTED = {
    #                   anonymous member treasurer moved_out no_tenant
    "api-root":         (404,      404,   404,      404,      404),
    "openapi-json":     (LOGIN,    200,   200,      403,      403),
    "openapi-view":     (LOGIN,    200,   200,      403,      403),
    "friendly_message": (401,      200,   200,      401,      401),
    "breakdown":        (401,      200,   200,      401,      401),
    "forecast":         (401,      200,   200,      401,      401),
    "history":          (401,      200,   200,      401,      401),
    "roommates":        (401,      200,   200,      401,      401),
    "what_if":          (401,      200,   200,      401,      401),
    "update_config":    (401,      403,   200,      401,      401),
    "change_roommates": (401,      403,   200,      401,      401),
    "save_month":       (401,      403,   200,      401,      401),
    "api-not-found":    (404,      404,   404,      404,      404),
}
# fmt: on


def test_every_api_route_has_its_row_in_the_table():
    assert label_names(EXPECTED) == url_names("api") | {"api-not-found"}


def test_who_may_call_each_api_route(client, people):
    set_month_config(C, kallhyra=24530, el=2424, bredband=400)
    make_ledger_row(people.member_tenant, rent_month=date(2025, 10, 1))
    actual = {label: [] for label in CALLS}
    for person in PERSONS:
        log_in(client, people, person)
        for label, (method, url, body) in CALLS.items():
            if body is None:
                response = getattr(client, method)(url)
            else:
                response = getattr(client, method)(url, data=body, content_type="application/json")
            actual[label].append(outcome(response, url))
            if label not in ("openapi-view", "openapi-json") and response.status_code != 302:
                assert response["Content-Type"].startswith("application/json"), (label, person)
    assert differences({k: tuple(v) for k, v in actual.items()}, EXPECTED) == {}
