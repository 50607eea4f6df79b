"""Small builders for test data: each makes one valid row, and takes what a test cares about."""

from datetime import date
from decimal import Decimal
from itertools import count

from rent.models import RentConfig, RentLedger, Tenant

_serial = count(1)

# Every login the builders make has this password (the browser tests log in with it).
PASSWORD = "pw-for-tests-only"


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


def set_month_config(period: date, **values) -> list[RentConfig]:
    """Several of one config month's rows at once: `set_month_config(C, el=2424, gas=550)`."""
    return [set_config(key, value, period) for key, value in values.items()]


def make_login(username: str, *, role: str | None = None, tenant=None, **fields):
    """A staff login in one of the household roles ("Boende", "Kassör"), optionally linked."""
    from django.contrib.auth.models import Group, User

    from rent.roles import ensure_household_roles

    ensure_household_roles()
    fields.setdefault("is_staff", True)
    user = User.objects.create_user(username=username, password=PASSWORD, **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if tenant is not None:
        tenant.user = user
        tenant.save(update_fields=["user"])
    return user


def make_item(name=None, *, owners=(), **fields):
    from rent.models import CoOwnedItem

    fields.setdefault("value", Decimal("3000"))
    item = CoOwnedItem.objects.create(name=name or f"Item {next(_serial)}", **fields)
    item.owners.set(owners)
    return item


def make_page(slug=None, *, title=None, body="Text.\n", **fields):
    """A handbook page with its first revision, made the way the app makes pages."""
    from handbook.services import create_page

    slug = slug or f"sida-{next(_serial)}"
    return create_page(
        slug=slug, title=title or slug.replace("-", " ").title(), body=body, **fields
    )


def make_member(username: str, **fields):
    """A household member: a login linked to a tenant living here (the membership rule)."""
    fields.setdefault("is_staff", False)
    tenant = make_tenant(name=fields.pop("tenant_name", username.title()))
    return make_login(username, tenant=tenant, **fields)
