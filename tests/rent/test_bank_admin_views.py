"""The admin's bank statement page: upload → map columns (once per layout) → preview →
import → apply; bad files get a Swedish message and record nothing; members cannot."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rent.bank.readers import Table
from rent.ledger.balances import balance_overview, balances
from rent.models import BankLayout, BankTransaction, BankTransactionStatus, BankUpload, Payment
from tests.admin_helpers import client_for, make_household, make_member
from tests.builders import STATEMENT_WRITERS, hostile_statements, make_ledger_row, make_tenant
from tests.people import make_treasurer

pytestmark = pytest.mark.django_db

OCT = date(2025, 10, 1)
ROWS = [
    ("2025-09-24", Decimal("7000"), "Hyra KK2510ADAM", "Adam"),
    ("2025-09-25", Decimal("5600"), "Hyra", "BEA"),
    ("2025-09-26", Decimal("-499"), "Bredband", "Bahnhof AB"),
]


@pytest.fixture
def household():
    people = make_household()
    make_ledger_row(people["adam"], OCT, amount_due=Decimal("7000"))
    make_ledger_row(people["bea"], OCT, amount_due=Decimal("5600"))
    return people


def page():
    return reverse("admin:rent_bank_statement")


def send(client, data: bytes, name="kontoutdrag.csv"):
    return client.post(
        page(), {"action": "upload", "statement": SimpleUploadedFile(name, data)}, follow=True
    )


def test_upload_map_preview_import_and_apply(client, household):
    client_for(client, make_treasurer())
    mapped = send(client, STATEMENT_WRITERS["comma-utf8-bom"](ROWS))
    assert "Vilken kolumn är vad?" in mapped.content.decode()
    upload = BankUpload.objects.get()
    preview = client.post(
        reverse("admin:rent_bank_map", args=[upload.pk]),
        {"date": "0", "amount": "2", "text": "1", "counterpart": ""},
        follow=True,
    )
    html = preview.content.decode()
    assert "Matchade: 2" in html and "utgående: 1" in html
    assert not BankTransaction.objects.exists()
    done = client.post(reverse("admin:rent_bank_preview", args=[upload.pk]), follow=True)
    assert "Importerat: 2 matchade" in done.content.decode()
    assert BankTransaction.objects.count() == 3 and not BankUpload.objects.exists()
    assert not Payment.objects.filter(source="bank").exists()
    client.post(page(), {"action": "apply_matched"})
    assert balances()[household["adam"].pk] == 0 == balances()[household["bea"].pk]
    # The same layout again: recognised, straight to the preview; every line already there.
    again = send(client, STATEMENT_WRITERS["comma-utf8-bom"](ROWS))
    assert "redan importerade: 3" in again.content.decode()
    assert BankLayout.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Filen är tom."),
        (b"2025-09-24;7000;Hyra\n", "Rad 1: första raden ska namnge kolumnerna"),
        (b"Datum;Belopp;Text\n2025-09-24;sju;Hyra\n", 'Rad 2, kolumnen Belopp: "sju"'),
        ("Datum;Belopp;Text\nigår;7000;Hyra\n".encode(), 'Rad 2, kolumnen Datum: "igår"'),
        (b"Datum;Belopp;Text\n" + b"2025-09-24;7000;Hyra\n" * 1_000_000, "Filen är 21.0 MB"),
    ],
    ids=["empty", "no-header", "text-amount", "not-a-date", "20-MB"],
)
def test_a_bad_file_gets_a_swedish_message_and_nothing_is_recorded(
    client, household, data, message
):
    client_for(client, make_treasurer())
    BankLayout.objects.create(
        signature=Table(["Datum", "Belopp", "Text"], []).signature,
        headers=["Datum", "Belopp", "Text"],
        date_column=0,
        amount_column=1,
        text_column=2,
    )
    response = send(client, data)
    assert response.status_code == 200
    assert any(message in str(m) for m in response.context["messages"]), message
    assert not BankTransaction.objects.exists() and not BankUpload.objects.exists()
    assert not Payment.objects.filter(source="bank").exists()


def test_a_member_cannot_upload(client, household):
    client_for(client, make_member(household))
    assert client.get(page()).status_code == 403


def test_a_suggestion_is_applied_one_at_a_time_or_set_aside(client, household):
    client_for(client, make_treasurer())
    partial = BankTransaction.objects.create(
        key="a", booked_on=date(2025, 9, 26), amount=Decimal("3000"), counterpart="Adam",
        status="suggested", suggestions=[household["adam"].pk], statement_name="x.csv",
    )  # fmt: skip
    gift = BankTransaction.objects.create(
        key="b", booked_on=date(2025, 9, 26), amount=Decimal("50"), counterpart="Mormor",
        status="unmatched", statement_name="x.csv",
    )  # fmt: skip
    html = client.get(page()).content.decode()
    assert "Förslag: Adam" in html
    bad_month = client.post(
        page(), {"action": "apply", "transaction": partial.pk,
                 "tenant": household["adam"].pk, "month": "oktober"}, follow=True,
    )  # fmt: skip
    assert "Månaden ska skrivas som 2025-10." in bad_month.content.decode()
    client.post(page(), {"action": "apply", "transaction": partial.pk,
                         "tenant": household["adam"].pk, "month": "2025-10"})  # fmt: skip
    partial.refresh_from_db()
    assert partial.status == BankTransactionStatus.APPLIED
    assert (partial.payment.amount, partial.payment.for_month) == (Decimal("3000"), OCT)
    again = client.post(page(), {"action": "apply", "transaction": partial.pk,
                                 "tenant": household["adam"].pk}, follow=True)  # fmt: skip
    assert "redan registrerad" in again.content.decode()
    client.post(page(), {"action": "ignore", "transaction": gift.pk})
    gift.refresh_from_db()
    assert gift.status == BankTransactionStatus.IGNORED and Payment.objects.count() == 1


def test_a_line_recorded_in_another_tab_is_not_set_aside(client, household):
    """Two tabs: one records the line as Adam's payment, the other then sets it aside. The
    line stays recorded, and the second tab is told."""
    client_for(client, make_treasurer())
    line = BankTransaction.objects.create(
        key="a", booked_on=date(2025, 9, 26), amount=Decimal("3000"), counterpart="Adam",
        status="suggested", suggestions=[household["adam"].pk], statement_name="x.csv",
    )  # fmt: skip
    client.post(page(), {"action": "apply", "transaction": line.pk,
                         "tenant": household["adam"].pk, "month": "2025-10"})  # fmt: skip
    late = client.post(page(), {"action": "ignore", "transaction": line.pk}, follow=True)
    assert "redan registrerad" in late.content.decode()
    line.refresh_from_db()
    assert line.status == BankTransactionStatus.APPLIED and line.payment is not None


SET_ASIDE = '<td class="field-status">ingen hyresbetalning</td>'


def test_the_bank_lines_list_shows_an_import_and_a_line_set_aside_at_once(client, household):
    """The list's table is kept under the data version (KeptListMixin): importing a statement
    and setting a line aside each make a new one, so the next reading shows them."""
    client_for(client, make_treasurer())
    lines = reverse("admin:rent_banktransaction_changelist")
    assert "Mormor" not in client.get(lines).content.decode()
    gift = [("2025-09-27", Decimal("50"), "Present", "Mormor")]
    send(client, STATEMENT_WRITERS["semicolon-cp1252"](gift))
    upload = BankUpload.objects.get()
    client.post(
        reverse("admin:rent_bank_map", args=[upload.pk]),
        {"date": "0", "amount": "1", "text": "2", "counterpart": "3"},
    )
    client.post(reverse("admin:rent_bank_preview", args=[upload.pk]))
    line = BankTransaction.objects.get(counterpart="Mormor")
    listed = client.get(lines).content.decode()
    assert "Mormor" in listed and SET_ASIDE not in listed
    client.post(page(), {"action": "ignore", "transaction": line.pk})
    assert SET_ASIDE in client.get(lines).content.decode()


# Money in, once: the scenario ----------------------------------------------------------

JAN_2027 = date(2027, 1, 1)


def test_a_payment_recorded_by_hand_then_found_on_the_statement_is_recorded_once(client):
    """Alva's 3 312,50 recorded by hand with KK2701ALVA, then a statement holding the same
    payment: the preview says "redan registrerad", "Registrera alla" records nothing again,
    her balance stays 154,50 owed, and the payment keeps its reference and gets the line."""
    alva = make_tenant("Alva")
    bo = make_tenant("Bo")
    make_ledger_row(alva, JAN_2027, amount_due=Decimal("3467"))
    make_ledger_row(bo, JAN_2027, amount_due=Decimal("3000"))
    client_for(client, make_treasurer())
    by_hand = {"tenant": str(alva.pk), "paid_on": "2026-12-27", "amount": "3 312,50",
               "method": "swish", "for_month": "", "reference": "KK2701ALVA", "message": "",
               "note": "", "confirm_payment": "on", "_save": "Spara"}  # fmt: skip
    assert client.post(reverse("admin:rent_payment_add"), by_hand).status_code == 302
    assert balances()[alva.pk] == Decimal("154.50")

    statement = [
        ("2026-12-28", Decimal("3312.50"), "Swish KK2701ALVA", "ALVA"),  # a day later
        ("2026-12-28", Decimal("3000"), "Hyra KK2701BO", "BO"),
    ]
    preview = send(client, STATEMENT_WRITERS["semicolon-cp1252"](statement))
    upload = BankUpload.objects.get()
    if "Vilken kolumn är vad?" in preview.content.decode():
        preview = client.post(
            reverse("admin:rent_bank_map", args=[upload.pk]),
            {"date": "0", "amount": "1", "text": "2", "counterpart": "3"},
            follow=True,
        )
    html = preview.content.decode()
    assert html.count('data-testid="recorded"') == 1
    assert "Alva (KK2701ALVA): redan registrerad" in html and "Matchade: 1" in html
    client.post(reverse("admin:rent_bank_preview", args=[upload.pk]))
    waiting = client.get(page()).content.decode()
    assert waiting.count('class="matched-row"') == 1  # Bo's line only
    client.post(page(), {"action": "apply_matched"})  # "Registrera alla"

    alva_payments = list(Payment.objects.filter(tenant=alva))
    assert len(alva_payments) == 1
    payment = alva_payments[0]
    line = BankTransaction.objects.get(amount=Decimal("3312.50"))
    assert (payment.reference, payment.bank_key, payment.source) == ("KK2701ALVA", line.key, "hand")
    assert line.payment_id == payment.pk and line.status == "applied"
    assert balances()[alva.pk] == Decimal("154.50")
    overview = balance_overview()
    assert [(row.tenant.name, row.balance) for row in overview.owing] == [
        ("Alva", Decimal("154.50"))
    ]
    assert overview.credit == []
    assert "154,50 kr" in client.get(reverse("admin:rent_balances")).content.decode()
    assert Payment.objects.get(tenant=bo).reference == "KK2701BO"  # the imported one keeps it
    # The same statement again: every line already imported, nothing more recorded.
    again = send(client, STATEMENT_WRITERS["semicolon-cp1252"](statement))
    assert "redan importerade: 2" in again.content.decode()
    assert Payment.objects.count() == 2


def datum_belopp_text_layout():
    return BankLayout.objects.create(
        signature=Table(["Datum", "Belopp", "Text"], []).signature,
        headers=["Datum", "Belopp", "Text"],
        date_column=0,
        amount_column=1,
        text_column=2,
    )


# What each hostile statement is told (after "<file name>: ").
HOSTILE_MESSAGES = {
    "random-bytes": "Rad 1: innehåller ett NUL-tecken; det här är inget kontoutdrag i text.",
    "amount-1e30": 'Rad 2, kolumnen Belopp: "1e30" är inget belopp (t.ex. -1 234,50).',
    "amount-40-digits": f'Rad 2, kolumnen Belopp: "{"9" * 40}" är inget belopp (t.ex. -1 234,50).',
    "nul-in-text": "Rad 2: innehåller ett NUL-tecken; det här är inget kontoutdrag i text.",
    "cell-over-csv-limit": "Rad 2: går inte att läsa som CSV (field larger than field limit",
    "100000-rows": "Rad 5002: ett kontoutdrag har högst 5000 rader; dela upp filen.",
    "xlsx-bomb": "XLSX-filen packas upp till 30.0 MB; högst 25.0 MB läses.",
}


@pytest.mark.parametrize("name", list(HOSTILE_MESSAGES))
def test_each_hostile_statement_gets_a_message_and_leaves_nothing_behind(client, household, name):
    """Issue 21: each once answered 500 and left a BankUpload row behind."""
    client_for(client, make_treasurer())
    datum_belopp_text_layout()
    file_name = f"{name}.xlsx" if name.startswith("xlsx") else f"{name}.csv"
    response = send(client, hostile_statements()[name], name=file_name)
    assert response.status_code == 200
    said = [str(m) for m in response.context["messages"]]
    assert len(said) == 1 and said[0].startswith(f"{file_name}: "), said
    assert said[0].startswith(f"{file_name}: {HOSTILE_MESSAGES[name]}"), said
    assert not BankUpload.objects.exists() and not BankTransaction.objects.exists()


def test_the_waiting_lists_are_paginated(client, household, django_assert_max_num_queries):
    client_for(client, make_treasurer())
    BankTransaction.objects.bulk_create(
        BankTransaction(
            key=f"k{i}",
            booked_on=date(2025, 9, 1),
            amount=Decimal(100 + i),
            status="unmatched",
            statement_name="x.csv",
            counterpart=f"Okänd {i}",
        )  # fmt: skip
        for i in range(120)
    )
    with django_assert_max_num_queries(20):
        first = client.get(page()).content.decode()
    assert first.count('name="transaction"') == 50
    assert "Sida 1 av 3 (120 rader)" in first and "others_page=2" in first
    last = client.get(page(), {"others_page": 3}).content.decode()
    assert last.count('name="transaction"') == 20 and "Okänd 119" in last


def test_a_utf16_statement_is_mapped_previewed_and_imported(client, household):
    """A UTF-16 file once put NUL characters in the layout (a DataError on PostgreSQL)."""
    client_for(client, make_treasurer())
    text = "Datum;Belopp;Text\n2025-09-24;7000;Hyra KK2510ADAM\n"
    mapped = send(client, text.encode("utf-16"), name="utf16.csv")
    assert "Vilken kolumn är vad?" in mapped.content.decode()
    upload = BankUpload.objects.get()
    client.post(
        reverse("admin:rent_bank_map", args=[upload.pk]), {"date": "0", "amount": "1", "text": "2"}
    )
    assert BankLayout.objects.get().headers == ["Datum", "Belopp", "Text"]
    client.post(reverse("admin:rent_bank_preview", args=[upload.pk]))
    assert list(BankTransaction.objects.values_list("amount", "text")) == [
        (Decimal("7000.00"), "Hyra KK2510ADAM")
    ]
