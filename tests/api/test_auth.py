"""Who may call what: tokens (read-only or treasurer), sessions, the kiosk cookie; and a
permission matrix over every URL of the project, listed from the URL configuration."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from api.api import api
from api.models import ApiToken, TokenScope
from api.tokens import find_active_token, hash_token, revoke_tokens
from rent.engine.months import add_months, config_month_due_next
from rent.models import RentConfig
from tests.builders import make_ledger_row, make_login, make_tenant, make_token

pytestmark = pytest.mark.django_db

PAGE_PREFIXES = ("hyra/", "saker/", "kiosk/", "handbok/", "api/docs/", "api/schema/")


def test_a_token_is_stored_only_as_its_hash_and_can_be_revoked():
    token, raw = make_token("kiosk")
    stored = ApiToken.objects.get()
    assert raw not in (stored.key_hash, stored.prefix, stored.name)
    assert stored.key_hash == hash_token(raw) and raw.startswith(stored.prefix)
    assert stored.scope == TokenScope.KIOSK and not stored.can_write
    assert find_active_token(raw) == token
    assert find_active_token(raw + "x") is None and find_active_token(None) is None
    assert revoke_tokens(tokens=ApiToken.objects.all()) == 1
    assert find_active_token(raw) is None


def test_last_used_is_recorded_but_not_on_every_poll(client):
    _, raw = make_token("script", scope="read")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client.get("/api/rent/roommates", **headers)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get("/api/rent/roommates", **headers)
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - timedelta(minutes=5))
    client.get("/api/rent/roommates", **headers)
    assert ApiToken.objects.get().last_used_at > first - timedelta(minutes=5)


def test_a_polling_token_is_found_and_its_creators_rights_decided_in_one_query(
    client, household, django_assert_num_queries
):
    """Whether the creator's rights still carry the token is kept under the data version read
    with it: the hallway's second 304 costs the one query that finds the token."""
    _, raw = make_token("kiosk", created_by=household["member"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    first = client.get("/api/rent/friendly_message", **headers)
    assert first.status_code == 200
    tagged = {**headers, "HTTP_IF_NONE_MATCH": first["ETag"]}
    assert client.get("/api/rent/friendly_message", **tagged).status_code == 304
    with django_assert_num_queries(1):
        assert client.get("/api/rent/friendly_message", **tagged).status_code == 304


def test_the_admin_shows_a_new_token_once(client):
    admin = make_login("root", is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/api/apitoken/add/", {"name": "Hallen", "scope": "read"}, follow=True
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    raw = next(w.rstrip(".") for m in shown for w in m.split() if w.startswith("kk_"))
    assert hash_token(raw) == token.key_hash and token.created_by == admin
    page = client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert raw not in page and token.prefix in page
    client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    assert ApiToken.objects.get().revoked_at is not None


def test_a_revoked_or_unknown_token_is_401(client):
    token, raw = make_token("old")
    revoke_tokens(tokens=ApiToken.objects.filter(pk=token.pk))
    for value in (f"Bearer {raw}", "Bearer kk_nothing", "Basic abc"):
        response = client.get("/api/rent/roommates", HTTP_AUTHORIZATION=value)
        assert response.status_code == 401 and "error" in response.json()


def all_url_patterns(resolver=None, prefix=""):
    """(route, pattern) for every URL of the project, from the URL configuration."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from all_url_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def own_urls():
    """Every URL of this project (not the admin's or i18n's own), filled in, as (url, kind)."""
    urls = []
    for route, _ in all_url_patterns():
        # favicon.ico: the icon, open to all (it says nothing of the house).
        if route.startswith(("admin/", "i18n/", "konto/", "healthz", "favicon.ico", "^(?P<rest>")):
            continue
        if route.startswith(("k/<str:token>/", "^k/")):
            continue  # the token is in the path: tests/api/test_kiosk_base.py
        if route.startswith("api/") and not route.startswith(("api/docs", "api/schema")):
            continue  # the API's own endpoints are checked one by one below
        urls.append(route)
    return urls


@pytest.fixture
def household(people):
    """The shared people's member and treasurer, and Bea, another tenant living here; a rent
    month's row for the member and for Bea."""
    bea = make_tenant("Bea")
    make_ledger_row(people.member_tenant, rent_month=date(2025, 10, 1))
    make_ledger_row(bea, rent_month=date(2025, 10, 1))
    return {"member": people.member, "other": bea, "treasurer": people.treasurer}


API_READS = [
    "/api/rent/friendly_message?year=2025&month=9",
    "/api/rent?year=2025&month=9",
    "/api/rent/forecast?year=2025&month=9",
    "/api/rent/history?year=2025&month=10",
    "/api/rent/roommates?year=2025&month=9",
]
WRITE = ("/api/rent/config", {"year": 2025, "month": 9, "updates": {"gas": 100}})


def test_every_page_of_the_project_is_in_the_matrix():
    """A new URL must be added to the permission matrix below."""
    assert sorted(own_urls()) == sorted(
        [
            "handbok/", "handbok/sok/", "handbok/hyra/", "handbok/hyra/panel/",
            "handbok/aviseringar/",
            "handbok/bilagor/<int:pk>/<str:name>", "handbok/forslag/",
            "handbok/forslag/ny/", "handbok/forslag/<int:pk>/",
            "handbok/forslag/<int:pk>/uppdatera/", "handbok/forslag/<int:pk>/godkann/",
            "handbok/forslag/<int:pk>/dra-tillbaka/", "handbok/forslag/<int:pk>/avvisa/",
            "handbok/forslag/<int:pk>/kommentera/",
            "handbok/forslag/<int:pk>/kommentar/<int:comment_id>/",
            "handbok/<slug:slug>/", "handbok/<slug:slug>/foresla/", "handbok/<slug:slug>/bevaka/",
            "handbok/<slug:slug>/historik/", "handbok/<slug:slug>/historik/jamfor/",
            "handbok/<slug:slug>/historik/<int:revision_id>/",
            "handbok/<slug:slug>/historik/<int:revision_id>/aterstall/",
            "hyra/", "hyra/historik/", "hyra/<int:tenant_id>/", "hyra/<int:tenant_id>/csv/",
            "saker/", "kiosk/", "", "api/schema/", "api/docs/",
        ]
    )  # fmt: skip


def fill(route: str, household) -> str:
    return "/" + (
        route.replace("<int:tenant_id>", str(household["other"].pk))
        .replace("<int:pk>", "1")
        .replace("<int:revision_id>", "1")
        .replace("<int:comment_id>", "1")
        .replace("<str:name>", "bild.png")
        .replace("<slug:slug>", "husregler")
    )


def test_anonymous_gets_a_login_redirect_on_pages_and_401_on_the_api(client, household):
    for route in own_urls():
        url = fill(route, household)
        response = client.get(url)
        if route == "":
            assert response.status_code == 302  # the site root sends on to the handbook
            continue
        assert response.status_code == 302, url
        assert response["Location"].startswith("/konto/logga-in/?next="), url
    for url in API_READS:
        assert client.get(url).status_code == 401, url
    assert client.put(WRITE[0], data=WRITE[1], content_type="application/json").status_code == 401
    assert client.post("/api/rent", data={}, content_type="application/json").status_code == 401


def api_routes():
    """Every API route of the URL configuration with its methods (from the OpenAPI schema)."""
    schema = api.get_openapi_schema()
    routes = {}
    for route, pattern in all_url_patterns():
        if not route.startswith("api/") or pattern.name in (
            "openapi-json", "openapi-view", "api-root", "api-not-found",
        ):  # fmt: skip
            continue
        methods = routes.setdefault("/" + route, set())
        methods.update(method.upper() for method in schema["paths"]["/" + route])
    return routes


def test_every_api_route_is_in_the_schema_and_the_matrix():
    assert api_routes() == {
        "/api/rent/friendly_message": {"GET"}, "/api/rent": {"GET", "POST"},
        "/api/rent/forecast": {"GET"}, "/api/rent/history": {"GET"},
        "/api/rent/roommates": {"GET", "POST"}, "/api/rent/config": {"PUT"},
        "/api/rent/month": {"POST"},
    }  # fmt: skip


WRITES = {("PUT", "/api/rent/config"), ("POST", "/api/rent/roommates"),
          ("POST", "/api/rent/month")}  # fmt: skip
BODIES = {
    ("POST", "/api/rent"): {"year": 2025, "month": 9},
    ("PUT", "/api/rent/config"): WRITE[1],
    ("POST", "/api/rent/roommates"): {"action": "update_adjustment", "name": "Maja",
                                      "room_adjustment": -100},
    ("POST", "/api/rent/month"): {"year": 2025, "month": 9, "force": True},
}  # fmt: skip


def call(client, method, route, **headers):
    query = "?year=2025&month=9" if method == "GET" else ""
    body = BODIES.get((method, route))
    if body is None:
        return getattr(client, method.lower())(route + query, **headers)
    return getattr(client, method.lower())(
        route, data=body, content_type="application/json", **headers
    )


def expected(who, method, route) -> int:
    if who == "anonymous":
        return 401
    if (method, route) in WRITES:
        return 200 if who in ("treasurer", "treasurer token") else 403
    return 200


@pytest.mark.parametrize("who", ["anonymous", "read token", "member", "treasurer",
                                 "treasurer token"])  # fmt: skip
def test_the_api_permission_matrix(client, household, who):
    headers = {}
    if who in ("read token", "treasurer token"):
        _, raw = make_token(who, scope="read" if who == "read token" else "treasurer")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    elif who in ("member", "treasurer"):
        client.force_login(household[who])
    for route, methods in api_routes().items():
        for method in methods:
            response = call(client, method, route, **headers)
            assert response.status_code == expected(who, method, route), (who, method, route)
            assert response["Content-Type"].startswith("application/json")
            if who == "read token":
                assert "start_date" not in response.content.decode()


def test_a_read_only_token_reads_but_cannot_write(client, household):
    _, raw = make_token("script", scope="read")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for url in API_READS:
        response = client.get(url, **headers)
        assert response.status_code == 200, url
        assert "email" not in response.content.decode()
        assert "start_date" not in response.content.decode()
    response = client.put(WRITE[0], data=WRITE[1], content_type="application/json", **headers)
    assert response.status_code == 403
    # A token is not a login: pages still ask for one.
    assert client.get("/hyra/", **headers).status_code == 302


def test_a_member_reads_but_cannot_write_nor_see_another_statement(client, household):
    client.force_login(household["member"])
    own = household["member"].tenant
    assert client.get(f"/hyra/{own.pk}/").status_code == 200
    assert client.get(f"/hyra/{own.pk}/csv/").status_code == 200
    assert client.get(f"/hyra/{household['other'].pk}/").status_code == 403
    assert client.get(f"/hyra/{household['other'].pk}/csv/").status_code == 403
    for url in ("/hyra/", "/hyra/historik/", "/saker/", "/kiosk/", "/api/docs/"):
        assert client.get(url).status_code == 200, url
    for url in API_READS:
        assert client.get(url).status_code == 200, url
    response = client.put(WRITE[0], data=WRITE[1], content_type="application/json")
    assert response.status_code == 403


def test_a_members_answers_are_never_stored_and_a_tokens_may_be_revalidated(client, household):
    """The API says no-store to a logged-in reader itself, as kimonokittens.middleware says of
    every page, on the 200 and on its 304; a token's answer its browser may keep and ask again."""
    url = API_READS[0]
    _, raw = make_token("skript", scope="read")
    by_token = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert by_token.status_code == 200 and by_token["ETag"]
    assert by_token["Cache-Control"] == "private, no-cache"
    client.force_login(household["member"])
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (first.status_code, again.status_code) == (200, 304)
    for answer in (first, again):
        assert answer["Cache-Control"] == "private, no-cache, no-store"


def test_the_treasurer_can_do_everything(client, household):
    client.force_login(household["treasurer"])
    for route in own_urls():
        if "<int:pk>" in route or "<slug:slug>" in route or route == "":
            continue  # handbook objects that this test does not make
        url = fill(route, household)
        assert client.get(url, follow=True).status_code == 200, url
    response = client.put(WRITE[0], data=WRITE[1], content_type="application/json")
    assert response.status_code == 200
    _, raw = make_token("script", scope="treasurer")
    response = client.put(
        WRITE[0],
        data={**WRITE[1], "updates": {"gas": 200}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200


def test_the_kiosk_cookie_reads_only(client, household):
    _, raw = make_token("kiosk", scope="treasurer")
    response = client.get(f"/kiosk/?token={raw}")
    assert response.status_code == 302 and response["Location"] == "/kiosk/"
    cookie = response.cookies["kiosk_token"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    page = client.get("/kiosk/")
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store" and "Cookie" in page["Vary"]
    coming = config_month_due_next(timezone.localdate())
    hallway = f"/api/rent/friendly_message?year={coming.year}&month={coming.month}"
    assert client.get(hallway).status_code == 200
    # Whatever the token's own rights, the cookie reads the hallway's view only.
    for url in API_READS:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "hallway" in response.json()["error"]
    response = client.put(WRITE[0], data=WRITE[1], content_type="application/json")
    assert response.status_code == 401  # the cookie never authorises a write
    assert client.get("/kiosk/?token=kk_wrong").status_code == 403


def test_the_kiosk_page_shows_first_names_and_amounts_only(client):
    make_tenant("Adam Andersson", email="adam@example.org", start_date=date(2020, 1, 1))
    _, raw = make_token("kiosk")
    client.get(f"/kiosk/?token={raw}")
    html = client.get("/kiosk/").content.decode()
    assert "Adam" in html and "Andersson" not in html and "example.org" not in html
    assert timezone.localdate().year  # the page rendered with today's coming month


def test_a_logged_in_non_member_is_told_why_in_swedish_and_a_script_in_english(client, people):
    assert client.get(API_READS[0]).json() == {
        "error": "Authentication required: a bearer token or a login"
    }
    for outsider in (people.no_tenant, people.moved_out):
        client.force_login(outsider)
        response = client.get(API_READS[0])
        assert response.status_code == 401
        assert response.json() == {
            "error": "Din inloggning är inte kopplad till någon som bor i huset just nu."
        }


# Scopes and creators' rights (issue 21) ---------------------------------------------------


def test_a_kiosk_token_reads_only_the_coming_months_hallway_view(client, household):
    """The kiosk's token read moved-out tenants' amounts and any past month before."""
    _, raw = make_token("kiosk")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    coming = config_month_due_next(timezone.localdate())
    earlier = add_months(coming, -3)
    hallway = f"/api/rent/friendly_message?year={coming.year}&month={coming.month}"
    assert client.get(hallway, **headers).status_code == 200
    wider = [
        "/api/rent/history?year=2024&month=11",
        f"/api/rent/history?year={coming.year}&month={coming.month}",
        f"/api/rent?year={coming.year}&month={coming.month}",
        f"/api/rent/forecast?year={coming.year}&month={coming.month}",
        f"/api/rent/roommates?year={coming.year}&month={coming.month}",
        "/api/rent/friendly_message?year=2024&month=11",
        f"/api/rent/friendly_message?year={earlier.year}&month={earlier.month}",
    ]
    for url in wider:
        response = client.get(url, **headers)
        assert response.status_code == 403, url
        assert "read rights" in response.json()["error"]
    what_if = client.post("/api/rent", data={}, content_type="application/json", **headers)
    assert what_if.status_code == 403
    _, read = make_token("script", scope="read")
    response = client.get(wider[0], HTTP_AUTHORIZATION=f"Bearer {read}")
    assert response.status_code == 200


@pytest.mark.parametrize("loss", ["deactivated", "role taken away", "login deleted"])
def test_a_treasurer_token_stops_at_once_when_its_creator_loses_the_rights(client, household, loss):
    creator = make_login("kassor2", role="Kassör")
    token, raw = make_token("script", scope="treasurer", created_by=creator)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    put = lambda gas: client.put(  # noqa: E731
        WRITE[0], data={**WRITE[1], "updates": {"gas": gas}},
        content_type="application/json", **headers,
    )  # fmt: skip
    assert put(100).status_code == 200
    if loss == "deactivated":
        creator.is_active = False
        creator.save()
    elif loss == "role taken away":
        creator.groups.remove(Group.objects.get(name="Kassör"))
    else:
        creator.delete()
    response = put(200)
    assert response.status_code == 401
    assert client.get(API_READS[1], **headers).status_code == 401

    assert RentConfig.objects.get(key="gas").value == 100


def test_a_kiosk_token_stops_when_its_creator_moves_out(client, household):
    member = household["member"]
    _, raw = make_token("kiosk", created_by=member)
    coming = config_month_due_next(timezone.localdate())
    hallway = f"/api/rent/friendly_message?year={coming.year}&month={coming.month}"
    assert client.get(hallway, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    client.get(f"/kiosk/?token={raw}")
    assert client.get("/kiosk/").status_code == 200
    tenant = member.tenant
    tenant.start_date = date(2020, 1, 1)
    tenant.departure_date = timezone.localdate() - timedelta(days=40)
    tenant.save()
    assert client.get(hallway, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert client.get(hallway).status_code == 401  # the kiosk cookie too
    assert client.get("/kiosk/").status_code == 302  # to the login page


def test_the_token_list_says_whether_each_token_acts_now(client, household):
    treasurer = household["treasurer"]
    make_token("hallen", created_by=treasurer)
    gone = make_login("gammal", role="Kassör")
    make_token("skript", scope="treasurer", created_by=gone)
    gone.is_active = False
    gone.save()
    client.force_login(treasurer)
    html = client.get("/admin/api/apitoken/").content.decode()
    assert html.count(">ja<") == 1
    assert "nej: skaparens inloggning är avstängd" in html


@pytest.mark.parametrize("ending", ["logout", "password", "moved out", "deactivated"])
def test_a_kept_session_ends_with_the_logout_or_any_change_to_the_member(client, household, ending):
    """api.auth keeps a member's session and roles under the data version (one query a read);
    whatever ends the session or the membership makes a new version, so the next read is
    checked in full and refused."""
    url = "/api/rent/friendly_message?year=2025&month=9"
    member = household["member"]
    client.force_login(member)
    cookie = client.cookies["sessionid"].value
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # kept
    if ending == "logout":
        client.post("/konto/logga-ut/")
    elif ending == "password":
        member.set_password("a-new-password-for-tests")
        member.save()
    elif ending == "moved out":
        tenant = member.tenant
        tenant.departure_date = timezone.localdate() - timedelta(days=1)
        tenant.start_date = tenant.departure_date - timedelta(days=30)
        tenant.save()
    else:
        member.is_active = False
        member.save()
    client.cookies["sessionid"] = cookie  # the same browser, or a copied cookie
    response = client.get(url)
    assert response.status_code == 401, ending
