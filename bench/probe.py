"""Security probe: the production set-up attacked by eleven kinds of caller (issue 21).

Starts a throwaway PostgreSQL cluster (tests/pg_cluster.py, port 55417 or --pg-port), imports
the household's real data (RENT_DATA_DIR, default ../shared/kimonokittens-data) and the starter
handbook, makes the callers and hostile rows (bench/probe_setup.py), and serves the app as
production does: gunicorn with deploy/gunicorn.conf.py, DEBUG off, SECRET_KEY, ALLOWED_HOSTS and
SITE_URL set, the Redis cache when one answers (CACHE_URL, default redis://127.0.0.1:6379/11;
`--no-redis` for the local-memory one), and every request carrying nginx's headers
(X-Forwarded-Proto: https, X-Forwarded-For with the client's address last).

The callers: anonymous, member, treasurer, a moved-out tenant's login, an active login with no
tenant, a deactivated login (its session made before), the kiosk's cookie, a read token, a kiosk
token, a treasurer token, and a treasurer token whose creator was deactivated.

Kinds of probe, each held or failed with a reason:
  urls      every URL of the resolver (real ids filled in) by every caller: the expected status
            (expected_statuses below), never a 5xx, and a login page for those sent to log in
  writes    POST/PUT/DELETE to every write endpoint (admin add/change/delete/actions/imports,
            the handbook's and rent pages' forms, the API's writes) by every caller who must not
            write: 401/403/405 or a redirect to a login page, and no table changed
  xss       hostile text in 21 kinds of field: never printed unescaped on any page
  formula   CSV/XLSX exports of every admin list and a statement: no cell starts a formula
  lockout   password guessing while varying X-Forwarded-For: locked by account and by address
  files     the hostile statements, image and history file of issue 21 (items 1-3, 9-10):
            a clear message within a bound, and no row left behind
  concurrency  treasurers writing the same month at once: no 5xx, one result
  kiosk     the kiosk cookie's and kiosk token's scope (issue 21 item 5)
  tokens    tokens whose creator was deactivated, lost the treasurer role or moved out (item 6)
  cache     /kiosk/ and every page of a login: private, no-store, Vary: Cookie (item 8)

Then schemathesis over /api/schema/ with a treasurer token and with a treasurer's session: the
requests made, 5xx answers (ST101) and schema-valid requests refused (ST202,
positive_data_acceptance) or answers outside the schema. Schemathesis is not in the project's
locks (it would bring its own tree of test tools into requirements/dev.lock); install it in a
throwaway venv, which the probe finds at /tmp/kk-st-venv (or --schemathesis PATH-TO-st):

    python3 -m venv /tmp/kk-st-venv && /tmp/kk-st-venv/bin/pip install schemathesis

Run from the repo root, under the suite's lock (it loads the machine for a few minutes):

    flock /tmp/kk-suite.lock .venv/bin/python bench/probe.py [--kinds urls,writes,...]
        [--examples 40] [--no-schemathesis]

Prints a table per kind (tried, held, failed), every failure with its reason, and exits 1 when
any probe failed.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.pg_cluster import ThrowawayCluster  # noqa: E402
from tests.processes import VENV_BIN, free_loopback_port, manage, project_env  # noqa: E402

HOST = "kk.probe.test"
CSRF = "probecsrf" + "x" * 23  # 32 characters: a CSRF secret the probe chooses
CLIENT_IP = "198.51.100.10"  # the address nginx appends for every caller
CALLERS = [
    "anonymous",
    "member",
    "treasurer",
    "moved_out",
    "no_tenant",
    "deactivated",
    "kiosk_cookie",
    "read_token",
    "kiosk_token",
    "treasurer_token",
    "stopped_token",
]
SESSIONS = {"member", "treasurer", "moved_out", "no_tenant", "deactivated"}
TOKENS = {"read_token", "kiosk_token", "treasurer_token", "stopped_token"}
KINDS = [
    "urls",
    "writes",
    "xss",
    "formula",
    "lockout",
    "files",
    "concurrency",
    "kiosk",
    "tokens",
    "cache",
]
LOGIN_PAGES = ("/konto/logga-in/", "/admin/login/")
# Bounds for the hostile files: a clear answer well inside gunicorn's 30 s.
FILE_SECONDS = 10
IMAGE_SECONDS = 3


# --- the expected outcome of a GET, per URL and caller (pure; tests/bench/test_probe.py) -------


def area(pattern: str, namespace: str | None) -> str:
    """Which rule a URL pattern falls under."""
    if namespace == "handbook":
        return "handbook"
    if namespace == "rent":
        return "statement" if "tenant_id" in pattern else "rent"
    if pattern.startswith(("k/", "^k/")):
        return "kiosk_base"
    if pattern == "kiosk/":
        return "kiosk"
    if namespace == "api" or pattern.startswith("api/"):
        if pattern in ("api/rent/config", "api/rent/month"):
            return "api_write"  # PUT or POST only
        if pattern.startswith("api/rent"):
            return "api_hallway" if pattern == "api/rent/friendly_message" else "api_read"
        if pattern in ("api/schema/", "api/docs/"):
            return "api_docs"
        return "api_missing"
    if pattern.startswith("admin/"):
        if pattern in (
            "admin/login/",
            "admin/logout/",
            "admin/glomt-losenord/",
        ):
            return "public"
        return "admin"
    return "public"


# Admin views a member (Boende) may open: the rent lists and pages, read-only, and their exports.
# Everything else in the admin is the treasurer's (or a superuser's).
MEMBER_ADMIN = re.compile(
    r"^admin/(|jsi18n/|password_change/(done/)?|r/.*|\(\?P<url>.*|\^\(\?P<app_label>.*"
    r"|rent/(tenant|room|rentconfig|rentcalculation|rentledger|coowneditem|payment"
    r"|banktransaction|paymentclaim|reminderlog|smslog)/"
    r"(|export/|<path:object_id>/(change/|history/)?|manad/(<str:month>/)?|saldo/))$"
)
# What the treasurer may not do either: logins, groups, the login log, the handbook's tables (the
# handbook's own pages do that work), and adding or deleting logs and saved versions.
TREASURER_REFUSED = re.compile(
    r"^admin/(autocomplete/|auth/|axes/access(log|failurelog)/|axes/accessattempt/add/|handbook/"
    r"|rent/(rentcalculation|banktransaction|paymentclaim|reminderlog|smslog)/"
    r"(add/|<path:object_id>/delete/)|api/apitoken/<path:object_id>/delete/)"
)


def api_expected(caller: str, kind: str) -> set[int]:
    if caller in ("member", "treasurer", "read_token", "treasurer_token"):
        return {200, 404}  # 404: no rent that month
    if caller in ("kiosk_cookie", "kiosk_token"):
        return {200} if kind == "api_hallway" else {403}
    return {401}


def expected_statuses(caller: str, pattern: str, namespace: str | None, owner=None) -> set[int]:
    """The statuses a GET of this URL may answer this caller; anything else fails the probe."""
    kind = area(pattern, namespace)
    member = caller in ("member", "treasurer")
    outsider = caller in ("moved_out", "no_tenant")  # logged in, not a household member
    if kind == "public":
        return {200, 301, 302, 405}
    if kind == "kiosk_base":
        return {200} if pattern.endswith("friendly_message") else {404}
    if kind == "api_missing":
        return {404}
    if kind == "api_write":
        return {405}
    if kind == "api_docs":  # for household members, as the API is (api.auth)
        return {200} if member else {403} if outsider else {302}
    if kind in ("api_read", "api_hallway"):
        return api_expected(caller, kind)
    if kind == "kiosk":
        if caller == "kiosk_cookie" or member:
            return {200}
        return {403} if outsider else {302}
    return page_expected(caller, kind, pattern, owner)


def page_expected(caller: str, kind: str, pattern: str, owner) -> set[int]:
    """Pages of the handbook, the rent pages and the admin: for logins only."""
    outsider = caller in ("moved_out", "no_tenant")
    if caller in ("anonymous", "deactivated", "kiosk_cookie") or caller in TOKENS:
        return {302}
    if kind == "statement":
        if caller == "treasurer" or owner == caller:
            return {200}
        if caller == "member":
            return {200, 403, 404}
        return {403, 404}
    if outsider:
        return {403}
    if kind == "admin" and caller == "member" and not MEMBER_ADMIN.match(pattern):
        if pattern.endswith(("<path:object_id>/", "<path:object_id>/history/")):
            return {302, 403}  # a change page's old address, or a row that is not there
        if "history/([^/]+)" in pattern:
            return {200, 403}  # one past version of a row: as its admin's history permission
        return {403, 405}  # 405: a view that takes only POST
    if kind == "admin" and caller == "treasurer" and TREASURER_REFUSED.match(pattern):
        return {302, 403, 404}
    return {200, 302, 404, 405}


def writers(pattern: str, namespace: str | None) -> set[str]:
    """Callers who may write at this URL (the others are probed)."""
    kind = area(pattern, namespace)
    if kind in ("public", "kiosk_base", "api_missing", "api_docs"):
        return set(CALLERS)  # nothing to write there (or the login itself)
    if kind in ("handbook", "rent", "statement"):
        return {"member", "treasurer"}
    if kind.startswith("api_"):
        return set(CALLERS)  # the API's writes are probed with real bodies (API_WRITES)
    if kind == "kiosk":
        return set(CALLERS)
    return {"treasurer"}


# --- results -----------------------------------------------------------------------------------


@dataclass
class Results:
    rows: dict[str, list[tuple[str, bool, str]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, name: str, held: bool, reason: str = "") -> bool:
        with self.lock:
            self.rows.setdefault(kind, []).append((name, held, reason))
        return held

    def table(self) -> int:
        failed_total = tried_total = 0
        print(f"\n{'kind':<14}{'tried':>7}{'held':>7}{'failed':>8}")
        for kind in KINDS:
            rows = self.rows.get(kind, [])
            if not rows:
                continue
            failed = sum(1 for row in rows if not row[1])
            tried_total += len(rows)
            failed_total += failed
            print(f"{kind:<14}{len(rows):>7}{len(rows) - failed:>7}{failed:>8}")
        print(f"{'total':<14}{tried_total:>7}{tried_total - failed_total:>7}{failed_total:>8}")
        for kind in KINDS:
            for name, held, reason in self.rows.get(kind, []):
                if not held:
                    print(f"  FAILED {kind}: {name}: {reason}")
        return failed_total


# --- HTTP as nginx forwards it -----------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def cookie(self, name: str) -> str | None:
        """A cookie the answer sets (the admin's messages ride in one)."""
        found = re.search(rf"(?:^|, ){name}=([^;]*)", self.header("Set-Cookie"))
        return found.group(1) if found else None


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = "probe" + hashlib.sha256(os.urandom(8)).hexdigest()[:20]
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(str(value).encode() + b"\r\n")
    for name, (filename, content, kind) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


class Http:
    def __init__(self, port: int, callers: dict[str, dict]):
        self.port = port
        self.callers = callers  # caller -> {"cookies": {...}, "headers": {...}}
        self.local = threading.local()

    def connection(self, fresh=False):
        if fresh or getattr(self.local, "connection", None) is None:
            self.local.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=90)
        return self.local.connection

    def send(
        self,
        method: str,
        path: str,
        caller: str = "anonymous",
        *,
        data: dict | None = None,
        files: dict | None = None,
        json_body=None,
        headers: dict | None = None,
        forwarded_for: str | None = None,
        cookies: dict | None = None,
    ) -> Answer:
        who = self.callers.get(caller, {})
        jar = {"csrftoken": CSRF, **who.get("cookies", {}), **(cookies or {})}
        sent = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": forwarded_for or CLIENT_IP,
            "Accept-Language": "sv",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            **who.get("headers", {}),
        }
        body = None
        if method not in ("GET", "HEAD"):
            sent["X-CSRFToken"] = CSRF
            sent["Referer"] = f"https://{HOST}/"
            if json_body is not None:
                body = json.dumps(json_body).encode()
                sent["Content-Type"] = "application/json"
            elif files:
                body, sent["Content-Type"] = multipart(
                    {"csrfmiddlewaretoken": CSRF, **(data or {})}, files
                )
            else:
                body = urllib.parse.urlencode(
                    {"csrfmiddlewaretoken": CSRF, **(data or {})}, doseq=True
                ).encode()
                sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                connection = self.connection(fresh=attempt == 2)
                connection.request(method, path, body=body, headers=sent)
                response = connection.getresponse()
                content = response.read()
                break
            except (OSError, http.client.HTTPException) as error:
                self.local.connection = None
                if attempt == 2:
                    return Answer(599, {}, str(error).encode(), time.perf_counter() - started)
        found = {}
        for name, value in response.getheaders():
            name = name.lower()
            found[name] = f"{found[name]}, {value}" if name in found else value
        if found.get("connection", "").lower() == "close":
            self.local.connection = None
        return Answer(response.status, found, content, time.perf_counter() - started)


