"""rent.ledger.payments: payments as rows, allocated to months in the same transaction; the ledger's
paid amount is always the sum of its allocations (a property test over random sequences)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rent.ledger.balances import balance_of, balances, statement_lines
from rent.ledger.payments import (
    PaymentError,
    delete_ledger_rows,
    delete_payments,
    mark_paid_in_full,
    record_payment,
    save_ledger_row,
    save_payment,
    set_paid_for_month,
)
from rent.models import Allocation, Payment, RentLedger
from rent.versioning import data_version
from tests.builders import make_ledger_row, make_payment, make_tenant

pytestmark = pytest.mark.django_db

SEP, OCT, NOV, DEC = (date(2025, m, 1) for m in (9, 10, 11, 12))


def paid(tenant) -> dict:
    return {
        row.rent_month: row.amount_paid
        for row in RentLedger.objects.filter(tenant=tenant).order_by("rent_month")
    }


def assert_consistent(tenant):
    """The rules every state must keep."""
    rows = list(RentLedger.objects.filter(tenant=tenant))
    for row in rows:
        allocated = row.allocations.aggregate(total=Sum("amount"))["total"] or 0
        assert row.amount_paid == allocated, row
        assert 0 <= row.amount_paid <= row.amount_due, row
    payments = Payment.objects.filter(tenant=tenant).aggregate(total=Sum("amount"))["total"] or 0
    allocated = sum((row.amount_paid for row in rows), Decimal(0))
    credit = payments - allocated
    assert credit >= 0 or allocated == 0
    if credit > 0:  # credit only while no month is open
        assert all(row.amount_paid == row.amount_due for row in rows)
    due = sum((row.amount_due for row in rows), Decimal(0))
    assert balance_of(tenant=tenant) == due - payments == balances()[tenant.pk]
    lines = statement_lines(tenant=tenant)
    assert (lines[-1].running_balance if lines else 0) == due - payments


def test_a_partial_payment_then_the_rest():
    adam = make_tenant("Adam")
    make_ledger_row(adam, OCT, amount_due=Decimal("7045"))
    make_payment(adam, "3000", date(2025, 9, 25))
    assert paid(adam) == {OCT: Decimal("3000")}
    assert balance_of(tenant=adam) == Decimal("4045")
    make_payment(adam, "4045", date(2025, 9, 27))
    row = RentLedger.objects.get(tenant=adam)
    assert (row.amount_paid, row.paid_on) == (Decimal("7045"), date(2025, 9, 27))
    assert_consistent(adam)


def test_one_payment_for_two_months_goes_to_the_oldest_first():
    adam = make_tenant("Adam")
    make_ledger_row(adam, OCT, amount_due=Decimal("7000"))
    make_ledger_row(adam, NOV, amount_due=Decimal("7100"))
    payment = make_payment(adam, "14100")
    assert paid(adam) == {OCT: Decimal("7000"), NOV: Decimal("7100")}
    assert sorted(a.ledger_row.rent_month for a in payment.allocations.all()) == [OCT, NOV]
    assert_consistent(adam)


def test_a_named_month_is_paid_first():
    adam = make_tenant("Adam")
    make_ledger_row(adam, OCT, amount_due=Decimal("7000"))
    make_ledger_row(adam, NOV, amount_due=Decimal("7000"))
    make_payment(adam, "7000", for_month=NOV)
    assert paid(adam) == {OCT: Decimal("0"), NOV: Decimal("7000")}
    assert_consistent(adam)


def test_an_overpayment_is_credit_that_counts_toward_the_next_month_and_a_refund():
    adam = make_tenant("Adam")
    make_ledger_row(adam, OCT, amount_due=Decimal("7000"))
    make_payment(adam, "7500")
    assert paid(adam) == {OCT: Decimal("7000")} and balance_of(tenant=adam) == Decimal("-500")
    make_ledger_row(adam, NOV, amount_due=Decimal("7000"))
    assert paid(adam)[NOV] == Decimal("500")
    make_payment(adam, "6600", date(2025, 10, 25))
    assert balance_of(tenant=adam) == Decimal("-100")
    make_payment(adam, "-100", date(2025, 10, 30), method="cash")
    assert balance_of(tenant=adam) == 0 and paid(adam)[NOV] == Decimal("7000")
    assert_consistent(adam)


def test_resaving_a_month_after_payments_moves_the_allocation():
    adam = make_tenant("Adam")
    october = make_ledger_row(adam, OCT, amount_due=Decimal("7000"))
    november = make_ledger_row(adam, NOV, amount_due=Decimal("7000"))
    make_payment(adam, "10000")
    assert paid(adam) == {OCT: Decimal("7000"), NOV: Decimal("3000")}
    october.amount_due = Decimal("6000")  # the month saved again, cheaper
    save_ledger_row(row=october)
    assert paid(adam) == {OCT: Decimal("6000"), NOV: Decimal("4000")}
    october.refresh_from_db()
    october.amount_due = Decimal("8000")
    save_ledger_row(row=october)
    assert paid(adam) == {OCT: Decimal("8000"), NOV: Decimal("2000")}
    delete_ledger_rows(rows=[november])
    assert paid(adam) == {OCT: Decimal("8000")} and balance_of(tenant=adam) == Decimal("-2000")
    assert_consistent(adam)


def test_deleting_a_payment_reopens_its_months():
    adam = make_tenant("Adam")
    make_ledger_row(adam, OCT, amount_due=Decimal("7000"))
    payment = make_payment(adam, "7000")
    delete_payments(payments=[payment])
    assert paid(adam) == {OCT: Decimal("0")} and not Allocation.objects.exists()


def test_paid_in_full_today_records_a_payment_of_what_is_left():
    adam, bea = make_tenant("Adam"), make_tenant("Bea")
    make_ledger_row(adam, OCT, amount_due=Decimal("7000"), amount_paid=Decimal("3000"))
    make_ledger_row(bea, OCT, amount_due=Decimal("5000"), amount_paid=Decimal("5000"))
    assert mark_paid_in_full(rows=RentLedger.objects.all(), on=date(2025, 9, 26)) == 1
    added = Payment.objects.filter(tenant=adam).latest("pk")
    assert (added.amount, added.for_month, added.paid_on) == (
        Decimal("4000"),
        OCT,
        date(2025, 9, 26),
    )
    assert mark_paid_in_full(rows=RentLedger.objects.all(), on=date(2025, 9, 27)) == 0
    assert Payment.objects.count() == 3


def test_saying_the_same_paid_amount_again_records_nothing():
    adam = make_tenant("Adam")
    row = make_ledger_row(adam, OCT, amount_due=Decimal("7000"), amount_paid=Decimal("7000"))
    assert set_paid_for_month(row=row, paid=Decimal("7000"), on=None) is None
    correction = set_paid_for_month(row=row, paid=Decimal("6500"), on=date(2025, 10, 3))
    assert correction.amount == Decimal("-500") and paid(adam) == {OCT: Decimal("6500")}


def test_a_zero_payment_is_refused_by_the_service_and_the_database():
    adam = make_tenant("Adam")
    with pytest.raises(PaymentError) as refused:
        record_payment(tenant=adam, amount=Decimal(0), paid_on=SEP)
    assert refused.value.code == "payment_zero"
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(tenant=adam, amount=Decimal(0), paid_on=SEP)


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("month"), st.integers(0, 5), st.integers(0, 9000)),
        st.tuples(
            st.just("pay"),
            st.integers(-3000, 12000).filter(bool),
            st.integers(0, 60),
            st.one_of(st.none(), st.integers(0, 5)),
        ),
        st.tuples(st.just("delete"), st.integers(0, 20)),
    ),
    max_size=12,
)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_paid_amounts_always_equal_their_allocations_over_random_sequences(operations):
    """Months saved and saved again, payments, refunds and deletions in any order: every rule
    of `assert_consistent` holds after each step."""
    with transaction.atomic():
        tenant = make_tenant("Property")
        for operation in operations:
            if operation[0] == "month":
                _, index, due = operation
                month = date(2025 + index // 12, index % 12 + 1, 1)
                row = RentLedger.objects.filter(tenant=tenant, rent_month=month).first()
                row = row or RentLedger(tenant=tenant, rent_month=month)
                row.amount_due = Decimal(due)
                save_ledger_row(row=row)
            elif operation[0] == "pay":
                _, amount, day, named = operation
                for_month = None if named is None else date(2025, named + 1, 1)
                record_payment(
                    tenant=tenant,
                    amount=Decimal(amount) / 2,  # öre too
                    paid_on=date(2025, 1, 1) + timedelta(days=day),
                    for_month=for_month,
                )
            else:
                payments = list(Payment.objects.filter(tenant=tenant).order_by("pk"))
                if payments:
                    delete_payments(payments=[payments[operation[1] % len(payments)]])
            assert_consistent(tenant)
        transaction.set_rollback(True)


# Every writer: the paid amounts and the data version right after it ---------------------------


def counter() -> int:
    return int(data_version().split("-")[0])


def october_row(tenant):
    return RentLedger.objects.get(tenant=tenant, rent_month=OCT)


def write_record(adam):
    record_payment(tenant=adam, amount=Decimal("3000"), paid_on=SEP)
    return Decimal("4000")


def write_set_paid(adam):
    set_paid_for_month(row=october_row(adam), paid=Decimal("2500"), on=SEP)
    return Decimal("2500")


def write_paid_in_full(adam):
    mark_paid_in_full(rows=RentLedger.objects.filter(tenant=adam), on=SEP)
    return Decimal("7000")


def write_save_payment(adam):
    payment = Payment.objects.get(tenant=adam)
    payment.amount = Decimal("1500")
    save_payment(payment=payment)
    return Decimal("1500")


def write_delete_payments(adam):
    delete_payments(payments=Payment.objects.filter(tenant=adam))
    return Decimal("0")


def write_save_row(adam):
    row = october_row(adam)
    row.amount_due = Decimal("500")  # the month saved again, cheaper: 500 of the 1000 left
    save_ledger_row(row=row)
    return Decimal("500")


def write_new_row(adam):
    """A month saved after a payment: the credit counts toward it."""
    delete_ledger_rows(rows=RentLedger.objects.filter(tenant=adam))
    save_ledger_row(row=RentLedger(tenant=adam, rent_month=OCT, amount_due=Decimal("7000")))
    return Decimal("1000")


WRITERS = [
    write_record,
    write_set_paid,
    write_paid_in_full,
    write_save_payment,
    write_delete_payments,
    write_save_row,
    write_new_row,
]


@pytest.mark.parametrize("write", WRITERS, ids=lambda write: write.__name__)
def test_each_writer_reallocates_and_bumps_the_data_version_itself(write):
    adam = make_tenant("Adam")
    make_ledger_row(adam, OCT, amount_due=Decimal("7000"))
    make_payment(adam, "1000", SEP, for_month=OCT)
    before = counter()
    expected = write(adam)
    assert october_row(adam).amount_paid == expected
    assert counter() > before
    assert_consistent(adam)


def test_no_signal_reallocates_a_write_made_around_the_services():
    """Payments and ledger rows have no signals: a bare save changes only its own row (every
    writer in the app goes through rent.ledger.payments)."""
    adam = make_tenant("Adam")
    row = make_ledger_row(adam, OCT, amount_due=Decimal("7000"))
    before = counter()
    Payment.objects.create(tenant=adam, amount=Decimal("100"), paid_on=SEP)
    row.refresh_from_db()
    assert row.amount_paid == 0 and counter() == before
