"""The admin's "Saldo" page: who owes what, who has credit and the months behind it; the
treasurer settles credit (paid back, or counted toward the coming month), recorded."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from rent.balances import balance_of
from rent.models import CreditSettlement, RentLedger
from tests.admin_helpers import client_for, make_household
from tests.builders import make_ledger_row

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
    assert [row.rent_month for row in overview.credit[0].months] == [OCT]
    html = response.content.decode()
    assert "Skuld till huset: 3 000 kr" in html and "Tillgodo: 706 kr" in html
    assert "706 kr tillgodo" in html and "oktober 2025" in html
    assert 'name="amount" value="706,00"' in html


def test_a_member_sees_the_page_without_settling(client, household, member):
    client_for(client, member)
    html = client.get(url()).content.decode()
    assert "706 kr tillgodo" in html and 'name="amount"' not in html
    assert client.post(url(), {"tenant": household["adam"].pk, "amount": "706",
                               "kind": "refund"}).status_code == 403  # fmt: skip
    assert not CreditSettlement.objects.exists()


def test_credit_counted_toward_the_coming_month_is_recorded_and_moves(client, household, treasurer):
    adam = household["adam"]
    coming = make_ledger_row(adam, NOV, amount_due=Decimal("5434"))
    client_for(client, treasurer)
    before = balance_of(tenant=adam)
    response = client.post(url(), {"tenant": adam.pk, "amount": "706,00", "kind": "toward_month"})
    assert response.status_code == 302
    settlement = CreditSettlement.objects.get()
    assert (settlement.amount, settlement.kind, settlement.rent_month) == (
        Decimal("706"),
        "toward_month",
        NOV,
    )
    coming.refresh_from_db()
    assert coming.amount_paid == Decimal("706")
    assert coming.history.first().history_user == treasurer
    october = RentLedger.objects.get(tenant=adam, rent_month=OCT)
    assert october.amount_paid == october.amount_due == Decimal("5434")
    assert balance_of(tenant=adam) == before  # the credit moved, nothing vanished
    assert [row.rent_month for row in client.get(url()).context["overview"].owing[0].months] == [
        NOV
    ]


def test_credit_paid_back_clears_the_balance(client, household, treasurer):
    adam = household["adam"]
    client_for(client, treasurer)
    client.post(url(), {"tenant": adam.pk, "amount": "706", "kind": "refund"})
    assert balance_of(tenant=adam) == 0
    assert CreditSettlement.objects.get().history.first().history_user == treasurer


@pytest.mark.parametrize("amount", ["800", "0", "-5", "abc"])
def test_settling_more_than_the_credit_or_nonsense_is_refused(client, household, treasurer, amount):
    client_for(client, treasurer)
    response = client.post(
        url(), {"tenant": household["adam"].pk, "amount": amount, "kind": "refund"}, follow=True
    )
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert not CreditSettlement.objects.exists()
    assert RentLedger.objects.get(tenant=household["adam"], rent_month=OCT).amount_paid == 6140


def test_counting_toward_a_month_without_a_row_is_refused(client, household, treasurer):
    client_for(client, treasurer)
    response = client.post(
        url(), {"tenant": household["adam"].pk, "amount": "706", "kind": "toward_month"},
        follow=True,
    )  # fmt: skip
    assert "har ingen rad i reskontran för den månaden än" in response.content.decode()
    assert not CreditSettlement.objects.exists()


def test_a_settlement_is_read_only_in_its_admin_list_even_for_the_treasurer(
    client, household, treasurer
):
    adam = household["adam"]
    client_for(client, treasurer)
    client.post(url(), {"tenant": adam.pk, "amount": "706", "kind": "refund"})
    settlement = CreditSettlement.objects.get()
    listing = client.get(reverse("admin:rent_creditsettlement_changelist"))
    assert listing.status_code == 200 and "706 kr" in listing.content.decode()
    assert client.get(reverse("admin:rent_creditsettlement_add")).status_code == 403
    change = reverse("admin:rent_creditsettlement_change", args=[settlement.pk])
    assert 'name="_save"' not in client.get(change).content.decode()
    assert client.post(change, {"amount": "1", "kind": "refund"}).status_code == 403
    delete = reverse("admin:rent_creditsettlement_delete", args=[settlement.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    settlement.refresh_from_db()
    assert settlement.amount == Decimal("706")
