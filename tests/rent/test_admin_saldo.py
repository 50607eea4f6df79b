"""The admin's "Saldo" page: who owes what, who has credit and the months behind it; the
treasurer pays credit back (a negative payment, recorded)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from rent.ledger.balances import balance_of, balance_overview
from rent.models import Payment, RentLedger
from tests.admin_helpers import client_for, make_household
from tests.builders import make_ledger_row
from tests.page_text import visible_text

# The treasurer and a member (tests/admin_helpers.py); the household is this page's own.
pytest_plugins = ["tests.admin_helpers"]

pytestmark = pytest.mark.django_db

SEPT, OCT, NOV = date(2025, 9, 1), date(2025, 10, 1), date(2025, 11, 1)


@pytest.fixture
def household(monkeypatch):
    # 10 October: the rent due next is November's (config month October).
    monkeypatch.setattr(timezone, "localdate", lambda: date(2025, 10, 10))
    people = make_household()
    adam, bea = people["adam"], people["bea"]
    make_ledger_row(adam, SEPT, amount_due=Decimal("6140"), amount_paid=Decimal("6140"))
    make_ledger_row(adam, OCT, amount_due=Decimal("5434"), amount_paid=Decimal("6140"))
    make_ledger_row(bea, OCT, amount_due=Decimal("4000"), amount_paid=Decimal("1000"))
    return people


def url():
    return reverse("admin:rent_balances")


def test_the_page_lists_who_owes_and_who_has_credit_with_the_months(client, household, treasurer):
    client_for(client, treasurer)
    response = client.get(url())
    overview = response.context["overview"]
    assert [(row.tenant.name, row.balance) for row in overview.owing] == [("Bea", Decimal("3000"))]
    assert [(row.tenant.name, row.balance) for row in overview.credit] == [
        ("Adam", Decimal("-706"))
    ]
    assert overview.credit[0].months == []  # October is paid; the 706 kr over is credit
    html = response.content.decode()
    assert "Skuld till huset: 3 000 kr" in visible_text(html)
    assert "Tillgodo: 706 kr" in visible_text(html)
    assert "706 kr tillgodo" in html
    assert 'name="amount" value="706,00"' in html


def test_a_member_sees_the_page_without_settling(client, household, member):
    client_for(client, member)
    html = client.get(url()).content.decode()
    assert "706 kr tillgodo" in html and 'name="amount"' not in html
    assert client.post(url(), {"tenant": household["adam"].pk, "amount": "706",
                               }).status_code == 403  # fmt: skip
    assert Payment.objects.filter(amount__lt=0).count() == 0


def test_credit_counts_toward_the_coming_month_once_it_is_saved(client, household, treasurer):
    adam = household["adam"]
    before = balance_of(tenant=adam)
    coming = make_ledger_row(adam, NOV, amount_due=Decimal("5434"))
    assert coming.amount_paid == Decimal("706")
    october = RentLedger.objects.get(tenant=adam, rent_month=OCT)
    assert october.amount_paid == october.amount_due == Decimal("5434")
    assert balance_of(tenant=adam) == before + Decimal("5434")
    client_for(client, treasurer)
    assert [row.rent_month for row in client.get(url()).context["overview"].owing[0].months] == [
        NOV
    ]


def test_credit_paid_back_clears_the_balance(client, household, treasurer):
    adam = household["adam"]
    client_for(client, treasurer)
    assert [row.tenant for row in client.get(url()).context["overview"].credit] == [adam]
    client.post(url(), {"tenant": adam.pk, "amount": "706"})
    assert balance_of(tenant=adam) == 0
    refund = Payment.objects.get(amount__lt=0)
    assert refund.amount == Decimal("-706") and refund.recorded_by == treasurer
    # The page (kept under the data version) shows it at once.
    assert client.get(url()).context["overview"].credit == []


@pytest.mark.parametrize("amount", ["800", "0", "-5", "abc"])
def test_settling_more_than_the_credit_or_nonsense_is_refused(client, household, treasurer, amount):
    client_for(client, treasurer)
    response = client.post(url(), {"tenant": household["adam"].pk, "amount": amount}, follow=True)
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert Payment.objects.filter(amount__lt=0).count() == 0
    assert balance_of(tenant=household["adam"]) == Decimal("-706")


def test_each_row_shows_its_latest_months_and_payments_with_the_running_balance(
    client, household, treasurer, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        overview = balance_overview(coming_month=NOV)
    adam = overview.credit[0]
    assert adam.reference == "KK2511ADAM"
    # Each payment (dated on its due day) comes before the month it paid.
    assert [line.is_payment for line in adam.lines] == [True, False, True, False]
    assert adam.lines[-1].running_balance == Decimal("-706")
    client_for(client, treasurer)
    html = client.get(url()).content.decode()
    assert "Referens: KK2511ADAM" in html and html.count('data-testid="lines"') == 2
