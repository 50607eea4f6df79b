"""One structured log line per request with its id, the id on error pages and in error logs,
private no-store caching of pages for logged-in readers, and unreadable charsets answered 400."""

import json
import logging
import time

import pytest
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from household.roles import TREASURER_PERMISSION, household_roles
from kimonokittens import middleware
from kimonokittens.middleware import kept_user
from kimonokittens.request_id import RequestIdFilter
from kimonokittens.views import server_error
from rent.versioning import request_version
from tests.builders import make_member, make_page
from tests.people import make_treasurer

pytestmark = pytest.mark.django_db


def request_lines(caplog):
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "kimonokittens.requests"
    ]


def test_one_structured_line_per_request(client, caplog):
    make_page("husregler", title="Husregler")
    member = make_member("astrid")
    client.force_login(member)
    caplog.set_level(logging.INFO, logger="kimonokittens.requests")
    response = client.get("/handbok/husregler/")
    client.get("/healthz")
    lines = request_lines(caplog)
    assert len(lines) == 2
    page, health = lines
    assert page["method"] == "GET" and page["path"] == "/handbok/husregler/"
    assert page["status"] == 200 and page["user"] == "astrid"
    assert isinstance(page["duration_ms"], float) and page["duration_ms"] >= 0
    assert page["request_id"] == response["X-Request-ID"]
    assert len(page["request_id"]) == 32
    assert health["user"] == "-" and health["request_id"] != page["request_id"]


def test_an_id_from_nginx_is_kept_and_a_strange_one_replaced(client, caplog):
    caplog.set_level(logging.INFO, logger="kimonokittens.requests")
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abcdef0123456789")["X-Request-ID"] == (
        "abcdef0123456789"
    )
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="<script>\nx")["X-Request-ID"]
    assert replaced != "<script>\nx" and len(replaced) == 32
    assert [line["request_id"] for line in request_lines(caplog)] == [
        "abcdef0123456789",
        replaced,
    ]


