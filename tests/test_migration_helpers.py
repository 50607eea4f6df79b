"""tests/migration_helpers.py: a migration test leaves the latest schema behind, even when it
fails halfway."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from tests.migration_helpers import migrated

pytestmark = pytest.mark.django_db(transaction=True)


def applied() -> set[tuple[str, str]]:
    return set(MigrationRecorder(connection).applied_migrations())


def test_migrated_goes_back_and_returns_to_the_latest_even_after_a_failure():
    latest = set(MigrationExecutor(connection).loader.graph.leaf_nodes())
    before = [("rent", "0012_dataversion_from_api")]
    with pytest.raises(AssertionError, match="halfway"), migrated(before) as apps:
        assert ("rent", "0013_calculation_tenant_ids") not in applied()
        assert not hasattr(apps.get_model("rent", "RentCalculation"), "tenant_ids")
        raise AssertionError("halfway")
    assert latest <= applied()
