"""The admin's change lists run a fixed number of queries, however many rows they show."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rent.models import CoOwnedItem, RentCalculation, RentConfig, RentLedger, Tenant
from tests.admin_helpers import R, client_for
from tests.people import make_treasurer

# The household, the treasurer and a member (tests/admin_helpers.py).
pytest_plugins = ["tests.admin_helpers"]

pytestmark = pytest.mark.django_db


def make_rows(model_name: str, count: int) -> None:
    tenants = Tenant.objects.bulk_create(
        [Tenant(name=f"Person {model_name} {count} {i}") for i in range(max(count // 10, 3))]
    )
    if model_name == "tenant":
        Tenant.objects.bulk_create(
            [Tenant(name=f"Extra {i}", start_date=date(2025, 1, 1)) for i in range(count)]
        )
    elif model_name == "rentconfig":
        keys = ["kallhyra", "el", "bredband", "gas", "va"]
        RentConfig.objects.bulk_create(
            [
                RentConfig(
                    key=keys[i % 5],
                    period=date(2000 + i // 60, (i // 5) % 12 + 1, 1),
                    value=Decimal(i),
                )
                for i in range(count)
            ]
        )
    elif model_name == "rentledger":
        RentLedger.objects.bulk_create(
            [
                RentLedger(
                    tenant=tenants[i % len(tenants)],
                    rent_month=date(
                        2000 + (i // len(tenants)) // 12, (i // len(tenants)) % 12 + 1, 1
                    ),
                    amount_due=Decimal("7045"),
                    amount_paid=Decimal(i % 2 * 7045),
                )
                for i in range(count)
            ]
        )
    elif model_name == "rentcalculation":
        RentCalculation.objects.bulk_create(
            [
                RentCalculation(
                    config_month=date(2000 + i // 12, i % 12 + 1, 1),
                    version=1,
                    calculated_at=timezone.now(),
                    results={"A": 7045, "B": 7045},
                )
                for i in range(count)
            ]
        )
    elif model_name == "coowneditem":
        items = CoOwnedItem.objects.bulk_create(
            [CoOwnedItem(name=f"Item {i}", value=Decimal(1000)) for i in range(count)]
        )
        through = CoOwnedItem.owners.through
        through.objects.bulk_create(
            [
                through(coowneditem=item, tenant=tenants[i % len(tenants)])
                for i, item in enumerate(items)
            ]
        )


def count_changelist_queries(client, model_name, query=""):
    """(queries, rows on the page) of one change list."""
    url = reverse(f"admin:rent_{model_name}_changelist") + query
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


MODELS = ["tenant", "rentconfig", "rentledger", "rentcalculation", "coowneditem"]


@pytest.mark.parametrize("model_name", MODELS)
def test_change_lists_run_the_same_number_of_queries_for_10_and_500_rows(
    client, django_user_model, model_name, monkeypatch
):
    # All 500 rows on one page, so that a query per row would show.
    model = {m._meta.model_name: m for m in (Tenant, RentConfig, RentLedger, RentCalculation)}
    model["coowneditem"] = CoOwnedItem
    monkeypatch.setattr(admin.site._registry[model[model_name]], "list_per_page", 1000)
    user = make_treasurer()
    client_for(client, user)
    counts = []
    for size in (10, 500):
        RentLedger.objects.all().delete()
        CoOwnedItem.objects.all().delete()
        RentConfig.objects.all().delete()
        RentCalculation.objects.all().delete()
        Tenant.objects.all().delete()
        make_rows(model_name, size)
        # Warm the session and the caches (the roles are kept under the data version, which
        # the rows just written changed).
        count_changelist_queries(client, model_name)
        queries, rows_shown = count_changelist_queries(client, model_name)
        assert rows_shown == model[model_name].objects.count() >= size
        counts.append(queries)
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("model_name", ["tenant", "rentledger"])
def test_filtered_change_lists_also_run_a_fixed_number_of_queries(client, model_name):
    client_for(client, make_treasurer())
    query = {"tenant": "?status=living_here", "rentledger": "?payment=unpaid"}[model_name]
    counts = []
    for size in (10, 60):
        RentLedger.objects.all().delete()
        Tenant.objects.all().delete()
        make_rows(model_name, size)
        if model_name == "tenant":
            tenants = list(Tenant.objects.all())
            RentLedger.objects.bulk_create(
                [RentLedger(tenant=t, rent_month=R, amount_due=Decimal(7045)) for t in tenants]
            )
        count_changelist_queries(client, model_name, query)
        queries, rows_shown = count_changelist_queries(client, model_name, query)
        assert rows_shown >= size // 2
        counts.append(queries)
    assert counts[0] == counts[1], counts


def test_the_quick_row_checkbox_is_djangos_own(client):
    """QuickActionCheckboxMixin draws the same checkbox as Django's widget, in every list."""
    tenant = Tenant.objects.create(name="Adam <b>")
    row = RentLedger.objects.create(tenant=tenant, rent_month=R, amount_due=Decimal(7045))
    for model, obj in ((RentLedger, row), (Tenant, tenant)):
        model_admin = admin.site._registry[model]
        assert model_admin.action_checkbox(obj) == admin.ModelAdmin.action_checkbox(
            model_admin, obj
        )
        assert "&lt;b&gt;" in model_admin.action_checkbox(obj)


def test_a_kept_list_read_again_counts_its_rows_but_reads_none(client):
    """KeptListMixin: the table drawn is kept, so a page read again asks for the number of rows
    (the paginator, the "0 of 50 selected" note), never for the rows themselves."""
    client_for(client, make_treasurer())
    make_rows("rentledger", 120)
    url = reverse("admin:rent_rentledger_changelist")
    for page in (1, 3):
        client.get(f"{url}?p={page}")
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"{url}?p={page}").content.decode()
        assert not [q for q in queries if q["sql"].startswith('SELECT "rent_rentledger"."id"')]
        assert f'data-actions-icnt="{50 if page == 1 else 20}"' in html
        assert html.count('<tr><td class="action-checkbox">') == (50 if page == 1 else 20)
