"""import_rent's rules on small synthetic files: where it reads from without a PATH, how tenants
are matched, the not-living-here warning, rows made in the admin, and that its queries do not
grow with the files."""

import importlib.util
import json
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rent.importing.writer import CHANGE_REASON
from rent.models import CoOwnedItem, RentCalculation, RentConfig, RentLedger, Tenant
from tests.builders import make_login, make_tenant
from tests.import_helpers import database_image, report_line, run_import, write_history
from tests.processes import REPO_ROOT

pytestmark = pytest.mark.django_db


# -- without a PATH --------------------------------------------------------------------------


def test_without_a_path_rent_data_dir_is_imported_not_the_demo(settings, tmp_path):
    settings.DEBUG = True
    settings.RENT_DATA_DIR = str(tmp_path)
    write_history(tmp_path / "rent_history", date(2025, 1, 1), {"Nora": 7000, "Otto": 6900})

    run_import()

    assert sorted(Tenant.objects.values_list("name", flat=True)) == ["Nora", "Otto"]
    assert RentLedger.objects.count() == 2


def test_debug_off_imports_rent_data_dir_never_the_demo(settings, tmp_path):
    """In production (DEBUG off) RENT_DATA_DIR is read; the demo household never is."""
    settings.DEBUG = False
    settings.RENT_DATA_DIR = str(tmp_path / "data")
    write_history(tmp_path / "data" / "rent_history", date(2025, 1, 1), {"Nora": 7000})

    assert "Imported." in run_import()

    assert list(Tenant.objects.values_list("name", flat=True)) == ["Nora"]


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


# -- rows made in the admin ------------------------------------------------------------------


def write_export(folder: Path, *, configs=(), tenants=(), items=()):
    """A small old-style database export: `configs` are (key, "YYYY-MM", value) triples."""
    folder.mkdir(parents=True, exist_ok=True)
    document = {
        "export_date": "2025-09-28 08:50:48 +0200",
        "tenants": [
            {
                "id": tenant.get("id"),
                "name": tenant["name"],
                "email": tenant.get("email"),
                "startDate": tenant.get("startDate"),
                "departureDate": None,
                "roomAdjustment": None,
            }
            for tenant in tenants
        ],
        "rent_configs": [
            {"key": key, "value": str(value), "period": f"{month}-01 00:00:00 +0200"}
            for key, month, value in configs
        ],
        "rent_ledger": [],
        "co_owned_items": list(items),
    }
    path = folder / "export.json"
    path.write_text(json.dumps(document))
    return path


def made_in_the_admin():
    """A config row, a tenant and an item as the admin makes them: saved through the model,
    simple-history recording the creation with the admin's user and no reason of the import."""
    treasurer = make_login("kassor")
    config = RentConfig(key="el", period=date(2025, 9, 1), value=Decimal("2500"))
    config._history_user = treasurer
    config._change_reason = "Skapad i admin"
    config.save()
    nora = Tenant(name="Nora", email="nora@home.example", start_date=date(2025, 2, 1))
    nora._history_user = treasurer
    nora.save()
    soffa = CoOwnedItem.objects.create(name="Soffa", value=Decimal("3000"))  # reason None
    return config, nora, soffa


@pytest.mark.parametrize("overwrite", [False, True], ids=["plain", "overwrite"])
def test_rows_made_in_the_admin_are_kept_and_reported_even_with_overwrite(tmp_path, overwrite):
    config, nora, soffa = made_in_the_admin()
    write_export(
        tmp_path,
        configs=[("el", "2025-09", 2424), ("el", "2025-10", 1876)],
        tenants=[
            {
                "id": "legacy-nora",
                "name": "Nora",
                "email": "nora@kimonokittens.com",
                "startDate": "2025-01-01 00:00:00 +0100",
            }
        ],
        items=[{"name": "Soffa", "value": "2500", "owners": ["Nora"]}],
    )
    before = {
        "config": list(RentConfig.history.filter(id=config.pk).values_list()),
        "tenant": list(Tenant.history.filter(id=nora.pk).values_list()),
        "item": list(CoOwnedItem.history.filter(id=soffa.pk).values_list()),
    }

    output = run_import(tmp_path, *(["--overwrite"] if overwrite else []))

    config.refresh_from_db()
    nora.refresh_from_db()
    soffa.refresh_from_db()
    assert config.value == Decimal("2500")
    # Not changed at all: not even its empty legacy id is filled in from the file.
    assert (nora.email, nora.start_date, nora.legacy_id) == (
        "nora@home.example",
        date(2025, 2, 1),
        "",
    )
    assert (soffa.value, list(soffa.owners.all())) == (Decimal("3000"), [])
    assert before == {
        "config": list(RentConfig.history.filter(id=config.pk).values_list()),
        "tenant": list(Tenant.history.filter(id=nora.pk).values_list()),
        "item": list(CoOwnedItem.history.filter(id=soffa.pk).values_list()),
    }
    # Counted as skipped, with and without --overwrite, and named in the report.
    assert report_line(output, "rent_configs") == ["1", "0", "0", "0", "1"]
    assert report_line(output, "tenants") == ["0", "0", "0", "0", "1"]
    assert report_line(output, "co_owned_items") == ["0", "0", "0", "0", "1"]
    assert "Skipped (made in the app: kept, even with --overwrite):" in output
    assert (
        "config el 2025-09: made in the app, kept "
        "(2500.00 in the database, 2424 in export.json: rent_configs[0])"
    ) in output
    assert (
        "tenant Nora: made in the app, kept (email is nora@home.example in the database, "
        "nora@kimonokittens.com in export.json: tenants[0]; start_date is 2025-02-01 in the "
        "database, 2025-01-01 in export.json: tenants[0])"
    ) in output
    assert (
        "co-owned item Soffa: made in the app, kept "
        "(differs from export.json (co_owned_items[0]) in value, owners)"
    ) in output
    assert "Conflicts" not in output
    assert RentConfig.objects.get(key="el", period=date(2025, 10, 1)).value == Decimal("1876")
    assert "Nothing changed" not in output  # the row of 2025-10 was created

    again = run_import(tmp_path, "--overwrite")

    assert "Nothing changed: the database keeps the differences listed above." in again
    assert report_line(again, "rent_configs") == ["0", "0", "1", "0", "1"]


