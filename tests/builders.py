"""Small builders for test data: each makes one valid row, and takes what a test cares about."""

from datetime import date
from decimal import Decimal
from itertools import count

from rent.models import RentConfig, RentLedger, Tenant

_serial = count(1)


def make_tenant(name=None, **fields) -> Tenant:
    return Tenant.objects.create(name=name or f"Tenant {next(_serial)}", **fields)


def set_config(key: str, value, period: date) -> RentConfig:
    row, _ = RentConfig.objects.update_or_create(
        key=key, period=period, defaults={"value": Decimal(str(value))}
    )
    return row


def make_ledger_row(tenant=None, rent_month=date(2025, 10, 1), **fields) -> RentLedger:
    fields.setdefault("amount_due", Decimal("7045"))
    return RentLedger.objects.create(
        tenant=tenant or make_tenant(), rent_month=rent_month, **fields
    )
