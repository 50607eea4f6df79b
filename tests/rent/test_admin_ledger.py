"""The ledger, tenants and items in the admin: payments typed the Swedish way, a payment far
from the amount due confirmed, balances with credit kept, money fields everywhere."""

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rent.admin import RentLedgerAdmin
from rent.fields import MoneyField
from rent.formatting import format_kronor, parse_money_input
from rent.ledger.balances import balance_of
from rent.models import CoOwnedItem, Payment, RentConfig, Tenant, overdue_rent_months_through
from rent.versioning import data_version
from tests.admin_helpers import C, R, client_for, tenant_form
from tests.builders import make_ledger_row, make_payment

# The household, the treasurer and a member (tests/admin_helpers.py).
pytest_plugins = ["tests.admin_helpers"]

pytestmark = pytest.mark.django_db


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


def test_the_list_shows_the_paid_amount_but_never_as_an_editable_column(
    client, household, treasurer
):
    row = make_ledger_row(household["adam"], R, amount_due=Decimal("3312"))
    client_for(client, treasurer)
    url = reverse("admin:rent_rentledger_changelist")
    page = client.get(url).content.decode()
    assert "form-0-amount_paid" not in page and "form-0-paid_on" not in page
    # A list edit as the old column sent it changes nothing: the paid amount is derived.
    client.post(
        url,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(row.pk),
            "form-0-amount_paid": "3312",
            "_save": "Spara",
        },
    )
    row.refresh_from_db()
    assert row.amount_paid == 0 and not Payment.objects.exists()


def prefilled_payment_url(row, left: str) -> str:
    query = urlencode(
        {
            "tenant": row.tenant_id,
            "for_month": f"{row.rent_month:%Y-%m-%d}",
            "amount": left,
            "paid_on": timezone.localdate().isoformat(),
        }
    )
    return f"{reverse('admin:rent_payment_add')}?{query}"


def test_record_a_payment_on_the_row_and_as_an_action_opens_the_payment_form_filled_in(
    client, household, treasurer
):
    row = make_ledger_row(household["adam"], R, amount_due=Decimal("3312"), amount_paid="1000")
    paid = make_ledger_row(household["bea"], R, amount_due=Decimal("5000"), amount_paid="5000")
    client_for(client, treasurer)
    url = reverse("admin:rent_rentledger_changelist")
    page = client.get(url).content.decode()
    link = prefilled_payment_url(row, "2 312,00").replace("&", "&amp;")
    assert f'href="{link}"' in page and "Registrera betalning" in page
    assert page.count('class="record-payment"') == 1  # the month paid in full has none
    action = client.post(url, {"action": "record_a_payment", "_selected_action": [row.pk]})
    assert action.status_code == 302 and action["Location"] == prefilled_payment_url(
        row, "2 312,00"
    )
    form = client.get(action["Location"]).content.decode()
    assert 'name="amount" value="2 312,00"' in form
    two = client.post(url, {"action": "record_a_payment", "_selected_action": [row.pk, paid.pk]})
    assert two.status_code == 302 and two["Location"].endswith(url)


def test_a_member_is_offered_no_payment_link(client, household, member):
    make_ledger_row(household["adam"], R, amount_due=Decimal("3312"))
    client_for(client, member)
    page = client.get(reverse("admin:rent_rentledger_changelist")).content.decode()
    assert "record-payment" not in page


