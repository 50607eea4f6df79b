"""The admin as the household's workplace: every page for every role, the two month pages,
payments, items, history, and change lists whose query count does not grow with the rows."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rent.models import (
    CoOwnedItem,
    RentCalculation,
    RentConfig,
    RentLedger,
    Tenant,
)
from tests.admin_helpers import (
    MONTH,
    C,
    R,
    client_for,
    make_household,
    make_member,
    make_treasurer,
)
from tests.builders import (
    make_item,
    make_ledger_row,
    make_login,
    make_tenant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def household():
    return make_household()


@pytest.fixture
def treasurer():
    return make_treasurer()


@pytest.fixture
def member(household):
    return make_member(household)


def snapshot():
    """Every rent row, to show that a refused request changed nothing."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Tenant, RentConfig, RentCalculation, RentLedger, CoOwnedItem)
    }


def view_urls(household):
    adam = household["adam"]
    row = make_ledger_row(adam, R)
    item = make_item("Soffa", owners=[adam])
    calculation = RentCalculation.objects.create(
        config_month=date(2025, 8, 1), version=1, calculated_at=timezone.now(), results={"A": 1}
    )
    config = RentConfig.objects.get(key="el", period=C)
    return [
        reverse("admin:index"),
        reverse("admin:app_list", args=["rent"]),
        reverse("admin:rent_tenant_changelist"),
        reverse("admin:rent_tenant_change", args=[adam.pk]),
        reverse("admin:rent_tenant_history", args=[adam.pk]),
        reverse("admin:rent_rentconfig_changelist"),
        reverse("admin:rent_rentconfig_change", args=[config.pk]),
        reverse("admin:rent_rentconfig_history", args=[config.pk]),
        reverse("admin:rent_rentledger_changelist"),
        reverse("admin:rent_rentledger_changelist") + "?payment=overdue",
        reverse("admin:rent_rentledger_change", args=[row.pk]),
        reverse("admin:rent_rentledger_history", args=[row.pk]),
        reverse("admin:rent_rentcalculation_changelist"),
        reverse("admin:rent_rentcalculation_change", args=[calculation.pk]),
        reverse("admin:rent_coowneditem_changelist"),
        reverse("admin:rent_coowneditem_change", args=[item.pk]),
        reverse("admin:rent_coowneditem_history", args=[item.pk]),
        reverse("admin:rent_month_costs", kwargs={"month": MONTH}),
        reverse("admin:rent_month_rent", kwargs={"month": MONTH}),
        reverse("admin:rent_tenant_export"),
    ]


def change_requests(household):
    """(method, url, data) for every kind of change a member must not make."""
    adam = household["adam"]
    row = make_ledger_row(adam, date(2025, 11, 1))
    item = make_item("Dammsugare")
    config = RentConfig.objects.get(key="el", period=C)
    return [
        ("get", reverse("admin:rent_tenant_add"), {}),
        ("post", reverse("admin:rent_tenant_change", args=[adam.pk]), {"name": "X"}),
        ("post", reverse("admin:rent_tenant_delete", args=[adam.pk]), {"post": "yes"}),
        ("get", reverse("admin:rent_rentconfig_add"), {}),
        ("post", reverse("admin:rent_rentconfig_change", args=[config.pk]), {"value": "1"}),
        ("get", reverse("admin:rent_rentledger_add"), {}),
        ("post", reverse("admin:rent_rentledger_change", args=[row.pk]), {"amount_paid": "1"}),
        ("get", reverse("admin:rent_coowneditem_add"), {}),
        ("post", reverse("admin:rent_coowneditem_change", args=[item.pk]), {"name": "X"}),
        ("post", reverse("admin:rent_month_costs", kwargs={"month": MONTH}), {"el": "1"}),
        ("post", reverse("admin:rent_month_rent", kwargs={"month": MONTH}), {"save": "1"}),
        ("get", reverse("admin:rent_tenant_import"), {}),
        ("post", reverse("admin:rent_rentconfig_delete", args=[config.pk]), {"post": "yes"}),
        ("post", reverse("admin:rent_rentledger_delete", args=[row.pk]), {"post": "yes"}),
        ("post", reverse("admin:rent_coowneditem_delete", args=[item.pk]), {"post": "yes"}),
        ("get", reverse("admin:rent_rentcalculation_add"), {}),
        (
            "post",
            reverse("admin:rent_rentledger_changelist"),
            {
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "1",
                "form-0-id": str(row.pk),
                "form-0-amount_paid": "7045",
                "form-0-paid_on": "2025-09-25",
                "_save": "Spara",
            },
        ),
        (
            "post",
            reverse("admin:rent_rentledger_process_import"),
            {"import_file_name": "x.csv", "original_file_name": "x.csv", "format": "0"},
        ),
        ("get", reverse("admin:rent_coowneditem_import"), {}),
    ]


