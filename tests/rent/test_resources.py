"""Import and export in the admin: round trips change nothing, errors show before anything is
written, Swedish decimal commas are read, and only importers see the import button."""

from datetime import date
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.urls import reverse

import rent.ledger.payments
from rent.admin import HouseAdmin, RentLedgerAdmin
from rent.admin.resources import (
    CoOwnedItemResource,
    MonthWidget,
    RentConfigResource,
    RentLedgerResource,
    TenantResource,
)
from rent.formatting import parse_amount
from rent.models import CoOwnedItem, Payment, RentConfig, RentLedger, Room, Tenant
from rent.versioning import data_version
from tests.builders import make_item, make_ledger_row, make_login, make_tenant, set_config
from tests.people import make_treasurer

pytestmark = pytest.mark.django_db

RESOURCES = [TenantResource, RentConfigResource, RentLedgerResource, CoOwnedItemResource]


@pytest.fixture
def household():
    adam = make_tenant("Adam", email="adam@example.com", start_date=date(2024, 3, 1))
    bea = make_tenant("Bea", room_adjustment=Decimal("-1400"), legacy_id="cmcp56en7000")
    set_config("kallhyra", 24530, date(2024, 1, 1))
    set_config("el", Decimal("2424.50"), date(2025, 9, 1))
    make_ledger_row(adam, date(2025, 10, 1), amount_due=Decimal("7045"))
    make_ledger_row(
        bea,
        date(2025, 10, 1),
        amount_due=Decimal("5645"),
        amount_paid=Decimal("5645"),
        paid_on=date(2025, 9, 25),
        days_stayed=Decimal("15.5"),
    )
    make_item("Soffa", value=Decimal("3000"), owners=[adam, bea], purchase_date=date(2024, 5, 1))
    make_item("Dammsugare", value=Decimal("1999.90"), owners=[])


def snapshot():
    """Every row, with timestamps and history, so "nothing changed" means exactly that."""
    return {
        model.__name__: (
            list(model.objects.order_by("pk").values()),
            model.history.count(),
        )
        for model in (Tenant, RentConfig, RentLedger, CoOwnedItem)
    } | {"owners": sorted(CoOwnedItem.owners.through.objects.values_list("pk", "tenant_id"))}


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("resource_class", RESOURCES)
def test_exporting_and_importing_again_changes_nothing(household, resource_class, file_format):
    before = snapshot()
    exported = resource_class().export()
    data = getattr(exported, file_format)
    dataset = tablib.Dataset().load(data, format=file_format)
    result = resource_class().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == len(dataset) > 0
    assert snapshot() == before


def test_a_file_with_swedish_decimal_commas_and_names_imports(household):
    dataset = tablib.Dataset(headers=["rent_month", "tenant", "amount_due", "amount_paid"])
    dataset.append(["2025-11", "adam", "7 045,50", ""])
    dataset.append(["2025-11-01", "BEA", "5645", "1 000,25"])
    result = RentLedgerResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert result.totals["new"] == 2
    rows = {
        row.tenant.name: (row.amount_due, row.amount_paid)
        for row in RentLedger.objects.filter(rent_month=date(2025, 11, 1))
    }
    assert rows == {
        "Adam": (Decimal("7045.50"), Decimal("0")),
        "Bea": (Decimal("5645"), Decimal("1000.25")),
    }


def test_items_reference_their_owners_by_name(household):
    dataset = tablib.Dataset(headers=["id", "name", "value", "owners"])
    dataset.append(["", "Grill", "1 200,00", "adam, Bea"])
    CoOwnedItemResource().import_data(dataset, dry_run=False, raise_errors=True)
    grill = CoOwnedItem.objects.get(name="Grill")
    assert grill.value == Decimal("1200")
    assert sorted(owner.name for owner in grill.owners.all()) == ["Adam", "Bea"]


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (["2025-11", "Nobody", "7045", "0"], "tenant"),
        (["2025-11-15", "Adam", "7045", "0"], "rent_month"),
        (["2025-13", "Adam", "7045", "0"], "rent_month"),
        (["2025-11", "Adam", "sjutusen", "0"], "amount_due"),
    ],
)
def test_bad_rows_are_reported_per_row_and_column_and_nothing_is_written(household, row, column):
    before = snapshot()
    dataset = tablib.Dataset(headers=["rent_month", "tenant", "amount_due", "amount_paid"])
    dataset.append(["2025-11", "Adam", "7045", "0"])
    dataset.append(row)
    result = RentLedgerResource().import_data(
        dataset, dry_run=False, rollback_on_validation_errors=True
    )
    assert result.has_validation_errors()
    invalid = result.invalid_rows
    assert [invalid_row.number for invalid_row in invalid] == [2]
    assert column in invalid[0].field_specific_errors
    assert snapshot() == before


