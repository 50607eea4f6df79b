"""The whole rent database as files: the household's backup, and what `import_rent` reads back.

One export file (tenants, config rows, ledger rows with payments, co-owned items) plus one
history file per calculation in `rent_history/`. Importing the directory into an empty database
reproduces every row (see docs/import-format.md for the format and its version).

An export is written into a staging folder inside OUTDIR and moved into place only when every
file is written: a full disk or an unwritable folder leaves the previous export as it was and
no partial one that looks complete.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from rent.errors import RentError
from rent.importing.history_backup import HISTORY_FILE
from rent.importing.readers import EXPORT_FORMAT, EXPORT_FORMAT_VERSION
from rent.models import (
    CoOwnedItem,
    Payment,
    RentCalculation,
    RentConfig,
    RentLedger,
    Room,
    Tenant,
)

EXPORT_FILE = "rent_export.json"
HISTORY_DIR = "rent_history"


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def moment_text(value: datetime | None) -> str | None:
    """An instant as the backup files write it: ISO 8601 in local time, with its offset."""
    return None if value is None else timezone.localtime(value).isoformat()


def document_text(document: dict) -> str:
    """A backup file's JSON: readable (indented, å ä ö as they are), ending in a newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _stay(tenant: Tenant) -> dict:
    """The tenant's stay, in the export's camelCase (rent.importing.readers.export reads it)."""
    from rent.importing.readers.export import STAY_AMOUNTS, STAY_DATES

    return {
        "phone": tenant.phone or None,
        "room": tenant.room.name if tenant.room else None,
        **{key: _day(getattr(tenant, name)) for key, name in STAY_DATES.items()},
        **{key: _money(getattr(tenant, name)) for key, name in STAY_AMOUNTS.items()},
    }


def export_document() -> dict:
    """The export file's content (everything but the calculations, which get their own files)."""
    tenants = list(Tenant.objects.select_related("room"))
    name_of = {tenant.pk: tenant.name for tenant in tenants}
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "export_date": moment_text(timezone.now()),
        "tenants": [
            {
                "id": tenant.legacy_id or None,
                "name": tenant.name,
                "email": tenant.email or None,
                "startDate": _day(tenant.start_date),
                "departureDate": _day(tenant.departure_date),
                "roomAdjustment": _money(tenant.room_adjustment),
                **_stay(tenant),
                "created_at": moment_text(tenant.created_at),
                "updated_at": moment_text(tenant.updated_at),
            }
            for tenant in tenants
        ],
        "rooms": [
            {
                "name": room.name,
                "adjustment": _money(room.adjustment),
                "description": room.description,
                "created_at": moment_text(room.created_at),
                "updated_at": moment_text(room.updated_at),
            }
            for room in Room.objects.order_by("name", "pk")
        ],
        "rent_configs": [
            {
                "key": row.key,
                "value": _money(row.value),
                "period": _day(row.period),
                "created_at": moment_text(row.created_at),
                "updated_at": moment_text(row.updated_at),
            }
            for row in RentConfig.objects.order_by("period", "key")
        ],
        "rent_ledger": [
            {
                "tenant": name_of[row.tenant_id],
                "rent_month": _day(row.rent_month),
                "amount_due": _money(row.amount_due),
                "amount_paid": _money(row.amount_paid),
                "paid_on": _day(row.paid_on),
                "days_stayed": _money(row.days_stayed),
                "room_adjustment": _money(row.room_adjustment),
                "calculation": (
                    {
                        "config_month": f"{row.calculation.config_month:%Y-%m}",
                        "version": row.calculation.version,
                    }
                    if row.calculation
                    else None
                ),
                "created_at": moment_text(row.created_at),
                "updated_at": moment_text(row.updated_at),
            }
            for row in RentLedger.objects.select_related("calculation").order_by(
                "rent_month", "tenant_id"
            )
        ],
        # Every payment as recorded; the ledger rows' amount_paid and paid_on are derived
        # from them (kept for readers of the old format; the importer recomputes them).
        "payments": [
            {
                "tenant": name_of[payment.tenant_id],
                "paid_on": _day(payment.paid_on),
                "amount": _money(payment.amount),
                "method": payment.method,
                "for_month": _day(payment.for_month),
                "reference": payment.reference,
                "message": payment.message,
                "source": payment.source,
                "note": payment.note,
                "bank_key": payment.bank_key,
                "created_at": moment_text(payment.created_at),
            }
            for payment in Payment.objects.order_by("paid_on", "pk")
        ],
        "co_owned_items": [
            {
                "name": item.name,
                "description": item.description,
                "purchase_date": _day(item.purchase_date),
                "value": _money(item.value),
                "owners": sorted(name_of[owner.pk] for owner in item.owners.all()),
            }
            for item in CoOwnedItem.objects.prefetch_related("owners").order_by("name", "pk")
        ],
    }