def payment_form(**changes) -> dict:
    data = {"paid_on": "2025-09-25", "method": "swish", "for_month": "", "reference": "",
            "message": "", "note": "", "_save": "Spara"}  # fmt: skip
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("due", "typed", "named", "asked"),
    [
        ("2942", "29 420", True, True),  # the typo: ten times the month
        ("2942", "29 420", False, True),  # no month named: compared with the balance
        ("2942", "2 942,00", True, False),
        ("2942", "1 000", True, False),  # obviously partial
        ("3467", "3 312,50", False, True),  # just short of it
    ],
)
def test_the_payment_form_asks_before_an_amount_far_from_what_is_due(
    client, household, treasurer, due, typed, named, asked
):
    adam = household["adam"]
    make_ledger_row(adam, R, amount_due=Decimal(due))
    client_for(client, treasurer)
    url = reverse("admin:rent_payment_add")
    data = payment_form(tenant=str(adam.pk), amount=typed, for_month="2025-10-01" if named else "")
    response = client.post(url, data)
    if asked:
        assert response.status_code == 200
        error = response.context["adminform"].form.errors["amount"][0]
        assert "men att betala är" in error and "Ja, det inbetalda beloppet stämmer" in error
        assert not Payment.objects.exists()
        response = client.post(url, {**data, "confirm_payment": "on"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    payment = Payment.objects.get()
    assert payment.amount == parse_money_input(typed) and payment.recorded_by == treasurer
    assert balance_of(tenant=adam) == Decimal(due) - payment.amount


def test_a_payment_changed_or_deleted_in_the_admin_reallocates_and_bumps_the_version(
    client, household, treasurer
):
    adam, bea = household["adam"], household["bea"]
    row = make_ledger_row(adam, R, amount_due=Decimal("3000"))
    bea_row = make_ledger_row(bea, R, amount_due=Decimal("3000"))
    payment = make_payment(adam, "3000")
    client_for(client, treasurer)
    version = data_version()
    # Moved to Bea (a payment booked on the wrong person): both months follow.
    change = client.post(
        reverse("admin:rent_payment_change", args=[payment.pk]),
        payment_form(tenant=str(bea.pk), amount="3 000,00"),
    )
    assert change.status_code == 302, change.context["adminform"].form.errors
    row.refresh_from_db()
    bea_row.refresh_from_db()
    assert (row.amount_paid, bea_row.amount_paid) == (0, Decimal("3000"))
    assert data_version() != version
    version = data_version()
    client.post(
        reverse("admin:rent_payment_changelist"),
        {"action": "delete_selected", "_selected_action": [payment.pk], "post": "yes"},
    )
    bea_row.refresh_from_db()
    assert not Payment.objects.exists() and bea_row.amount_paid == 0
    assert data_version() != version


def test_a_ledger_row_changed_or_deleted_in_the_admin_reallocates_and_bumps_the_version(
    client, household, treasurer
):
    adam = household["adam"]
    october = make_ledger_row(adam, R, amount_due=Decimal("3000"))
    november = make_ledger_row(adam, date(2025, 11, 1), amount_due=Decimal("3000"))
    make_payment(adam, "4000")
    client_for(client, treasurer)
    version = data_version()
    response = ledger_change(client, october, amount_due="2 000,00", amount_paid="3 000,00")
    assert response.status_code == 302, response.context["adminform"].form.errors
    november.refresh_from_db()
    assert november.amount_paid == Decimal("2000") and data_version() != version
    version = data_version()
    client.post(
        reverse("admin:rent_rentledger_changelist"),
        {"action": "delete_selected", "_selected_action": [october.pk], "post": "yes"},
    )
    november.refresh_from_db()
    assert november.amount_paid == Decimal("3000") and balance_of(tenant=adam) == -1000
    assert data_version() != version


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
    assert "14 090 kr" in tenants  # the balance: both of Adam's months


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


def test_the_list_s_rows_are_drawn_once_per_data_version_and_day(
    client, household, treasurer, monkeypatch
):
    """The table is served from the cache until the data or the day changes: a payment shows
    at once, and so does a row becoming overdue on the 28th."""
    adam = household["adam"]
    make_ledger_row(adam, R, amount_due=Decimal("7045"))
    client_for(client, treasurer)
    url = reverse("admin:rent_rentledger_changelist")
    drawn = []
    draw = RentLedgerAdmin.amount_paid_kronor
    monkeypatch.setattr(
        RentLedgerAdmin,
        "amount_paid_kronor",
        lambda admin, row: drawn.append(row) or draw(admin, row),
    )
    monkeypatch.setattr(timezone, "localdate", lambda: date(2025, 9, 27))

    def table() -> str:
        page = client.get(url).content.decode()
        return page[page.index('<table id="result_list"') : page.index("</table>")]

    first = table()
    assert len(drawn) == 1 and "icon-yes" not in first
    assert table() == first and len(drawn) == 1  # the cache's copy
    make_payment(adam, 1000, for_month=R)
    paid = table()
    assert len(drawn) == 2 and "1 000 kr" in paid and "6 045 kr" in paid
    monkeypatch.setattr(timezone, "localdate", lambda: date(2025, 9, 28))
    assert "icon-yes" in table() and len(drawn) == 3  # overdue from the 28th


# Payments typed the Swedish way ---------------------------------------------------------------


def ledger_change(client, row, **changes):
    data = {
        "tenant": str(row.tenant_id),
        "rent_month": f"{row.rent_month:%Y-%m-%d}",
        "amount_due": str(row.amount_due),
        "amount_paid": str(row.amount_paid),
        "paid_on": "",
        "days_stayed": "",
        "room_adjustment": "",
        "calculation": "",
        "_save": "Spara",
    }
    data.update(changes)
    return client.post(reverse("admin:rent_rentledger_change", args=[row.pk]), data)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("3312", Decimal("3312")),
        ("3312,00", Decimal("3312")),
        ("3 312,00", Decimal("3312")),
        ("3312.00", Decimal("3312")),
        ("3 312 kr", Decimal("3312")),
        ("1 000,50", Decimal("1000.50")),  # obviously partial: no question asked
        ("0", Decimal("0")),
    ],
)
def test_a_payment_is_typed_the_swedish_way(client, household, treasurer, typed, stored):
    row = make_ledger_row(household["adam"], R, amount_due=Decimal("3312"))
    client_for(client, treasurer)
    response = ledger_change(client, row, amount_paid=typed, paid_on="2025-09-25")
    assert response.status_code == 302, response.context["adminform"].form.errors
    row.refresh_from_db()
    assert row.amount_paid == stored


