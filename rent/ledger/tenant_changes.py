"""The old API's roommate actions as services: add a person, set a departure, set a room
adjustment. Each checks the row as the admin's tenant page does (every field's validators and
the table's constraints, `full_clean`), so they refuse what the admin refuses, in its words,
and writes nothing then. The history of changes records who did it (the caller wraps the call
in api.history.recorded_as, as the admin records its user)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from rent.errors import RentError
from rent.models import Tenant


class TenantNotFound(RentError, LookupError):
    """No tenant has that name."""


def tenant_named(name: str) -> Tenant:
    """The tenant called `name`, capital letters ignored (names are unique so)."""
    tenant = Tenant.objects.filter(name__iexact=(name or "").strip()).first()
    if tenant is None:
        raise TenantNotFound("tenant_not_found", name=name)
    return tenant


def _checked_save(tenant: Tenant) -> Tenant:
    with transaction.atomic():
        tenant.full_clean()
        tenant.save()
    return tenant


def add_tenant(
    *,
    name: str,
    email: str = "",
    start_date: date | None = None,
    departure_date: date | None = None,
    room_adjustment: Decimal = Decimal(0),
) -> Tenant:
    return _checked_save(
        Tenant(
            name=(name or "").strip(),
            email=(email or "").strip(),
            start_date=start_date,
            departure_date=departure_date,
            room_adjustment=room_adjustment,
        )
    )


def set_departure(*, tenant: Tenant, departure_date: date | None) -> Tenant:
    tenant.departure_date = departure_date
    return _checked_save(tenant)


def set_room_adjustment(*, tenant: Tenant, room_adjustment: Decimal) -> Tenant:
    tenant.room_adjustment = room_adjustment
    return _checked_save(tenant)
