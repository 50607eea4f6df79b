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

from rent.formatting import format_kronor
from rent.models import (
    CoOwnedItem,
    RentCalculation,
    RentConfig,
    RentLedger,
    Tenant,
    overdue_rent_months_through,
)
from tests.builders import (
    make_item,
    make_ledger_row,
    make_login,
    make_tenant,
    set_config,
    set_month_config,
)

pytestmark = pytest.mark.django_db

C = date(2025, 9, 1)  # config month
R = date(2025, 10, 1)  # rent month (31 days)
MONTH = "2025-09"


@pytest.fixture
def household():
    adam = make_tenant("Adam", email="adam@example.com")
    bea = make_tenant("Bea", room_adjustment=Decimal("-1400"))
    cissi = make_tenant("Cissi", start_date=date(2025, 10, 10))
    set_month_config(C, el=2424)
    return {"adam": adam, "bea": bea, "cissi": cissi}


@pytest.fixture
def treasurer():
    return make_login("kassor", role="Kassör")


@pytest.fixture
def member(household):
    return make_login("bea", role="Boende", tenant=household["bea"])


def snapshot():
    """Every rent row, to show that a refused request changed nothing."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Tenant, RentConfig, RentCalculation, RentLedger, CoOwnedItem)
    }


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


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


def test_the_index_links_the_two_month_pages(client, treasurer):
    client_for(client, treasurer)
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:rent_month_costs") in page
    assert reverse("admin:rent_month_rent") in page


def test_a_month_page_without_a_month_opens_the_current_config_month(client, treasurer):
    client_for(client, treasurer)
    response = client.get(reverse("admin:rent_month_costs"))
    this_month = timezone.localdate().replace(day=1)
    assert response["Location"] == reverse(
        "admin:rent_month_costs", kwargs={"month": f"{this_month:%Y-%m}"}
    )
    picked = client.get(reverse("admin:rent_month_rent") + "?month=2024-10")
    assert picked["Location"] == reverse("admin:rent_month_rent", kwargs={"month": "2024-10"})
    assert (
        client.get(reverse("admin:rent_month_rent", kwargs={"month": "2024-13"})).status_code == 404
    )


# The month's costs ---------------------------------------------------------------------------


def costs_url(month=MONTH):
    return reverse("admin:rent_month_costs", kwargs={"month": month})


def test_the_costs_page_prefills_every_key_with_its_value_and_source(client, treasurer):
    set_config("kallhyra", 25000, date(2025, 1, 1))
    set_config("el", 2000, date(2024, 10, 1))  # a year before October: the projection
    set_config("gas", 550, C)
    client_for(client, treasurer)
    form = client.get(costs_url("2025-10")).context["form"]
    rows = {field.name: (field.value(), source.label) for field, source in form.rows()}
    assert rows["kallhyra"] == ("25000", "från 2025-01")
    assert rows["bredband"] == ("400", "standardvärde")
    assert rows["el"] == ("2000", "uppskattad från 2024-10")
    assert rows["gas"] == ("0", "standardvärde")
    form = client.get(costs_url(MONTH)).context["form"]
    rows = {field.name: (field.value(), source.label) for field, source in form.rows()}
    assert rows["gas"] == ("550", "denna månad")


def costs_data(**values):
    from rent.config import CONFIG_KEYS, effective_config

    config = effective_config(C)
    data = {key: str(config.values[key]) for key in CONFIG_KEYS}
    data.update({key: str(value) for key, value in values.items()})
    return data


def test_saving_the_costs_twice_makes_no_duplicates(client, treasurer):
    client_for(client, treasurer)
    data = costs_data(el="2 424,50", gas="550", kallhyra="24530")
    assert client.post(costs_url(), data).status_code == 302
    rows = dict(RentConfig.objects.filter(period=C).values_list("key", "value"))
    # Only what differs from what the month would use anyway is stored.
    assert rows == {"el": Decimal("2424.50"), "gas": Decimal("550")}
    response = client.post(costs_url(), costs_data())
    assert response.status_code == 302
    assert RentConfig.objects.filter(period=C).count() == 2
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages


def test_saving_the_costs_updates_and_removes_this_months_rows(client, treasurer):
    set_config("el", 2000, C)
    set_config("kallhyra", 24000, C)
    client_for(client, treasurer)
    client.post(costs_url(), costs_data(el="2100", kallhyra=""))
    rows = dict(RentConfig.objects.filter(period=C).values_list("key", "value"))
    assert rows == {"el": Decimal("2100")}
    assert RentConfig.objects.get(key="el", period=C).history.first().history_user == treasurer


def test_the_costs_page_refuses_a_bad_amount(client, treasurer):
    client_for(client, treasurer)
    response = client.post(costs_url(), costs_data(el="two thousand", kallhyra="-5"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"el", "kallhyra"}
    assert not RentConfig.objects.exists()


# The month's rent ----------------------------------------------------------------------------


def rent_url(month=MONTH):
    return reverse("admin:rent_month_rent", kwargs={"month": month})


def rent_form_data(response, **changes):
    """The form as the page shows it, with `changes` (field name → value) applied."""
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(changes)
    return data


def test_the_rent_page_shows_the_split_sources_and_message(client, household, treasurer):
    client_for(client, treasurer)
    response = client.get(rent_url())
    assert response.status_code == 200
    breakdown = response.context["breakdown"]
    assert list(breakdown.split.rents) == ["Adam", "Bea", "Cissi"]
    page = response.content.decode()
    assert "denna månad" in page and "standardvärde" in page
    assert "*Hyran för oktober 2025* ska betalas innan 27 sep" in page
    assert 'id="copy-message"' in page
    assert 'id="save-month"' in page
    days = {
        resident.name: field.value()
        for resident, field, _ in response.context["form"].roommate_rows()
    }
    assert days == {"Adam": "31", "Bea": "31", "Cissi": "22"}


def test_saving_the_month_makes_versions_and_ledger_rows(client, household, treasurer):
    client_for(client, treasurer)
    page = client.get(rent_url())
    first = client.post(rent_url(), rent_form_data(page, save="1", title="Oktober"))
    result = first.context["result"]
    assert result.calculation.version == 1 and not result.unchanged
    assert RentLedger.objects.filter(rent_month=R).count() == 3
    assert "Saved as version 1" in first.content.decode() or "version 1" in first.content.decode()

    again = client.post(rent_url(), rent_form_data(page, save="1"))
    assert again.context["result"].unchanged
    assert RentCalculation.objects.filter(config_month=C).count() == 1

    set_config("el", 3000, C)
    third = client.post(rent_url(), rent_form_data(client.get(rent_url()), save="1"))
    result = third.context["result"]
    assert result.calculation.version == 2
    assert result.previous.version == 1
    assert result.changes  # every amount went up
    page = third.content.decode()
    assert "Sparad som version 2." in page
    assert "Ändringar mot version 1:" in page
    for name, (before, now) in result.changes.items():
        assert before < now
        assert f"<td>{name}</td>" in page
        assert format_kronor(before) in page and format_kronor(now) in page
    assert RentCalculation.objects.get(config_month=C, version=1).status == "superseded"


def test_overrides_apply_to_this_month_only(client, household, treasurer):
    client_for(client, treasurer)
    page = client.get(rent_url())
    preview = client.post(rent_url(), rent_form_data(page, days_2="15,5", adjustment_1="0"))
    assert preview.context["overrides"] == {
        "Bea": {"room_adjustment": Decimal("0")},
        "Cissi": {"days": Decimal("15.5")},
    }
    assert not RentCalculation.objects.exists()
    saved = client.post(rent_url(), rent_form_data(page, days_2="15,5", save="1"))
    calculation = saved.context["result"].calculation
    assert calculation.inputs["roommates"]["Cissi"]["days"] == 15.5
    assert RentLedger.objects.get(rent_month=R, tenant__name="Cissi").days_stayed == Decimal("15.5")
    household["cissi"].refresh_from_db()
    assert household["cissi"].start_date == date(2025, 10, 10)


def test_an_impossible_override_is_shown_not_saved(client, household, treasurer):
    client_for(client, treasurer)
    page = client.get(rent_url())
    response = client.post(rent_url(), rent_form_data(page, days_0="40", save="1"))
    assert response.status_code == 200
    assert "Invalid days for Adam" in response.content.decode()
    assert not RentCalculation.objects.exists()


def test_a_month_with_projected_electricity_asks_for_confirmation(client, household, treasurer):
    RentConfig.objects.filter(key="el").delete()
    set_config("el", 1800, date(2024, 9, 1))
    client_for(client, treasurer)
    page = client.get(rent_url())
    assert "uppskattad" in page.content.decode()
    asked = client.post(rent_url(), rent_form_data(page, save="1"))
    assert asked.status_code == 200
    assert asked.context["confirm_projected"]
    assert 'name="force"' in asked.content.decode()
    assert not RentCalculation.objects.exists()
    confirmed = client.post(rent_url(), rent_form_data(page, save="1", force="1"))
    assert confirmed.context["result"].calculation.version == 1


# Payments ------------------------------------------------------------------------------------


def test_paid_in_full_today_marks_only_unpaid_rows(client, household, treasurer):
    adam, bea = household["adam"], household["bea"]
    unpaid = make_ledger_row(adam, R, amount_due=Decimal("7045"), amount_paid=Decimal("1000"))
    paid = make_ledger_row(
        bea, R, amount_due=Decimal("5000"), amount_paid=Decimal("5000"), paid_on=date(2025, 9, 20)
    )
    client_for(client, treasurer)
    response = client.post(
        reverse("admin:rent_rentledger_changelist"),
        {"action": "paid_in_full_today", "_selected_action": [unpaid.pk, paid.pk]},
    )
    assert response.status_code == 302
    unpaid.refresh_from_db()
    paid.refresh_from_db()
    assert (unpaid.amount_paid, unpaid.paid_on) == (Decimal("7045"), timezone.localdate())
    assert (paid.amount_paid, paid.paid_on) == (Decimal("5000"), date(2025, 9, 20))
    assert unpaid.history.first().history_user == treasurer


def test_a_member_cannot_run_the_payment_action(client, household, member):
    row = make_ledger_row(household["adam"], R)
    client_for(client, member)
    client.post(
        reverse("admin:rent_rentledger_changelist"),
        {"action": "paid_in_full_today", "_selected_action": [row.pk]},
    )
    row.refresh_from_db()
    assert row.amount_paid == 0


def test_payments_are_edited_in_the_list(client, household, treasurer):
    row = make_ledger_row(household["adam"], R)
    client_for(client, treasurer)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(row.pk),
        "form-0-amount_paid": "3000",
        "form-0-paid_on": "2025-09-25",
        "_save": "Spara",
    }
    response = client.post(reverse("admin:rent_rentledger_changelist"), data)
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.amount_paid, row.paid_on) == (Decimal("3000"), date(2025, 9, 25))


def test_unpaid_and_overdue_filters_and_balances(client, household, treasurer):
    today = timezone.localdate()
    old_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    future_month = (today.replace(day=1) + timedelta(days=70)).replace(day=1)
    adam, bea = household["adam"], household["bea"]
    overdue = make_ledger_row(adam, old_month, amount_due=Decimal("7045"))
    make_ledger_row(adam, future_month, amount_due=Decimal("7045"))
    make_ledger_row(bea, old_month, amount_due=Decimal("5000"), amount_paid=Decimal("5000"))
    client_for(client, treasurer)
    url = reverse("admin:rent_rentledger_changelist")
    unpaid_rows = client.get(url + "?payment=unpaid").context["cl"].result_list
    assert {row.tenant.name for row in unpaid_rows} == {"Adam"}
    assert len(unpaid_rows) == 2
    overdue_rows = client.get(url + "?payment=overdue").context["cl"].result_list
    assert [row.pk for row in overdue_rows] == [overdue.pk]
    tenants = client.get(reverse("admin:rent_tenant_changelist")).content.decode()
    assert "14 090 kr" in tenants


def test_rent_is_overdue_after_the_27th_of_the_month_before():
    assert overdue_rent_months_through(date(2025, 9, 27)) == date(2025, 9, 1)
    assert overdue_rent_months_through(date(2025, 9, 28)) == date(2025, 10, 1)
    assert overdue_rent_months_through(date(2025, 12, 28)) == date(2026, 1, 1)


def test_the_overdue_column_and_filter_follow_the_27th(client, household, treasurer, monkeypatch):
    adam = household["adam"]
    october = make_ledger_row(adam, R, amount_due=Decimal("7045"))
    client_for(client, treasurer)
    url = reverse("admin:rent_rentledger_changelist")
    for today, overdue in [(date(2025, 9, 27), False), (date(2025, 9, 28), True)]:
        monkeypatch.setattr(timezone, "localdate", lambda today=today: today)
        rows = client.get(url + "?payment=overdue").context["cl"].result_list
        assert [row.pk for row in rows] == ([october.pk] if overdue else []), today
        listing = client.get(url)
        row = listing.context["cl"].result_list[0]
        assert listing.context["cl"].model_admin.overdue(row) is overdue


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

    models = ["tenant", "rentconfig", "rentcalculation", "rentledger", "coowneditem"]
    member = {("rent", f"view_{model}") for model in models}
    assert codenames("Boende") == member
    assert codenames("Kassör") == member | {
        ("rent", f"{action}_{model}")
        for model in ["tenant", "rentconfig", "rentledger", "coowneditem"]
        for action in ("add", "change", "delete")
    } | {("rent", "add_rentcalculation"), ("handbook", "reject_proposal")}
    # rent.roles (used where a flushed test database lost them) says the same.
    for name, permissions in roles.ROLES.items():
        handbook = {("handbook", "reject_proposal")} if name == roles.TREASURER else set()
        assert {("rent", codename) for codename in permissions} | handbook == codenames(name)


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
