"""The household's readable backup: the rent export plus the handbook and the logins.

`export_household OUTDIR` writes the rent export (rent_export.json with tenants, ledger and
payments; rent_history/), the handbook as `handbook.backup` writes it
(handbook/handbook.json: pages with every revision, proposals with their approvals and comments,
attachments, watches and notification choices; handbook/attachments/: the files), and
`logins.json` (who may log in, their roles, their password hashes, and which login belongs to
which tenant), `personnummer.json` (the tenants' personnummer, mode 0600), the history of
changes of the rent tables (history.json, see rent/importing/history_backup.py), and
`rent_extra.json`: what the rent export's format (shared with the old system) has no place for
and the household would miss after a restore: each tenant's payer names (bank matching by
name), who recorded each payment, the API tokens (their hashes, never a token's text, so the
kiosk and scripts keep working), the reminders' and the SMS logs (so nothing already sent goes
out again) and the bank statements' layouts. `import_household DIR` restores all of it into an
empty database; with
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
from household.roles import ensure_household_roles
from rent.errors import RentError
from rent.importing import import_rent
from rent.importing.exporting import (
    EXPORT_FILE,
    HISTORY_DIR,
    document_text,
    staged_export,
    write_rent_export,
)
from rent.importing.history_backup import restore_history, write_history
from rent.models import BankLayout, Payment, ReminderLog, SmsLog, Tenant


def _api_token_model():
    """The API's tokens, carried by the household backup. Looked up in the app registry, not
    imported: rent imports nothing from api (the import contract in pyproject.toml)."""
    from django.apps import apps

    return apps.get_model("api", "ApiToken")


LOGINS_FILE = "logins.json"
EXTRA_FILE = "rent_extra.json"
# The tenants' personnummer: only here, in the household backup (never in export_rent, the
# API, the kiosk or the admin's exports), readable by the file's owner alone.
PERSONNUMMER_FILE = "personnummer.json"
FORMAT_VERSION = 1


class RestoreRefused(RentError):
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


def _payment_key(tenant_name, paid_on, amount, reference, created_at) -> tuple:
    """A payment by what it is (a restore gives it a new id); equal keys go in id order."""
    return (tenant_name, str(paid_on), str(amount), reference, _moment(created_at))


def extra_document() -> dict:
    def username(user):
        return user.get_username() if user else None

    payments = Payment.objects.select_related("tenant", "recorded_by").order_by("pk")
    return {
        "format": "kimonokittens-rent-extra",
        "format_version": FORMAT_VERSION,
        "payer_names": _filled_by_tenant("payer_names"),
        "payments_recorded_by": [
            [
                *_payment_key(p.tenant.name, p.paid_on, p.amount, p.reference, p.created_at),
                username(p.recorded_by),
            ]
            for p in payments
            if p.recorded_by_id
        ],
        "api_tokens": [
            {
                "name": token.name,
                "scope": token.scope,
                "prefix": token.prefix,
                "key_hash": token.key_hash,
                "created_by": username(token.created_by),
                "created_at": _moment(token.created_at),
                "last_used_at": _moment(token.last_used_at),
                "revoked_at": _moment(token.revoked_at),
            }
            for token in _api_token_model().objects.select_related("created_by").order_by("pk")
        ],
        "reminders_sent": [
            {
                "recipient": row.recipient,
                "tenant": row.tenant.name if row.tenant else None,
                "kind": row.kind,
                "rent_month": str(row.rent_month),
                "sent_on": str(row.sent_on),
                "amount": str(row.amount),
                "created_at": _moment(row.created_at),
            }
            for row in ReminderLog.objects.select_related("tenant").order_by("pk")
        ],
        # The SMS log too: a restore must not send an SMS already sent for that month again.
        "sms_sent": [
            {
                "tenant": row.tenant.name if row.tenant else None,
                "phone": row.phone,
                "kind": row.kind,
                "rent_month": str(row.rent_month),
                "sent_on": str(row.sent_on),
                "amount": str(row.amount),
                "message": row.message,
                "provider_id": row.provider_id,
                "created_at": _moment(row.created_at),
            }
            for row in SmsLog.objects.select_related("tenant").order_by("pk")
        ],
        "bank_layouts": [
            {
                "signature": layout.signature,
                "headers": layout.headers,
                "date_column": layout.date_column,
                "amount_column": layout.amount_column,
                "text_column": layout.text_column,
                "counterpart_column": layout.counterpart_column,
                "created_at": _moment(layout.created_at),
            }
            for layout in BankLayout.objects.order_by("pk")
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
        personnummer = personnummer_document()
        _write(staging / PERSONNUMMER_FILE, personnummer, private=True)
        # Private too: the tenants' history of changes holds their personnummer.
        history = write_history(staging, lambda path, doc: _write(path, doc, private=True))
        extra = extra_document()
        # Token hashes and login names: as private as the logins file.
        _write(staging / EXTRA_FILE, extra, private=True)
    return {
        **counts,
        **handbook,
        "logins": len(logins["logins"]),
        "personnummer": len(personnummer["tenants"]),
        "history": history,
        "api tokens": len(extra["api_tokens"]),
        "reminders sent": len(extra["reminders_sent"]),
        "sms sent": len(extra["sms_sent"]),
        "bank layouts": len(extra["bank_layouts"]),
    }


def _filled_by_tenant(field: str) -> dict[str, str]:
    """Each tenant's name and `field`, for the tenants where it is filled in: keyed by the
    name, as the restore finds the tenants."""
    return dict(Tenant.objects.exclude(**{field: ""}).order_by("name").values_list("name", field))


def personnummer_document() -> dict:
    return {
        "format": "kimonokittens-personnummer",
        "format_version": FORMAT_VERSION,
        "tenants": _filled_by_tenant("personnummer"),
    }


def _restore_personnummer(directory: Path) -> int:
    """A backup made before the personnummer was kept has no such file: nothing to restore."""
    path = directory / PERSONNUMMER_FILE
    if not path.exists():
        return 0
    tenants = json.loads(path.read_text(encoding="utf-8"))["tenants"]
    for name, number in tenants.items():
        Tenant.objects.filter(name=name).update(personnummer=number)
    return len(tenants)


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


def _with_created_at(model, rows: list, created: list[str | None]) -> None:
    """Rows made with auto_now_add get back the moment they were first made."""
    for row, moment in zip(rows, created, strict=True):
        model.objects.filter(pk=row.pk).update(created_at=_when(moment) or row.created_at)


def _restore_extra(extra: dict, users: dict) -> dict:
    tenants = {tenant.name: tenant for tenant in Tenant.objects.all()}
    for name, payer_names in extra["payer_names"].items():
        Tenant.objects.filter(pk=tenants[name].pk).update(payer_names=payer_names)

    waiting: dict[tuple, list[int]] = {}
    for p in Payment.objects.select_related("tenant").order_by("pk"):
        key = _payment_key(p.tenant.name, p.paid_on, p.amount, p.reference, p.created_at)
        waiting.setdefault(key, []).append(p.pk)
    for *key, username in extra["payments_recorded_by"]:
        Payment.objects.filter(pk=waiting[tuple(key)].pop(0)).update(recorded_by=users[username])

    api_token = _api_token_model()
    tokens = api_token.objects.bulk_create(
        api_token(
            name=row["name"],
            scope=row["scope"],
            prefix=row["prefix"],
            key_hash=row["key_hash"],
            created_by=users.get(row["created_by"]),
            last_used_at=_when(row["last_used_at"]),
            revoked_at=_when(row["revoked_at"]),
        )
        for row in extra["api_tokens"]
    )
    _with_created_at(api_token, tokens, [row["created_at"] for row in extra["api_tokens"]])
    reminders = ReminderLog.objects.bulk_create(
        ReminderLog(
            recipient=row["recipient"],
            tenant=tenants.get(row["tenant"]),
            kind=row["kind"],
            rent_month=row["rent_month"],
            sent_on=row["sent_on"],
            amount=row["amount"],
        )
        for row in extra["reminders_sent"]
    )
    _with_created_at(ReminderLog, reminders, [row["created_at"] for row in extra["reminders_sent"]])
    sent = extra.get("sms_sent", [])  # none in a backup made before the SMS log was kept
    sms = SmsLog.objects.bulk_create(
        SmsLog(
            tenant=tenants.get(row["tenant"]),
            **{key: row[key] for key in ("phone", "kind", "rent_month", "sent_on", "amount")},
            message=row["message"],
            provider_id=row["provider_id"],
        )
        for row in sent
    )
    _with_created_at(SmsLog, sms, [row["created_at"] for row in sent])
    layouts = BankLayout.objects.bulk_create(
        BankLayout(**{k: v for k, v in row.items() if k != "created_at"})
        for row in extra["bank_layouts"]
    )
    _with_created_at(BankLayout, layouts, [row["created_at"] for row in extra["bank_layouts"]])
    return {
        "api tokens": len(tokens),
        "reminders sent": len(reminders),
        "sms sent": len(sms),
        "bank layouts": len(layouts),
    }


@transaction.atomic
def import_household(directory: Path) -> dict:
    """Restore a household backup into an empty database (no logins, pages or rent rows)."""
    directory = Path(directory)
    user_model = get_user_model()
    if (
        user_model.objects.exists()
        or Page.objects.exists()
        or Tenant.objects.exists()
        or _api_token_model().objects.exists()
    ):
        raise RestoreRefused("restore_not_empty")
    logins = json.loads((directory / LOGINS_FILE).read_text(encoding="utf-8"))["logins"]

    ensure_household_roles()
    users = _restore_logins(logins)
    report = import_rent([directory / EXPORT_FILE, directory / HISTORY_DIR])
    for login in logins:
        if login["tenant"]:
            Tenant.objects.filter(name=login["tenant"]).update(user=users[login["username"]])
    _restore_personnummer(directory)
    # Every login exists by now, so nothing of the handbook is left out for an unknown author.
    handbook = handbook_backup.import_handbook_backup(directory)
    extra_path = directory / EXTRA_FILE  # missing in a backup older than the file
    extra = (
        _restore_extra(json.loads(extra_path.read_text(encoding="utf-8")), users)
        if extra_path.exists()
        else {}
    )
    history = restore_history(directory)  # last: it names rows of every other table
    return {
        "logins": len(users),
        "history": history,
        **handbook,
        **extra,
        "rent": report,
    }
