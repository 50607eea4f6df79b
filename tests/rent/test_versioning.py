"""ETags, 304s and the data version: no stale split after any change, in any process."""

import json
import subprocess
import time
import urllib.error
import urllib.request
from datetime import date

import pytest
from django.core.cache import cache

from rent.ledger.payments import mark_paid_in_full
from rent.models import RentLedger
from rent.versioning import bump_data_version, data_version
from tests.builders import (
    make_ledger_row,
    make_tenant,
    make_token,
    set_month_config,
)
from tests.people import make_treasurer
from tests.processes import REPO_ROOT, VENV_BIN, free_loopback_port, manage, project_env

URL = "/api/rent/friendly_message?year=2025&month=9"
SEPTEMBER, OCTOBER = date(2025, 9, 1), date(2025, 10, 1)


@pytest.fixture
def house(db):
    adam, bea = make_tenant("Adam"), make_tenant("Bea")
    set_month_config(SEPTEMBER, el=2424)
    rows = [make_ledger_row(person, rent_month=OCTOBER) for person in (adam, bea)]
    _, raw = make_token("script", scope="read")
    return rows, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_every_write_to_the_rent_tables_bumps_the_version(db):
    def counter():
        return int(data_version().split("-")[0])

    start = counter()
    tenant = make_tenant("Adam")
    assert counter() > start
    before = counter()
    tenant.delete()
    assert counter() > before
    before, version = counter(), data_version()
    bump_data_version()
    assert counter() == before + 1 and data_version() != version


@pytest.mark.parametrize(
    "path", ["rent/friendly_message", "rent", "rent/forecast", "rent/history", "rent/roommates"]
)
def test_every_month_read_answers_304_for_the_same_copy_and_each_its_own_etag(client, house, path):
    _rows, token = house
    url = f"/api/{path}?year=2025&month=9"
    first = client.get(url, **token)
    assert first.status_code == 200, first.content
    assert first["Cache-Control"] == "private, no-cache"
    assert {"Authorization", "Cookie"} <= {part.strip() for part in first["Vary"].split(",")}
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **token)
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    other = "/api/rent/roommates" if path != "rent/roommates" else "/api/rent/history"
    assert client.get(f"{other}?year=2025&month=9", **token)["ETag"] != first["ETag"]
    next_month = client.get(f"/api/{path}?year=2025&month=10", **token)
    assert next_month.get("ETag") != first["ETag"]


def test_an_unchanged_month_answers_304_and_a_change_gives_a_new_etag(client, house):
    rows, token = house
    first = client.get(URL, **token)
    tag = first["ETag"]
    again = client.get(URL, HTTP_IF_NONE_MATCH=tag, **token)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == tag and again["Cache-Control"] == "private, no-cache"
    assert first.json()["all_paid"] is False

    mark_paid_in_full(
        rows=RentLedger.objects.filter(pk__in=[rows[0].pk, rows[1].pk]), on=date.today()
    )
    changed = client.get(URL, HTTP_IF_NONE_MATCH=tag, **token)
    assert changed.status_code == 200 and changed["ETag"] != tag
    assert changed.json()["all_paid"] is True


def test_the_etag_differs_per_month_and_between_readers_with_and_without_personal_fields(
    client, house
):
    _, token = house
    roommates = "/api/rent/roommates?year=2025&month=9"
    tag = client.get(roommates, **token)["ETag"]
    assert client.get("/api/rent/roommates?year=2025&month=8", **token)["ETag"] != tag
    client.force_login(make_treasurer())
    assert client.get(roommates, HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_a_payment_marked_in_the_admin_is_seen_by_the_next_request(client, house, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    rows, token = house
    assert [p["paid"] for p in client.get(URL, **token).json()["payments"]] == [False, False]
    admin = make_treasurer()
    client.force_login(admin)
    response = client.post(
        "/admin/rent/rentledger/",
        {"action": "paid_in_full_today", "_selected_action": [rows[0].pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert RentLedger.objects.get(pk=rows[0].pk).amount_paid == rows[0].amount_due
    client.logout()
    assert [p["paid"] for p in client.get(URL, **token).json()["payments"]] == [True, False]


def get(url, headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), None


def start_server(tmp_path, env, name):
    port = free_loopback_port()
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"],
        cwd=REPO_ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"},
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / f"{name}.log", "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return process, base
        except OSError:  # refused, reset or timed out while it starts
            time.sleep(0.2)
    process.terminate()
    pytest.fail(f"gunicorn did not answer:\n{(tmp_path / f'{name}.log').read_text()}")


SETUP = """
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from datetime import date
from api.tokens import create_token
from rent.models import RentConfig, Tenant
Tenant.objects.create(name="Adam")
Tenant.objects.create(name="Bea")
RentConfig.objects.create(key="el", period=date(2025, 9, 1), value=2424)
from django.contrib.auth.models import User
root = User.objects.create_superuser("root", password="x" * 20)
print(create_token(name="kiosk", scope="treasurer", created_by=root)[1])
"""


def test_two_processes_with_their_own_caches_never_serve_a_stale_split(tmp_path):
    """Two gunicorn servers, each with its own local-memory cache, on one database: a change
    through one is seen through the other at the next request."""
    env = project_env(
        SECRET_KEY="two-process-test-key-" + "x" * 40,
        DATABASE_URL=f"sqlite:///{tmp_path / 'two.sqlite3'}",
        CACHE_URL="locmemcache://",
        SECURE_SSL_REDIRECT="false",
    )
    made = manage("shell", "-c", SETUP, env=env)
    assert made.returncode == 0, made.stderr
    headers = {"Authorization": f"Bearer {made.stdout.strip().splitlines()[-1]}"}
    servers = [start_server(tmp_path, env, name) for name in ("a", "b")]
    try:
        (_, a), (_, b) = servers
        status, head, before = get(b + URL, headers)
        assert status == 200 and before["electricity_amount"] == 2424
        assert get(b + URL, {**headers, "If-None-Match": head["ETag"]})[0] == 304
        put = urllib.request.Request(
            a + "/api/rent/config",
            method="PUT",
            data=json.dumps({"year": 2025, "month": 9, "updates": {"el": 3000}}).encode(),
            headers={**headers, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(put, timeout=10) as response:
            assert response.status == 200
        status, _, after = get(b + URL, {**headers, "If-None-Match": head["ETag"]})
        assert status == 200 and after["electricity_amount"] == 3000
        assert after["message"] != before["message"]
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=30)