def test_an_amount_that_is_not_one_is_reported_in_swedish(household):
    dataset = tablib.Dataset(headers=["rent_month", "tenant", "amount_due", "amount_paid"])
    dataset.append(["2025-11", "Adam", "sjutusen", "0"])
    result = RentLedgerResource().import_data(dataset, dry_run=True)
    errors = result.invalid_rows[0].field_specific_errors["amount_due"]
    assert errors == ["Inte ett belopp: sjutusen"]


def test_a_negative_amount_is_refused_by_the_model_rules(household):
    dataset = tablib.Dataset(headers=["period", "key", "value"])
    dataset.append(["2025-10", "no_such_key", "100"])
    result = RentConfigResource().import_data(dataset, dry_run=True)
    assert result.has_validation_errors()
    assert "key" in result.invalid_rows[0].field_specific_errors


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1 234,50", Decimal("1234.50")),
        ("1234.50", Decimal("1234.50")),
        ("1.234,50", Decimal("1234.50")),
        ("1,234.50", Decimal("1234.50")),
        ("-1400", Decimal("-1400")),
        ("\u22121 400", Decimal("-1400")),
        ("7\u00a0045 kr", Decimal("7045")),
        ("", None),
        (None, None),
    ],
)
def test_parse_amount(text, amount):
    assert parse_amount(text) == amount


def test_parse_amount_refuses_words():
    with pytest.raises(ValueError, match="abc"):
        parse_amount("abc")


def test_months_are_written_as_year_and_month():
    assert MonthWidget().render(date(2025, 9, 1)) == "2025-09"
    assert MonthWidget().clean("2025-09") == date(2025, 9, 1)
    with pytest.raises(ValueError, match="2025-09-02"):
        MonthWidget().clean("2025-09-02")


# In the admin --------------------------------------------------------------------------------


