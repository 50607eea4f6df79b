"""Payments and ledger rows in the admin as a person reads them: the rent month picked as a
month, amounts in Swedish in the messages, and every input in a table of rows named by its row."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from rent.models import Payment
from tests.admin_helpers import R, client_for, messages_of
from tests.builders import make_ledger_row, make_payment

pytest_plugins = ["tests.admin_helpers"]

pytestmark = pytest.mark.django_db


def test_the_rent_month_is_picked_as_a_month_and_the_message_reads_swedish(
    client, household, treasurer
):
    adam = household["adam"]
    make_ledger_row(adam, R, amount_due=Decimal("7045"))
    client_for(client, treasurer)
    page = client.get(reverse("admin:rent_payment_add")).content.decode()
    assert 'type="month" name="for_month"' in page
    response = client.post(
        reverse("admin:rent_payment_add"),
        {"tenant": adam.pk, "paid_on": "2025-09-24", "amount": "3 312,50", "method": "swish",
         "for_month": "2025-10", "reference": "", "message": "", "note": ""},
        follow=True,
    )  # fmt: skip
    payment = Payment.objects.get()
    assert payment.for_month == date(2025, 10, 1) and payment.amount == Decimal("3312.50")
    [message] = messages_of(response)
    assert "24 sep. 2025" in message and "3 312,50 kr" in message and "3312.50" not in message


def test_a_month_typed_as_nonsense_is_a_form_error_naming_the_field(client, household, treasurer):
    client_for(client, treasurer)
    response = client.post(
        reverse("admin:rent_payment_add"),
        {"tenant": household["adam"].pk, "paid_on": "2025-09-24", "amount": "100",
         "method": "swish", "for_month": "oktober"},
    )  # fmt: skip
    assert response.status_code == 200 and not Payment.objects.exists()
    assert "for_month" in response.context["adminform"].form.errors


def test_a_member_may_read_a_payments_old_version_but_never_save_it(client, household, member):
    """A member reads payments (view rights only): the form of an old version is not theirs
    to open, and posting it changes nothing (simple_history saves what is posted unless the
    admin asks for change rights, as every other history form here does)."""
    adam = household["adam"]
    payment = Payment.objects.get(pk=make_payment(adam, 7045, paid_on=date(2025, 9, 24)).pk)
    version = payment.history.latest("history_id").history_id
    url = reverse("admin:rent_payment_simple_history", args=[payment.pk, version])
    client_for(client, member)
    assert client.get(url).status_code == 403
    form = {"tenant": adam.pk, "paid_on": "2025-09-24", "amount": "1", "method": "swish",
            "for_month": "", "reference": "", "message": "", "note": "",
            "confirm_payment": "on"}  # fmt: skip
    assert client.post(url, form).status_code == 403
    payment.refresh_from_db()
    assert payment.amount == Decimal("7045")


def test_the_payment_list_shows_a_payment_as_soon_as_it_is_recorded_or_deleted(
    client, household, treasurer
):
    """The list's rows are kept per data version (rent/templates/admin/rent/
    cached_change_list.html): saving or deleting a payment in the admin bumps it."""
    adam = household["adam"]
    make_ledger_row(adam, R, amount_due=Decimal("7045"))
    client_for(client, treasurer)
    url = reverse("admin:rent_payment_changelist")

    def table() -> str:  # the rows only (a message above may name the payment too)
        page = client.get(url).content.decode()
        start = page.find('<table id="result_list"')
        return page[start : page.index("</table>", start)] if start >= 0 else ""

    assert "3 312,50 kr" not in table()
    client.post(
        reverse("admin:rent_payment_add"),
        {"tenant": adam.pk, "paid_on": "2025-09-24", "amount": "3 312,50", "method": "swish",
         "for_month": "2025-10", "reference": "", "message": "", "note": ""},
    )  # fmt: skip
    listed = table()
    assert "3 312,50 kr" in listed and "oktober 2025: 3 312,50 kr" in listed
    payment = Payment.objects.get()
    client.post(reverse("admin:rent_payment_delete", args=[payment.pk]), {"post": "yes"})
    assert "3 312,50 kr" not in table()
