"""import_rent's rules on small synthetic files: where it reads from without a PATH, how tenants
are matched, the not-living-here warning, and that its queries do not grow with the files."""

import importlib.util
import json
import sqlite3
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from rent.models import RentCalculation, RentLedger, Tenant
from tests.builders import make_tenant
from tests.import_helpers import database_image, run_import
from tests.processes import REPO_ROOT, manage, project_env, read_env_file

pytestmark = pytest.mark.django_db


def write_history(folder: Path, config_month: date, charged: dict, *, version=1):
    """A small valid history file for `config_month` charging `charged` (name -> kronor)."""
    folder.mkdir(parents=True, exist_ok=True)
    document = {
        "metadata": {
            "calculation_date": f"{config_month:%Y-%m}-20T19:00:00+01:00",
            "version": version,
        },
        "constants": {
            "year": config_month.year,
            "month": config_month.month,
            "kallhyra": 24530,
            "el": 2000,
        },
        "roommates": {name: {} for name in charged},
        "final_results": charged,
    }
    path = folder / f"{config_month:%Y_%m}_v{version}.json"
    path.write_text(json.dumps(document))
    return path


# -- without a PATH --------------------------------------------------------------------------


def test_without_a_path_rent_data_dir_is_imported_not_the_demo(settings, tmp_path):
    settings.DEBUG = True
    settings.RENT_DATA_DIR = str(tmp_path)
    write_history(tmp_path / "rent_history", date(2025, 1, 1), {"Nora": 7000, "Otto": 6900})

    run_import()

    assert sorted(Tenant.objects.values_list("name", flat=True)) == ["Nora", "Otto"]
    assert RentLedger.objects.count() == 2


def production_env(database: Path, **overrides) -> dict:
    env = read_env_file(REPO_ROOT / "deploy" / "env.example")
    env.pop("RENT_DATA_DIR")
    env.pop("STATIC_ROOT")
    env["DATABASE_URL"] = f"sqlite:///{database}"
    return project_env(**env, **overrides)


def tenant_count(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return db.execute("select count(*) from rent_tenant").fetchone()[0]


def test_debug_off_and_rent_data_dir_unset_stops_with_a_clear_error(tmp_path):
    """In production (DEBUG off) a forgotten RENT_DATA_DIR never imports the demo household."""
    database = tmp_path / "prod.sqlite3"
    env = production_env(database)
    assert manage("migrate", "-v0", env=env).returncode == 0

    result = manage("import_rent", env=env)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "RENT_DATA_DIR is not set" in result.stderr
    assert "only imported when DEBUG is on" in result.stderr
    assert tenant_count(database) == 0


def test_debug_off_imports_rent_data_dir_from_the_environment(tmp_path):
    database = tmp_path / "prod.sqlite3"
    data = tmp_path / "data"
    write_history(data / "rent_history", date(2025, 1, 1), {"Nora": 7000, "Otto": 6900})
    env = production_env(database, RENT_DATA_DIR=str(data))
    assert manage("migrate", "-v0", env=env).returncode == 0

    result = manage("import_rent", env=env)

    assert result.returncode == 0, result.stderr
    assert "Imported." in result.stdout
    assert tenant_count(database) == 2


# -- tenants -------------------------------------------------------------------------------


def test_tenants_match_by_exact_name_ignoring_case_never_by_prefix(tmp_path):
    frans = make_tenant("Frans", legacy_id="legacy-frans")
    write_history(tmp_path, date(2025, 1, 1), {"frans": 7000, "Frans-Lukas": 6900})

    output = run_import(tmp_path)

    assert Tenant.objects.count() == 2
    assert RentLedger.objects.get(tenant=frans).amount_due == 7000
    created = Tenant.objects.get(name="Frans-Lukas")
    assert (created.legacy_id, created.email, created.start_date) == ("", "", None)
    assert RentLedger.objects.get(tenant=created).amount_due == 6900
    assert "created tenant Frans-Lukas (name only)" in output
    assert "created tenant frans" not in output


def test_a_roommate_who_did_not_live_here_that_rent_month_is_warned_about(tmp_path):
    make_tenant("Nora", start_date=date(2025, 3, 1))
    make_tenant("Otto", start_date=date(2024, 1, 1))
    write_history(tmp_path, date(2025, 1, 1), {"Nora": 7000, "Otto": 6900})

    output = run_import(tmp_path)

    assert (
        "2025_01_v1.json: Nora is charged for 2025-02, but by the tenant's dates "
        "(2025-03-01 to …) did not live here that month"
    ) in output
    assert "Otto is charged" not in output
    assert RentLedger.objects.count() == 2  # a warning, not an error: history is kept


# -- unreadable files ----------------------------------------------------------------------------


def test_a_file_that_cannot_be_opened_is_an_error_naming_it(tmp_path):
    """A dangling link stands for a file that cannot be read (the corpus has a non-UTF-8 one)."""
    write_history(tmp_path, date(2025, 1, 1), {"Nora": 7000})
    (tmp_path / "gone.json").symlink_to(tmp_path / "nowhere.json")
    before = database_image()
    err = StringIO()

    with pytest.raises(CommandError, match="nothing was written") as refused:
        call_command("import_rent", str(tmp_path), stdout=StringIO(), stderr=err)

    assert refused.value.returncode == 1
    assert "gone.json: cannot read the file" in err.getvalue()
    assert database_image() == before


# -- bulk operations -----------------------------------------------------------------------------


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_import", REPO_ROOT / "bench" / "import.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def queries_to_import(folder: Path) -> int:
    """Queries of one import into the database as it is; the import is rolled back after."""
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            run_import(folder)
        assert RentLedger.objects.count() == 6 * len(list(folder.glob("*/*.json"))) // 3
        transaction.set_rollback(True)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_number_of_files(tmp_path):
    """bench/import.py's files: 10 times the months costs at most a few more batched queries."""
    bench = load_bench()
    small = bench.write_history(tmp_path / "small" / "rent_history", 4)
    large = bench.write_history(tmp_path / "large" / "rent_history", 40)
    assert (small, large) == (12, 120)

    small_queries = queries_to_import(tmp_path / "small")
    large_queries = queries_to_import(tmp_path / "large")

    assert large_queries <= small_queries + 10, (small_queries, large_queries)


def test_the_same_calculation_in_two_files_is_imported_once(tmp_path):
    """A copied file (same config month, version and content) is no error and no second row."""
    original = write_history(tmp_path / "a", date(2025, 1, 1), {"Nora": 7000, "Otto": 6900})
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "copy_of_it.json").write_bytes(original.read_bytes())

    output = run_import(tmp_path / "a", tmp_path / "b")

    assert RentCalculation.objects.count() == 1
    assert RentCalculation.objects.get().source["file"] == "2025_01_v1.json"
    assert RentLedger.objects.count() == 2
    assert "copy_of_it.json: the same calculation as 2025_01_v1.json" in output
    assert "Result lines: 2 in 1 files; 2 became ledger rows" in output
    assert "Nothing changed" in run_import(tmp_path / "a", tmp_path / "b")
