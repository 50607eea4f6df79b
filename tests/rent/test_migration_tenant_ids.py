"""Migration 0012: every saved version gets its names' tenant ids (matched by name, capital
letters not counting), so renaming a tenant afterwards keeps the link; and back again."""

from datetime import date

import pytest
from django.utils import timezone

from tests.migration_helpers import migrate, migrated

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("rent", "0012_dataversion_from_api")]
AFTER = [("rent", "0013_calculation_tenant_ids")]


def test_saved_versions_are_linked_to_their_tenants_by_name():
    with migrated(BEFORE) as old:
        Tenant = old.get_model("rent", "Tenant")
        alva, bo = Tenant.objects.create(name="Alva"), Tenant.objects.create(name="Bo Ek")
        old.get_model("rent", "RentCalculation").objects.create(
            config_month=date(2026, 12, 1), version=1, calculated_at=timezone.now(),
            inputs={"roommates": {"alva": {}, "Bo Ek": {"days": 16}, "Gone": {}}},
            results={"alva": 9000, "Bo Ek": 4000, "Gone": 9000},
        )  # fmt: skip
        new = migrate(AFTER)
        calculation = new.get_model("rent", "RentCalculation").objects.get()
        assert calculation.tenant_ids == {"alva": alva.pk, "Bo Ek": bo.pk}  # "Gone": no one
        migrate(BEFORE)  # and back: the column goes, the stored version stays
        assert old.get_model("rent", "RentCalculation").objects.get().results["Gone"] == 9000
