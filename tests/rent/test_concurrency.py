"""Concurrent writers on the rent tables, with real parallel connections on PostgreSQL:

- marking paid twice at once changes the row once (and the second is told);
- two ledger forms saved at once, or a stale one: one change wins, the other is refused;
- two `import_rent` at once: the second stops with a clear message, never duplicate rows;
- two treasurers saving one month's bills: both succeed in order, no duplicates, no error.

Stale forms (no parallelism needed) also run on SQLite.
"""

import io
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import translation

from household.locks import held_lock
from household.optimistic import version_of
from rent.admin.forms import LedgerRowForm
from rent.ledger.month_costs import save_month_costs
from rent.ledger.payments import mark_paid_in_full
from rent.management.commands.import_rent import Command as ImportRent
from rent.models import RentConfig, RentLedger
from tests.builders import make_ledger_row, make_tenant
from tests.people import make_treasurer

POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row and advisory locks need PostgreSQL"
)
DEMO = Path(__file__).resolve().parents[2] / "fixtures"
HOLD_SECONDS = 0.5  # long enough for the other thread to reach its lock and wait


def in_parallel(*functions, hold_first=False):
    """Run each function in its own thread and database connection, started together (or the
    first holding its transaction open while the others run). Returns results, errors."""
    results, errors = [None] * len(functions), [None] * len(functions)
    start = threading.Barrier(len(functions))
    first_done = threading.Event()

    def run(index, function):
        try:
            start.wait(10)
            if hold_first and index > 0:
                first_done.wait(10)
            if hold_first and index == 0:
                with transaction.atomic():
                    results[index] = function()
                    first_done.set()
                    threading.Event().wait(HOLD_SECONDS)
            else:
                results[index] = function()
        except Exception as error:  # noqa: BLE001 - returned to the test
            errors[index] = error
            first_done.set()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results, errors


def ledger_form_data(row, amount_paid, version):
    return {
        "tenant": row.tenant_id,
        "rent_month": row.rent_month.isoformat(),
        "amount_due": str(row.amount_due),
        "amount_paid": amount_paid,
        "paid_on": "2025-09-20",
        "days_stayed": "",
        "room_adjustment": "",
        "calculation": "",
        "loaded_version": version,
    }


def save_ledger_form(row_pk, amount_paid, version):
    """What the admin's change form does: validate and save inside one transaction (in Swedish,
    as a request would: a thread of its own starts in no language)."""
    with translation.override("sv"), transaction.atomic():
        row = RentLedger.objects.get(pk=row_pk)
        form = LedgerRowForm(ledger_form_data(row, amount_paid, version), instance=row)
        if not form.is_valid():
            return form.non_field_errors()
        form.save()
        return "saved"


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_marking_paid_twice_at_once_changes_the_row_once():
    row = make_ledger_row(make_tenant("Adam"), amount_due=Decimal("2726.00"))

    def mark():
        return mark_paid_in_full(rows=RentLedger.objects.filter(pk=row.pk), on=date(2025, 9, 20))

    (first, second), errors = in_parallel(mark, mark, hold_first=True)
    assert errors == [None, None]
    assert (first, second) == (1, 0)  # the first holds the row; the second finds it paid
    assert row.history.filter(history_type="~").count() == 1
    row.refresh_from_db()
    assert row.amount_paid == Decimal("2726.00")


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_two_ledger_forms_saved_at_once_one_wins_the_other_is_told():
    row = make_ledger_row(make_tenant("Adam"), amount_due=Decimal("2726.00"))
    version = version_of(row)
    (first, second), errors = in_parallel(
        lambda: save_ledger_form(row.pk, "2726.00", version),
        lambda: save_ledger_form(row.pk, "500.00", version),
        hold_first=True,
    )
    assert errors == [None, None]
    assert first == "saved"
    assert "Någon annan ändrade raden efter att du öppnade den" in str(second)
    row.refresh_from_db()
    assert row.amount_paid == Decimal("2726.00")
    assert row.history.filter(history_type="~").count() == 1


