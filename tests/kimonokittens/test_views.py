"""GET /healthz: 200 when the database answers, 503 when it does not; and under gunicorn."""

import json
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection

from tests.processes import REPO_ROOT, VENV_BIN, free_loopback_port, project_env


@pytest.mark.django_db
def test_healthz_answers_ok_with_the_database_vendor(client, django_db_setup):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}
    assert "no-cache" in response["Cache-Control"]


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def serve_with_gunicorn(tmp_path, database_url: str):
    port = free_loopback_port()
    env = project_env(
        SECRET_KEY="gunicorn-test-key-" + "x" * 40,
        DATABASE_URL=database_url,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        DATABASE_CONNECT_TIMEOUT="2",
    )
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "gunicorn.log", "w"),  # noqa: SIM115
    )
    url = f"http://127.0.0.1:{port}/healthz"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            return process, get(url)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    process.terminate()
    pytest.fail("gunicorn did not answer:\n" + (tmp_path / "gunicorn.log").read_text())


@pytest.fixture
def gunicorn(tmp_path):
    processes = []

    def start(database_url):
        process, answer = serve_with_gunicorn(tmp_path, database_url)
        processes.append(process)
        return answer

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=30)


def test_gunicorn_serves_healthz_with_the_project_config(gunicorn, tmp_path):
    status, body = gunicorn(f"sqlite:///{tmp_path / 'health.sqlite3'}")
    assert status == 200
    assert body == {"status": "ok", "database": "sqlite"}


def test_healthz_is_503_when_the_database_is_unreachable(gunicorn):
    # Nothing listens on port 9 of loopback (the discard port): the connection is refused.
    status, body = gunicorn("postgres://nobody@127.0.0.1:9/nowhere")
    assert status == 503
    assert body["status"] == "error"
    assert body["database"] == "OperationalError"
