"""The household's readable backup: the rent export plus the handbook and the logins.

`export_household OUTDIR` writes the rent export (rent_export.json with tenants, ledger and
payments; rent_history/), the handbook as `handbook.backup` writes it
(handbook/handbook.json: pages with every revision, proposals with their approvals and comments,
attachments, watches and notification choices; handbook/attachments/: the files), and
`logins.json` (who may log in, their roles, their password hashes, and which login belongs to
which tenant), and the history of changes of the rent tables (history.json, see
rent/history_backup.py). `import_household DIR` restores all of it into an empty database; with
`pg_dump` beside it (docs/operations.md) the household can rebuild from either.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.dateparse import parse_datetime

from handbook import backup as handbook_backup
from handbook.models import Page
from rent.exporting import (
    EXPORT_FILE,
    HISTORY_DIR,
    document_text,
    staged_export,
    write_rent_export,
)
from rent.history_backup import restore_history, write_history
from rent.importing import import_rent
from rent.models import Tenant
from rent.roles import ensure_household_roles

LOGINS_FILE = "logins.json"
FORMAT_VERSION = 1


class RestoreRefused(Exception):
    """The database is not empty where the backup would restore; nothing was written."""


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def logins_document() -> dict:
    tenant_of = dict(Tenant.objects.filter(user__isnull=False).values_list("user_id", "name"))
    users = get_user_model().objects.prefetch_related("groups").order_by("id")
    return {
        "format": "kimonokittens-logins",
        "format_version": FORMAT_VERSION,
        "logins": [
            {
                "username": user.get_username(),
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "password": user.password,  # the hash, never the password
                "is_active": user.is_active,
                "is_staff": user.is_staff,
                "is_superuser": user.is_superuser,
                "date_joined": _moment(user.date_joined),
                "last_login": _moment(user.last_login),
                "groups": sorted(group.name for group in user.groups.all()),
                "tenant": tenant_of.get(user.pk),
            }
            for user in users
        ],
    }


def _write(path: Path, document: dict, *, private: bool = False) -> None:
    text = document_text(document)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


def export_household(outdir: Path) -> dict[str, int]:
    """Rent, handbook and logins into `outdir`, all or nothing; returns counts."""
    with staged_export(outdir) as staging:
        counts = write_rent_export(staging)
        handbook = handbook_backup.export_handbook(staging)
        logins = logins_document()
        _write(staging / LOGINS_FILE, logins, private=True)
        history = write_history(staging, _write)
    return {
        **counts,
        **handbook,
        "logins": len(logins["logins"]),
        "history": history,
    }


def _when(value: str | None):
    return parse_datetime(value) if value else None


def _restore_logins(logins: list[dict]) -> dict:
    user_model = get_user_model()
    users = {}
    for login in logins:
        user = user_model(
            username=login["username"],
            email=login["email"],
            first_name=login["first_name"],
            last_name=login["last_name"],
            password=login["password"],
            is_active=login["is_active"],
            is_staff=login["is_staff"],
            is_superuser=login["is_superuser"],
            date_joined=_when(login["date_joined"]),
            last_login=_when(login["last_login"]),
        )
        user.save()
        for name in login["groups"]:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        users[user.username] = user
    return users


@transaction.atomic
def import_household(directory: Path) -> dict:
    """Restore a household backup into an empty database (no logins, pages or rent rows)."""
    directory = Path(directory)
    user_model = get_user_model()
    if user_model.objects.exists() or Page.objects.exists() or Tenant.objects.exists():
        raise RestoreRefused(
            "the database is not empty (it has logins, handbook pages or tenants); restore into "
            "a freshly migrated database"
        )
    logins = json.loads((directory / LOGINS_FILE).read_text(encoding="utf-8"))["logins"]

    ensure_household_roles()
    users = _restore_logins(logins)
    report = import_rent([directory / EXPORT_FILE, directory / HISTORY_DIR])
    for login in logins:
        if login["tenant"]:
            Tenant.objects.filter(name=login["tenant"]).update(user=users[login["username"]])
    # Every login exists by now, so nothing of the handbook is left out for an unknown author.
    handbook = handbook_backup.import_handbook_backup(directory)
    history = restore_history(directory)  # last: it names rows of every other table
    return {
        "logins": len(users),
        "history": history,
        **handbook,
        "rent": report,
    }
