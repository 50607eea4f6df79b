"""The history of changes in the readable backup: ids written as what they name, mapped back to
the restored rows; deleted objects keep their history; old backups without it still restore."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from rent.importing import history_backup
from rent.importing.history_backup import (
    HISTORY_FILE,
    HistoryBackupError,
    _keys,
    history_document,
    restore_history,
    write_history,
)
from rent.models import Allocation, RentLedger, Tenant
from tests.builders import make_ledger_row, make_tenant
from tests.people import make_treasurer

pytestmark = pytest.mark.django_db


def write(path, document):
    path.write_text(json.dumps(document), encoding="utf-8")


def test_ids_are_written_as_natural_keys_and_deleted_objects_as_gone(tmp_path):
    kassor = make_treasurer()
    adam = make_tenant("Adam")
    row = make_ledger_row(adam, rent_month=date(2025, 10, 1), amount_due=Decimal("4000"))
    # A change by a named login (paid amounts follow payments, so the amount due is changed).
    row.amount_due, row._history_user = Decimal("4100"), kassor
    row.save()
    gone = make_tenant("Borta")
    gone_id = gone.pk
    gone.delete()

    assert write_history(tmp_path, write) == len(
        [r for rows in history_document()["tables"].values() for r in rows]
    )
    tables = json.loads((tmp_path / HISTORY_FILE).read_text())["tables"]
    paid = [r for r in tables["rent.historicalrentledger"] if r["history_type"] == "~"]
    assert len(paid) == 1
    assert paid[0]["id"] == ['["Adam", "2025-10-01"]', 0]
    assert paid[0]["tenant_id"] == ['["Adam"]', 0]
    assert paid[0]["history_user_id"] == ['["kassor"]', 0]
    assert paid[0]["amount_due"] == "4100.00"
    removed = [r for r in tables["rent.historicaltenant"] if r["history_type"] == "-"]
    assert [r["id"] for r in removed] == [{"gone": gone_id}]


def test_the_restore_maps_the_history_to_the_new_rows(tmp_path):
    kassor = make_treasurer()
    adam = make_tenant("Adam")
    row = make_ledger_row(adam, rent_month=date(2025, 10, 1))
    row.amount_due, row._history_user, row._change_reason = Decimal("7145"), kassor, "Rättad"
    row.save()
    gone = make_tenant("Borta")
    gone_id = gone.pk
    gone.delete()
    write_history(tmp_path, write)
    old_history_ids = sorted(RentLedger.history.values_list("history_id", flat=True))

    # The restore made the rows again, with other ids (and its own history, replaced).
    RentLedger.objects.all().delete()
    Tenant.objects.all().delete()
    User.objects.all().delete()
    make_tenant("Spacer").delete()
    adam = make_tenant("Adam")
    kassor = make_treasurer()
    row = make_ledger_row(adam, rent_month=date(2025, 10, 1), amount_due=Decimal("7145"))

    assert restore_history(tmp_path) > 0
    assert sorted(RentLedger.history.values_list("history_id", flat=True)) == old_history_ids
    records = list(row.history.order_by("history_date"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert records[1].history_user == kassor and records[1].history_change_reason == "Rättad"
    assert records[1].tenant_id == adam.pk
    assert Tenant.history.filter(id=-gone_id, history_type="-").exists()
    assert adam.pk != gone_id and not Tenant.history.filter(id=gone_id).exists()


def test_a_backup_without_history_keeps_the_restores_own(tmp_path):
    make_tenant("Adam")
    assert restore_history(tmp_path) == 0
    assert Tenant.history.count() == 1


def test_history_naming_a_row_that_was_not_restored_is_an_error(tmp_path):
    make_tenant("Adam")
    write_history(tmp_path, write)
    Tenant.objects.all().delete()
    with pytest.raises(HistoryBackupError, match="rent.tenant") as refused:
        restore_history(tmp_path)
    assert refused.value.code == "history_key_not_restored"


def test_a_model_the_backup_cannot_name_is_an_error():
    with pytest.raises(HistoryBackupError) as refused:
        _keys(Allocation)
    assert (refused.value.code, refused.value.params) == (
        "history_no_natural_key",
        {"model": "rent.allocation"},
    )


def test_every_history_table_has_natural_keys_for_what_it_names():
    for model in history_backup.historical_models():
        for target in history_backup._pointers(model).values():
            assert target._meta.label_lower in history_backup.NATURAL_KEYS, (model, target)