# Roles ---------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_from_every_page(client, household):
    for url in view_urls(household):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_anonymous_changes_go_to_the_login_and_change_nothing(client, household):
    requests = change_requests(household)
    before = snapshot()
    for method, url, data in requests:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("admin:login")), (method, url)
    assert snapshot() == before


def test_the_treasurer_opens_every_page_for_changes(client, household, treasurer):
    client_for(client, treasurer)
    adam = household["adam"]
    config = RentConfig.objects.get(key="el", period=C)
    row = make_ledger_row(adam, R)
    item = make_item("Soffa", owners=[adam])
    for model_name in ["tenant", "rentconfig", "rentledger", "coowneditem"]:
        for name in ["add", "import", "export"]:
            url = reverse(f"admin:rent_{model_name}_{name}")
            assert client.get(url).status_code == 200, url
    for model_name, pk in [
        ("tenant", adam.pk),
        ("rentconfig", config.pk),
        ("rentledger", row.pk),
        ("coowneditem", item.pk),
    ]:
        page = client.get(reverse(f"admin:rent_{model_name}_change", args=[pk])).content.decode()
        assert 'name="_save"' in page, model_name
        assert client.get(reverse(f"admin:rent_{model_name}_delete", args=[pk])).status_code == 200
    rent_page = client.get(reverse("admin:rent_month_rent", kwargs={"month": MONTH}))
    assert 'id="save-month"' in rent_page.content.decode()
    costs_page = client.get(reverse("admin:rent_month_costs", kwargs={"month": MONTH}))
    assert 'name="el"' in costs_page.content.decode()


@pytest.mark.parametrize("role", ["treasurer", "member", "superuser"])
def test_every_admin_page_opens_for_each_role(client, household, role, django_user_model):
    user = {
        "treasurer": lambda: make_login("kassor", role="Kassör"),
        "member": lambda: make_login("bea", role="Boende", tenant=household["bea"]),
        "superuser": lambda: django_user_model.objects.create_superuser("root", "", "pw"),
    }[role]()
    client_for(client, user)
    for url in view_urls(household):
        assert client.get(url).status_code == 200, url


def test_a_member_can_view_but_gets_403_on_every_change(client, household, member):
    client_for(client, member)
    requests = change_requests(household)
    before = snapshot()
    for method, url, data in requests:
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
    assert snapshot() == before


def test_a_member_sees_no_buttons_for_changes(client, household, member):
    client_for(client, member)
    page = client.get(reverse("admin:rent_rentledger_changelist")).content.decode()
    assert "paid_in_full_today" not in page
    assert reverse("admin:rent_rentledger_add") not in page
    assert reverse("admin:rent_rentledger_import") not in page
    rent_page = client.get(reverse("admin:rent_month_rent", kwargs={"month": MONTH}))
    assert 'id="save-month"' not in rent_page.content.decode()
    assert "Adam" in rent_page.content.decode()


def test_a_member_may_change_their_own_email_and_nothing_else(client, household, member):
    bea = household["bea"]
    client_for(client, member)
    url = reverse("admin:rent_tenant_change", args=[bea.pk])
    page = client.get(url).content.decode()
    assert 'name="email"' in page
    assert 'name="name"' not in page
    assert 'name="room_adjustment"' not in page
    data = {
        "email": "bea@example.com",
        "name": "Hacked",
        "room_adjustment": "5000",
        "ledger_rows-TOTAL_FORMS": "0",
        "ledger_rows-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    bea.refresh_from_db()
    assert (bea.email, bea.name, bea.room_adjustment) == ("bea@example.com", "Bea", -1400)
    assert bea.history.first().history_user == member


def test_the_treasurer_changes_a_tenant_and_the_history_shows_who_and_what(
    client, household, treasurer
):
    adam = household["adam"]
    client_for(client, treasurer)
    url = reverse("admin:rent_tenant_change", args=[adam.pk])
    data = {
        "name": "Adam",
        "email": "adam@example.com",
        "start_date": "",
        "departure_date": "2025-12-31",
        "room_adjustment": "0",
        "legacy_id": "",
        "user": "",
        "ledger_rows-TOTAL_FORMS": "0",
        "ledger_rows-INITIAL_FORMS": "0",
    }
    assert client.post(url, data).status_code == 302
    latest, earlier = adam.history.all()[:2]
    assert latest.history_user == treasurer
    delta = latest.diff_against(earlier)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("departure_date", None, date(2025, 12, 31))
    ]
    history_page = client.get(reverse("admin:rent_tenant_history", args=[adam.pk]))
    assert "kassor" in history_page.content.decode()


