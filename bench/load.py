"""Load: gunicorn with the production settings on PostgreSQL, many logged-in members at once.

Starts a throwaway PostgreSQL cluster (tests/pg_cluster.py, port 55413 or --pg-port) with the
demo household and the starter handbook, serves the app with deploy/gunicorn.conf.py
(production settings: DEBUG off, the real password hasher, GUNICORN_WORKERS workers), then runs
two phases:

1. quiet: CLIENTS logged-in members for DURATION seconds, each looping over a handbook page,
   the ledger change list, the month page, the coming rent (/hyra/) and the rent API
   (GET /api/rent/friendly_message with the member's session);
2. under attack: the same, plus GUESSERS clients posting wrong passwords to the login page
   as fast as they are answered (django-axes locks them out after 5).

Prints per phase: requests per second, p50/p95/p99 of the members' requests, the error count
(anything but 200; must be 0), the guessers' answers, and each worker's peak memory (VmHWM).
The members' p95 under attack must stay under twice the quiet figure.

    .venv/bin/python bench/load.py [--clients 50] [--duration 60] [--guessers 8] [--workers 3]
        [--pg-port 55413] [--years 10] [--cache-url redis://127.0.0.1:6379/13]

With --cache-url the workers share that cache (and keep the sessions in it), as
deploy/env.example suggests for several workers; it is emptied first.

With --years N the cluster holds bench/household.py's N-year household instead of the demo
data, and the pages are those of the month due next (today's).

It is CPU heavy (the load generator shares the machine with gunicorn and PostgreSQL).
"""

import argparse
import http.client
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.probe import flush_redis  # noqa: E402
from bench.stats import percentile  # noqa: E402
from tests.pg_cluster import ThrowawayCluster  # noqa: E402
from tests.processes import VENV_BIN, free_loopback_port, manage, project_env  # noqa: E402

PORT = 55413
MONTH = "2025-09"
MEMBER_URLS = [
    "/handbok/husregler/",
    "/admin/rent/rentledger/",
    f"/admin/rent/rentcalculation/manad/{MONTH}/",
    "/hyra/",
    # The config month before the rent month MONTH: the saved September message.
    "/api/rent/friendly_message?year=2025&month=8",
]

MAKE_LOGINS = """
from django.contrib.auth.models import Group, User
from django.test import Client
from household.roles import TREASURER, ensure_household_roles
ensure_household_roles()
treasurer = Group.objects.get(name=TREASURER)
for serial in range({count}):
    user = User.objects.create_user(f"bench{{serial:02d}}", is_staff=True)
    user.groups.add(treasurer)
    client = Client()
    client.force_login(user)
    print("SESSION", client.cookies["sessionid"].value)
"""


def app_env(cluster, static_root, workers, cache_url=None):
    cache = {"CACHE_URL": cache_url} if cache_url else {}
    return project_env(
        **cache,
        SECRET_KEY="bench-secret-key-" + "s" * 40,
        DATABASE_URL=cluster.url,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        STATIC_ROOT=str(static_root),
        GUNICORN_WORKERS=str(workers),
    )


def member_urls(years: int) -> list[str]:
    """The demo data's September 2025 pages, or those of the month due next (--years)."""
    if not years:
        return MEMBER_URLS
    from datetime import date

    from rent.engine.months import add_months, config_month_due_next

    month = config_month_due_next(date.today())
    shown = add_months(month, -1)  # the rent message of the config month before: saved
    return [
        "/handbok/husregler/",
        "/admin/rent/rentledger/",
        f"/admin/rent/rentcalculation/manad/{month:%Y-%m}/",
        "/hyra/",
        f"/api/rent/friendly_message?year={shown.year}&month={shown.month}",
    ]


def prepare(
    cluster, folder: Path, clients: int, workers: int, years: int, cache_url=None
) -> list[str]:
    env = app_env(cluster, folder / "static", workers, cache_url)
    data = (
        [["household", str(years)]]
        if years
        else [
            ["import_rent", str(REPO_ROOT / "fixtures")],
            ["import_handbook", str(REPO_ROOT / "fixtures" / "handbook")],
        ]
    )
    steps = [
        ["migrate", "--no-input"],
        ["collectstatic", "--no-input", "-v0"],
        *data,
        ["shell", "--no-imports", "-c", MAKE_LOGINS.format(count=clients)],
    ]
    sessions = []
    for step in steps:
        if step[0] == "household":
            done = subprocess.run(
                [str(VENV_BIN / "python"), "bench/household.py", "--years", step[1]],
                cwd=REPO_ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
        else:
            done = manage(*step, env=env)
        if done.returncode != 0:
            sys.exit(f"{' '.join(step)} failed:\n{done.stderr}")
        sessions += re.findall(r"^SESSION (\S+)$", done.stdout, re.M)
    return sessions


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: list[float] = []
        self.by_url: dict[str, list[float]] = {}
        self.statuses: dict[int, int] = {}
        self.guesses: dict[int, int] = {}

    def member(self, url: str, status: int, seconds: float):
        with self.lock:
            self.times.append(seconds)
            self.by_url.setdefault(url, []).append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def guess(self, status: int):
        with self.lock:
            self.guesses[status] = self.guesses.get(status, 0) + 1


def member_loop(port, session, deadline, recorder, urls):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    urls = urls[:]
    random.shuffle(urls)
    index = 0
    while time.monotonic() < deadline:
        url = urls[index % len(urls)]
        index += 1
        started = time.perf_counter()
        try:
            connection.request("GET", url, headers={"Cookie": f"sessionid={session}"})
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 599
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        recorder.member(url, status, time.perf_counter() - started)
    connection.close()


def guesser_loop(port, serial, deadline, recorder):
    """A password guesser from its own address (as nginx would append it)."""
    address = f"198.51.100.{serial + 1}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.monotonic() < deadline:
        try:
            connection.request("GET", "/konto/logga-in/", headers={"X-Forwarded-For": address})
            page = connection.getresponse()
            html = page.read().decode()
            cookie = page.getheader("Set-Cookie", "")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
            csrf = re.search(r"csrftoken=([^;]+)", cookie)
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token.group(1) if token else "",
                    "username": f"bench{random.randrange(50):02d}",
                    "password": f"guess-{random.random()}",
                }
            )
            connection.request(
                "POST",
                "/konto/logga-in/",
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={csrf.group(1) if csrf else ''}",
                    "X-Forwarded-For": address,
                    "Referer": f"http://127.0.0.1:{port}/konto/logga-in/",
                },
            )
            answer = connection.getresponse()
            answer.read()
            recorder.guess(answer.status)
        except (OSError, http.client.HTTPException):
            recorder.guess(599)
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.close()


