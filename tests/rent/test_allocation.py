"""rent.ledger.allocation: how payments spread over months (a plain function, no database)."""

from datetime import date
from decimal import Decimal

from rent.ledger.allocation import Money, Month, allocate

SEP, OCT, NOV = date(2025, 9, 1), date(2025, 10, 1), date(2025, 11, 1)


def months(*dues):
    return [Month(key, month, Decimal(due)) for key, (month, due) in enumerate(dues)]


def test_oldest_open_month_first_and_the_rest_is_credit():
    result = allocate(
        months((NOV, 500), (SEP, 300), (OCT, 400)),
        [Money("p", date(2025, 9, 20), Decimal(1000))],
    )
    assert result.paid == {0: Decimal(300), 1: Decimal(300), 2: Decimal(400)}
    assert result.credit == 0
    assert result.allocations == {("p", 1): 300, ("p", 2): 400, ("p", 0): 300}


def test_a_named_month_goes_first():
    result = allocate(
        months((SEP, 300), (OCT, 400)),
        [Money("p", date(2025, 9, 20), Decimal(400), for_month=OCT)],
    )
    assert result.paid == {0: Decimal(0), 1: Decimal(400)}


def test_an_overpayment_is_credit_and_a_refund_takes_it_back():
    paid = Money("p", date(2025, 9, 20), Decimal(1000))
    result = allocate(months((SEP, 300)), [paid])
    assert (result.paid[0], result.credit) == (Decimal(300), Decimal(700))
    refund = Money("r", date(2025, 9, 25), Decimal(-700))
    result = allocate(months((SEP, 300)), [paid, refund])
    assert (result.paid[0], result.credit) == (Decimal(300), Decimal(0))


def test_a_refund_beyond_the_credit_reopens_the_newest_month():
    result = allocate(
        months((SEP, 300), (OCT, 300)),
        [Money("p", date(2025, 9, 1), Decimal(600)), Money("r", date(2025, 10, 2), Decimal(-100))],
    )
    assert result.paid == {0: Decimal(300), 1: Decimal(200)}


def test_a_correction_named_to_a_month_takes_back_from_that_months_payment():
    result = allocate(
        months((SEP, 300), (OCT, 300)),
        [
            Money("sep", date(2025, 9, 1), Decimal(300), for_month=SEP),
            Money("oct", date(2025, 10, 1), Decimal(300), for_month=OCT),
            Money("fix", date(2025, 10, 2), Decimal(-100), for_month=SEP),
        ],
    )
    assert result.paid == {0: Decimal(200), 1: Decimal(300)}


def test_payments_count_in_the_order_made_and_the_date_is_the_last_counted():
    result = allocate(
        months((SEP, 300)),
        [
            Money("late", date(2025, 9, 28), Decimal(200), order=1),
            Money("early", date(2025, 9, 20), Decimal(200), order=2),
        ],
    )
    assert result.allocations == {("early", 0): 200, ("late", 0): 100}
    assert result.paid_on[0] == date(2025, 9, 28)
    assert result.credit == 100