@pytest.mark.parametrize(
    ("model_name", "field", "new_value", "old_text", "new_text"),
    [
        ("tenant", "room_adjustment", Decimal("-1400"), "0 kr", "-1 400 kr"),
        ("rentconfig", "value", Decimal("2500.50"), "2 424 kr", "2 500,50 kr"),
        ("rentledger", "amount_paid", Decimal("7045"), "0 kr", "7 045 kr"),
        ("rentledger", "days_stayed", Decimal("15.5"), "–", "15.50"),  # days are no kronor
        ("coowneditem", "value", Decimal("2000"), "3 000 kr", "2 000 kr"),
    ],
)
def test_each_objects_history_shows_who_when_and_old_and_new(
    client, household, treasurer, model_name, field, new_value, old_text, new_text
):
    obj = {
        "tenant": lambda: household["adam"],
        "rentconfig": lambda: RentConfig.objects.get(key="el", period=C),
        "rentledger": lambda: make_ledger_row(household["adam"], R, amount_due=Decimal("7045")),
        "coowneditem": lambda: make_item("Soffa", value=Decimal("3000")),
    }[model_name]()
    obj._history_user = treasurer
    setattr(obj, field, new_value)
    obj.save()
    client_for(client, treasurer)
    change_page = client.get(reverse(f"admin:rent_{model_name}_change", args=[obj.pk]))
    history_url = reverse(f"admin:rent_{model_name}_history", args=[obj.pk])
    assert history_url in change_page.content.decode()
    page = client.get(history_url).content.decode()
    latest = obj.history.first()
    assert latest.history_user == treasurer
    assert f'<td class="history-user">{treasurer.username}</td>' in page
    assert "Ändrad av" in page and "Ändringar (före → efter)" in page
    version_url = reverse(f"admin:rent_{model_name}_simple_history", args=[obj.pk, latest.pk])
    assert version_url in page
    assert f"{timezone.localtime(latest.history_date):%Y}" in page
    label = str(type(obj)._meta.get_field(field).verbose_name)
    change = (
        rf"<strong>{re.escape(label)}:</strong>\s*{re.escape(old_text)}\s*&nbsp;&rarr;&nbsp;&nbsp;"
    )
    assert re.search(change + re.escape(new_text), page, re.IGNORECASE), page


def test_a_member_reads_the_history_without_links_to_go_back(client, household, member):
    adam = household["adam"]
    adam.departure_date = date(2025, 12, 31)
    adam.save()
    version = adam.history.first()
    simple_history_url = reverse("admin:rent_tenant_simple_history", args=[adam.pk, version.pk])
    client_for(client, member)
    page = client.get(reverse("admin:rent_tenant_history", args=[adam.pk])).content.decode()
    assert re.search(r"<strong>Har flyttat:</strong>\s*–&nbsp;&rarr;&nbsp;&nbsp;2025-12-31", page)
    assert simple_history_url not in page
    assert "gå tillbaka" not in page