def location_is_login(answer: Answer) -> bool:
    where = urllib.parse.urlsplit(answer.header("Location")).path
    return any(where.startswith(page) for page in LOGIN_PAGES)


# --- the database's state, to see that a refused write changed nothing --------------------------

# Tables a request may touch without being a write: sessions, the login log, a token's last use.
VOLATILE = {"django_session", "axes_accesslog", "axes_accessattempt", "axes_accessfailurelog"}


class Fingerprint:
    def __init__(self, url: str):
        import psycopg

        self.connection = psycopg.connect(url, autocommit=True)
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            )
            self.tables = sorted(row[0] for row in cursor if row[0] not in VOLATILE)

    def take(self) -> dict[str, str]:
        state = {}
        with self.connection.cursor() as cursor:
            for table in self.tables:
                # A token's last use moves on every read: everything else of it counts.
                column = "(t.id, t.name, t.scope, t.revoked_at)" if table == "api_apitoken" else "t"
                digest = f"md5(string_agg({column}::text, '|' ORDER BY {column}::text))"
                cursor.execute(f'SELECT count(*), {digest} FROM "{table}" t')  # noqa: S608
                count, digest = cursor.fetchone()
                state[table] = f"{count}:{digest}"
        return state

    @staticmethod
    def changed(before: dict, after: dict) -> list[str]:
        return [table for table in before if before[table] != after.get(table)]

    def value(self, query: str, parameters=()):
        with self.connection.cursor() as cursor:
            cursor.execute(query, parameters)
            row = cursor.fetchone()
        return row[0] if row else None

    def count(self, table: str, where: str = "TRUE") -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f'SELECT count(*) FROM "{table}" WHERE {where}')  # noqa: S608
            return cursor.fetchone()[0]


