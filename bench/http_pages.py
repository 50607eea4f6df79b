"""HTTP benchmark: gunicorn (2 workers) with the production settings, PostgreSQL, the demo data
or the ten-year household (bench/household.py).

Run from the repo root (PostgreSQL must answer; the database is made and dropped here):

    .venv/bin/python bench/http_pages.py [--seconds 5] [--clients 4] [--years 10]
        [--rounds 20] [--round-seconds 1] [--client wrk|python]

The requests come from wrk (a C client; Debian's package) where it is installed, else from
Python threads. At about 1 000 requests/s four Python threads are what limit /healthz, so
their floor is the client's, not the server's: measure the ratios with wrk.

With --years N the database holds bench/household.py's N-year household instead of the demo
data, and the table adds every page a member reads (bench/household.page_urls: statements, the
handbook, the API, the admin's lists, tenant page, Saldo and month pages) and the rent message
for a logged-in member (session) on a cache hit and as a 304. It then measures /healthz and
that member's rent message (200 and 304) in turn, --rounds times, each against the mean of the
floor measured just before and just after it, and prints each round's ratio and their median:
the machine's speed drifts from second to second, so only neighbours compare.

Two latencies per case: the client's (p50, p95: queueing included) and the server's (p95 of
the app's own request log, kimonokittens.middleware's duration_ms: from the first middleware
to the rendered response, no queueing for a worker). With --clients 1 nothing queues.

BENCH_DATABASE_URL names the server and database to use (default
postgres://postgres@127.0.0.1:5432/kk_bench_http; the database is dropped and made anew).
It measures requests per second and p50/p95 latency of /healthz (the floor: one query), the
rent message (200 and 304), /hyra/, /hyra/historik/ and /kiosk/, and prints each as a ratio
of the floor's throughput. Targets (issue 25): every page at p95 ≤ 100 ms server time; the rent
message for a logged-in member (session) ≥ 0.8× the floor on a cache hit, as cheap as for a
token, and its 304 no dearer than its 200.
Only plain HTTP on loopback: SECURE_SSL_REDIRECT and the secure cookie flags are off, the
rest is production (DEBUG off, ManifestStaticFiles after collectstatic, local-memory cache
per worker unless CACHE_URL is set), except that the workers are not recycled (gunicorn's
max_requests): at a thousand requests a second they would be every second, each new one with
an empty cache, and the cases are of cache hits.
"""

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.household import page_urls  # noqa: E402
from bench.stats import percentile  # noqa: E402

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
    p95 = percentile(latencies, 0.95)
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, p95 * 1000, statuses


def measure_wrk(port, path, headers, seconds, clients):
    """measure()'s figures from wrk: `clients` connections on at most two threads (the
    machine's cores are the server's) for `seconds` (whole), its p50 and p95 from
    wrk_report.lua."""
    duration = f"-d{max(1, round(seconds))}s"  # wrk takes whole seconds
    command = ["wrk", f"-t{min(2, clients)}", f"-c{clients}", duration, "--timeout", "10s"]
    command += ["-s", str(REPO_ROOT / "bench" / "wrk_report.lua")]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    report = wrk_report(run([*command, f"http://127.0.0.1:{port}{path}"], os.environ))
    # wrk tells 2xx/3xx from the rest; which status each case answers, one request tells.
    status = answer(port, path, headers).status
    answered = {
        status if status < 400 else "2xx/3xx": report["requests"] - report["not_2xx_3xx"],
        status if status >= 400 else "not 2xx/3xx": report["not_2xx_3xx"],
        "failed": report["failed"],
    }
    statuses = {name: count for name, count in answered.items() if count}
    rate = report["requests"] / report["seconds"]
    return rate, report["p50_us"] / 1000, report["p95_us"] / 1000, statuses