def test_the_change_form_shows_money_as_swedish_text_fields(client, household, treasurer):
    row = make_ledger_row(household["adam"], R, amount_due=Decimal("3312"))
    client_for(client, treasurer)
    page = client.get(reverse("admin:rent_rentledger_change", args=[row.pk])).content.decode()
    assert 'name="amount_due" value="3 312,00"' in page
    assert 'name="amount_paid" value="0,00"' in page
    assert 'inputmode="decimal"' in page
    assert 'type="number" name="amount_paid"' not in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("3312,005", "Betalt: högst två decimaler"),
        ("1.234,50", "Betalt: skriv ett belopp i kronor"),
        ("tre tusen", "Betalt: skriv ett belopp i kronor"),
        ("1e30", "Betalt: skriv ett belopp i kronor"),
        ("9999999999999", "Betalt: för stort"),
        ("-100", "Betalt: får inte vara negativt."),
    ],
)
def test_a_bad_payment_is_a_form_error_naming_the_field(
    client, household, treasurer, typed, message
):
    row = make_ledger_row(household["adam"], R, amount_due=Decimal("3312"))
    client_for(client, treasurer)
    response = ledger_change(client, row, amount_paid=typed)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["amount_paid"]
    assert errors[0].startswith(message), errors
    row.refresh_from_db()
    assert row.amount_paid == 0


@pytest.mark.parametrize("typed", ["331200", "3321", "3300"])
def test_a_payment_far_from_the_amount_due_asks_for_confirmation(
    client, household, treasurer, typed
):
    row = make_ledger_row(household["adam"], R, amount_due=Decimal("3312"))
    client_for(client, treasurer)
    asked = ledger_change(client, row, amount_paid=typed)
    assert asked.status_code == 200
    error = asked.context["adminform"].form.errors["amount_paid"][0]
    paid = Decimal(typed)

    assert f"Betalt {format_kronor(paid)}, men att betala är 3 312 kr." in error
    row.refresh_from_db()
    assert row.amount_paid == 0
    confirmed = ledger_change(client, row, amount_paid=typed, confirm_payment="on")
    assert confirmed.status_code == 302
    row.refresh_from_db()
    # Recorded as a payment; the month is paid at most in full, the rest is credit.
    assert row.amount_paid == min(paid, Decimal("3312"))
    assert row.allocations.get().payment.amount == paid

    assert balance_of(tenant=household["adam"]) == Decimal("3312") - paid