# --- the probes --------------------------------------------------------------------------------


def probe_urls(http: Http, setup: dict, results: Results, pages: dict):
    """Every URL by every caller. Keeps the answers of the member and the treasurer (xss)."""

    def run(caller):
        for entry in setup["urls"]:
            path, pattern, namespace = entry["path"], entry["pattern"], entry["ns"]
            if pattern in ("konto/logga-ut/", "admin/logout/", "i18n/setlang/"):
                continue  # a GET there does nothing, or logs the caller out
            answer = http.send("GET", path, caller)
            allowed = expected_statuses(caller, pattern, namespace, entry.get("owner"))
            name = f"{caller} GET {path}"
            if answer.status not in allowed:
                results.record(
                    "urls", name, False, f"answered {answer.status}, expected {sorted(allowed)}"
                )
            elif answer.status == 302 and allowed == {302} and not location_is_login(answer):
                results.record("urls", name, False, f"sent to {answer.header('Location')}")
            else:
                results.record("urls", name, True)
            if caller in ("member", "treasurer", "kiosk_cookie"):
                pages[(caller, path)] = answer
            if caller in SESSIONS - {"deactivated"}:
                probe_cache_headers(results, caller, path, answer)

    threads = [threading.Thread(target=run, args=(caller,)) for caller in CALLERS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def probe_cache_headers(results: Results, caller: str, path: str, answer: Answer):
    if answer.status != 200 or "html" not in answer.header("Content-Type"):
        return
    control = answer.header("Cache-Control")
    if "private" not in control and "no-store" not in control and "no-cache" not in control:
        results.record("cache", f"{caller} {path}", False, f"Cache-Control: {control!r}")
    else:
        results.record("cache", f"{caller} {path}", True)


def write_requests(entry: dict) -> list[tuple[str, dict]]:
    """What a forbidden writer sends to this URL: (method, form data)."""
    pattern = entry["pattern"]
    if pattern.endswith("/delete/"):
        return [("POST", {"post": "yes"}), ("DELETE", {})]
    if re.match(r"admin/\w+/\w+/$", pattern):  # a change list: its actions
        return [
            ("POST", {"action": "delete_selected", "_selected_action": ["1", "2"], "post": "yes"})
        ]
    return [("POST", {"name": "probe", "body": "probe", "message": "probe"}), ("PUT", {})]


API_WRITERS = {"treasurer", "treasurer_token"}
API_WRITES = [
    ("PUT", "/api/rent/config", {"year": 2025, "month": 9, "updates": {"el": 1234}}),
    (
        "POST",
        "/api/rent/roommates",
        {"action": "set_departure", "name": "Adam", "end_date": "2025-01-01"},
    ),  # fmt: skip
    ("POST", "/api/rent/roommates", {"action": "add_permanent", "name": "Probeintrang"}),
    ("POST", "/api/rent/month", {"year": 2025, "month": 9, "force": True, "confirm_paid": True}),
    ("DELETE", "/api/rent/config", None),
    ("DELETE", "/api/rent/month", None),
]


def probe_writes(http: Http, setup: dict, results: Results, fingerprint: Fingerprint):
    """Writes by callers who must not write; the database must not change. The state is compared
    once per caller and area (a change names the tables; the probes of that batch fail)."""
    skip = {"konto/logga-in/", "admin/login/", "konto/logga-ut/", "admin/logout/"}
    for caller in CALLERS:
        batches: dict[str, list] = {}
        for entry in setup["urls"]:
            pattern, namespace = entry["pattern"], entry["ns"]
            if pattern in skip or caller in writers(pattern, namespace):
                continue
            if entry.get("owner") == caller or pattern.startswith("admin/password_change/"):
                continue  # one's own statement and password are one's own to write
            batches.setdefault(area(pattern, namespace), []).append(entry)
        for kind, entries in batches.items():
            before = fingerprint.take()
            names = []
            for entry in entries:
                for method, data in write_requests(entry):
                    answer = http.send(method, entry["path"], caller, data=data)
                    name = f"{caller} {method} {entry['path']}"
                    names.append(name)
                    refused = answer.status in (401, 403, 405) or (
                        answer.status in (301, 302) and location_is_login(answer)
                    )
                    if caller == "member" and kind == "admin":
                        # A member reads the admin: a form shown again (200), a view's redirect
                        # or a missing row is no write as long as the tables stay the same.
                        refused = refused or answer.status in (200, 302, 404)
                    results.record(
                        "writes",
                        name,
                        refused,
                        "" if refused else f"answered {answer.status} {answer.header('Location')}",
                    )
            changed = Fingerprint.changed(before, fingerprint.take())
            if changed:
                results.record(
                    "writes", f"{caller} {kind} batch", False, f"tables changed: {changed}"
                )
        if caller not in API_WRITERS:
            before = fingerprint.take()
            for method, path, body in API_WRITES:
                answer = http.send(method, path, caller, json_body=body)
                refused = answer.status in (401, 403, 405)
                results.record(
                    "writes",
                    f"{caller} {method} {path}",
                    refused,
                    "" if refused else f"answered {answer.status}: {answer.text[:120]}",
                )
            changed = Fingerprint.changed(before, fingerprint.take())
            if changed:
                results.record("writes", f"{caller} API batch", False, f"changed {changed}")


def probe_xss(results: Results, setup: dict, pages: dict):
    shown = dict.fromkeys(setup["xss_fields"].values(), False)
    raw = {}
    for (caller, path), answer in pages.items():
        if "html" not in answer.header("Content-Type"):
            continue
        text = answer.text
        for number in shown:
            if f"kkx{number}" in text:
                shown[number] = True
            if f"<kkx{number}" in text:
                raw.setdefault(number, []).append(f"{caller} {path}")
    for name, number in setup["xss_fields"].items():
        if number in raw:
            results.record("xss", name, False, f"unescaped on {raw[number][:3]}")
        elif not shown[number]:
            results.record("xss", name, True, "not shown on any page")
        else:
            results.record("xss", name, True)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_cells(rows) -> list[str]:
    bad = []
    for row in rows:
        for cell in row:
            if isinstance(cell, str) and cell.startswith(FORMULA_START):
                try:
                    float(cell.replace(",", ".").replace(" ", ""))
                except ValueError:
                    bad.append(cell[:40])
    return bad


def probe_formula(http: Http, setup: dict, results: Results):
    import csv

    import openpyxl

    targets = [(e["path"], e["format"], e["data"]) for e in setup["exports"]]
    targets.append((f"/hyra/{setup['formula_tenant']}/csv/", "CSV", None))
    for path, kind, data in targets:
        if data is None:
            answer = http.send("GET", path, "treasurer")
        else:
            answer = http.send("POST", path, "treasurer", data=data)
        name = f"{kind} {path}"
        if answer.status != 200:
            results.record("formula", name, False, f"answered {answer.status}")
            continue
        if kind == "XLSX":
            try:
                book = openpyxl.load_workbook(io.BytesIO(answer.body), read_only=True)
            except Exception as error:  # noqa: BLE001 - the probe reports what it read
                results.record("formula", name, False, f"not a workbook: {error}")
                continue
            rows = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
        else:
            text = answer.body.decode("utf-8-sig", errors="replace")
            delimiter = ";" if text.count(";") > text.count(",") else ","
            rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        bad = formula_cells(rows)
        hostile_present = any(
            isinstance(cell, str) and "HYPERLINK" in cell for row in rows for cell in row
        )
        results.record(
            "formula",
            name,
            not bad,
            f"formula cells {bad[:3]}" if bad else ("" if hostile_present else "no hostile row"),
        )


def login_attempt(http: Http, username: str, password: str, forwarded_for: str) -> Answer:
    return http.send(
        "POST",
        "/konto/logga-in/",
        data={"username": username, "password": password},
        forwarded_for=forwarded_for,
    )


def probe_lockout(http: Http, setup: dict, results: Results):
    victim, password = setup["usernames"]["victim"], setup["password"]
    # 1. One account, a new address for every guess (as if from a botnet): locked by account.
    for guess in range(6):
        login_attempt(http, victim, f"wrong{guess}", f"203.0.113.{10 + guess}")
    answer = login_attempt(http, victim, password, "203.0.113.99")
    results.record(
        "lockout",
        "account guessed from 6 addresses, then the right password from a 7th",
        answer.status == 429,
        f"answered {answer.status}",
    )
    # 2. One address, the client's own X-Forwarded-For varied (nginx appends the real one).
    real = "203.0.113.200"
    for guess in range(6):
        login_attempt(http, f"nobody{guess}", "wrong", f"10.{guess}.0.1, {real}")
    answer = login_attempt(http, "probe_kassor", password, f"10.99.0.1, {real}")
    results.record(
        "lockout",
        "address locked despite a spoofed X-Forwarded-For in front",
        answer.status == 429,
        f"answered {answer.status}",
    )
    # 3. Spoofing a locked address's neighbour does not unlock it: the left part is ignored.
    answer = login_attempt(http, "nobody0", "wrong", f"{real}, 203.0.113.201")
    results.record(
        "lockout",
        "a locked address named leftmost does not lock another",
        answer.status != 429,
        f"answered {answer.status}",
    )
    # 4. Garbage and huge forwarded headers: answered, not 500.
    for label, value in (
        ("garbage X-Forwarded-For", "not-an-address"),
        ("huge X-Forwarded-For", ",".join(["1.2.3.4"] * 800)),
        ("empty X-Forwarded-For", " "),
    ):
        answer = login_attempt(http, "nobody-x", "wrong", value)
        results.record(
            "lockout", label, answer.status in (200, 400, 429), f"answered {answer.status}"
        )
    # 5. The basic-auth-free API does not offer a password door: the admin login is the same
    #    throttle.
    for guess in range(6):
        http.send(
            "POST",
            "/admin/login/",
            data={"username": "probe_medlem", "password": f"x{guess}"},
            forwarded_for=f"203.0.113.{120 + guess}",
        )
    answer = http.send(
        "POST",
        "/admin/login/",
        data={"username": "probe_medlem", "password": password},
        forwarded_for="203.0.113.150",
    )
    results.record(
        "lockout",
        "admin login: account locked from 6 addresses",
        answer.status == 429,
        f"answered {answer.status}",
    )


# Hostile statement files (issue 21 items 1-3).
HEADER = "Bokföringsdag;Belopp;Referens;Avsändare\r\n"


def statement(rows: list[str]) -> bytes:
    return (HEADER + "".join(row + "\r\n" for row in rows)).encode("utf-8")


def zip_bomb(megabytes: int = 300) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        book.writestr("xl/workbook.xml", "<workbook/>")
        book.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            chunk = b"<si><t>" + b"A" * (1 << 20) + b"</t></si>"
            strings.write(b"<sst>")
            for _ in range(megabytes):
                strings.write(chunk)
            strings.write(b"</sst>")
    return buffer.getvalue()


def hostile_statements() -> list[tuple[str, bytes]]:
    rng = random.Random(21)
    rows = [
        f"2025-09-{1 + i % 28:02d};{100 + i % 900},00;KK2509ROW{i};Payer {i}"
        for i in range(100_000)
    ]
    return [
        ("100 000-row CSV", statement(rows)),
        ("XLSX zip bomb (300 MB sharedStrings)", zip_bomb()),
        ("4 KB of random bytes", bytes(rng.randrange(256) for _ in range(4096))),
        ("UTF-16 statement", (HEADER + "2025-09-01;100,00;probe utf16;Adam\r\n").encode("utf-16")),
        ("amount 1e30", statement(["2025-09-01;1e30;probe;Adam"])),
        ("amount of 40 digits", statement(["2025-09-01;" + "9" * 40 + ";probe;Adam"])),
        ("NUL in the text", statement(["2025-09-01;100,00;pro\x00be;Adam"])),
        ("131 073-character cell", statement(["2025-09-01;100,00;" + "x" * 131_073 + ";Adam"])),
    ]


def probe_files(http: Http, setup: dict, results: Results, fingerprint: Fingerprint, env: dict):
    probe_statements(http, results, fingerprint)
    probe_image(http, setup, results, fingerprint)
    probe_history_files(results, fingerprint, env)


STATEMENT_PAGE = "/admin/rent/banktransaction/statement/"


def statement_steps(http: Http, content: bytes) -> tuple[list[Answer], str]:
    """Upload, map the columns when asked (date, amount, text, payer), preview, confirm: as far
    as the app lets the statement go. The answers, and the statement page shown at the end
    (with the messages the steps left, which travel in a cookie)."""
    jar: dict[str, str] = {}

    def step(method, path, **kwargs):
        answer = http.send(method, path, "treasurer", cookies=jar, **kwargs)
        if answer.cookie("messages") is not None:
            jar["messages"] = answer.cookie("messages")
        answers.append(answer)
        return urllib.parse.urlsplit(answer.header("Location")).path

    answers: list[Answer] = []
    files = {"statement": (f"probe-{len(content)}.csv", content, "text/csv")}
    where = step("POST", STATEMENT_PAGE, data={"action": "upload"}, files=files)
    if where.endswith("/map/"):
        mapping = {"date": "0", "amount": "1", "text": "2", "counterpart": "3"}
        where = step("POST", where, data=mapping)
    if where.endswith("/preview/"):
        step("GET", where)
        if answers[-1].status == 200:
            step("POST", where)
    page = http.send("GET", STATEMENT_PAGE, "treasurer", cookies=jar)
    return answers, page.text


def probe_statements(http: Http, results: Results, fingerprint: Fingerprint):
    """The hostile statements of items 1-3, taken by the treasurer as far as the app allows:
    each refused with a message at some step, nothing left behind (but the UTF-16 one, which is
    decoded and imported)."""
    for label, content in hostile_statements():
        before = fingerprint.take()
        answers, page = statement_steps(http, content)
        seconds = max(answer.seconds for answer in answers)
        problems = [f"answered {a.status}" for a in answers if a.status >= 500]
        if seconds > FILE_SECONDS:
            problems.append(f"a step took {seconds:.1f} s")
        # A layout mapped once is the treasurer's choice, kept on purpose.
        changed = Fingerprint.changed(before, fingerprint.take())
        changed = [table for table in changed if table != "rent_banklayout"]
        if label == "UTF-16 statement":
            if fingerprint.count("rent_banktransaction", "text = 'probe utf16'") != 1:
                problems.append("not imported")
        else:
            if 'class="error"' not in page:
                problems.append("no message shown")
            if changed:
                problems.append(f"rows left in {changed}")
        steps = len(answers)
        results.record(
            "files",
            f"{label} ({steps} step{'s' if steps > 1 else ''}, slowest {seconds:.1f} s)",
            not problems,
            "; ".join(problems),
        )


def probe_image(http: Http, setup: dict, results: Results, fingerprint: Fingerprint):
    """A 6300×6300 PNG with a handbook proposal (item 9)."""
    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (6300, 6300), (250, 250, 250)).save(image, "PNG", optimize=True)
    before = fingerprint.count("handbook_attachment")
    answer = http.send(
        "POST",
        f"/handbok/{setup['page_slug']}/foresla/",
        "treasurer",
        data={"message": "Probe image", "body": "Probe image text", "title": ""},
        files={"attachment": ("probe.png", image.getvalue(), "image/png")},
    )
    problems = []
    if answer.status >= 500:
        problems.append(f"answered {answer.status}")
    if answer.seconds > IMAGE_SECONDS:
        problems.append(f"took {answer.seconds:.1f} s")
    results.record(
        "files",
        f"6300×6300 PNG, {len(image.getvalue()) // 1024} KB ({answer.seconds:.1f} s, "
        f"{fingerprint.count('handbook_attachment') - before} attachment stored)",
        not problems,
        "; ".join(problems),
    )


