"""Benchmark of the handbook's forgiving search: milliseconds per query at 4, 50 and 200 pages.

Run: `DEBUG=true .venv/bin/python bench/handbook_search.py` from the repo root.

The pages are the starter handbook plus generated pages of about 400 words each. The queries
are the forgiving ones of the tests (missing diacritics, other forms, compounds, a typo, a miss
with a suggestion). SQLite by default (a throwaway file, migrated from scratch); set
BENCH_USE_CONFIGURED_DB=true to use DATABASE_URL instead (inside a transaction rolled back).
"""

import os
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimonokittens.settings")

USE_CONFIGURED_DB = os.environ.get("BENCH_USE_CONFIGURED_DB", "").lower() in ("1", "true", "yes")
_tmpdir = None
if not USE_CONFIGURED_DB:
    _tmpdir = tempfile.TemporaryDirectory(prefix="kk-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmpdir.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from handbook.importing import import_folder  # noqa: E402
from handbook.search import search  # noqa: E402
from handbook.services import create_page  # noqa: E402

QUERIES = ["stadning", "städar", "gäster natt", "soptunna", "brandvarnren", "glasögonfodral"]
FILLER = (
    "Här står det om hur vi gör i huset med tvätten, disken, gästerna, nycklarna, cyklarna, "
    "grillen och kompostens lock, och om vem som ringer hyresvärden när något går sönder. "
)


class Rollback(Exception):
    pass


def ms_per_query(rounds: int = 3) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for query in QUERIES:
            search(query)
    return (time.perf_counter() - start) * 1000 / (rounds * len(QUERIES))


def main() -> int:
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    if not USE_CONFIGURED_DB:
        call_command("migrate", verbosity=0)
    try:
        with transaction.atomic():
            import_folder(REPO_ROOT / "fixtures" / "handbook")
            made = 4
            for target in (4, 50, 200):
                while made < target:
                    made += 1
                    create_page(slug=f"sida-{made}", title=f"Sida {made}", body=FILLER * 12)
                print(f"{target:>3} pages: {ms_per_query():6.1f} ms per query")
            raise Rollback
    except Rollback:
        pass
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        if _tmpdir is not None:
            connection.close()