@pytest.mark.django_db
def test_a_stale_change_form_never_overwrites_a_newer_payment(client):
    row = make_ledger_row(make_tenant("Adam"), amount_due=Decimal("2726.00"))
    client.force_login(make_treasurer())
    url = reverse("admin:rent_rentledger_change", args=[row.pk])
    page = client.get(url).content.decode()
    version = version_of(row)
    assert f'name="loaded_version" value="{version}"' in page
    mark_paid_in_full(rows=RentLedger.objects.filter(pk=row.pk), on=date(2025, 9, 20))
    response = client.post(url, {**ledger_form_data(row, "500.00", version), "_save": "Spara"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Någon annan ändrade raden" in html
    row.refresh_from_db()
    assert row.amount_paid == Decimal("2726.00")
    # The form now carries the row's new version: saving again is a deliberate choice.
    assert f'name="loaded_version" value="{version_of(row)}"' in html


@pytest.mark.django_db
def test_marking_rows_already_paid_says_so(client):
    row = make_ledger_row(make_tenant("Adam"), amount_due=Decimal("2726.00"))
    mark_paid_in_full(rows=RentLedger.objects.filter(pk=row.pk), on=date(2025, 9, 20))
    client.force_login(make_treasurer())
    response = client.post(
        reverse("admin:rent_rentledger_changelist"),
        {"action": "paid_in_full_today", "_selected_action": [str(row.pk)]},
        follow=True,
    )
    html = response.content.decode()
    assert "1 av de valda raderna var redan betalda i sin helhet" in html
    assert row.history.filter(history_type="~").count() == 1


def ledger_snapshot():
    return sorted(RentLedger.objects.values_list("tenant__name", "rent_month", "amount_due"))


def import_demo():
    call_command(
        "import_rent",
        str(DEMO / "rent_history"),
        str(DEMO / "household_export.json"),
        stdout=io.StringIO(),
    )


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_two_import_rent_at_once_the_second_stops_and_no_row_is_doubled(monkeypatch):
    """The first import holds the lock and waits, mid-import, until the second has tried:
    the second is refused, the first imports, and a run alone afterwards changes nothing."""
    first_holds, second_done = threading.Event(), threading.Event()
    importing = ImportRent.import_paths

    def import_paths_once_the_second_has_tried(self, *args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            first_holds.set()
            second_done.wait(30)
        return importing(self, *args, **kwargs)

    monkeypatch.setattr(ImportRent, "import_paths", import_paths_once_the_second_has_tried)
    errors = []

    def first():
        try:
            import_demo()
        except Exception as error:  # noqa: BLE001 - returned to the test
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert first_holds.wait(30)
        with pytest.raises(CommandError, match="another import_rent is running"):
            import_demo()
    finally:
        second_done.set()
        thread.join(60)
    assert errors == []
    after_both = ledger_snapshot()
    assert len(after_both) == len(set(after_both)) > 0
    import_demo()  # once more, alone: changes nothing
    assert ledger_snapshot() == after_both


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_an_import_while_another_holds_the_lock_stops_with_a_clear_message():
    holding, release = threading.Event(), threading.Event()

    def hold():
        with held_lock("import_rent", wait=False) as acquired:
            assert acquired
            holding.set()
            release.wait(10)
        connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(10)
    try:
        with pytest.raises(CommandError, match="another import_rent is running"):
            call_command("import_rent", str(DEMO / "rent_history"))
    finally:
        release.set()
        thread.join(10)
    assert not RentLedger.objects.exists()


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_two_treasurers_saving_one_months_bills_both_succeed_in_order():
    month = date(2025, 9, 1)

    def save(el):
        return save_month_costs(
            config_month=month, values={"el": Decimal(el), "gas": Decimal("550")}
        )

    (first, second), errors = in_parallel(
        lambda: save("2424"), lambda: save("2500"), hold_first=True
    )
    assert errors == [None, None]
    assert sorted(first.created) == ["el", "gas"]
    assert second.updated == ["el"] and second.created == []
    rows = list(RentConfig.objects.filter(period=month).values_list("key", "value"))
    assert sorted(rows) == [("el", Decimal("2500.00")), ("gas", Decimal("550.00"))]
