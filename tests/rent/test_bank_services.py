"""rent.bank.services (and matching): a statement in each of three layouts matched to the
ledger (reference code, name and amount with and without accents, two months at once, a
partial payment, a stranger, an outgoing payment), imported once whatever is uploaded again,
and recorded as payments only when applied."""

from datetime import date
from decimal import Decimal

import pytest

from rent.bank import services
from rent.bank.matching import MatchStatus
from rent.bank.readers import StatementError, guess_mapping
from rent.ledger.balances import balance_of
from rent.ledger.payments import record_payment
from rent.models import BankTransaction, BankTransactionStatus, Payment, RentLedger
from rent.versioning import data_version
from tests.builders import STATEMENT_WRITERS, make_ledger_row, make_tenant

pytestmark = pytest.mark.django_db

OCT, NOV = date(2025, 10, 1), date(2025, 11, 1)


@pytest.fixture
def house():
    people = {
        "alva": make_tenant("Alva Ek"),
        "asa": make_tenant("Åsa Öberg"),
        "bruno": make_tenant("Bruno", payer_names="B. Lindqvist\n"),
        "cecilia": make_tenant("Cecilia"),
    }
    for key, due in [("alva", 7000), ("asa", 7100), ("bruno", 7100), ("cecilia", 6000)]:
        make_ledger_row(people[key], OCT, amount_due=Decimal(due))
        make_ledger_row(people[key], NOV, amount_due=Decimal(due))
    return people


FIRST = [
    ("2025-09-24", Decimal("7000"), "Hyra kk2510alva", "ALVA EK"),  # the code, any case
    ("2025-09-25", Decimal("7100"), "Swish hyra", "ASA OBERG"),  # name without accents
    ("2025-09-25", Decimal("14200"), "Oktober och november", "B. Lindqvist"),  # an alias
    ("2025-09-26", Decimal("3000"), "Del av hyran", "Cecilia"),  # partial: a suggestion
]
SECOND = [
    ("2025-09-26", Decimal("3000"), "Del av hyran", "Cecilia"),  # overlaps the first
    ("2025-09-27", Decimal("500"), "Present", "Okänd Person"),  # a stranger
    ("2025-09-27", Decimal("-1234.50"), "Vattenfall", "Vattenfall AB"),  # outgoing
]


def upload(layout: str, rows):
    table = services.read_upload(STATEMENT_WRITERS[layout](rows))
    known = services.layout_for(table)
    if known is None:
        known = services.save_layout(table=table, columns=guess_mapping(table.headers))
    return services.preview(table, known)


@pytest.mark.parametrize("layout", list(STATEMENT_WRITERS))
def test_a_statement_is_matched_imported_once_and_applied(house, layout):
    matches = upload(layout, FIRST)
    assert [(m.status, m.person_id) for m in matches] == [
        (MatchStatus.MATCHED, house["alva"].pk),
        (MatchStatus.MATCHED, house["asa"].pk),
        (MatchStatus.MATCHED, house["bruno"].pk),
        (MatchStatus.SUGGESTED, None),
    ]
    assert (matches[0].reason, matches[0].for_month) == ("reference", OCT)
    assert matches[3].suggestions == [house["cecilia"].pk]
    report = services.import_statement(matches=matches, name="sept.csv")
    assert (report[MatchStatus.MATCHED], report[MatchStatus.SUGGESTED]) == (3, 1)
    assert not Payment.objects.filter(source="bank").exists()  # nothing without the treasurer

    again = upload(layout, FIRST)
    assert {m.status for m in again} == {"already"}
    assert services.import_statement(matches=again, name="sept.csv")["already"] == 4

    overlapping = upload(layout, SECOND)
    assert [m.status for m in overlapping] == [
        MatchStatus.ALREADY,
        MatchStatus.UNMATCHED,
        MatchStatus.OUTGOING,
    ]
    services.import_statement(matches=overlapping, name="sept-2.csv")
    assert BankTransaction.objects.count() == 6  # every line once, outgoing ones listed too

    before = data_version()
    assert services.apply_matched() == 3
    assert data_version() != before  # recording bumps the version itself
    assert services.apply_matched() == 0
    paid = {
        (row.tenant.name, row.rent_month): row.amount_paid
        for row in RentLedger.objects.select_related("tenant")
    }
    assert paid[("Alva Ek", OCT)] == Decimal("7000")
    assert paid[("Åsa Öberg", OCT)] == Decimal("7100")
    assert paid[("Bruno", OCT)] == paid[("Bruno", NOV)] == Decimal("7100")  # two months
    alva_payment = Payment.objects.get(tenant=house["alva"])
    assert (alva_payment.reference, alva_payment.source, alva_payment.for_month) == (
        "KK2510ALVA",
        "bank",
        OCT,
    )
    partial = BankTransaction.objects.get(status=BankTransactionStatus.SUGGESTED)
    services.apply_transaction(bank_transaction=partial, tenant=house["cecilia"], for_month=None)
    assert balance_of(tenant=house["cecilia"]) == Decimal("9000")
    with pytest.raises(services.ApplyError) as refused:
        services.apply_transaction(
            bank_transaction=partial, tenant=house["cecilia"], for_month=None
        )
    assert refused.value.code == "bank_line_recorded"
    assert Payment.objects.filter(source="bank").count() == 4


def test_a_bad_row_records_nothing(house):
    data = b"Datum;Belopp;Text\n2025-09-24;7000;KK2510ALVA\n2025-09-25;sjutusen;Hyra\n"
    table = services.read_upload(data)
    layout = services.save_layout(table=table, columns=guess_mapping(table.headers))
    with pytest.raises(StatementError) as refused:
        services.preview(table, layout)
    assert (refused.value.code, refused.value.params["row"]) == ("statement_not_an_amount", 3)
    assert refused.value.message.startswith("Rad 3")
    assert not BankTransaction.objects.exists()