def worker_pids(master: int) -> list[int]:
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children]


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_phase(port, sessions, duration, guessers, urls):
    recorder = Recorder()
    deadline = time.monotonic() + duration
    threads = [
        threading.Thread(target=member_loop, args=(port, session, deadline, recorder, urls))
        for session in sessions
    ] + [
        threading.Thread(target=guesser_loop, args=(port, serial, deadline, recorder))
        for serial in range(guessers)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return recorder, time.monotonic() - started


def report(name, recorder, elapsed, memory):
    times = recorder.times
    errors = sum(count for status, count in recorder.statuses.items() if status != 200)
    p95 = percentile(times, 0.95)
    print(f"\n{name}")
    print(f"  members' requests     {len(times)} in {elapsed:.1f} s = {len(times) / elapsed:.1f}/s")
    print(
        f"  latency p50/p95/p99   {statistics.median(times) * 1000:.0f} / {p95 * 1000:.0f} / "
        f"{percentile(times, 0.99) * 1000:.0f} ms"
    )
    for url, seconds in sorted(recorder.by_url.items()):
        print(
            f"    {url:50} p50 {statistics.median(seconds) * 1000:>5.0f} ms   "
            f"p95 {percentile(seconds, 0.95) * 1000:>5.0f} ms   ({len(seconds)} requests)"
        )
    print(f"  errors                {errors}  (statuses {dict(sorted(recorder.statuses.items()))})")
    if recorder.guesses:
        total = sum(recorder.guesses.values())
        print(
            f"  password guesses      {total} = {total / elapsed:.1f}/s, answered "
            f"{dict(sorted(recorder.guesses.items()))} (429 = locked out)"
        )
    print("  peak memory/worker    " + ", ".join(f"{mb:.0f} MB" for mb in memory))
    return p95, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--guessers", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--pg-port", type=int, default=PORT, help="the throwaway cluster's port")
    parser.add_argument("--years", type=int, default=0, help="bench/household.py's history")
    parser.add_argument(
        "--cache-url",
        help="a shared cache, as production with several workers would have it (e.g. "
        "redis://127.0.0.1:6379/13, emptied first); default: each worker's own memory",
    )
    args = parser.parse_args()
    if args.cache_url:
        flush_redis(args.cache_url)  # the run starts cold, as a fresh deploy

    folder = Path(tempfile.mkdtemp(prefix="kk-load-"))
    cluster = ThrowawayCluster(args.pg_port)
    gunicorn = None
    try:
        cluster.init()
        sessions = prepare(cluster, folder, args.clients, args.workers, args.years, args.cache_url)
        urls = member_urls(args.years)
        port = free_loopback_port()
        env = app_env(cluster, folder / "static", args.workers, args.cache_url)
        env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
        gunicorn = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "-c",
                "deploy/gunicorn.conf.py",
                "--access-logfile",
                "/dev/null",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(folder / "gunicorn.log", "w"),  # noqa: SIM115
        )
        time.sleep(3)
        for url in urls:  # warm every worker a little
            for _ in range(args.workers * 2):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request("GET", url, headers={"Cookie": f"sessionid={sessions[0]}"})
                status = connection.getresponse().status
                if status != 200:
                    sys.exit(f"{url} answered {status}; see {folder / 'gunicorn.log'}")
        print(
            f"gunicorn, {args.workers} workers, production settings, PostgreSQL "
            f"{cluster.bin.parent.name}; "
            f"{f'{args.years}-year household' if args.years else 'demo data'}; "
            f"{len(sessions)} logged-in clients, "
            f"cache: {args.cache_url or 'per worker (local memory)'}; "
            f"{args.duration:.0f} s per phase; {os.cpu_count()} CPUs (shared)"
        )
        quiet, quiet_time = run_phase(port, sessions, args.duration, 0, urls)
        quiet_p95, quiet_errors = report(
            "quiet", quiet, quiet_time, [peak_memory_mb(p) for p in worker_pids(gunicorn.pid)]
        )
        attack, attack_time = run_phase(port, sessions, args.duration, args.guessers, urls)
        attack_p95, attack_errors = report(
            f"with {args.guessers} password guessers",
            attack,
            attack_time,
            [peak_memory_mb(p) for p in worker_pids(gunicorn.pid)],
        )
        ratio = attack_p95 / quiet_p95
        print(f"\nmembers' p95 under attack / quiet = {ratio:.2f} (must be < 2)")
        print(f"errors: {quiet_errors + attack_errors} (must be 0)")
        if ratio >= 2 or quiet_errors or attack_errors:
            sys.exit(1)
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(30)
        cluster.destroy()


if __name__ == "__main__":
    main()
