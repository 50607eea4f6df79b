"""The rent data's version: read once per request, bumped by every write to the rent tables.

Bumps run inside the writer's transaction (an UPDATE of one row), so the new version becomes
visible in every process exactly when the data does. They run *before* the rows are written: a
writer waiting for the version row then holds no row of its own yet, which keeps two
concurrent writers from locking each other in a circle. Payments and ledger rows have no
signal: their services (rent.ledger.payments, the bank and import flows) call `bump_data_version`
themselves; the other rent tables are still bumped by the signals below.
"""

import secrets

from django.db import connection
from django.db.models import F
from django.db.models.signals import m2m_changed, pre_delete, pre_save

from rent.models import DataVersion

WATCHED = ("Tenant", "RentConfig", "RentCalculation", "CoOwnedItem")


def data_version() -> str:
    """The current version (one query): a counter and a random stamp, "0-" before any write.

    Every request reads it, so in plain SQL: building the ORM's query costs more than running
    it (api.tokens reads it with the token in the same way)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value, stamp FROM {DataVersion._meta.db_table} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    return version_text(*row) if row else version_text(None, None)


def version_text(value: int | None, stamp: str | None) -> str:
    """The version as every key and tag names it: the counter and the stamp, "0-" before the
    first write (no row yet). Also for a version read in the same query as something else."""
    return "0-" if value is None else f"{value}-{stamp}"


def request_version(request) -> str:
    """The version this request reads: the one already read for it (with its login, its
    membership or its token), else read now; kept on the request, so it is read once."""
    version = getattr(request, "data_version", None)
    if not version:
        version = request.data_version = data_version()
    return version


def bump_data_version() -> None:
    """Increment the version with a new random stamp (create the row the first time)."""
    stamp = secrets.token_hex(8)
    if not DataVersion.objects.filter(pk=1).update(value=F("value") + 1, stamp=stamp):
        DataVersion.objects.get_or_create(pk=1, defaults={"value": 1, "stamp": stamp})


def _bump(sender, **kwargs):
    if kwargs.get("raw"):
        return  # loading fixtures
    if kwargs.get("action", "pre_").startswith("post_"):
        return  # m2m changes: once, before they are written
    bump_data_version()


def _bump_for_roles(sender, **kwargs):
    bump_data_version()  # a login, its groups or permissions changed (household.roles)


def connect_signals() -> None:
    from django.apps import apps

    from household.roles import roles_changed

    roles_changed.connect(_bump_for_roles, dispatch_uid="rent-version-roles")
    for name in WATCHED:
        model = apps.get_model("rent", name)
        pre_save.connect(_bump, sender=model, dispatch_uid=f"rent-version-save-{name}")
        pre_delete.connect(_bump, sender=model, dispatch_uid=f"rent-version-delete-{name}")
    through = apps.get_model("rent", "CoOwnedItem").owners.through
    m2m_changed.connect(_bump, sender=through, dispatch_uid="rent-version-owners")
