"""The old dashboard's base URL with a read-only token in its path (api/kiosk_base.py): its
broadcaster's exact request, the other widgets' paths, revoking, and the token never logged."""

import json
import logging
import socket
from datetime import date, timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from gunicorn.config import Config

from api.models import ApiToken
from api.token_paths import MaskedGunicornLogger, TokenPathFilter, mask_token_paths
from api.tokens import revoke_tokens
from rent.engine.months import config_month_due_next
from tests.builders import make_tenant, make_token, set_config

pytestmark = pytest.mark.django_db

# The other widgets the broadcaster fetches under the same base URL (lib/data_broadcaster.rb).
OTHER_WIDGETS = ["/data/train_departures", "/data/temperature", "/data/weather",
                 "/data/strava_stats", "/api/todos", "/api/rent",
                 "/api/rent/roommates"]  # fmt: skip


@pytest.fixture
def month():
    """This month's bills and two tenants: the message the broadcaster fetches has content."""
    config_month = config_month_due_next(timezone.localdate())  # what the hallway shows
    set_config("el", 2424, config_month)
    for name in ("Adam Svensson", "Bea"):
        make_tenant(name, email=f"{name[:3].lower()}@example.org", start_date=date(2024, 1, 1))
    return config_month


def base(raw: str) -> str:
    return f"/k/{raw}"


def broadcaster_get(host: str, port: int, path: str) -> tuple[int, dict, bytes]:
    """The request HTTParty.get(url) sends, byte for byte as Ruby's Net::HTTP writes it: no
    Authorization, no cookie, no If-None-Match."""
    request = (
        f"GET {path} HTTP/1.1\r\n"
        "Accept-Encoding: gzip;q=1.0,deflate;q=0.6,identity;q=0.3\r\n"
        "Accept: */*\r\n"
        "User-Agent: Ruby\r\n"
        f"Host: {host}:{port}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(request)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


def test_the_broadcasters_exact_request_gets_the_message_and_revoking_is_401(live_server, month):
    token, raw = make_token("Hallens dashboard")
    url = urlsplit(live_server.url)
    status, headers, body = broadcaster_get(
        url.hostname, url.port, base(raw) + "/api/rent/friendly_message"
    )
    assert status == 200 and headers["Content-Type"] == "application/json"
    answer = json.loads(body)
    assert answer["message"].startswith("*Hyran för ")
    assert (answer["year"], answer["month"]) == (month.year, month.month)
    assert [person["name"] for person in answer["payments"]] == ["Adam", "Bea"]
    assert "@" not in body.decode()  # read-only: no email or other personal field
    revoke_tokens(tokens=ApiToken.objects.filter(pk=token.pk))
    status, _, body = broadcaster_get(
        url.hostname, url.port, base(raw) + "/api/rent/friendly_message"
    )
    assert status == 401 and json.loads(body) == {
        "error": "This token is not valid (revoked or mistyped)"
    }


def test_it_answers_as_the_api_does_for_the_kiosk(client, month):
    _, raw = make_token("dashboard", scope="treasurer")  # a writer's token reads only
    via_path = client.get(base(raw) + "/api/rent/friendly_message")  # no month: the hallway's
    asked = f"?year={month.year}&month={month.month}"
    via_header = client.get(
        "/api/rent/friendly_message" + asked, HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert via_path.status_code == 200
    drop = ("generated_at",)
    assert {k: v for k, v in via_path.json().items() if k not in drop} == {
        k: v for k, v in via_header.json().items() if k not in drop
    }
    assert via_path["Cache-Control"] == "private, no-cache" and via_path["ETag"]
    again = client.get(
        base(raw) + "/api/rent/friendly_message", HTTP_IF_NONE_MATCH=via_path["ETag"]
    )
    assert again.status_code == 304
    month_asked = client.get(base(raw) + "/api/rent/friendly_message?year=2025&month=13")
    assert month_asked.status_code == 400
    assert month_asked.json()["error"].startswith("month: ")
    # The path is the hallway's view, whatever the token's rights: no other month.
    other = client.get(base(raw) + "/api/rent/friendly_message?year=2020&month=1")
    assert other.status_code == 403 and "error" in other.json()
    assert client.post(base(raw) + "/api/rent/friendly_message").status_code == 405


@pytest.mark.parametrize("path", OTHER_WIDGETS)
def test_the_other_widgets_paths_answer_a_clean_404(client, path):
    _, raw = make_token("dashboard")
    response = client.get(base(raw) + path)
    assert response.status_code == 404
    assert response.json() == {"error": "Not found"}


def test_an_unknown_token_is_401(client):
    response = client.get("/k/kk_nothing/api/rent/friendly_message")
    assert response.status_code == 401 and "error" in response.json()


def test_the_token_is_never_logged_in_full(client, month, caplog):
    _, raw = make_token("dashboard")
    with caplog.at_level(logging.INFO):
        client.get(base(raw) + "/api/rent/friendly_message")
        client.get(base(raw) + "/data/weather")
    lines = [record.getMessage() for record in caplog.records if "/k/" in record.getMessage()]
    # the request log's two lines, and django.request's "Not Found: /k/kk_…/data/weather"
    assert len(lines) == 3
    assert all(raw not in line and f"/k/{raw[:9]}…/" in line for line in lines), lines
    assert '"user": "token:dashboard"' in lines[0]


def test_the_log_filter_masks_a_token_whoever_logs_it():
    raw = "kk_" + "A1b2C3d4E5" * 4
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", (f"/k/{raw}/x",),
        None,
    )  # fmt: skip
    assert TokenPathFilter().filter(record)
    assert record.getMessage() == "Internal Server Error: /k/kk_A1b2C3…/x"
    assert mask_token_paths(f'GET /k/{raw}/api/rent/friendly_message?x=1 "200"') == (
        'GET /k/kk_A1b2C3…/api/rent/friendly_message?x=1 "200"'
    )


def test_gunicorns_access_log_masks_it_too():
    raw = "kk_" + "Z9y8X7w6V5" * 4
    logger = MaskedGunicornLogger(Config())
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/k/{raw}/api/rent/friendly_message",
               "PATH_INFO": f"/k/{raw}/api/rent/friendly_message", "QUERY_STRING": "",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1"}  # fmt: skip
    request = SimpleNamespace(headers=[], method="GET", path=environ["PATH_INFO"], query="",
                              uri=environ["RAW_URI"], version=(1, 1))  # fmt: skip
    response = SimpleNamespace(status="200 OK", headers=[], sent=10, response_length=10)

    atoms = logger.atoms(response, request, environ, timedelta(seconds=0.01))
    assert raw not in "".join(str(value) for value in atoms.values())
    assert atoms["U"] == "/k/kk_Z9y8X7…/api/rent/friendly_message"


def test_a_body_the_api_kept_is_the_paths_answer_too(client, month):
    """The API keeps a month read's body under its ETag (api.api.month_read); the path's read of
    the same month, tag and rights answers with that body, as JSON with the same headers."""
    _, raw = make_token("dashboard")
    asked = f"?year={month.year}&month={month.month}"
    via_header = client.get(
        "/api/rent/friendly_message" + asked, HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    via_path = client.get(base(raw) + "/api/rent/friendly_message" + asked)
    assert via_path.status_code == via_header.status_code == 200
    assert via_path.content == via_header.content  # kept: generated_at included
    for header in ("Content-Type", "ETag", "Cache-Control", "Vary"):
        assert via_path[header] == via_header[header], header
