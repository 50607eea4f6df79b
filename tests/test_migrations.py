"""Migrations are committed and complete: the models and the migration files agree."""

import pytest
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader


@pytest.mark.django_db
def test_makemigrations_check_is_clean():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_every_migration_of_the_project_can_be_reversed():
    """A deploy can be rolled back: every operation of the project's migrations has a reverse
    (a RunPython needs its reverse_code, a RunSQL its reverse_sql)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    irreversible = [
        f"{app}.{name}: {operation.describe()}"
        for (app, name), migration in loader.disk_migrations.items()
        if app in {"rent", "handbook"}
        for operation in migration.operations
        if not operation.reversible
    ]
    assert irreversible == []
