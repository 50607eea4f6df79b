"""The history of changes (django-simple-history) in the readable household backup.

`history.json` holds every row of every historical table of the rent app. A restore gives the
tenants, bills, ledger rows, items and logins new ids, so ids are written as natural keys: the
changed object by what it is (a tenant by name, a bill by key and month, a ledger row by tenant
and month, ...; equal keys in id order), `history_user` by username. An object deleted since
(no row to name it by) keeps its history under the negated old id, which no row can ever have.
The history rows keep their own ids (the m2m history points at them); the restore replaces the
history that restoring itself recorded, then moves the id sequences past them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, time
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from rent.errors import RentError

HISTORY_FILE = "history.json"
FORMAT_VERSION = 1

# What names a row of each model the history points at, as `values_list` lookups.
NATURAL_KEYS = {
    "auth.user": ("username",),
    "rent.tenant": ("name",),
    "rent.room": ("name",),
    "rent.rentconfig": ("key", "period"),
    "rent.rentcalculation": ("config_month", "version"),
    "rent.rentledger": ("tenant__name", "rent_month"),
    "rent.coowneditem": ("name", "purchase_date", "value"),
    "rent.coowneditem_owners": ("coowneditem__name", "coowneditem__purchase_date", "tenant__name"),
    "rent.payment": ("tenant__name", "paid_on", "amount", "reference"),
}


class HistoryBackupError(RentError):
    """The history refers to a kind of row the backup cannot name."""


def historical_models() -> list:
    """The rent app's history tables, the m2m ones (which point at the others) last."""
    found = [
        model
        for model in apps.get_app_config("rent").get_models()
        if hasattr(model, "instance_type")
    ]
    return sorted(found, key=lambda model: (model._meta.pk.name != "history_id", model.__name__))


def _label(model) -> str:
    return model._meta.label_lower


class _Encoder(DjangoJSONEncoder):
    """Django's, but times keep their microseconds (history dates are compared exactly)."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def _plain(values) -> str:
    return json.dumps(list(values), cls=_Encoder, ensure_ascii=False)


def _keys(model) -> list[tuple[int, str]]:
    """(pk, natural key) of every row, in id order."""
    lookups = NATURAL_KEYS.get(_label(model))
    if lookups is None:
        raise HistoryBackupError("history_no_natural_key", model=_label(model))
    rows = model._base_manager.order_by("pk").values_list("pk", *lookups)
    return [(row[0], _plain(row[1:])) for row in rows]


def _references(model) -> dict[int, list]:
    """Old pk -> [natural key, how many earlier rows share it]."""
    seen: dict[str, int] = defaultdict(int)
    references = {}
    for pk, key in _keys(model):
        references[pk] = [key, seen[key]]
        seen[key] += 1
    return references


def _new_ids(model) -> dict[tuple[str, int], int]:
    """(natural key, how many earlier rows share it) -> the pk it has now."""
    return {tuple(reference): pk for pk, reference in _references(model).items()}


def _pointers(history_model) -> dict[str, object]:
    """attname -> the model a column points at by id (not the history's own rows)."""
    pointers = {"id": history_model.instance_type}
    for field in history_model._meta.concrete_fields:
        target = field.related_model
        if field.is_relation and not hasattr(target, "instance_type"):
            pointers[field.attname] = target
    return pointers


def history_document() -> dict:
    tables = {}
    references: dict[object, dict] = {}
    for history_model in historical_models():
        pointers = _pointers(history_model)
        for target in pointers.values():
            if target not in references:
                references[target] = _references(target)
        attnames = [field.attname for field in history_model._meta.concrete_fields]
        rows = []
        for values in history_model._base_manager.order_by("pk").values_list(*attnames):
            row = dict(zip(attnames, values, strict=True))
            for attname, target in pointers.items():
                old = row[attname]
                if old is not None:
                    row[attname] = references[target].get(old) or {"gone": old}
            rows.append(row)
        tables[_label(history_model)] = json.loads(json.dumps(rows, cls=_Encoder))
    return {"format": "kimonokittens-history", "format_version": FORMAT_VERSION, "tables": tables}


def write_history(directory: Path, write) -> int:
    """Write history.json with `write(path, document)`; returns the number of history rows."""
    document = history_document()
    write(Path(directory) / HISTORY_FILE, document)
    return sum(len(rows) for rows in document["tables"].values())


def _resolve(reference, target, new_ids):
    if reference is None:
        return None
    if isinstance(reference, dict):
        return -abs(reference["gone"])
    key, index = reference
    try:
        return new_ids[target][(key, index)]
    except KeyError:
        if target is get_user_model():
            return None  # a login left out of the backup: the change stays, without its author
        raise HistoryBackupError(
            "history_key_not_restored", model=_label(target), key=key
        ) from None


def restore_history(directory: Path) -> int:
    """Replace the history recorded while restoring with the backup's; call inside the restore's
    transaction, after every row it points at is back. A backup without history.json (made
    before the history was in it) leaves the restore's own history."""
    path = Path(directory) / HISTORY_FILE
    if not path.exists():
        return 0
    tables = json.loads(path.read_text(encoding="utf-8"))["tables"]
    models = historical_models()
    for history_model in reversed(models):
        history_model._base_manager.all().delete()
    new_ids: dict[object, dict] = {}
    restored = 0
    for history_model in models:
        pointers = _pointers(history_model)
        for target in pointers.values():
            if target not in new_ids:
                new_ids[target] = _new_ids(target)
        fields = {field.attname: field for field in history_model._meta.concrete_fields}
        rows = []
        for row in tables.get(_label(history_model), []):
            values = {}
            for attname, value in row.items():
                if attname in pointers:
                    values[attname] = _resolve(value, pointers[attname], new_ids)
                else:
                    values[attname] = fields[attname].to_python(value)
            rows.append(history_model(**values))
        history_model._base_manager.bulk_create(rows, batch_size=500)
        restored += len(rows)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    return restored