def upload(text: str, name="ledger.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def csv_format_index():
    return [f.__name__ for f in RentLedgerAdmin.formats].index("CSV")


def test_a_file_of_many_months_is_allocated_once_per_tenant_after_its_last_row(monkeypatch):
    """Allocating after every row made a file quadratic in a tenant's months."""
    adam, bea = make_tenant("Adam"), make_tenant("Bea")
    calls = []
    original = rent.ledger.payments.allocate
    monkeypatch.setattr(
        rent.ledger.payments, "allocate", lambda *a: calls.append(1) or original(*a)
    )
    lines = ["rent_month,tenant,amount_due,amount_paid"]
    for month in range(1, 13):
        lines.append(f"2025-{month:02},Adam,7045,{8045 if month == 1 else 7045}")
        lines.append(f"2025-{month:02},Bea,5645,0")
    dataset = tablib.Dataset().load("\n".join(lines), format="csv")
    before = data_version()
    result = RentLedgerResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert len(calls) == 2  # Adam and Bea, once each
    assert data_version() != before  # bumped by the import itself
    adam_rows = RentLedger.objects.filter(tenant=adam).order_by("rent_month")
    assert [row.amount_paid for row in adam_rows] == [Decimal("7045")] * 12
    assert Payment.objects.filter(tenant=adam).aggregate(total=Sum("amount"))["total"] == (
        7045 * 12 + 1000
    )  # the extra 1000 kr of January is credit
    assert not RentLedger.objects.filter(tenant=bea, amount_paid__gt=0).exists()


def test_the_admin_previews_an_import_with_row_errors_and_writes_nothing(client, household):
    client.force_login(make_treasurer())
    before = snapshot()
    response = client.post(
        reverse("admin:rent_rentledger_import"),
        {
            "format": str(csv_format_index()),
            "import_file": upload(
                "rent_month,tenant,amount_due,amount_paid\n"
                '2025-12,Adam,"7 045,00",0\n'
                "2025-12,Nobody,100,0\n"
            ),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nobody" in page
    assert response.context["result"].has_validation_errors()
    assert "confirm_form" not in response.context  # nothing to confirm
    assert snapshot() == before


def test_the_admin_previews_then_confirms_a_good_import(client, household):
    client.force_login(make_treasurer())
    preview = client.post(
        reverse("admin:rent_rentledger_import"),
        {
            "format": str(csv_format_index()),
            "import_file": upload(
                'rent_month,tenant,amount_due,amount_paid\n2025-12,Adam,"7 045,00",0\n'
            ),
        },
    )
    assert preview.status_code == 200
    assert not RentLedger.objects.filter(rent_month=date(2025, 12, 1)).exists()
    confirm = preview.context["confirm_form"]
    response = client.post(reverse("admin:rent_rentledger_process_import"), confirm.initial)
    assert response.status_code == 302
    assert RentLedger.objects.get(rent_month=date(2025, 12, 1)).amount_due == Decimal("7045")


@pytest.mark.parametrize("model_name", ["tenant", "rentconfig", "rentledger", "coowneditem"])
def test_only_users_with_the_import_permission_see_the_import_button(client, model_name):
    import_url = reverse(f"admin:rent_{model_name}_import")
    changelist = reverse(f"admin:rent_{model_name}_changelist")
    client.force_login(make_treasurer())
    assert import_url in client.get(changelist).content.decode()
    assert client.get(import_url).status_code == 200
    client.force_login(make_login("bea", role="Boende", tenant=make_tenant("Bea")))
    page = client.get(changelist).content.decode()
    assert import_url not in page
    assert reverse(f"admin:rent_{model_name}_export") in page
    assert client.get(import_url).status_code == 403


@pytest.mark.parametrize("model_name", ["tenant", "rentconfig", "rentledger", "coowneditem"])
def test_an_exported_file_imported_through_the_admin_changes_nothing(client, household, model_name):
    resource_class = {
        "tenant": TenantResource,
        "rentconfig": RentConfigResource,
        "rentledger": RentLedgerResource,
        "coowneditem": CoOwnedItemResource,
    }[model_name]
    client.force_login(make_treasurer())
    before = snapshot()
    exported = resource_class().export().csv
    csv_index = [f.__name__ for f in HouseAdmin.formats].index("CSV")
    preview = client.post(
        reverse(f"admin:rent_{model_name}_import"),
        {"format": str(csv_index), "import_file": upload(exported, f"{model_name}.csv")},
    )
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == len(result.rows) > 0
    confirm = preview.context["confirm_form"]
    response = client.post(reverse(f"admin:rent_{model_name}_process_import"), confirm.initial)
    assert response.status_code == 302
    assert snapshot() == before


def test_the_admins_tenant_export_never_carries_a_personnummer(household):
    make_tenant("Nils", personnummer="19880320-0016", phone="+46701234567")
    exported = TenantResource().export()
    for file_format in ("csv", "json"):
        text = getattr(exported, file_format)
        assert "880320-0016" not in text and "personnummer" not in text, file_format


STAY = {
    "phone": "+46701234567",
    "interested_on": date(2025, 5, 2),
    "signed_on": date(2025, 6, 1),
    "notice_given_on": date(2026, 1, 31),
    "deposit": Decimal("12000"),
    "deposit_paid_on": date(2025, 6, 3),
    "deposit_returned": Decimal("11500.50"),
    "deposit_returned_on": date(2026, 5, 2),
    "furnishing_deposit": Decimal("2000"),
    "furnishing_deposit_paid_on": date(2025, 6, 3),
    "furnishing_deposit_returned": Decimal("2000"),
    "furnishing_deposit_returned_on": date(2026, 5, 2),
}


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_a_tenants_stay_goes_out_and_comes_back_with_the_export(household, file_format):
    """Phone, room, the stay's dates and both deposits (migration 0008) are columns of the
    tenant export: a tenant whose stay was lost gets it back from the file."""
    room = Room.objects.create(name="Lilla rummet", adjustment=Decimal("-1400"))
    make_tenant(
        "Nils",
        start_date=date(2025, 6, 15),
        departure_date=date(2026, 4, 30),
        room=room,
        room_adjustment=Decimal("-1400"),
        **STAY,
    )
    exported = getattr(TenantResource().export(), file_format)
    empty = dict.fromkeys(STAY, None) | {"phone": ""}
    Tenant.objects.filter(name="Nils").update(room=None, **empty)
    dataset = tablib.Dataset().load(exported, format=file_format)
    result = TenantResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()
    nils = Tenant.objects.get(name="Nils")
    assert nils.room == room
    assert {name: getattr(nils, name) for name in STAY} == STAY
    assert result.totals["update"] == 1  # the others are unchanged


def test_a_room_that_does_not_exist_is_reported_and_nothing_is_written(household):
    dataset = tablib.Dataset(headers=["name", "room"])
    dataset.append(["Adam", "Vinden"])
    result = TenantResource().import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    error = result.invalid_rows[0].field_specific_errors["room"][0]
    assert "Vinden" in str(error)
    assert Tenant.objects.get(name="Adam").room is None