def test_a_layout_mapped_once_is_recognised_next_time(house):
    table = services.read_upload(STATEMENT_WRITERS["xlsx"](FIRST))
    assert services.layout_for(table) is None
    saved = services.save_layout(table=table, columns={"date": 0, "amount": 3, "text": 2,
                                                       "counterpart": 1})  # fmt: skip
    later = services.read_upload(STATEMENT_WRITERS["xlsx"](SECOND))
    assert services.layout_for(later) == saved


def test_apply_matched_skips_a_line_recorded_meanwhile_by_a_second_click(house, monkeypatch):
    services.import_statement(matches=upload("semicolon-cp1252", FIRST), name="sept.csv")
    lines = list(BankTransaction.objects.filter(status=MatchStatus.MATCHED).order_by("pk"))
    apply = services.apply_transaction

    def second_click_first(**kwargs):
        # The other request records the last line after this one listed it.
        if not lines[-1].payment_id and kwargs["bank_transaction"].pk != lines[-1].pk:
            apply(bank_transaction=lines[-1], tenant=lines[-1].tenant, for_month=None)
            lines[-1].refresh_from_db()
        return apply(**kwargs)

    monkeypatch.setattr(services, "apply_transaction", second_click_first)
    assert services.apply_matched() == 2  # the third was recorded by the other click
    assert Payment.objects.filter(source="bank").count() == 3  # each line once


# Money in, once: lines that are payments already recorded -------------------------------------


def line(day: str, amount: str, text: str, payer: str = ""):
    return (day, Decimal(amount), text, payer)


@pytest.mark.parametrize(
    ("recorded_on", "reference", "linked"),
    [
        (date(2025, 9, 22), "", True),  # two days before the bank's date
        (date(2025, 9, 29), "", True),  # five days after
        (date(2025, 9, 14), "", False),  # ten days apart: another payment
        (date(2025, 9, 4), "KK2510ALVA", True),  # far apart, but the same reference
    ],
)
def test_a_line_that_is_a_payment_recorded_by_hand_is_linked_not_recorded_again(
    house, recorded_on, reference, linked
):
    alva = house["alva"]
    by_hand = record_payment(
        tenant=alva, amount=Decimal("7000"), paid_on=recorded_on, reference=reference
    )
    matches = upload("semicolon-cp1252", [line("2025-09-24", "7000", "Hyra KK2510ALVA", "ALVA")])
    assert [(m.status, m.person_id) for m in matches] == [
        (MatchStatus.RECORDED if linked else MatchStatus.MATCHED, alva.pk)
    ]
    before = data_version()
    services.import_statement(matches=matches, name="sept.csv")
    services.apply_matched()
    payments = list(Payment.objects.filter(tenant=alva))
    assert len(payments) == (1 if linked else 2)
    bank_line = BankTransaction.objects.get()
    by_hand.refresh_from_db()
    if linked:
        assert bank_line.payment == by_hand and by_hand.bank_key == bank_line.key
        assert by_hand.reference == "KK2510ALVA"  # kept, or taken from the bank's text
        assert data_version() != before
    assert balance_of(tenant=alva) == Decimal("14000") - sum(p.amount for p in payments)


def test_one_payment_recorded_by_hand_is_one_line_of_two_alike(house):
    alva = house["alva"]
    record_payment(tenant=alva, amount=Decimal("7000"), paid_on=date(2025, 9, 24))
    twice = [line("2025-09-24", "7000", "KK2510ALVA"), line("2025-09-25", "7000", "KK2511ALVA")]
    matches = upload("semicolon-cp1252", twice)
    assert [m.status for m in matches] == [MatchStatus.RECORDED, MatchStatus.MATCHED]


def test_a_payment_recorded_by_hand_after_the_import_is_still_recorded_once(house):
    """The line waits as a sure match; the treasurer records the money by hand meanwhile;
    "Registrera alla" then links the line to it instead of recording it again."""
    alva = house["alva"]
    matches = upload("semicolon-cp1252", [line("2025-09-24", "7000", "Hyra", "Alva Ek")])
    services.import_statement(matches=matches, name="sept.csv")
    by_hand = record_payment(tenant=alva, amount=Decimal("7000"), paid_on=date(2025, 9, 25))
    assert services.apply_matched() == 0  # no new payment
    assert list(Payment.objects.filter(tenant=alva)) == [by_hand]
    assert BankTransaction.objects.get().payment == by_hand


def test_an_imported_payment_keeps_the_reference_found_in_the_payer_column(house):
    """The code may stand in the payer's column (or the text): the payment keeps it."""
    matches = upload("semicolon-cp1252", [line("2025-09-24", "7000", "Swish", "KK2510ALVA")])
    services.import_statement(matches=matches, name="sept.csv")
    services.apply_matched()
    assert Payment.objects.get(tenant=house["alva"]).reference == "KK2510ALVA"


def test_the_stored_match_statuses_are_the_models_statuses():
    """What matching says of a line is stored as it is, except RECORDED (stored as matched,
    linked to its payment) and ALREADY (not stored again)."""
    stored = set(MatchStatus) - {MatchStatus.RECORDED, MatchStatus.ALREADY}
    assert {str(status) for status in stored} <= set(BankTransactionStatus.values)
    assert set(BankTransactionStatus.values) - {str(s) for s in stored} == {"applied", "ignored"}