def test_saving_the_tenants_page_leaves_their_months_as_they_are(client, household, treasurer):
    """The tenant's months are read on their page, never edited there: what a stale form of
    the old inline would post is ignored, and the tenant's own change is saved."""
    adam = household["adam"]
    row = make_ledger_row(adam, R, amount_due=Decimal("3312"), amount_paid="1000",
                          paid_on=date(2025, 9, 20))  # fmt: skip
    client_for(client, treasurer)
    url = reverse("admin:rent_tenant_change", args=[adam.pk])
    data = tenant_form(
        name="Adam",
        email="adam@example.com",
        room_adjustment="-1 400,00",
        **{
            "ledger_rows-TOTAL_FORMS": "1",
            "ledger_rows-INITIAL_FORMS": "1",
            "ledger_rows-0-id": str(row.pk),
            "ledger_rows-0-tenant": str(adam.pk),
            "ledger_rows-0-amount_paid": "3 312,00",
            "ledger_rows-0-paid_on": "2025-09-25",
            "_save": "Spara",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    row.refresh_from_db()
    adam.refresh_from_db()
    assert (row.amount_paid, row.paid_on) == (Decimal("1000"), date(2025, 9, 20))
    assert Payment.objects.filter(tenant=adam).count() == 1
    assert adam.room_adjustment == Decimal("-1400")


def test_items_take_swedish_money_and_refuse_negatives(client, household, treasurer):
    client_for(client, treasurer)
    url = reverse("admin:rent_coowneditem_add")
    data = {
        "name": "Soffa",
        "description": "",
        "purchase_date": "",
        "value": "3 000,50",
        "rent_coowneditem_owners-TOTAL_FORMS": "0",
        "rent_coowneditem_owners-INITIAL_FORMS": "0",
        "rent_coowneditem_owners-MIN_NUM_FORMS": "0",
        "rent_coowneditem_owners-MAX_NUM_FORMS": "1000",
        "CoOwnedItem_owners-TOTAL_FORMS": "0",
        "CoOwnedItem_owners-INITIAL_FORMS": "0",
        "_save": "Spara",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert CoOwnedItem.objects.get().value == Decimal("3000.50")
    refused = client.post(url, {**data, "name": "Lampa", "value": "-5"})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["value"] == ["Värde: får inte vara negativt."]


@pytest.mark.parametrize(
    ("key", "value", "accepted"),
    [("el", "-5", False), ("gas", "-1", False), ("saldo_innan", "-706,50", True)],
)
def test_a_config_row_refuses_negatives_except_balance_and_extra_income(
    client, treasurer, key, value, accepted
):
    client_for(client, treasurer)
    response = client.post(
        reverse("admin:rent_rentconfig_add"),
        {"key": key, "value": value, "period": "2025-09-01", "_save": "Spara"},
    )
    assert (response.status_code == 302) is accepted
    assert RentConfig.objects.filter(key=key).exists() is accepted


# Balances: credit kept ------------------------------------------------------------------------


def test_overpaid_rows_and_tenants_show_credit(client, household, treasurer):
    adam = household["adam"]
    make_ledger_row(adam, C, amount_due=Decimal("6140"), amount_paid=Decimal("6140"))
    make_ledger_row(adam, R, amount_due=Decimal("5434"), amount_paid=Decimal("6140"))
    client_for(client, treasurer)
    tenants = client.get(reverse("admin:rent_tenant_changelist")).content.decode()
    assert "706 kr tillgodo" in tenants
    assert Tenant.objects.count() == 3


# Every money field of the admin -----------------------------------------------------------------


def admin_money_fields():
    """(model, field name, may be negative) for every money column with an admin form."""
    negative = {("tenant", "room_adjustment"), ("rentledger", "room_adjustment"),
                ("rentconfig", "value"), ("payment", "amount"),
                ("room", "adjustment"), ("banktransaction", "amount")}  # fmt: skip
    for model in apps.get_app_config("rent").get_models():
        if model not in admin.site._registry:  # allocations: made by rent.ledger.payments only
            continue
        for field in model._meta.get_fields():
            if isinstance(field, MoneyField) and not model._meta.model_name.startswith(
                "historical"
            ):
                name = model._meta.model_name
                yield name, field.name, (name, field.name) in negative


@pytest.mark.parametrize(
    ("model_name", "field_name", "may_be_negative"), list(admin_money_fields())
)
def test_every_admin_money_field_reads_swedish_money(
    rf, treasurer, model_name, field_name, may_be_negative
):
    model = next(m for m in admin.site._registry if m._meta.model_name == model_name)
    request = rf.get("/")
    request.user = treasurer
    form_class = admin.site._registry[model].get_form(request)
    field = form_class.base_fields.get(field_name)
    if field is None:  # shown read-only (calculations, settled credit): nothing to type
        pytest.skip(f"{model_name}.{field_name} is not editable in the admin")
    assert field.widget.input_type == "text"
    assert field.widget.attrs["inputmode"] == "decimal"
    for typed, value in [
        ("3312", "3312"),
        ("3312,00", "3312"),
        ("3 312,50", "3312.50"),
        ("3312.50", "3312.50"),
        ("3 312 kr", "3312"),
    ]:
        assert field.clean(typed) == Decimal(value), typed
    for typed in ["1.234", "1.234,50", "33 12", "3312,505", "tre", "1e30", "9999999999999"]:
        with pytest.raises(ValidationError) as refused:
            field.clean(typed)
        assert str(field.label) in refused.value.messages[0], typed
    if may_be_negative:
        assert field.clean("-1 400") == Decimal("-1400")
    else:
        with pytest.raises(ValidationError, match="får inte vara negativt"):
            field.clean("-1 400")
    assert field.widget.format_value(Decimal("3312")) == "3 312,00"
