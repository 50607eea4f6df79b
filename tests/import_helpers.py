"""Helpers for the import and export tests: run the command, and image the whole rent database."""

from io import StringIO

from django.apps import apps
from django.core.management import call_command


def run_import(*paths, **options) -> str:
    """`import_rent PATH ... [--flags]` in-process; returns what it printed."""
    out = StringIO()
    call_command("import_rent", *[str(path) for path in paths], stdout=out, stderr=out, **options)
    return out.getvalue()


def database_image() -> dict:
    """Every row of every rent table (history tables and the m2m table included), by primary key.

    Two equal images mean the database is unchanged, value for value.
    """
    image = {}
    for model in apps.get_app_config("rent").get_models(include_auto_created=True):
        image[model._meta.db_table] = sorted(model._base_manager.values_list(), key=repr)
    return image
