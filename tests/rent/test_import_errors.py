"""Bad input: a clear error naming the file and the JSON path, exit code 1, nothing written.

One small file per case in tests/rent/import_corpus/. Each is imported together with the demo
household, onto a database that already holds it, so "nothing written" is a real claim.
"""

import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from rent.importing.writer import PAUSE_VARIABLE, _pause_for_tests
from rent.models import RentCalculation, RentLedger, Tenant
from tests.import_helpers import database_image, run_import
from tests.processes import REPO_ROOT, project_env

CORPUS = Path(__file__).resolve().parent / "import_corpus"
DEMO = Path(settings.DEMO_DATA_DIR)

CASES = [
    # A missing comma: every supported Python reports it at the same place (3.13 reports a
    # trailing comma elsewhere than 3.11 and 3.12 do).
    ("malformed.json", "malformed.json: malformed JSON at line 4, column 5"),
    ("missing_constants.json", "missing_constants.json: constants: missing"),
    ("missing_roommates.json", "missing_roommates.json: roommates: missing"),
    ("missing_final_results.json", "missing_final_results.json: final_results: missing"),
    (
        "names_differ.json",
        "names_differ.json: final_results: names differ from roommates "
        "(missing Otto; not in roommates: Ottilia)",
    ),
    (
        "roommate_order_differs.json",
        "roommate_order_differs.json: roommate_order: must list every name in roommates once",
    ),
    ("negative_amount.json", "negative_amount.json: final_results.Otto: must be 0 or more"),
    ("non_numeric_amount.json", "non_numeric_amount.json: final_results.Otto: must be a number"),
    ("days_zero.json", "days_zero.json: roommates.Otto.days: must be a number > 0"),
    (
        "days_too_many.json",
        "days_too_many.json: roommates.Otto.days: must be a number > 0 and at most 28",
    ),
    ("month_13.json", "month_13.json: constants.month: must be a month number 1-12, got 13"),
    (
        "period_not_first.json",
        "period_not_first.json: rent_configs[0].period: must be the 1st of a month at midnight",
    ),
    (
        "period_with_time.json",
        "period_with_time.json: rent_configs[0].period: must be the 1st of a month at midnight",
    ),
    (
        "duplicate_version",
        "config month 2025-01 version 1 is also in 2025_01_v1.json with different content",
    ),
    ("unknown_format.json", "unknown_format.json: unknown format"),
    (
        "formula_name.json",
        "formula_name.json: roommates.=HYPERLINK(1).name: Får inte börja med '='",
    ),
    ("unreadable.json", "unreadable.json: cannot read the file"),
]


def whole_dump() -> dict[str, list[str]]:
    """Every row of every table of the project (auth, sessions, history: not only the rent
    tables), read with plain SQL: no model or serializer stands between it and the data."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        dump = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            dump[table] = sorted(map(repr, cursor.fetchall()))
    assert "rent_tenant" in dump and "auth_user" in dump
    return dump


@pytest.fixture
def demo_household(db):
    run_import(DEMO)
    return database_image(), whole_dump()


@pytest.mark.parametrize(("name", "message"), CASES, ids=[case[0] for case in CASES])
def test_bad_file_is_refused_with_its_path_and_nothing_is_written(demo_household, name, message):
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_rent", str(DEMO), str(CORPUS / name), stdout=StringIO(), stderr=err)

    assert message in err.getvalue()
    assert refused.value.returncode == 1
    assert "nothing was written" in str(refused.value)
    image, dump = demo_household
    assert database_image() == image
    assert whole_dump() == dump


@pytest.mark.parametrize(("name", "message"), CASES, ids=[case[0] for case in CASES])
def test_a_dry_run_reports_the_same_error(db, name, message):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_rent", str(CORPUS / name), "--dry-run", stdout=StringIO(), stderr=err)
    assert message in err.getvalue()


def test_deep_nesting_is_a_message_naming_the_file_and_nothing_is_written(demo_household, tmp_path):
    """100 000 `[` then `]` ended in a raw RecursionError traceback (issue 21)."""
    deep = tmp_path / "2025_01_v1.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_rent", str(DEMO), str(deep), stdout=StringIO(), stderr=err)
    assert "2025_01_v1.json: JSON nested too deeply to read" in err.getvalue()
    assert refused.value.returncode == 1
    image, dump = demo_household
    assert database_image() == image and whole_dump() == dump


def test_every_error_is_listed_not_just_the_first(db):
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_rent",
            str(CORPUS / "days_zero.json"),
            str(CORPUS / "month_13.json"),
            str(CORPUS / "negative_amount.json"),
            stdout=StringIO(),
            stderr=err,
        )
    assert "failed with 3 errors" in str(refused.value)
    assert err.getvalue().count("error: ") == 3


def test_a_path_that_does_not_exist_is_an_error(db, tmp_path):
    with pytest.raises(CommandError):
        run_import(tmp_path / "nowhere")
    assert not Tenant.objects.exists()


def test_without_a_path_and_without_debug_it_refuses_to_import_the_demo(db, settings):
    settings.DEBUG = False
    settings.RENT_DATA_DIR = ""
    with pytest.raises(CommandError, match="RENT_DATA_DIR is not set"):
        run_import()
    assert not Tenant.objects.exists()


def test_without_a_path_with_debug_it_imports_the_demo_household(db, settings):
    settings.DEBUG = True
    settings.RENT_DATA_DIR = ""
    run_import()
    assert RentCalculation.objects.filter(status="current").count() >= 18


def test_the_pause_for_the_kill_test_is_announced_and_off_by_default(monkeypatch, capsys):
    monkeypatch.delenv(PAUSE_VARIABLE, raising=False)
    _pause_for_tests()
    assert capsys.readouterr().err == ""
    monkeypatch.setenv(PAUSE_VARIABLE, "0.01")
    _pause_for_tests()
    assert capsys.readouterr().err == "import_rent: paused inside the transaction\n"


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_halfway_leaves_nothing_behind(tmp_path):
    """Kill the importer inside its transaction (after its first writes): nothing remains."""
    if connection.vendor == "sqlite":
        database_url = f"sqlite:///{tmp_path / 'killed.sqlite3'}"
        env = project_env(DEBUG="true", DATABASE_URL=database_url)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO_ROOT, env=env, check=True
        )
    else:
        db = connection.settings_dict
        database_url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
        env = project_env(DEBUG="true", DATABASE_URL=database_url)
    env[PAUSE_VARIABLE] = "60"
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_rent", str(DEMO)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stderr.readline()
        assert "paused inside the transaction" in line, line
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    if connection.vendor == "sqlite":
        count = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(sum("
                "c.execute(f'select count(*) from {t}').fetchone()[0] for t in "
                "('rent_tenant', 'rent_historicaltenant', 'rent_rentcalculation', "
                "'rent_rentledger')))",
                str(tmp_path / "killed.sqlite3"),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        assert count.stdout.strip() == "0"
    else:
        deadline = time.monotonic() + 10
        while Tenant.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not Tenant.objects.exists()
        assert not Tenant.history.exists()
        assert not RentLedger.objects.exists()
