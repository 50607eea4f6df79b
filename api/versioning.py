"""The rent data's version: read once per request, bumped by every write to the rent tables.

Bumps run inside the writer's transaction (an UPDATE of one row), so a reader either sees the
old data with the old version or the new data with the new one, in every process.
"""

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from api.models import DataVersion

WATCHED = ("Tenant", "RentConfig", "RentCalculation", "RentLedger", "CoOwnedItem")


def data_version() -> int:
    """The current version (one query); 0 before anything was ever written."""
    value = DataVersion.objects.filter(pk=1).values_list("value", flat=True).first()
    return value or 0


def bump_data_version() -> None:
    """Increment the version (create the row the first time)."""
    if not DataVersion.objects.filter(pk=1).update(value=F("value") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"value": 1})


def _bump(sender, **kwargs):
    if kwargs.get("raw"):
        return  # loading fixtures
    bump_data_version()


def connect_signals() -> None:
    from django.apps import apps

    for name in WATCHED:
        model = apps.get_model("rent", name)
        post_save.connect(_bump, sender=model, dispatch_uid=f"api-version-save-{name}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"api-version-delete-{name}")
    through = apps.get_model("rent", "CoOwnedItem").owners.through
    m2m_changed.connect(_bump, sender=through, dispatch_uid="api-version-owners")