def test_a_tenant_made_in_the_admin_that_the_files_only_complete_gets_its_empty_fields(tmp_path):
    """No conflict, so nothing of the admin's is replaced: the export fills in what is empty."""
    otto = make_tenant("Otto")
    write_export(tmp_path, tenants=[{"name": "Otto", "email": "otto@kimonokittens.com"}])

    output = run_import(tmp_path, "--overwrite")

    otto.refresh_from_db()
    assert otto.email == "otto@kimonokittens.com"
    assert report_line(output, "tenants") == ["0", "1", "0", "0", "0"]


def test_a_row_without_any_history_is_kept_as_made_outside_the_importer(tmp_path):
    """The importer has always recorded history: a row without any was made some other way."""
    RentConfig.objects.bulk_create(
        [RentConfig(key="el", period=date(2025, 9, 1), value=Decimal("2500"))]
    )
    row = RentConfig.objects.get(key="el", period=date(2025, 9, 1))
    assert not RentConfig.history.filter(id=row.pk).exists()
    write_export(tmp_path, configs=[("el", "2025-09", 2424)])

    output = run_import(tmp_path, "--overwrite")

    assert RentConfig.objects.get(pk=row.pk).value == Decimal("2500")
    assert "config el 2025-09: made in the app, kept" in output


def test_rows_an_import_made_and_the_admin_changed_are_conflicts_overwrite_replaces(tmp_path):
    write_export(
        tmp_path,
        configs=[("el", "2025-09", 2424)],
        tenants=[{"name": "Nora", "email": "nora@kimonokittens.com"}],
        items=[{"name": "Soffa", "value": "2500"}],
    )
    run_import(tmp_path)
    config = RentConfig.objects.get(key="el", period=date(2025, 9, 1))
    assert config.history.get(history_type="+").history_change_reason == CHANGE_REASON
    # Changed afterwards in the admin: a change record, the creation still the import's.
    config.value = Decimal("2500")
    config._change_reason = "Ändrad i admin"
    config.save()
    nora = Tenant.objects.get(name="Nora")
    nora.email = "nora@home.example"
    nora.save()
    CoOwnedItem.objects.filter(name="Soffa").update(value=Decimal("3000"))

    output = run_import(tmp_path)

    assert RentConfig.objects.get(pk=config.pk).value == Decimal("2500")
    assert Tenant.objects.get(pk=nora.pk).email == "nora@home.example"
    assert CoOwnedItem.objects.get(name="Soffa").value == Decimal("3000")
    for table in ("rent_configs", "tenants", "co_owned_items"):
        assert report_line(output, table) == ["0", "0", "0", "1", "0"], table
    assert "config el 2025-09: 2500.00 in the database, 2424 in export.json" in output
    assert "tenant Nora: email is nora@home.example in the database" in output
    assert "made in the app" not in output

    output = run_import(tmp_path, "--overwrite")

    assert RentConfig.objects.get(pk=config.pk).value == Decimal("2424")
    assert Tenant.objects.get(pk=nora.pk).email == "nora@kimonokittens.com"
    assert CoOwnedItem.objects.get(name="Soffa").value == Decimal("2500")
    for table in ("rent_configs", "tenants", "co_owned_items"):
        assert report_line(output, table) == ["0", "1", "0", "0", "0"], table
    assert config.history.latest().history_change_reason == CHANGE_REASON
    assert "Nothing changed" in run_import(tmp_path, "--overwrite")


def queries_to_reimport(folder: Path) -> int:
    """Queries of `import_rent --overwrite` into the database as it is; rolled back after."""
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            run_import(folder, "--overwrite")
        transaction.set_rollback(True)
    return len(queries)


