"""Helpers for the import and export tests: run the command, and image the whole rent database."""

import json
from datetime import date
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.core.management import call_command


def run_import(*paths, **options) -> str:
    """`import_rent PATH ... [--flags]` in-process; returns what it printed."""
    out = StringIO()
    call_command("import_rent", *[str(path) for path in paths], stdout=out, stderr=out, **options)
    return out.getvalue()


def database_image() -> dict:
    """Every row of every rent table (history tables and the m2m table included), by primary key.

    Two equal images mean the database is unchanged, value for value. The data version (a
    cache key that every import bumps, not data) is left out.
    """
    image = {}
    for model in apps.get_app_config("rent").get_models(include_auto_created=True):
        if model._meta.model_name == "dataversion":
            continue
        image[model._meta.db_table] = sorted(model._base_manager.values_list(), key=repr)
    return image


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


def report_line(output: str, table: str) -> list[str]:
    """created, updated, unchanged, conflicts, skipped of `table` in the report."""
    return next(line for line in output.splitlines() if line.startswith(table + " ")).split()[1:]
