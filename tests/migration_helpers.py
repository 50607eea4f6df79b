"""What the migration tests share: take the database to a migration, and always back to the
latest of every app afterwards (so the tests after them find the schema they expect).

A module using it marks its tests `django_db(transaction=True)`: migrating runs DDL.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to `targets` ([(app, migration name)]); the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> None:
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@contextmanager
def migrated(targets) -> Iterator:
    """The models at `targets`, and the latest schema again when the block ends, however."""
    try:
        yield migrate(targets)
    finally:
        migrate_to_latest()
