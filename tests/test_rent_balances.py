from datetime import date
from decimal import Decimal

import pytest

from rent.balances import balance_of, balances, statement_lines, with_balance
from tests.builders import make_ledger_row, make_tenant

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


def test_statement_lines_run_oldest_first_and_end_at_the_balance():
    adam = make_tenant("Adam")
    make_ledger_row(adam, date(2025, 11, 1), amount_due=Decimal("500"))
    make_ledger_row(adam, date(2025, 10, 1), amount_due=Decimal("300"), amount_paid=Decimal("400"))

    lines = statement_lines(tenant=adam)

    assert [line.rent_month for line in lines] == [date(2025, 10, 1), date(2025, 11, 1)]
    assert [line.balance for line in lines] == [Decimal("-100"), Decimal("500")]
    assert [line.running_balance for line in lines] == [Decimal("-100"), Decimal("400")]
    assert lines[-1].running_balance == balance_of(tenant=adam)


def test_settled_credit_is_recorded_and_the_balances_agree():
    from rent.balances import SettlementError, settle_credit

    adam = make_tenant("Adam")
    make_ledger_row(adam, date(2025, 9, 1), amount_due=Decimal("5434"), amount_paid=Decimal("6140"))
    nov = make_ledger_row(adam, date(2025, 11, 1), amount_due=Decimal("5434"))
    with pytest.raises(SettlementError):
        settle_credit(tenant=adam, amount=Decimal("706"), kind="refund", on=date(2025, 10, 1))
    settle_credit(
        tenant=adam,
        amount=Decimal("706"),
        kind="toward_month",
        on=date(2025, 10, 1),
        rent_month=date(2025, 11, 1),
    )
    nov.refresh_from_db()
    assert nov.amount_paid == Decimal("706")
    assert balance_of(tenant=adam) == Decimal("4728") == balances()[adam.pk]
    lines = statement_lines(tenant=adam)
    assert lines[-1].running_balance == balance_of(tenant=adam)
    assert any(line.is_settlement for line in lines)


def test_a_refund_counts_like_an_amount_due():
    from rent.balances import settle_credit

    bea = make_tenant("Bea")
    make_ledger_row(bea, amount_due=Decimal("5294"), amount_paid=Decimal("6000"))
    settle_credit(tenant=bea, amount=Decimal("706"), kind="refund", on=date(2025, 10, 1))
    assert balance_of(tenant=bea) == 0 == with_balance().get(pk=bea.pk).balance
    assert statement_lines(tenant=bea)[-1].running_balance == 0
