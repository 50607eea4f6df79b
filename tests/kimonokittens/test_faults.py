"""Faults survived under gunicorn with the production settings, against a real throwaway
PostgreSQL cluster on a spare port that the test restarts, stops and starts again:

- after a restart no request fails (CONN_HEALTH_CHECKS: kept connections are checked first);
- while it is down /healthz answers 503 and pages a friendly Swedish 503 naming the request id;
- when it is back everything works again, without restarting gunicorn.
"""

import json
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.pg_cluster import ThrowawayCluster
from tests.processes import REPO_ROOT, VENV_BIN, free_loopback_port, manage, project_env

PORT = 55411
SECRET = "fault-test-secret-key-" + "k" * 40

# One process sets everything up (each `manage.py` start costs about a CPU second).
SET_UP = """
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from django.contrib.auth.models import User
from django.test import Client
from rent.models import Tenant
user = User.objects.create_user("astrid", password="pw")
Tenant.objects.create(name="Astrid", user=user)
client = Client()
client.force_login(user)
print(client.cookies["sessionid"].value)
"""


def app_env(cluster, static_root, **extra):
    return project_env(
        STATIC_ROOT=str(static_root),
        SECRET_KEY=SECRET,
        DATABASE_URL=cluster.url,
        DATABASE_CONNECT_TIMEOUT="2",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        CONN_MAX_AGE="600",
        **extra,
    )


def fetch(url: str, session: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url)
    if session:
        request.add_header("Cookie", f"sessionid={session}")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def cluster():
    cluster = ThrowawayCluster(PORT)
    try:
        cluster.init()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def served(cluster, tmp_path):
    static = tmp_path / "static"
    made = manage("shell", "--no-imports", "-c", SET_UP, env=app_env(cluster, static))
    assert made.returncode == 0, made.stderr
    session = made.stdout.strip().splitlines()[-1]
    port = free_loopback_port()
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"],
        cwd=REPO_ROOT,
        env=app_env(cluster, static, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="2"),
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            fetch(base + "/healthz")
            break
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                process.terminate()
                pytest.fail("gunicorn did not answer:\n" + log.read_text())
            time.sleep(0.2)
    yield base, session, log
    process.terminate()
    process.wait(timeout=30)


def test_the_database_restarting_and_stopping_is_survived(cluster, served):
    base, session, log = served
    page = base + "/handbok/"
    # Both workers hold a kept connection.
    for _ in range(8):
        assert fetch(page, session)[0] == 200, log.read_text()[-3000:]

    cluster.restart()
    statuses = [fetch(page, session)[0] for _ in range(8)]
    assert statuses == [200] * 8, log.read_text()[-3000:]
    assert fetch(base + "/healthz")[0] == 200

    cluster.stop()
    status, body = fetch(base + "/healthz")
    assert status == 503 and json.loads(body)["status"] == "error"
    status, html = fetch(page, session)
    assert status == 503
    assert "Databasen svarar inte just nu" in html
    assert 'data-testid="request-id">' in html
    request_id = html.split('data-testid="request-id">')[1].split("<")[0]
    assert len(request_id) == 32
    assert "Traceback" not in html and "psycopg" not in html

    cluster.start()
    statuses = [fetch(page, session)[0] for _ in range(8)]
    assert statuses == [200] * 8
    assert fetch(base + "/healthz")[0] == 200
    logged = log.read_text()
    assert request_id in logged  # the error page's id is in the log