def probe_history_files(results: Results, fingerprint: Fingerprint, env: dict):
    """History files for import_rent (item 10)."""
    folder = Path(tempfile.mkdtemp(prefix="kk-probe-import-"))
    try:
        deep = folder / "deep"
        deep.mkdir()
        (deep / "2024_11_v9.json").write_text("[" * 100_000 + "]" * 100_000)
        formula = folder / "formula"
        formula.mkdir()
        (formula / "2024_11_v9.json").write_text(
            json.dumps(
                {
                    "metadata": {"version": 9, "title": "probe"},
                    "constants": {"year": 2024, "month": 11, "kallhyra": 24530, "el": 1500},
                    "roommates": {"=HYPERLINK(1)": {"days": 30, "room_adjustment": 0}},
                    "final_results": {"=HYPERLINK(1)": 26030},
                }
            )
        )
        for label, path in (("100 000 nested brackets", deep), ("roommate =HYPERLINK(1)", formula)):
            before = fingerprint.take()
            started = time.perf_counter()
            done = manage("import_rent", str(path), env=env)
            seconds = time.perf_counter() - started
            output = done.stdout + done.stderr
            problems = []
            if done.returncode == 0:
                problems.append("imported")
            if "Traceback" in output:
                problems.append("a traceback: " + output.strip().splitlines()[-1][:120])
            if "2024_11_v9.json" not in output:
                problems.append("the message does not name the file")
            if seconds > FILE_SECONDS * 3:
                problems.append(f"took {seconds:.1f} s")
            changed = Fingerprint.changed(before, fingerprint.take())
            if changed:
                problems.append(f"rows written in {changed}")
            results.record(
                "files",
                f"import_rent: {label} ({seconds:.1f} s)",
                not problems,
                "; ".join(problems),
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def probe_concurrency(http: Http, setup: dict, results: Results, fingerprint: Fingerprint):
    month = setup["month"]
    year, number = (int(part) for part in month.split("-"))
    callers = ["treasurer", "treasurer2", "treasurer_token"] * 2

    def together(requests):
        answers = [None] * len(requests)
        barrier = threading.Barrier(len(requests))

        def one(index, request):
            barrier.wait()
            answers[index] = request()

        threads = [threading.Thread(target=one, args=item) for item in enumerate(requests)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return answers

    values = [1000 + index for index in range(len(callers))]
    answers = together(
        [
            (lambda c=c, v=v: http.send(
                "PUT", "/api/rent/config", c,
                json_body={"year": year, "month": number, "updates": {"el": v}},
            ))
            for c, v in zip(callers, values, strict=True)
        ]
    )  # fmt: skip
    statuses = sorted(answer.status for answer in answers)
    final = fingerprint.value(
        "SELECT value FROM rent_rentconfig WHERE key = 'el' AND period = %s", [f"{month}-01"]
    )
    final = int(final) if final is not None else None
    ok = all(status in (200, 409) for status in statuses) and final in values
    results.record(
        "concurrency",
        f"6 treasurers PUT the month's electricity at once: {statuses}, final {final}",
        ok,
        "" if ok else "a 5xx, or the final value is none of those written",
    )

    before = fingerprint.count("rent_rentcalculation")
    answers = together(
        [
            (lambda c=c: http.send(
                "POST", "/api/rent/month", c,
                json_body={"year": year, "month": number, "force": True, "confirm_paid": True},
            ))
            for c in callers
        ]
    )  # fmt: skip
    statuses = sorted(answer.status for answer in answers)
    saved = [json.loads(a.text).get("status") for a in answers if a.status == 200]
    made = fingerprint.count("rent_rentcalculation") - before
    ok = all(status in (200, 409) for status in statuses) and saved.count("saved") == made <= 1
    results.record(
        "concurrency",
        f"6 treasurers save the month at once: {statuses}, {saved.count('saved')} saved, "
        f"{made} version made",
        ok,
        "" if ok else "a 5xx, or versions made differ from 'saved' answers",
    )


def probe_kiosk(http: Http, setup: dict, results: Results):
    month = setup["month"]
    year, number = (int(part) for part in month.split("-"))
    kiosk = setup["tokens"]["kiosk_token"]
    for caller in ("kiosk_cookie", "kiosk_token"):
        for path in (
            "/api/rent/history?year=2024&month=11",
            "/api/rent/roommates?year=2024&month=11",
            "/api/rent/roommates",
            "/api/rent?year=2024&month=11",
            "/api/rent",
            "/api/rent/forecast",
            "/api/rent/friendly_message?year=2024&month=10",
        ):
            answer = http.send("GET", path, caller)
            results.record(
                "kiosk", f"{caller} GET {path}", answer.status == 403, f"answered {answer.status}"
            )
        answer = http.send("GET", "/api/rent/friendly_message", caller)
        problems = [] if answer.status == 200 else [f"answered {answer.status}"]
        text = answer.text
        for word in ("email", "start_date", "departure_date", "@", "personnummer", "phone"):
            if word in text:
                problems.append(f"carries {word!r}")
        results.record(
            "kiosk", f"{caller}: the hallway's month, no personal field", not problems,
            "; ".join(problems),
        )  # fmt: skip
    answer = http.send("GET", f"/k/{kiosk}/api/rent/friendly_message?year=2024&month=10")
    results.record(
        "kiosk", "/k/<token>/ for a past month", answer.status == 403, f"answered {answer.status}"
    )
    answer = http.send(
        "GET", f"/api/rent/friendly_message?year={year}&month={number}", "kiosk_cookie"
    )
    results.record(
        "kiosk", "kiosk cookie, the coming month named", answer.status == 200, f"{answer.status}"
    )
    body = {"year": year, "month": number, "updates": {"el": 1}}
    answer = http.send("PUT", "/api/rent/config", "kiosk_cookie", json_body=body)
    results.record(
        "kiosk", "kiosk cookie cannot write", answer.status in (401, 403), f"{answer.status}"
    )
    answer = http.send("GET", "/kiosk/", "kiosk_cookie")
    control, vary = answer.header("Cache-Control"), answer.header("Vary")
    ok = answer.status == 200 and "private" in control and "no-store" in control
    ok = ok and "cookie" in vary.lower()
    results.record(
        "cache", "/kiosk/ with the kiosk cookie", ok, f"Cache-Control {control!r}, Vary {vary!r}"
    )
    answer = http.send("GET", f"/kiosk/?token={kiosk}")
    control = answer.header("Cache-Control")
    results.record(
        "cache",
        "/kiosk/?token= (sets the cookie)",
        answer.status == 302 and "no-store" in control,
        f"{answer.status} {control!r}",
    )


def probe_tokens(http: Http, setup: dict, results: Results, fingerprint: Fingerprint):
    tokens = setup["tokens"]
    for label, token in (
        ("creator deactivated (treasurer token)", tokens["stopped_token"]),
        ("creator lost the treasurer role", tokens["demoted_token"]),
        ("creator moved out (read token)", tokens["moved_token"]),
        ("creator deactivated (read token)", tokens["deactivated_read_token"]),
    ):
        bearer = {"Authorization": f"Bearer {token}"}
        for method, path, body in (
            ("GET", "/api/rent/friendly_message", None),
            ("GET", "/api/rent/history?year=2024&month=11", None),
            ("GET", "/api/rent", None),
            ("PUT", "/api/rent/config", {"year": 2025, "month": 9, "updates": {"el": 4321}}),
            ("POST", "/api/rent/month", {"year": 2025, "month": 9, "force": True}),
        ):
            answer = http.send(method, path, headers=bearer, json_body=body)
            results.record(
                "tokens",
                f"{label}: {method} {path}",
                answer.status == 401,
                f"answered {answer.status}",
            )
        answer = http.send("GET", "/kiosk/", cookies={"kiosk_token": token})
        results.record(
            "tokens", f"{label}: as the kiosk cookie", answer.status == 302, f"{answer.status}"
        )
    answer = http.send("GET", "/admin/api/apitoken/", "treasurer")
    listed = answer.status == 200 and answer.text.count("probe") >= 4
    results.record(
        "tokens", "the token list answers the treasurer", listed, f"answered {answer.status}"
    )


# --- schemathesis ------------------------------------------------------------------------------


def run_schemathesis(st: str, port: int, setup: dict, examples: int, folder: Path) -> dict:
    """Two runs (token, session) of `st run`; counts from its JUnit report and its output."""
    host = f"127.0.0.1:{port}"
    schema_answer = Http(port, {}).send(
        "GET",
        "/api/schema/",
        headers={
            "Host": host,
            "Cookie": f"sessionid={setup['sessions']['treasurer']}; csrftoken={CSRF}",
        },
    )
    schema_file = folder / "schema.json"
    schema_file.write_bytes(schema_answer.body)
    common = ["-H", "X-Forwarded-Proto: https", "-H", f"X-Forwarded-For: {CLIENT_IP}"]
    auth = {
        "token": ["-H", f"Authorization: Bearer {setup['tokens']['treasurer_token']}"],
        # The session rides in a fixed Cookie header, which schemathesis' check of requests
        # without credentials (ignored_auth, ST401) cannot take away: that check is the token's.
        "session": [
            "--exclude-checks",
            "ignored_auth",
            "-H",
            f"Cookie: sessionid={setup['sessions']['treasurer2']}; csrftoken={CSRF}",
            "-H",
            f"X-CSRFToken: {CSRF}",
            "-H",
            f"Referer: https://{host}/",
        ],
    }
    figures = {}
    for label, headers in auth.items():
        har = folder / f"{label}.har"
        done = subprocess.run(
            [
                st, "run", str(schema_file), "--url", f"http://{host}",
                "--max-examples", str(examples), "--workers", "2",
                "--report", "har", "--report-har-path", str(har),
                "--no-color", "--seed", "21", *common, *headers,
            ],
            capture_output=True, text=True, timeout=900, cwd=folder,
        )  # fmt: skip
        output = done.stdout + done.stderr
        (folder / f"{label}.txt").write_text(output)
        requests = server_errors = 0
        if har.exists():
            entries = json.loads(har.read_text())["log"]["entries"]
            requests = len(entries)
            server_errors = sum(1 for e in entries if e["response"]["status"] >= 500)
        # Its summary: "❌ ST202 Schema-valid request rejected: 3", one line per kind of failure.
        found = re.findall(r"(ST\d{3}) [^:\n]+: (\d+)", output)
        codes = {code: int(count) for code, count in found}
        figures[label] = {
            "requests": requests,
            "5xx": server_errors,
            "codes": codes,
            "exit": done.returncode,
            "summary": [line for line in output.splitlines() if line.strip()][-12:],
        }
    return figures


# --- set-up ------------------------------------------------------------------------------------


def app_env(cluster, folder: Path, workers: int, cache_url: str | None, port: int) -> dict:
    env = project_env(
        SECRET_KEY="probe-secret-key-" + "p" * 40,
        DATABASE_URL=cluster.url,
        ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        SITE_URL=f"https://{HOST}",
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        RENT_DATA_DIR=os.environ.get(
            "RENT_DATA_DIR", str(REPO_ROOT.parent / "shared" / "kimonokittens-data")
        ),
        GUNICORN_WORKERS=str(workers),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        LOG_LEVEL="WARNING",
        EMAIL_URL="consolemail://",
    )
    if cache_url:
        env["CACHE_URL"] = cache_url
    return env


def redis_answers(url: str) -> bool:
    import socket

    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def flush_redis(url: str) -> None:
    import socket

    parts = urllib.parse.urlsplit(url)
    database = parts.path.strip("/") or "0"
    with socket.create_connection((parts.hostname, parts.port or 6379), timeout=2) as sock:
        sock.sendall(f"SELECT {database}\r\nFLUSHDB\r\n".encode())
        sock.recv(64)


def prepare(env: dict) -> dict:
    steps = [
        ["migrate", "--no-input"],
        ["collectstatic", "--no-input", "-v0"],
        ["import_rent"],
        ["import_handbook", str(REPO_ROOT / "fixtures" / "handbook")],
    ]
    for step in steps:
        done = manage(*step, env=env)
        if done.returncode != 0:
            sys.exit(f"{' '.join(step)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    done = subprocess.run(
        [str(VENV_BIN / "python"), "bench/probe_setup.py"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    found = re.search(r"^PROBE-JSON (.*)$", done.stdout, re.M)
    if done.returncode != 0 or not found:
        sys.exit(f"bench/probe_setup.py failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(found.group(1))


def callers_of(setup: dict) -> dict[str, dict]:
    sessions, tokens = setup["sessions"], setup["tokens"]
    callers: dict[str, dict] = {"anonymous": {}}
    for name in (*SESSIONS, "treasurer2"):
        callers[name] = {"cookies": {"sessionid": sessions[name]}}
    callers["kiosk_cookie"] = {"cookies": {"kiosk_token": tokens["kiosk_token"]}}
    for name in TOKENS:
        callers[name] = {"headers": {"Authorization": f"Bearer {tokens[name]}"}}
    return callers


def schemathesis_failed(args, port: int, setup: dict, folder: Path) -> bool:
    """Runs schemathesis and prints its figures; True when it found a 5xx or a failure."""
    if not Path(args.schemathesis).exists():
        print(f"schemathesis: {args.schemathesis} not found (see the docstring)")
        return True
    begun = time.monotonic()
    figures = run_schemathesis(args.schemathesis, port, setup, args.examples, folder)
    print(
        f"\nschemathesis ({time.monotonic() - begun:.0f} s, {args.examples} examples per operation)"
    )
    failed = False
    for label, found in figures.items():
        print(
            f"  {label:<8} requests {found['requests']}, 5xx {found['5xx']}, "
            f"ST202 {found['codes'].get('ST202', 0)}, failure codes {found['codes']}"
        )
        if found["5xx"] or found["codes"]:
            failed = True
            print("    " + "\n    ".join(found["summary"]))
    return failed


def start_gunicorn(env: dict, folder: Path, http: Http) -> subprocess.Popen:
    log = open(folder / "gunicorn.log", "w")  # noqa: SIM115
    gunicorn = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"],
        cwd=REPO_ROOT, env=env, stdout=log, stderr=log,
    )  # fmt: skip
    for _ in range(100):
        if http.send("GET", "/healthz").status == 200:
            return gunicorn
        time.sleep(0.2)
    gunicorn.terminate()
    sys.exit(f"gunicorn did not start; see {folder / 'gunicorn.log'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pg-port", type=int, default=55417)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--no-redis", action="store_true")
    parser.add_argument("--examples", type=int, default=40, help="schemathesis per operation")
    parser.add_argument("--schemathesis", default="/tmp/kk-st-venv/bin/st")
    parser.add_argument("--no-schemathesis", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the logs folder")
    args = parser.parse_args()
    kinds = [kind for kind in args.kinds.split(",") if kind]

    cache_url = None if args.no_redis else args.cache_url
    if cache_url and not redis_answers(cache_url):
        print(f"no Redis at {cache_url}: the local-memory cache instead")
        cache_url = None
    folder = Path(tempfile.mkdtemp(prefix="kk-probe-"))
    cluster = ThrowawayCluster(args.pg_port)
    gunicorn = None
    port = free_loopback_port()
    results = Results()
    started = time.monotonic()
    try:
        if cache_url:
            flush_redis(cache_url)
        cluster.init()
        env = app_env(cluster, folder, args.workers, cache_url, port)
        setup = prepare(env)
        http = Http(port, callers_of(setup))
        gunicorn = start_gunicorn(env, folder, http)
        print(
            f"gunicorn ({args.workers} workers, deploy/gunicorn.conf.py), DEBUG off, PostgreSQL "
            f"{cluster.bin.parent.name}, cache {cache_url or 'local memory'}, real data from "
            f"{env['RENT_DATA_DIR']}; {len(setup['urls'])} URLs, {len(CALLERS)} callers; "
            f"setup {time.monotonic() - started:.0f} s"
        )
        fingerprint = Fingerprint(cluster.url)
        pages: dict = {}
        steps = [
            ("urls", lambda: probe_urls(http, setup, results, pages)),
            ("xss", lambda: probe_xss(results, setup, pages)),
            ("kiosk", lambda: probe_kiosk(http, setup, results)),
            ("tokens", lambda: probe_tokens(http, setup, results, fingerprint)),
            ("writes", lambda: probe_writes(http, setup, results, fingerprint)),
            ("formula", lambda: probe_formula(http, setup, results)),
            ("lockout", lambda: probe_lockout(http, setup, results)),
            ("files", lambda: probe_files(http, setup, results, fingerprint, env)),
            ("concurrency", lambda: probe_concurrency(http, setup, results, fingerprint)),
        ]
        for kind, step in steps:
            if kind in kinds or (kind == "urls" and ("xss" in kinds or "cache" in kinds)):
                begun = time.monotonic()
                step()
                print(f"  {kind}: {time.monotonic() - begun:.1f} s", flush=True)
        for kind in list(results.rows):
            if kind not in kinds:
                del results.rows[kind]
        failed = results.table()
        log_lines = (folder / "gunicorn.log").read_text().splitlines()
        errors = [line for line in log_lines if "WORKER TIMEOUT" in line or "ERROR" in line]
        print(f"gunicorn log: {len(errors)} worker timeouts or server errors")
        st_failed = not args.no_schemathesis and schemathesis_failed(args, port, setup, folder)
        print(f"\nprobe finished in {time.monotonic() - started:.0f} s; logs in {folder}")
        if failed or st_failed:
            args.keep = True
            sys.exit(1)
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(30)
        cluster.destroy()
        if cache_url:
            flush_redis(cache_url)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
