"""HTTP benchmark: gunicorn (2 workers) with the production settings, PostgreSQL, the demo data
or the ten-year household (bench/household.py).

Run from the repo root (PostgreSQL must answer; the database is made and dropped here):

    .venv/bin/python bench/http_pages.py [--seconds 5] [--clients 4] [--years 10]

With --years N the database holds bench/household.py's N-year household instead of the demo
data, and the table adds the pages that grow with history: a statement, the handbook, the
admin's ledger, payments, tenant page, Saldo and month page, and the rent message for a
logged-in member (session) on a cache hit and as a 304. With --clients 1 a request's latency
is its server time (nothing queues).

BENCH_DATABASE_URL names the server and database to use (default
postgres://postgres@127.0.0.1:5432/kk_bench_http; the database is dropped and made anew).
It measures requests per second and p50/p95 latency of /healthz (the floor: one query), the
rent message (200 and 304), /hyra/, /hyra/historik/ and /kiosk/, and prints each as a ratio
of the floor's throughput. Targets: friendly_message ≥ 0.5× the floor, its 304 ≥ 0.8×.
Only plain HTTP on loopback: SECURE_SSL_REDIRECT and the secure cookie flags are off, the
rest is production (DEBUG off, ManifestStaticFiles after collectstatic, local-memory cache
per worker unless CACHE_URL is set).
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/kk_bench_http"
SETUP = """
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from api.tokens import create_token
from household.roles import TREASURER, ensure_household_roles
ensure_household_roles()
user = User.objects.create_user("bench", password="bench-only", is_staff=True)
user.groups.add(Group.objects.get(name=TREASURER))
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(session.session_key)
print(create_token(name="bench kiosk", created_by=user)[1])
from rent.models import Tenant
from rent.engine.months import config_month_due_next
from django.utils import timezone
tenant = Tenant.objects.order_by("-ledger_rows__rent_month", "pk").first()
print(tenant.pk if tenant else 0)
print(f"{config_month_due_next(timezone.localdate()):%Y-%m}")
"""


def run(args, env):
    done = subprocess.run(args, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(map(str, args))} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def recreate_database(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin, name


def drop_database(admin, name):
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure(port, path, headers, seconds, clients):
    """(requests per second, p50 ms, p95 ms, statuses) with `clients` keep-alive connections."""
    latencies, statuses, lock = [], {}, threading.Lock()
    deadline = time.perf_counter() + seconds

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, seen = [], {}
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            seen[response.status] = seen.get(response.status, 0) + 1
        connection.close()
        with lock:
            latencies.extend(mine)
            for status, count in seen.items():
                statuses[status] = statuses.get(status, 0) + count

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else 0
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, p95 * 1000, statuses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--years", type=int, default=0, help="bench/household.py's history")
    options = parser.parse_args()

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    admin, name = recreate_database(database_url)
    static_root = tempfile.TemporaryDirectory(prefix="kk-bench-static-")
    port = 18000 + os.getpid() % 1000
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", ""),
        "ENV_FILE": os.devnull,
        "DEBUG": "false",
        "SECRET_KEY": "bench-http-key-" + "x" * 50,
        "DATABASE_URL": database_url,
        "STATIC_ROOT": static_root.name,
        "RENT_DATA_DIR": str(REPO_ROOT / "fixtures"),
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "LOG_LEVEL": "WARNING",
    }
    if os.environ.get("CACHE_URL"):
        env["CACHE_URL"] = os.environ["CACHE_URL"]
    python = str(BIN / "python")
    run([python, "manage.py", "migrate", "--no-input"], env)
    run([python, "manage.py", "collectstatic", "--no-input"], env)
    if options.years:
        run([python, "bench/household.py", "--years", str(options.years)], env)
    else:
        run([python, "manage.py", "import_rent"], env)
    session, token, tenant, month = run([python, "manage.py", "shell", "-c", SETUP], env).split()[
        -4:
    ]

    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(150):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("gunicorn did not start")

        bearer = {"Authorization": f"Bearer {token}"}
        cookie = {"Cookie": f"sessionid={session}"}
        message = "/api/rent/friendly_message"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", message, headers=bearer)
        first = connection.getresponse()
        first.read()
        etag = first.getheader("ETag")
        cases = [
            ("/healthz (floor)", "/healthz", {}),
            ("friendly_message 200", message, bearer),
            ("friendly_message 304", message, {**bearer, "If-None-Match": etag}),
            ("/hyra/", "/hyra/", cookie),
            ("/hyra/historik/", "/hyra/historik/", cookie),
            ("/kiosk/", "/kiosk/", {"Cookie": f"kiosk_token={token}"}),
        ]
        if options.years:
            connection.request("GET", message, headers=cookie)
            first = connection.getresponse()
            first.read()
            session_etag = first.getheader("ETag")
            admin_pages = "/admin/rent/"
            cases += [
                ("message session 200", message, cookie),
                ("message session 304", message, {**cookie, "If-None-Match": session_etag}),
                ("/hyra/<id>/", f"/hyra/{tenant}/", cookie),
                ("/handbok/husregler/", "/handbok/husregler/", cookie),
                ("/handbok/ (index)", "/handbok/", cookie),
                ("admin ledger list", f"{admin_pages}rentledger/", cookie),
                ("admin payment list", f"{admin_pages}payment/", cookie),
                ("admin tenant page", f"{admin_pages}tenant/{tenant}/change/", cookie),
                ("admin Saldo", f"{admin_pages}rentledger/saldo/", cookie),
                ("admin month page", f"{admin_pages}rentcalculation/manad/{month}/", cookie),
                ("admin index", "/admin/", cookie),
            ]
        data = f"{options.years}-year household" if options.years else "demo data"
        print(f"gunicorn, 2 workers, PostgreSQL, {data}; {options.clients} clients, "
              f"{options.seconds:g} s per case")  # fmt: skip
        print(f"{'case':<24}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'× floor':>9}  statuses")
        floor = None
        for label, path, headers in cases:
            measure(port, path, headers, 0.5, options.clients)  # warm every worker's cache
            rate, p50, p95, statuses = measure(
                port, path, headers, options.seconds, options.clients
            )
            floor = floor or rate
            print(f"{label:<24}{rate:>9.0f}{p50:>9.1f}{p95:>9.1f}{rate / floor:>9.2f}  {statuses}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        drop_database(admin, name)
        static_root.cleanup()


if __name__ == "__main__":
    main()
