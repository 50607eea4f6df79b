"""How fast import_rent is, and how many queries it takes per file.

Generates N synthetic config months with 6 tenants and 3 versions each (3·N history files),
imports them into a throwaway database, and prints files per second and queries per file for
N = 100 and N = 1000. With bulk operations the time per file must not
grow with N, and the queries per file fall as N grows (a fixed number per table).

    .venv/bin/python bench/import.py [N ...]

The database is a fresh SQLite file in a temporary folder. It is emptied before each size, so the
benchmark never touches DATABASE_URL: to measure PostgreSQL, name a scratch database of its own,
`BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kk_bench .venv/bin/python bench/import.py`
(the benchmark runs in a scratch database `test_kk_bench` beside it, dropped afterwards).
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimonokittens.settings")
os.environ.setdefault("DEBUG", "true")

PEOPLE = ["Ada", "Bo", "Cleo", "Dag", "Eir", "Frej"]


def write_history(directory: Path, months: int) -> int:
    """Write 3 versions of each of `months` config months; returns the number of files."""
    directory.mkdir(parents=True, exist_ok=True)
    files = 0
    for index in range(months):
        year, month = 2000 + index // 12, index % 12 + 1
        for version in (1, 2, 3):
            el = 1500 + (index * 37 + version * 11) % 3000
            total = 24530 + el + 400 + 825
            share = round(total / 6)
            document = {
                "metadata": {
                    "calculation_date": f"{year}-{month:02d}-2{version}T12:00:00+01:00",
                    "version": version,
                    "title": f"Bench {year}-{month:02d} v{version}",
                },
                "constants": {"year": year, "month": month, "kallhyra": 24530, "el": el},
                "roommates": {name: {} for name in PEOPLE},
                "final_results": dict.fromkeys(PEOPLE, share),
            }
            path = directory / f"{year}_{month:02d}_v{version}.json"
            path.write_text(json.dumps(document))
            files += 1
    return files


def measure(months: int) -> tuple[int, float, int]:
    from django.core.management import call_command
    from django.db import connection, reset_queries

    from rent.importing import import_rent

    with tempfile.TemporaryDirectory() as folder:
        files = write_history(Path(folder) / "rent_history", months)
        call_command("flush", interactive=False, verbosity=0)
        reset_queries()
        connection.force_debug_cursor = True
        start = time.perf_counter()
        import_rent([folder])
        elapsed = time.perf_counter() - start
        queries = len(connection.queries)
        connection.force_debug_cursor = False
        return files, elapsed, queries


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as database_folder:
        # Never the configured database: the benchmark empties the one it runs on.
        os.environ["DATABASE_URL"] = os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{database_folder}/bench.sqlite3"
        )
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        settings.DEBUG = True
        if "BENCH_DATABASE_URL" in os.environ:
            # Django's test-database machinery: a separate test_<name> database, then dropped.
            original_name = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True)
        else:
            original_name = None
            call_command("migrate", verbosity=0)
        print(f"import_rent on {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        print(f"{'N months':>9} {'files':>6} {'seconds':>8} {'files/s':>8} {'ms/file':>8} "
              f"{'queries':>8} {'queries/file':>13}")  # fmt: skip
        for months in sizes:
            files, elapsed, queries = measure(months)
            print(
                f"{months:>9} {files:>6} {elapsed:>8.2f} {files / elapsed:>8.0f} "
                f"{1000 * elapsed / files:>8.2f} {queries:>8} {queries / files:>13.3f}"
            )
        if original_name:
            connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100, 1000])
