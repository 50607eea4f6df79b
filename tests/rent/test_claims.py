"""rent.ledger.claims and the statement page's "Jag har betalat": pending for the member and the
treasurer, a payment once confirmed (or matched by the bank statement)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from rent.bank import services
from rent.formatting import format_kronor, format_money_input
from rent.ledger.balances import balance_of
from rent.ledger.claims import ClaimError, claim_payment, confirm_claim, reject_claim
from rent.models import BankTransaction, ClaimStatus, Payment, PaymentClaim
from rent.versioning import data_version
from tests.admin_helpers import client_for, make_household, make_member
from tests.builders import make_ledger_row
from tests.page_text import visible_text
from tests.people import make_treasurer

pytestmark = pytest.mark.django_db

OCT = date(2025, 10, 1)


@pytest.fixture
def household(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2025, 9, 26))
    people = make_household()
    make_ledger_row(people["bea"], OCT, amount_due=Decimal("5600"))
    return people


def test_a_member_says_they_paid_it_is_pending_then_confirmed(client, household):
    bea = household["bea"]
    member = make_member(household)
    client_for(client, member)
    url = reverse("rent:statement", args=[bea.pk])
    response = client.post(url, {"amount": "5 600", "paid_on": "2025-09-25", "message": "Swish"})
    assert response.status_code == 302
    claim = PaymentClaim.objects.get()
    assert (claim.amount, claim.status) == (Decimal("5600"), ClaimStatus.PENDING)
    assert not Payment.objects.exists() and balance_of(tenant=bea) == Decimal("5600")
    assert "väntar på kassören" in client.get(url).content.decode()

    treasurer = make_treasurer()
    client_for(client, treasurer)
    changelist = reverse("admin:rent_paymentclaim_changelist")
    assert "5 600 kr" in client.get(changelist).content.decode()
    client.post(changelist, {"action": "confirm", "_selected_action": [claim.pk]})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED and claim.payment.source == "member"
    assert claim.payment.recorded_by == treasurer
    assert balance_of(tenant=bea) == 0
    client_for(client, member)
    assert "bekräftad" in client.get(url).content.decode()


def test_bad_claims_are_refused_with_a_message(client, household):
    bea = household["bea"]
    client_for(client, make_member(household))
    url = reverse("rent:statement", args=[bea.pk])
    for data, message in [
        ({"amount": "abc", "paid_on": "2025-09-25"}, "Belopp"),
        ({"amount": "0", "paid_on": "2025-09-25"}, "mer än 0 kr"),
        ({"amount": "100", "paid_on": "igår"}, ClaimError("paid_on_not_a_date").message),
        ({"amount": "100", "paid_on": "2025-12-24"}, "framtiden"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200 and message in response.content.decode(), data
    assert not PaymentClaim.objects.exists()


def test_only_the_member_themself_may_claim(client, household):
    client_for(client, make_treasurer())
    url = reverse("rent:statement", args=[household["bea"].pk])
    assert client.post(url, {"amount": "100", "paid_on": "2025-09-25"}).status_code == 403


def test_a_claim_is_decided_once_and_a_bank_match_settles_it(household):
    bea = household["bea"]
    claim = claim_payment(tenant=bea, amount=Decimal("5600"), paid_on=date(2025, 9, 25))
    row = BankTransaction.objects.create(
        key="k1", booked_on=date(2025, 9, 25), amount=Decimal("5600"), status="suggested",
        statement_name="x.csv",
    )  # fmt: skip
    services.apply_transaction(bank_transaction=row, tenant=bea, for_month=None)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED and claim.payment.bank_key == "k1"
    with pytest.raises(ClaimError) as refused:
        confirm_claim(claim=claim)
    assert refused.value.code == "claim_decided"
    other = claim_payment(tenant=bea, amount=Decimal("10"), paid_on=date(2025, 9, 25))
    reject_claim(claim=other)
    assert Payment.objects.count() == 1


def test_a_bank_line_for_a_claim_already_confirmed_is_that_payment_not_a_second(household):
    bea = household["bea"]
    version = data_version()
    claim = confirm_claim(
        claim=claim_payment(tenant=bea, amount=Decimal("5600"), paid_on=date(2025, 9, 25))
    )
    assert data_version() != version  # confirming records a payment: the version moves
    balance = balance_of(tenant=bea)
    row = BankTransaction.objects.create(
        key="k2", booked_on=date(2025, 9, 26), amount=Decimal("5600"), status="matched",
        statement_name="x.csv",
    )  # fmt: skip
    version = data_version()
    assert services.apply_transaction(bank_transaction=row, tenant=bea, for_month=None) == (
        claim.payment
    )
    assert Payment.objects.filter(tenant=bea).count() == 1  # the money came once
    assert Payment.objects.get(tenant=bea).bank_key == "k2"
    assert balance_of(tenant=bea) == balance
    assert data_version() != version
    row.refresh_from_db()
    assert row.status == "applied" and row.payment == claim.payment


def test_a_claim_far_from_what_is_open_is_asked_about_first(client, household):
    """The same rule as every payment form: 56 000 for a 5 600 month is asked about."""
    bea = household["bea"]
    client_for(client, make_member(household))
    url = reverse("rent:statement", args=[bea.pk])
    typo = {"amount": "56 000", "paid_on": "2025-09-25", "message": ""}
    asked = client.post(url, typo)
    page = asked.content.decode()
    assert asked.status_code == 200 and not PaymentClaim.objects.exists()
    assert "Betalt 56 000 kr, men att betala är 5 600 kr." in page
    assert 'data-testid="confirm-payment"' in page
    assert client.post(url, {**typo, "confirm_payment": "on"}).status_code == 302
    assert PaymentClaim.objects.get().amount == Decimal("56000")


def test_a_refused_claim_keeps_what_was_typed_and_the_form_offers_the_amount_owed(
    client, household
):
    bea = household["bea"]
    make_ledger_row(bea, rent_month=date(2025, 11, 1), amount_due=Decimal("3312.50"))
    owed = balance_of(tenant=bea)
    assert owed % 1 == Decimal("0.50")  # öre, to see them offered as typed
    client_for(client, make_member(household))
    url = reverse("rent:statement", args=[bea.pk])
    fresh = client.get(url).content.decode()
    assert f'name="amount" required value="{format_money_input(owed)}"' in fresh  # offered
    assert f"Du är skyldig {format_kronor(owed)}." in visible_text(fresh)
    typed = {"amount": "33 12", "paid_on": "2025-09-20", "message": "Swish i fredags"}
    html = client.post(url, typed).content.decode()
    assert 'name="amount" required value="33 12"' in html
    assert 'name="paid_on" required value="2025-09-20"' in html
    assert 'value="Swish i fredags"' in html
    assert not PaymentClaim.objects.exists()
