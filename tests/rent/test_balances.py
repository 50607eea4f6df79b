from datetime import date
from decimal import Decimal

import pytest

from rent.ledger.balances import (
    SettlementError,
    balance_of,
    balances,
    recent_statement,
    settle_credit,
    statement_lines,
    with_balance,
)
from rent.models import Payment
from rent.versioning import data_version
from tests.builders import make_ledger_row, make_payment, make_tenant

pytestmark = pytest.mark.django_db


def test_balance_is_due_minus_paid_summed_and_keeps_credit():
    adam = make_tenant("Adam")
    make_ledger_row(adam, date(2025, 9, 1), amount_due=Decimal("6000"), amount_paid=Decimal("6000"))
    make_ledger_row(
        adam, date(2025, 10, 1), amount_due=Decimal("5294"), amount_paid=Decimal("6000")
    )
    make_ledger_row(adam, date(2025, 11, 1), amount_due=Decimal("5294"))

    assert balance_of(tenant=adam) == Decimal("4588")  # 5294 owed, less 706 credit


def test_an_overpayment_is_a_negative_balance_not_zero():
    bea = make_tenant("Bea")
    make_ledger_row(bea, amount_due=Decimal("5294"), amount_paid=Decimal("6000.50"))

    assert balance_of(tenant=bea) == Decimal("-706.50")


def test_balances_cover_every_tenant_in_one_query(django_assert_num_queries):
    adam, bea, cia = make_tenant("Adam"), make_tenant("Bea"), make_tenant("Cia")
    make_ledger_row(adam, amount_due=Decimal("100"), amount_paid=Decimal("40"))
    make_ledger_row(bea, amount_due=Decimal("100"), amount_paid=Decimal("150"))

    with django_assert_num_queries(1):
        result = balances()

    assert result == {adam.pk: Decimal("60"), bea.pk: Decimal("-50"), cia.pk: Decimal("0")}
    assert with_balance().get(pk=bea.pk).balance == Decimal("-50")


def test_statement_lines_show_months_and_payments_oldest_first_ending_at_the_balance():
    adam = make_tenant("Adam")
    make_ledger_row(adam, date(2025, 11, 1), amount_due=Decimal("500"))
    make_ledger_row(adam, date(2025, 10, 1), amount_due=Decimal("300"))
    make_payment(adam, "400", date(2025, 10, 20), reference="KK2510ADAM")

    lines = statement_lines(tenant=adam)

    assert [(line.when, line.is_payment) for line in lines] == [
        (date(2025, 10, 1), False),
        (date(2025, 10, 20), True),
        (date(2025, 11, 1), False),
    ]
    # October is paid, the 100 kr over counts toward November.
    assert [line.amount_paid for line in lines] == [Decimal("300"), Decimal("400"), Decimal("100")]
    assert [line.running_balance for line in lines] == [
        Decimal("300"),
        Decimal("-100"),
        Decimal("400"),
    ]
    assert "KK2510ADAM" in lines[1].label
    assert lines[-1].running_balance == balance_of(tenant=adam)


def test_credit_paid_back_is_a_negative_payment_and_the_balances_agree():
    adam = make_tenant("Adam")
    make_ledger_row(adam, date(2025, 9, 1), amount_due=Decimal("5434"), amount_paid=Decimal("6140"))
    with pytest.raises(SettlementError) as refused:
        settle_credit(tenant=adam, amount=Decimal("707"), on=date(2025, 10, 1))
    assert refused.value.code == "not_enough_credit"
    assert refused.value.message == "Adam har bara 706 kr tillgodo."
    with pytest.raises(SettlementError) as refused:
        settle_credit(tenant=adam, amount=Decimal("0"), on=date(2025, 10, 1))
    assert refused.value.code == "amount_not_positive"
    version = data_version()
    refund = settle_credit(tenant=adam, amount=Decimal("706"), on=date(2025, 10, 1))
    assert data_version() != version
    assert refund.amount == Decimal("-706") and Payment.objects.filter(tenant=adam).count() == 2
    assert balance_of(tenant=adam) == 0 == balances()[adam.pk]
    lines = statement_lines(tenant=adam)
    assert lines[-1].running_balance == 0 and lines[-1].is_settlement


def test_credit_counts_toward_a_month_saved_later_by_itself():
    bea = make_tenant("Bea")
    make_ledger_row(bea, date(2025, 9, 1), amount_due=Decimal("5294"), amount_paid=Decimal("6000"))
    assert balance_of(tenant=bea) == Decimal("-706")
    october = make_ledger_row(bea, date(2025, 10, 1), amount_due=Decimal("5294"))
    assert october.amount_paid == Decimal("706")
    assert balance_of(tenant=bea) == Decimal("4588") == with_balance().get(pk=bea.pk).balance
    assert statement_lines(tenant=bea)[-1].running_balance == Decimal("4588")


@pytest.mark.parametrize("since", [date(2025, 1, 1), date(2025, 8, 1), date(2025, 9, 26)])
def test_a_recent_statement_is_the_tail_of_the_whole_one_after_the_summed_balance_before(
    since, django_assert_num_queries
):
    adam = make_tenant("Adam")
    make_ledger_row(adam, date(2025, 7, 1), amount_due=Decimal("7000"), amount_paid=Decimal(7000),
                    paid_on=date(2025, 6, 25))  # fmt: skip
    make_ledger_row(adam, date(2025, 8, 1), amount_due=Decimal("7100"))
    make_payment(adam, "5000", paid_on=date(2025, 7, 26))
    make_ledger_row(adam, date(2025, 9, 1), amount_due=Decimal("7200"))
    make_payment(adam, "-300", paid_on=date(2025, 9, 30))
    whole = statement_lines(tenant=adam)
    tail = [line for line in whole if line.when >= since]
    with django_assert_num_queries(3):
        recent = recent_statement(tenant=adam, since=since)
    assert recent.lines == tail
    assert recent.earlier == len(whole) - len(tail)
    assert recent.opening == (
        whole[len(whole) - len(tail) - 1].running_balance if recent.earlier else 0
    )
    assert recent.balance == balance_of(tenant=adam) == whole[-1].running_balance
