"""The tenants' pages of the admin: the list with each tenant's status, and a member
changing their own contact details and nothing else."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from rent.engine.months import add_months
from rent.ledger.payments import record_payment
from rent.models import Room
from tests.admin_helpers import client_for, tenant_form
from tests.builders import make_ledger_row, make_tenant

# The household, the treasurer and a member (tests/admin_helpers.py).
pytest_plugins = ["tests.admin_helpers"]

pytestmark = pytest.mark.django_db


def test_a_member_may_change_their_own_email_and_nothing_else(client, household, member):
    bea = household["bea"]
    client_for(client, member)
    url = reverse("admin:rent_tenant_change", args=[bea.pk])
    page = client.get(url).content.decode()
    assert 'name="email"' in page
    assert 'name="name"' not in page
    assert 'name="room_adjustment"' not in page
    data = tenant_form(email="bea@example.com", name="Hacked", room_adjustment="5000")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    bea.refresh_from_db()
    assert (bea.email, bea.name, bea.room_adjustment) == ("bea@example.com", "Bea", -1400)
    assert bea.history.first().history_user == member


def test_tenants_are_listed_with_their_status(client, household, treasurer):
    today = timezone.localdate()
    household["cissi"].start_date = today + timedelta(days=10)
    household["cissi"].save()
    make_tenant("Dan", start_date=date(2020, 1, 1), departure_date=today - timedelta(days=1))
    make_tenant("Eva", interested_on=today - timedelta(days=3))
    make_tenant("Fia", start_date=date(2020, 1, 1), notice_given_on=today - timedelta(days=3))
    client_for(client, treasurer)
    url = reverse("admin:rent_tenant_changelist")
    expected = {
        "living_here": {"Adam", "Bea", "Fia"},
        "moving_in": {"Cissi"},
        "moved_out": {"Dan"},
        "": {"Adam", "Bea", "Cissi", "Dan", "Eva", "Fia"},
    }
    for status, names in expected.items():
        response = client.get(url + (f"?status={status}" if status else ""))
        assert {tenant.name for tenant in response.context["cl"].result_list} == names, status
    page = client.get(url).content.decode()
    for label in ["bor här", "har skrivit kontrakt, flyttar in", "har flyttat", "intresserad",
                  "flyttar ut"]:  # fmt: skip
        assert f'<td class="field-status">{label}</td>' in page, label


def test_a_phone_number_is_saved_in_e164_and_a_wrong_one_is_refused(client, household, treasurer):
    bea = household["bea"]
    client_for(client, treasurer)
    url = reverse("admin:rent_tenant_change", args=[bea.pk])
    response = client.post(url, tenant_form(name="Bea", room_adjustment="-1400", phone="12"))
    assert response.status_code == 200
    assert "Inte ett telefonnummer: 12" in response.content.decode()
    response = client.post(
        url, tenant_form(name="Bea", room_adjustment="-1400", phone="070-123 45 67")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    bea.refresh_from_db()
    assert bea.phone == "+46701234567"
    assert bea.history.first().phone == "+46701234567"  # the history of changes keeps it


def test_a_member_may_change_their_own_phone(client, household, member):
    bea = household["bea"]
    client_for(client, member)
    url = reverse("admin:rent_tenant_change", args=[bea.pk])
    page = client.get(url).content.decode()
    assert 'name="phone"' in page and 'name="deposit"' not in page
    response = client.post(url, tenant_form(email="", phone="+46 70 765 43 21", deposit="1"))
    assert response.status_code == 302, response.content.decode()[:2000]
    bea.refresh_from_db()
    assert (bea.phone, bea.deposit, bea.sms_reminders) == ("+46707654321", None, True)
    form = tenant_form(phone="+46707654321")
    del form["sms_reminders"]  # the box unticked: no SMS reminders for her
    assert client.post(url, form).status_code == 302
    bea.refresh_from_db()
    assert bea.sms_reminders is False


def test_choosing_a_room_fills_in_its_adjustment_unless_one_is_typed(client, household, treasurer):
    dark = Room.objects.create(name="Mörka rummet", adjustment=Decimal("-1400"))
    big = Room.objects.create(name="Stora rummet", adjustment=Decimal("500"))
    adam = household["adam"]
    client_for(client, treasurer)
    url = reverse("admin:rent_tenant_change", args=[adam.pk])
    response = client.post(url, tenant_form(name="Adam", room=str(dark.pk)))
    assert response.status_code == 302, response.content.decode()[:2000]
    adam.refresh_from_db()
    assert (adam.room, adam.room_adjustment) == (dark, Decimal("-1400"))
    response = client.post(url, tenant_form(name="Adam", room=str(big.pk), room_adjustment="250"))
    assert response.status_code == 302, response.content.decode()[:2000]
    adam.refresh_from_db()
    assert (adam.room, adam.room_adjustment) == (big, Decimal("250"))
    rooms = client.get(reverse("admin:rent_room_changelist")).content.decode()
    assert "Stora rummet" in rooms and "Adam" in rooms and "500 kr" in rooms


def test_a_deposit_returned_beyond_what_was_paid_is_refused(client, household, treasurer):
    adam = household["adam"]
    client_for(client, treasurer)
    url = reverse("admin:rent_tenant_change", args=[adam.pk])
    stay = {"name": "Adam", "deposit": "5 000", "deposit_paid_on": "2025-01-02"}
    response = client.post(
        url, tenant_form(**stay, deposit_returned="5 500", deposit_returned_on="2025-10-01")
    )
    assert response.status_code == 200
    assert "Den återbetalda depositionen måste vara mellan 0" in response.content.decode()
    response = client.post(
        url, tenant_form(**stay, deposit_returned="4 500,50", deposit_returned_on="2025-10-01")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    adam.refresh_from_db()
    assert (adam.deposit, adam.deposit_returned) == (Decimal("5000"), Decimal("4500.50"))


def test_the_personnummer_is_for_the_treasurer_alone(client, household, treasurer, member):
    adam = household["adam"]
    url = reverse("admin:rent_tenant_change", args=[adam.pk])
    history = reverse("admin:rent_tenant_history", args=[adam.pk])
    client_for(client, treasurer)
    wrong = client.post(url, tenant_form(name="Adam", personnummer="880320-0018"))
    assert (
        wrong.status_code == 200 and "Inte ett personnummer: 880320-0018" in wrong.content.decode()
    )
    response = client.post(url, tenant_form(name="Adam", personnummer="880320-0016"))
    assert response.status_code == 302, response.content.decode()[:2000]
    adam.refresh_from_db()
    assert adam.personnummer == "19880320-0016"
    assert "19880320-0016" in client.get(url).content.decode()
    assert "19880320-0016" in client.get(history).content.decode()
    client.logout()
    client_for(client, member)  # Bea: sees every tenant's page, never the personnummer
    for page in (url, history, reverse("admin:rent_tenant_changelist")):
        content = client.get(page).content.decode()
        assert "880320-0016" not in content and "8803200016" not in content, page
        assert 'name="personnummer"' not in content
    own = reverse("admin:rent_tenant_change", args=[household["bea"].pk])
    assert "personnummer" not in client.get(own).content.decode().lower()
    client.post(own, tenant_form(email="", personnummer="880320-0016"))
    household["bea"].refresh_from_db()
    assert household["bea"].personnummer == ""


def test_a_tenants_page_reads_their_latest_months_each_linked_to_its_own_page(
    client, household, treasurer
):
    """No form per month on the tenant's page: the latest twelve months are read there, each
    edited on its own page, and the ledger list filtered to the tenant has all of them."""
    adam = household["adam"]
    months = [add_months(date(2025, 10, 1), -back) for back in range(13)]

    def paid(month):  # the odd months paid in full on their first day
        return {"amount_paid": "3312", "paid_on": month} if month.month % 2 else {}

    rows = {
        month: make_ledger_row(adam, month, amount_due=Decimal("3312"), **paid(month))
        for month in months
    }
    client_for(client, treasurer)
    page = client.get(reverse("admin:rent_tenant_change", args=[adam.pk])).content.decode()
    assert 'name="ledger_rows-' not in page and 'name="amount_paid"' not in page
    table = page[page.index('id="recent-ledger-months"') : page.index("</table>")]
    shown = [row for month, row in rows.items() if month > months[-1]]
    assert table.count("<tr>") == 1 + len(shown) == 13  # the headings and twelve months
    for row in shown:
        assert f'href="{reverse("admin:rent_rentledger_change", args=[row.pk])}"' in table
    assert "oktober 2025" in table and "oktober 2024" not in table
    assert "3 312 kr" in table and "1 september 2025" in table
    # Six months unpaid and past: overdue, as on the ledger list; the six paid ones are not.
    assert table.count('alt="True"') == table.count('alt="False"') == 6
    assert "13 månader; de 12 senaste står nedan." in page
    everything = f"{reverse('admin:rent_rentledger_changelist')}?tenant__id__exact={adam.pk}"
    assert f'href="{everything}"' in page
    listed = client.get(everything)
    assert {row.pk for row in listed.context["cl"].result_list} == {r.pk for r in rows.values()}


def test_the_tenant_list_and_a_tenants_months_are_kept_until_a_write_or_a_new_day(
    client, household, treasurer, monkeypatch
):
    """The tenant list's table and a tenant's latest months are kept under the data version,
    the day and the language: a payment shows at once, and so does a new day (a tenant moving
    out today has moved out tomorrow, a month unpaid after the 27th is overdue)."""
    adam = household["adam"]
    today = timezone.localdate()
    adam.departure_date = today
    adam.save()
    make_ledger_row(adam, date(2025, 10, 1), amount_due=Decimal("3312"))
    client_for(client, treasurer)
    listing = reverse("admin:rent_tenant_changelist")
    own_page = reverse("admin:rent_tenant_change", args=[adam.pk])

    def adams_row() -> str:
        page = client.get(listing).content.decode()
        start = page.index(f'href="{own_page}"')
        return page[start : page.index("</tr>", start)]

    def months_left() -> str:
        page = client.get(own_page).content.decode()
        table = page[page.index('id="recent-ledger-months"') : page.index("</table>")]
        return table[
            table.index('data-label="Kvar"') : table.index(
                "</td>", table.index('data-label="Kvar"')
            )
        ]

    assert "3 312 kr" in adams_row() and "flyttar ut" in adams_row()
    assert "3 312 kr" in months_left()
    record_payment(tenant=adam, amount=Decimal("1000"), paid_on=today, for_month=date(2025, 10, 1))
    assert "2 312 kr" in adams_row() and "3 312 kr" not in adams_row()
    assert "2 312 kr" in months_left()

    tomorrow = today + timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: tomorrow)
    assert "har flyttat" in adams_row()