def history_document(calculation: RentCalculation) -> dict:
    """One calculation in the history-file format, with what the import needs to restore it."""
    metadata = {
        "calculation_date": moment_text(calculation.calculated_at),
        "version": calculation.version,
        "title": calculation.title,
        "config_month": f"{calculation.config_month:%Y-%m}",
        "status": calculation.status,
        "source": calculation.source,
        "created_at": moment_text(calculation.created_at),
    }
    # jsonb re-sorts object keys: roommates and results go back in the roommates' order.
    inputs = dict(calculation.inputs)
    if isinstance(inputs.get("roommates"), dict):
        inputs["roommates"] = calculation.ordered_roommates()
    return {"metadata": metadata, **inputs, "final_results": calculation.ordered_results()}


def history_file_name(calculation: RentCalculation) -> str:
    return f"{calculation.config_month:%Y_%m}_v{calculation.version}.json"


class ExportFolderError(RentError):
    """OUTDIR cannot take an export (it holds other files); said in words."""


# What an export consists of: the only names an export folder may already hold (the rent
# export, and what export_household adds: backup.household, handbook.backup).
EXPORT_NAMES = {
    EXPORT_FILE,
    HISTORY_DIR,
    "handbook",
    "logins.json",
    "rent_extra.json",
    "personnummer.json",
    HISTORY_FILE,
    "handbook.json",  # the handbook's file in household backups written before it had a folder
}


@contextmanager
def staged_export(outdir: Path) -> Iterator[Path]:
    """A staging folder inside `outdir` to write into; its content replaces the previous export
    only after the block finished without an error. On an error nothing in `outdir` changes."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    foreign = sorted(
        path.name
        for path in outdir.iterdir()
        if path.name not in EXPORT_NAMES and not path.name.startswith(".export-")
    )
    if foreign:
        raise ExportFolderError(
            "export_folder_not_empty", folder=str(outdir), files=", ".join(foreign[:5])
        )
    staging = Path(tempfile.mkdtemp(prefix=".export-partial-", dir=outdir))
    try:
        yield staging
        old = Path(tempfile.mkdtemp(prefix=".export-old-", dir=outdir))
        for name in EXPORT_NAMES:
            if (outdir / name).exists():
                (outdir / name).rename(old / name)
        for path in staging.iterdir():
            path.rename(outdir / path.name)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def export_rent(outdir: Path) -> dict[str, int]:
    """Write the export file and the history files into `outdir` (staged: all or nothing);
    returns counts for the report."""
    with staged_export(outdir) as staging:
        return write_rent_export(staging)


def write_rent_export(outdir: Path) -> dict[str, int]:
    """The rent export's files, written into the existing folder `outdir`."""
    outdir = Path(outdir)
    history_dir = outdir / HISTORY_DIR
    history_dir.mkdir(parents=True, exist_ok=True)
    document = export_document()
    _write(outdir / EXPORT_FILE, document)
    calculations = 0
    for calculation in RentCalculation.objects.order_by("config_month", "version"):
        _write(history_dir / history_file_name(calculation), history_document(calculation))
        calculations += 1
    return {
        "tenants": len(document["tenants"]),
        "rent_configs": len(document["rent_configs"]),
        "rent_ledger": len(document["rent_ledger"]),
        "co_owned_items": len(document["co_owned_items"]),
        "payments": len(document.get("payments", [])),
        "rooms": len(document["rooms"]),
        "rent_calculations": calculations,
    }


def _write(path: Path, document: dict) -> None:
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(document_text(document), encoding="utf-8")
    temporary.replace(path)