def test_calculations_are_read_only_even_for_the_treasurer(client, treasurer):
    calculation = RentCalculation.objects.create(
        config_month=C, version=1, calculated_at=timezone.now(), results={"Adam": 7045}
    )
    client_for(client, treasurer)
    assert client.get(reverse("admin:rent_rentcalculation_add")).status_code == 403
    change_url = reverse("admin:rent_rentcalculation_change", args=[calculation.pk])
    assert client.post(change_url, {"title": "edited"}).status_code == 403
    delete_url = reverse("admin:rent_rentcalculation_delete", args=[calculation.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    calculation.refresh_from_db()
    assert calculation.title == ""
    listing = client.get(reverse("admin:rent_rentcalculation_changelist")).content.decode()
    assert "7 045 kr" in listing


def test_a_calculation_shows_its_roommates_in_the_splits_order(client, treasurer):
    # jsonb (PostgreSQL) keeps shorter keys first: Bo before Maja, unless shown in order.
    calculation = RentCalculation.objects.create(
        config_month=C,
        version=1,
        calculated_at=timezone.now(),
        inputs={"roommates": {"Maja": {}, "Bo": {}}, "roommate_order": ["Maja", "Bo"]},
        results={"Maja": 9591, "Bo": 9592},
    )
    client_for(client, treasurer)
    page = client.get(reverse("admin:rent_rentcalculation_change", args=[calculation.pk]))
    html = page.content.decode()
    assert "{&quot;Maja&quot;: 9591, &quot;Bo&quot;: 9592}" in html
    assert "&quot;roommates&quot;: {&quot;Maja&quot;: {}, &quot;Bo&quot;: {}}" in html


def test_tenants_are_listed_with_their_status(client, household, treasurer):
    today = timezone.localdate()
    household["cissi"].start_date = today + timedelta(days=10)
    household["cissi"].save()
    make_tenant("Dan", start_date=date(2020, 1, 1), departure_date=today - timedelta(days=1))
    client_for(client, treasurer)
    url = reverse("admin:rent_tenant_changelist")
    expected = {
        "living_here": {"Adam", "Bea"},
        "moving_in": {"Cissi"},
        "moved_out": {"Dan"},
        "": {"Adam", "Bea", "Cissi", "Dan"},
    }
    for status, names in expected.items():
        response = client.get(url + (f"?status={status}" if status else ""))
        assert {tenant.name for tenant in response.context["cl"].result_list} == names, status
    page = client.get(url).content.decode()
    for label in ["bor här", "flyttar in", "har flyttat"]:
        assert f'<td class="field-status">{label}</td>' in page, label


# Co-owned items ------------------------------------------------------------------------------


def test_each_owner_sees_their_share_of_an_item(client, household, treasurer):
    item = make_item("Soffa", value=Decimal("3000"), owners=[household["adam"], household["bea"]])
    client_for(client, treasurer)
    listing = client.get(reverse("admin:rent_coowneditem_changelist")).content.decode()
    assert "Adam: 1 500 kr" in listing and "Bea: 1 500 kr" in listing
    page = client.get(reverse("admin:rent_coowneditem_change", args=[item.pk])).content.decode()
    assert "Bea: 1 500 kr" in page


def test_adding_an_item_with_owners_records_one_history_entry_with_its_owners(
    client, household, treasurer
):
    client_for(client, treasurer)
    prefix = "CoOwnedItem_owners"
    data = {
        "name": "Dammsugare",
        "description": "",
        "purchase_date": "2025-03-01",
        "value": "2400",
        f"{prefix}-TOTAL_FORMS": "2",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-tenant": str(household["adam"].pk),
        f"{prefix}-1-tenant": str(household["cissi"].pk),
    }
    response = client.post(reverse("admin:rent_coowneditem_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    item = CoOwnedItem.objects.get(name="Dammsugare")
    assert {owner.name for owner in item.owners.all()} == {"Adam", "Cissi"}
    entries = list(item.history.all())
    assert len(entries) == 1
    assert entries[0].history_type == "+"
    assert entries[0].history_user == treasurer
    assert {row.tenant.name for row in entries[0].owners.all()} == {"Adam", "Cissi"}


# Query counts --------------------------------------------------------------------------------


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
    from django.contrib import admin

    # All 500 rows on one page, so that a query per row would show.
    model = {m._meta.model_name: m for m in (Tenant, RentConfig, RentLedger, RentCalculation)}
    model["coowneditem"] = CoOwnedItem
    monkeypatch.setattr(admin.site._registry[model[model_name]], "list_per_page", 1000)
    user = make_login("kassor", role="Kassör")
    client_for(client, user)
    counts = []
    for size in (10, 500):
        RentLedger.objects.all().delete()
        CoOwnedItem.objects.all().delete()
        RentConfig.objects.all().delete()
        RentCalculation.objects.all().delete()
        Tenant.objects.all().delete()
        make_rows(model_name, size)
        count_changelist_queries(client, model_name)  # warm the session and caches
        queries, rows_shown = count_changelist_queries(client, model_name)
        assert rows_shown == model[model_name].objects.count() >= size
        counts.append(queries)
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("model_name", ["tenant", "rentledger"])
def test_filtered_change_lists_also_run_a_fixed_number_of_queries(client, model_name):
    client_for(client, make_login("kassor", role="Kassör"))
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


def test_a_member_cannot_revert_their_own_row_to_an_old_version(client, household, member):
    bea = household["bea"]
    bea.email = "old@example.com"
    bea.save()
    version = bea.history.earliest()
    client_for(client, member)
    url = reverse("admin:rent_tenant_simple_history", args=[bea.pk, version.history_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Bea", "room_adjustment": "0"}).status_code == 403


# Roles from the data migration, and the language ---------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_makes_the_two_roles_with_their_permissions():
    from django.contrib.auth.models import Group
    from django.db.migrations.executor import MigrationExecutor

    from rent import roles

    executor = MigrationExecutor(connection)
    executor.migrate([("rent", "0002_history_of_changes")])
    assert not Group.objects.filter(name__in=["Boende", "Kassör"]).exists()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    def codenames(name):
        group = Group.objects.get(name=name)
        return {(p.content_type.app_label, p.codename) for p in group.permissions.all()}

    models = [
        "tenant",
        "rentconfig",
        "rentcalculation",
        "rentledger",
        "coowneditem",
        "creditsettlement",
    ]
    member = {("rent", f"view_{model}") for model in models}
    assert codenames("Boende") == member
    assert codenames("Kassör") == member | {
        ("rent", f"{action}_{model}")
        for model in ["tenant", "rentconfig", "rentledger", "coowneditem"]
        for action in ("add", "change", "delete")
    } | {
        ("rent", "add_rentcalculation"),
        ("rent", "add_creditsettlement"),
        ("handbook", "reject_proposal"),
        ("api", "view_apitoken"),
        ("api", "add_apitoken"),
        ("api", "change_apitoken"),
    }
    # rent.roles (used where a flushed test database lost them) says the same.
    for name, permissions in roles.ROLES.items():
        other_apps = (
            {tuple(p.split(".")) for p in roles.TREASURER_OTHER_APPS}
            if name == roles.TREASURER
            else set()
        )
        assert {("rent", codename) for codename in permissions} | other_apps == codenames(name)


def test_the_admin_is_swedish_by_default_and_english_on_request(client, household, treasurer):
    client_for(client, treasurer)
    page = client.get(reverse("admin:index")).content.decode()
    assert '<html lang="sv"' in page
    assert "Månadens kostnader" in page and "Månadens hyra" in page
    english = client.get(reverse("admin:index"), headers={"accept-language": "en"})
    assert '<html lang="en"' in english.content.decode()
    assert "The month's costs" in english.content.decode()
    client.cookies["django_language"] = "en"
    costs = client.get(reverse("admin:rent_month_costs", kwargs={"month": MONTH}))
    assert "this month" in costs.content.decode()
    make_ledger_row(household["adam"], R, amount_due=Decimal("7045"))
    listing = client.get(reverse("admin:rent_rentledger_changelist")).content.decode()
    assert '<td class="field-amount_due_kronor">7 045 kr</td>' in listing


def test_no_admin_page_has_inline_style_or_script_that_the_policy_would_block(
    client, household, treasurer
):
    """The Content-Security-Policy allows only the site's own files and blocks carrying the
    request's nonce: an inline <style>/<script> without it, or a style="" attribute, would be
    dropped by the browser (the index's phone layout was once such a block)."""
    client_for(client, treasurer)
    export = reverse("admin:rent_tenant_export")  # import-export's own template, not ours
    urls = [url for url in view_urls(household) if url != export]
    urls += [reverse("admin:rent_balances"), reverse("admin:rent_month_rent")]
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        header = response["Content-Security-Policy"]
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            nonce = re.search(r'\bnonce="([^"]+)"', tag)
            assert "src=" in tag or (nonce and f"'nonce-{nonce[1]}'" in header), (url, tag)
        assert not re.search(r"<[a-z][^>]*\sstyle=", html), url
    index = client.get(reverse("admin:index")).content.decode()
    assert "rent/admin_pages" in index and 'id="month-work"' in index
