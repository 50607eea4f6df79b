"""The roommate services behind the API's writes: they refuse what the admin refuses (the
model's validators and constraints) and write nothing then."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rent.ledger.tenant_changes import (
    TenantNotFound,
    add_tenant,
    set_departure,
    set_room_adjustment,
    tenant_named,
)
from rent.models import Tenant
from tests.builders import make_tenant

pytestmark = pytest.mark.django_db


def test_add_checks_the_row_as_the_admin_does():
    adam = add_tenant(name=" Adam ", start_date=date(2025, 3, 1))
    assert (adam.name, adam.room_adjustment) == ("Adam", Decimal(0))
    for bad in ({"name": "ADAM"}, {"name": "=cmd()"}, {"name": "Bo", "email": "nej"},
                {"name": "Bo", "start_date": date(2025, 3, 1),
                 "departure_date": date(2025, 2, 1)}):  # fmt: skip
        with pytest.raises(ValidationError):
            add_tenant(**bad)
    assert list(Tenant.objects.values_list("name", flat=True)) == ["Adam"]


def test_departure_and_adjustment_are_checked_and_kept_on_refusal():
    bea = make_tenant("Bea", start_date=date(2025, 1, 1))
    set_departure(tenant=bea, departure_date=date(2025, 6, 30))
    with pytest.raises(ValidationError, match="Utflyttningsdagen måste vara"):
        set_departure(tenant=tenant_named("bea"), departure_date=date(2024, 12, 31))
    set_room_adjustment(tenant=tenant_named("Bea"), room_adjustment=Decimal("-1400"))
    bea.refresh_from_db()
    assert (bea.departure_date, bea.room_adjustment) == (date(2025, 6, 30), Decimal("-1400"))


def test_an_unknown_name_is_said():
    with pytest.raises(TenantNotFound, match="Tenant not found: Zed") as refused:
        tenant_named("Zed")
    assert (refused.value.code, refused.value.params) == ("tenant_not_found", {"name": "Zed"})