def test_an_error_page_shows_the_id_that_its_log_lines_carry(client, caplog, monkeypatch):
    make_page("husregler", title="Husregler")
    client.force_login(make_member("astrid"))
    client.raise_request_exception = False

    def broken(text):
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr("handbook.views.render_markdown", broken)
    caplog.set_level(logging.INFO)
    response = client.get("/handbok/husregler/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Något gick fel" in html
    request_id = response["X-Request-ID"]
    assert f'data-testid="request-id">{request_id}<' in html
    assert "Traceback" not in html and "the renderer broke" not in html
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert errors
    for record in errors:
        RequestIdFilter().filter(record)
        assert record.request_id == request_id
    assert request_lines(caplog)[-1]["status"] == 500


def test_a_database_that_is_down_is_a_friendly_503(client, monkeypatch):
    make_page("husregler", title="Husregler")
    client.force_login(make_member("astrid"))
    client.raise_request_exception = False

    def down(text):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr("handbook.views.render_markdown", down)
    response = client.get("/handbok/husregler/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Databasen svarar inte just nu" in html
    assert "administrator command" not in html


def test_an_api_path_gets_its_503_as_json(rf):
    request = rf.get("/api/v1/hyra/")
    request.request_id = "abc123abc123"
    try:
        raise OperationalError("down")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert json.loads(response.content)["request_id"] == "abc123abc123"


@pytest.mark.parametrize("error", [KeyError("x"), IndexError("x")])
def test_a_bug_raising_a_key_or_index_error_is_a_500_not_an_encoding_400(rf, error):
    request = rf.get("/handbok/")
    try:
        raise error
    except LookupError:
        response = server_error(request)
    assert response.status_code == 500


def test_a_login_form_in_utf16_is_a_400_not_a_500(client):
    client.raise_request_exception = False
    body = "username=a&password=b"  # the test client encodes it in the declared utf-16
    response = client.post(
        reverse("login"), body, content_type="application/x-www-form-urlencoded; charset=utf-16"
    )
    assert response.status_code == 400


def test_pages_for_logged_in_readers_are_private_and_never_stored(client):
    make_page("husregler", title="Husregler")
    member = make_member("astrid")
    treasurer = make_treasurer()
    client.force_login(member)
    for url in ("/handbok/", "/handbok/husregler/", reverse("handbook:rent_statement")):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url
        assert "public" not in cache_control and "max-age=" not in cache_control
    client.force_login(treasurer)
    for url in (reverse("admin:index"), reverse("admin:rent_rentledger_changelist")):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_a_login_read_again_asks_neither_the_session_nor_the_user_table(client):
    """KeptLoginMiddleware keeps the login under the data version: a page read again reads the
    version and the page's own rows."""
    make_page("husregler", title="Husregler")
    client.force_login(make_member("astrid"))
    client.get("/handbok/husregler/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/handbok/husregler/").status_code == 200
    asked = " ".join(query["sql"] for query in captured)
    assert 'FROM "django_session"' not in asked and 'FROM "auth_user" WHERE' not in asked
    assert asked.startswith("SELECT value, stamp FROM api_dataversion")


def test_a_kept_login_carries_its_roles_so_they_are_not_read_again(client, monkeypatch):
    """The login and its roles are one kept entry: a page read again neither decides the roles
    nor reads household.roles' own entry for them."""
    make_page("husregler", title="Husregler")
    client.force_login(make_member("astrid"))
    assert client.get("/handbok/husregler/").status_code == 200

    def read_again(user, *, version):
        raise AssertionError("the roles were read again")

    monkeypatch.setattr("household.roles.kept_roles", read_again)
    assert client.get("/handbok/husregler/").status_code == 200
    assert client.get("/api/rent/friendly_message").status_code in (200, 404)


@pytest.mark.parametrize("change", ["logged out", "new password", "deactivated"])
def test_a_kept_login_ends_at_once_when_it_is_logged_out_or_changed(client, change):
    """Whatever ends a login makes a new data version: the next request reads the session
    again, and finds no login (the same cookie, sent again after a logout, included)."""
    make_page("husregler", title="Husregler")
    member = make_member("astrid")
    client.force_login(member)
    cookie = client.cookies["sessionid"].value
    assert client.get("/handbok/husregler/").status_code == 200
    if change == "logged out":
        client.post(reverse("logout"))
        client.cookies["sessionid"] = cookie  # a copy of the cookie kept elsewhere
    elif change == "new password":
        member.set_password("a-new-password-1234")
        member.save()
    else:
        member.is_active = False
        member.save()
    response = client.get("/handbok/husregler/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/")


def logged_in_request(client, member):
    """A request with `member`'s session cookie, as KeptLoginMiddleware gets it."""
    client.force_login(member)
    request = RequestFactory().get("/handbok/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = client.cookies[
        settings.SESSION_COOKIE_NAME
    ].value
    SessionMiddleware(lambda request: None).process_request(request)
    return request


def test_a_login_read_again_in_this_process_is_its_own_object_not_read_from_the_cache(
    client, monkeypatch
):
    """A kept login is kept in the process too (`logins_here`): read again it costs no cache
    read and no unpickling, and each request gets its own copy, so what one request sets on its
    login (permission caches, a related row) is not the next one's."""
    member = make_member("astrid")
    first = kept_user(logged_in_request(client, member))
    assert first.pk == member.pk and first._kept_roles[2] is True  # a member
    first._perm_cache = {TREASURER_PERMISSION}
    first._state.fields_cache["tenant"] = "a row of the first request"

    def cache_read(*args, **kwargs):
        raise AssertionError("read from the cache")

    monkeypatch.setattr(middleware.cache, "get", cache_read)
    again = kept_user(logged_in_request(client, member))
    assert again is not first and again.pk == member.pk
    assert again._kept_roles == first._kept_roles
    assert not hasattr(again, "_perm_cache") and "tenant" not in again._state.fields_cache
    household_roles(again, version=again._kept_roles[0])  # as a page asks, with no query
    assert not again.has_perm(TREASURER_PERMISSION)


def test_a_login_kept_by_another_process_is_taken_from_the_cache(client):
    """A worker that has not read the login yet takes it from the shared cache, not the session
    or the user table, and keeps it too."""
    member = make_member("astrid")
    kept_user(logged_in_request(client, member))
    middleware.logins_here.clear()  # another worker
    request = logged_in_request(client, member)
    request.data_version = request_version(request)
    with CaptureQueriesContext(connection) as captured:
        user = kept_user(request)
    assert user.pk == member.pk and len(captured) == 0
    assert len(middleware.logins_here) == 1


def test_a_login_kept_in_this_process_ends_when_its_entry_does(client, monkeypatch):
    """Kept in the process no longer than in the cache: past its end (five minutes at most,
    never past the session's), the session is read again."""
    member = make_member("astrid")
    kept_user(logged_in_request(client, member))
    ends = next(iter(middleware.logins_here.values()))[2]
    assert ends <= time.time() + middleware.LOGIN_KEPT_SECONDS
    monkeypatch.setattr(middleware.time, "time", lambda: ends + 1)
    read_again = []
    monkeypatch.setattr(middleware, "get_user", lambda request: read_again.append(1) or member)
    assert kept_user(logged_in_request(client, member)).pk == member.pk
    assert read_again == [1]


def test_the_process_keeps_a_bounded_number_of_logins(client, monkeypatch):
    """At most LOGINS_HERE logins, the oldest let go first: a process that serves many sessions
    (or versions) does not grow."""
    monkeypatch.setattr(middleware, "LOGINS_HERE", 2)
    members = [make_member(name) for name in ("astrid", "bo", "cilla")]
    keys = []
    for member in members:
        kept_user(logged_in_request(client, member))
        keys.append(list(middleware.logins_here)[-1])
    assert list(middleware.logins_here) == keys[1:]
