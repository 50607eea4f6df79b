"""The database of the benchmarks that write: a throwaway SQLite file in a temporary directory,
migrated from scratch and deleted afterwards; or, with BENCH_USE_CONFIGURED_DB=true, the
configured DATABASE_URL, where all the benchmark's writes are rolled back.

A script imports this module first (it sets Django up), then Django and the project.
"""

import contextlib
import os
import sys
import tempfile
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


class _Rollback(Exception):
    pass


@contextlib.contextmanager
def rolled_back():
    """Everything written inside is undone when the block ends."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def run(main) -> None:
    """Name the database, migrate the throwaway one, run `main()` and exit with its code."""
    try:
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        if not USE_CONFIGURED_DB:
            call_command("migrate", verbosity=0)
        sys.exit(main())
    finally:
        if _tmpdir is not None:
            connection.close()
            _tmpdir.cleanup()