def test_who_made_the_rows_is_asked_once_per_table_whatever_their_number(tmp_path):
    """Half the files' rows made in the admin, half by an import and changed: the queries of an
    --overwrite import are the same for 2 and for 20 months."""

    def household(months: int) -> Path:
        RentConfig.objects.all().delete()
        Tenant.objects.all().delete()
        periods = [date(2024 + m // 12, m % 12 + 1, 1) for m in range(months)]
        folder = tmp_path / str(months)
        write_export(
            folder,
            configs=[("el", f"{p:%Y-%m}", 2000) for p in periods],
            tenants=[{"name": f"T{m}", "email": f"t{m}@kimonokittens.com"} for m in range(months)],
        )
        run_import(folder)
        imported = list(RentConfig.objects.order_by("period"))
        RentConfig.objects.filter(pk__in=[r.pk for r in imported[::2]]).update(value=1999)
        for tenant in Tenant.objects.filter(name__in=[f"T{m}" for m in range(0, months, 2)]):
            Tenant.objects.filter(pk=tenant.pk).update(email=f"{tenant.name}@home.example")
        for index, row in enumerate(imported[1::2]):  # made again in the admin
            row.delete()
            RentConfig.objects.create(key="el", period=row.period, value=2100)
            Tenant.objects.get(name=f"T{2 * index + 1}").delete()
            Tenant.objects.create(name=f"T{2 * index + 1}", email=f"admin{index}@home.example")
        return folder

    small = queries_to_reimport(household(2))
    output = run_import(household(20), "--overwrite")
    assert report_line(output, "rent_configs") == ["0", "10", "0", "0", "10"]
    assert report_line(output, "tenants") == ["0", "10", "0", "0", "10"]
    large = queries_to_reimport(household(20))

    assert large == small, (small, large)


@pytest.mark.parametrize("overwrite", [False, True], ids=["plain", "overwrite"])
def test_a_calculation_saved_in_the_app_is_never_rewritten_by_a_file(tmp_path, overwrite):
    """History is superseded, never edited: a file with the same month and version as a split
    the treasurer saved in the app does not replace it, even with --overwrite."""
    saved = RentCalculation.objects.create(
        config_month=date(2025, 1, 1),
        version=1,
        calculated_at=timezone.now(),
        inputs={"constants": {"year": 2025, "month": 1}, "roommates": {"Nora": {}}},
        results={"Nora": 27000},
        source={"saved_by": "kassor"},
    )
    write_history(tmp_path, date(2025, 1, 1), {"Nora": 7000, "Otto": 6900})

    output = run_import(tmp_path, *(["--overwrite"] if overwrite else []))

    saved.refresh_from_db()
    assert saved.results == {"Nora": 27000}
    assert saved.source == {"saved_by": "kassor"}
    assert report_line(output, "rent_calculations") == ["0", "0", "0", "0", "1"]
    assert "calculation 2025-01 v1: made in the app, kept (saved in the app;" in output
    # Its ledger follows it, not the file: no row is made from the file's amounts.
    assert not RentLedger.objects.exists()
    assert report_line(output, "rent_ledger") == ["0", "0", "0", "0", "2"]
    assert (
        "ledger 2025-02 Otto: not in the database, 6900 due in 2025_01_v1.json; not created: "
        "calculation 2025-01 v1 was saved in the app and is kept"
    ) in output


@pytest.mark.parametrize("overwrite", [False, True], ids=["plain", "overwrite"])
def test_an_imported_row_does_not_follow_a_file_to_a_calculation_saved_in_the_app(
    tmp_path, overwrite
):
    """A row still as imported follows a newer version of its month, but not the file's amounts
    for a version the treasurer saved in the app: that split stays, and so does the row."""
    write_history(tmp_path / "first", date(2025, 1, 1), {"Nora": 7000})
    run_import(tmp_path / "first")
    RentCalculation.objects.update(status="superseded")
    RentCalculation.objects.create(
        config_month=date(2025, 1, 1),
        version=2,
        calculated_at=timezone.now(),
        inputs={"constants": {"year": 2025, "month": 1}, "roommates": {"Nora": {}}},
        results={"Nora": 27000},
        source={"saved_by": "kassor"},
    )
    write_history(tmp_path / "second", date(2025, 1, 1), {"Nora": 7100}, version=2)

    output = run_import(tmp_path / "second", *(["--overwrite"] if overwrite else []))

    row = RentLedger.objects.get()
    assert (row.amount_due, row.calculation.version) == (Decimal(7000), 1)
    assert report_line(output, "rent_ledger") == ["0", "0", "0", "0", "1"]
    line = next(line for line in output.splitlines() if "ledger 2025-02 Nora" in line)
    assert line.startswith(
        "  - ledger 2025-02 Nora: made in the app, kept (amount_due is 7000.00 in the database, "
        "7100 in 2025_01_v2.json, amount_paid is 7000.00 in the database, 7100 in 2025_01_v2.json"
    )
    assert line.endswith("; calculation 2025-01 v2 was saved in the app and is kept)")