def wrk_report(output: str) -> dict:
    """The JSON line bench/wrk_report.lua printed at the end of wrk's own summary."""
    for line in reversed(output.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError(f"wrk printed no report:\n{output}")


def answer(port, path, headers, timeout=10) -> http.client.HTTPResponse:
    """One GET, its body read: the status a case answers, its ETag, whether the server is up."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def server_times(log: Path, since: int) -> list[float]:
    """duration_ms of every request the app logged after byte `since` of its log."""
    with log.open("rb") as lines:
        lines.seek(since)
        text = lines.read().decode(errors="replace")
    times = []
    for line in text.splitlines():
        start = line.find('{"method"')
        if start >= 0:
            times.append(json.loads(line[start:])["duration_ms"])
    return times


def label_of(path: str, tenant: str) -> str:
    """A page's row in the table: its path, the tenant's id written <id>."""
    return path.replace(f"/{tenant}/", "/<id>/").replace("/admin/rent/", "admin ")[:33]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--years", type=int, default=0, help="bench/household.py's history")
    parser.add_argument("--rounds", type=int, default=20, help="of the floor and the session")
    parser.add_argument("--round-seconds", type=float, default=1)
    parser.add_argument(
        "--client", choices=("wrk", "python"), default="wrk" if shutil.which("wrk") else "python"
    )
    options = parser.parse_args()
    timed = measure_wrk if options.client == "wrk" else measure

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
        # Not recycled: a new worker starts with an empty cache, and the cases are of cache hits.
        "GUNICORN_MAX_REQUESTS": "0",
        "LOG_LEVEL": "INFO",  # the request log: each request's server time
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

    # The request log, read between cases; closed (and deleted) in the finally below.
    log = tempfile.NamedTemporaryFile(prefix="kk-bench-log-", suffix=".log")  # noqa: SIM115
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        for _ in range(150):
            try:
                if answer(port, "/healthz", {}, timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("gunicorn did not start")

        bearer = {"Authorization": f"Bearer {token}"}
        cookie = {"Cookie": f"sessionid={session}"}
        message = "/api/rent/friendly_message"
        etag = answer(port, message, bearer).getheader("ETag")
        cases = [
            ("/healthz (floor)", "/healthz", {}),
            ("friendly_message 200", message, bearer),
            ("friendly_message 304", message, {**bearer, "If-None-Match": etag}),
            ("/hyra/", "/hyra/", cookie),
            ("/hyra/historik/", "/hyra/historik/", cookie),
            ("/kiosk/", "/kiosk/", {"Cookie": f"kiosk_token={token}"}),
        ]
        if options.years:
            session_etag = answer(port, message, cookie).getheader("ETag")
            cases += [
                ("message session 200", message, cookie),
                ("message session 304", message, {**cookie, "If-None-Match": session_etag}),
            ]
            shown = {path for _, path, _ in cases}
            cases += [
                (label_of(path, tenant), path, cookie)
                for path in page_urls(int(tenant), date.fromisoformat(f"{month}-01"))
                if path not in shown
            ]
        data = f"{options.years}-year household" if options.years else "demo data"
        print(f"gunicorn, 2 workers, PostgreSQL, {data}; {options.clients} clients "
              f"({options.client}), {options.seconds:g} s per case")  # fmt: skip
        print(f"{'case':<34}{'req/s':>7}{'p50 ms':>8}{'p95 ms':>8}{'server p95':>11}"
              f"{'× floor':>8}  statuses")  # fmt: skip
        floor = None
        for label, path, headers in cases:
            measure(port, path, headers, 0.5, options.clients)  # warm every worker's cache
            logged = Path(log.name).stat().st_size
            rate, p50, p95, statuses = timed(port, path, headers, options.seconds, options.clients)
            server_p95 = percentile(server_times(Path(log.name), logged), 0.95)
            floor = floor or rate
            print(f"{label:<34}{rate:>7.0f}{p50:>8.1f}{p95:>8.1f}{server_p95:>11.1f}"
                  f"{rate / floor:>8.2f}  {statuses}")  # fmt: skip
        if options.years and options.rounds:
            print(f"\nthe member's rent message against /healthz, {options.rounds} rounds in turn")
            session_cases = [case for case in cases if case[0].startswith("message session")]
            ratios = {label: [] for label, _, _ in session_cases}

            def floor_rate():
                return timed(port, "/healthz", {}, options.round_seconds, options.clients)[0]

            before = floor_rate()
            for round_ in range(1, options.rounds + 1):
                rates = {
                    label: timed(port, path, headers, options.round_seconds, options.clients)[0]
                    for label, path, headers in session_cases
                }
                after = floor_rate()
                floor = (before + after) / 2  # measured before and after: the drift evens out
                shown = [f"round {round_}: /healthz {floor:.0f} req/s"]
                for label, rate in rates.items():
                    ratios[label].append(rate / floor)
                    shown.append(f"{label[16:]} {rate:.0f} ({rate / floor:.2f} ×)")
                print("; ".join(shown))
                before = after
            print("median: " + "; ".join(
                f"{label} {statistics.median(values):.2f} × /healthz"
                for label, values in ratios.items()
            ))  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
        drop_database(admin, name)
        static_root.cleanup()
        log.close()


if __name__ == "__main__":
    main()
