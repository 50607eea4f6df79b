"""rent.bank.readers: statement files in three layouts, their columns guessed, and bad files
refused with a Swedish message naming the row."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from rent.bank.readers import (
    Mapping,
    StatementError,
    amount_of,
    guess_mapping,
    read_table,
    read_transactions,
)
from tests.builders import STATEMENT_WRITERS, hostile_statements

ROWS = [
    ("2025-09-24", Decimal("7000"), "Hyra KK2510ALVA", "Alva Ek"),
    ("2025-09-25", Decimal("-1234.50"), "Vattenfall", "Vattenfall AB"),
    ("2025-09-25", Decimal("7100"), "Swish", "Åsa Öberg"),
]
LIMIT = 5_000_000


@pytest.mark.parametrize("layout", list(STATEMENT_WRITERS))
def test_each_layout_reads_the_same_transactions(layout):
    table = read_table(STATEMENT_WRITERS[layout](ROWS), max_bytes=LIMIT)
    guessed = guess_mapping(table.headers)
    assert guessed["date"] is not None and guessed["amount"] is not None
    transactions = read_transactions(table, Mapping(**guessed))
    assert [(t.booked_on, t.amount) for t in transactions] == [
        (date(2025, 9, 24), Decimal("7000")),
        (date(2025, 9, 25), Decimal("-1234.50")),
        (date(2025, 9, 25), Decimal("7100")),
    ]
    said = " ".join(f"{t.text} {t.counterpart}" for t in transactions)
    assert "KK2510ALVA" in said and "Åsa Öberg" in said  # Windows-1252 and UTF-8 alike
    assert [t.row_number for t in transactions] == [2, 3, 4]
    assert not transactions[1].incoming


def test_the_same_line_gets_the_same_key_in_every_file_and_twins_differ():
    rows = [*ROWS, ROWS[0]]
    first = read_transactions(
        table := read_table(STATEMENT_WRITERS["semicolon-cp1252"](rows), max_bytes=LIMIT),
        Mapping(**guess_mapping(table.headers)),
    )
    again = read_transactions(
        table := read_table(STATEMENT_WRITERS["semicolon-cp1252"](ROWS[:1]), max_bytes=LIMIT),
        Mapping(**guess_mapping(table.headers)),
    )
    assert first[0].key == again[0].key
    assert first[3].key != first[0].key  # the same amount twice on one day: two payments
    assert len({t.key for t in first}) == 4


def refusal(data: bytes, mapping=None) -> StatementError:
    with pytest.raises(StatementError) as refused:
        table = read_table(data, max_bytes=LIMIT)
        read_transactions(table, mapping or Mapping(**guess_mapping(table.headers)))
    return refused.value


def bad(data: bytes, mapping=None) -> str:
    """The refusal as the treasurer reads it: its message in the active language (Swedish)."""
    return refusal(data, mapping).message


def test_bad_files_are_refused_in_swedish_naming_the_row():
    assert bad(b"") == "Filen är tom."
    assert bad(b"2025-09-24;7000;Hyra;Alva\n") == (
        "Rad 1: första raden ska namnge kolumnerna (t.ex. Datum;Belopp;Text)."
    )
    text_amount = "Datum;Belopp;Text\n2025-09-24;7000;Hyra\n2025-09-25;sjutusen;Hyra\n"
    assert bad(text_amount.encode()) == (
        'Rad 3, kolumnen Belopp: "sjutusen" är inget belopp (t.ex. -1 234,50).'
    )
    not_a_date = "Datum;Belopp;Text\n2025-13-40;7000;Hyra\n"
    assert bad(not_a_date.encode()) == (
        'Rad 2, kolumnen Datum: "2025-13-40" är inget datum (t.ex. 2025-08-25).'
    )
    huge = b"Datum;Belopp;Text\n" + b"2025-09-24;7000;Hyra\n" * 1_000_000
    assert len(huge) > 20_000_000
    assert bad(huge) == "Filen är 21.0 MB; högst 5.0 MB läses."
    assert (
        bad(b"PK\x03\x04 not really a zip")
        == "Filen är ingen CSV- eller XLSX-fil som går att läsa."
    )
    assert bad(b"Datum;Belopp;Text\n") == "Filen har kolumnnamn men inga transaktioner."


def test_bad_files_are_refused_by_code_with_the_row_as_a_parameter():
    """The code says what is wrong and the parameters where; the words are looked up by code."""
    text_amount = b"Datum;Belopp;Text\n2025-09-24;7000;Hyra\n2025-09-25;sjutusen;Hyra\n"
    cases = {
        b"": ("statement_empty", {}),
        b"2025-09-24;7000;Hyra;Alva\n": ("statement_no_column_names", {"row": 1}),
        b"Datum;Belopp;Text\n": ("statement_no_transactions", {}),
        text_amount: (
            "statement_not_an_amount",
            {"row": 3, "value": "sjutusen", "column": "Belopp"},
        ),
        b"Datum;Belopp;Text\n2025-13-40;7000;Hyra\n": (
            "statement_not_a_date",
            {"row": 2, "value": "2025-13-40", "column": "Datum"},
        ),
        b"PK\x03\x04 not really a zip": ("statement_unreadable", {}),
        b"Datum;Belopp;Text\n2025-09-24;7000;" + b"x" * 10_001 + b"\n": (
            "statement_cell_too_long",
            {"row": 2, "length": 10_001, "limit": 10_000},
        ),
    }
    for data, (code, params) in cases.items():
        refused = refusal(data)
        assert (refused.code, refused.params) == (code, params)
    huge = b"Datum;Belopp;Text\n" + b"2025-09-24;7000;Hyra\n" * 1_000_000
    assert refusal(huge).code == "statement_too_large"
    with translation.override("en"):
        assert str(refusal(b"")) == refusal(b"").message == "The file is empty."


def test_an_xlsx_that_breaks_after_its_first_rows_names_the_row(monkeypatch):
    """openpyxl failing part-way through a sheet: the row after the last one read."""
    import openpyxl

    class Sheet:
        def iter_rows(self, values_only):
            yield ("Datum", "Belopp", "Text")
            yield ("2025-09-24", 7000, "Hyra")
            raise KeyError("broken sheet XML")

    class Workbook:
        worksheets = [Sheet()]

        def close(self):
            pass

    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: Workbook())
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    refused = refusal(workbook.getvalue())
    assert (refused.code, refused.params) == ("statement_row_unreadable", {"row": 3})
    assert refused.message == "Rad 3: filen är ingen CSV- eller XLSX-fil som går att läsa."


# Hostile files (issue 21): each a StatementError naming the row, never another exception ----

HOSTILE_MESSAGES = {
    "random-bytes": "Rad ",
    "amount-1e30": 'Rad 2, kolumnen Belopp: "1e30" är inget belopp',
    "amount-40-digits": 'Rad 2, kolumnen Belopp: "' + "9" * 40 + '" är inget belopp',
    "nul-in-text": "Rad 2: innehåller ett NUL-tecken",
    "cell-over-csv-limit": "Rad 2: ",
    "100000-rows": "Rad 5002: ett kontoutdrag har högst 5000 rader",
    "xlsx-bomb": "XLSX-filen packas upp till 30.0 MB; högst 25.0 MB läses.",
}
HOSTILE_CODES = {
    "random-bytes": "statement_nul_character",
    "amount-1e30": "statement_not_an_amount",
    "amount-40-digits": "statement_not_an_amount",
    "nul-in-text": "statement_nul_character",
    "cell-over-csv-limit": "statement_not_csv",
    "100000-rows": "statement_too_many_rows",
    "xlsx-bomb": "statement_unpacks_too_large",
}


@pytest.mark.parametrize("name", list(HOSTILE_MESSAGES))
def test_each_hostile_file_is_a_statement_error_naming_the_row(name):
    data = hostile_statements()[name]
    refused = refusal(data, Mapping(date=0, amount=1, text=2))
    assert refused.code == HOSTILE_CODES[name]
    message = refused.message
    assert message.startswith(HOSTILE_MESSAGES[name]), message
    assert len(message) < 200  # a cell is quoted, never pasted whole


def test_the_row_cap_stops_reading_before_the_rest_of_the_file():
    """Row 13 would be refused for its NUL; the cap at 10 rows answers first, so the reader
    never went that far."""
    data = ("Datum;Belopp;Text\n" + "2025-09-24;7000;Hyra\n" * 11 + "\0\n").encode()
    with pytest.raises(StatementError) as refused:
        read_table(data, max_bytes=LIMIT, max_rows=10)
    assert refused.value.message.startswith("Rad 12: ett kontoutdrag har högst 10 rader")
    assert len(read_table(data[:-2], max_bytes=LIMIT, max_rows=11).rows) == 11


def test_a_bomb_is_refused_from_the_zip_directory_before_openpyxl_opens_it(monkeypatch):
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(a))
    with pytest.raises(StatementError) as refused:
        read_table(hostile_statements()["xlsx-bomb"], max_bytes=LIMIT)
    assert "packas upp" in refused.value.message
    assert opened == []


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-le", "utf-16-be"], ids=["bom", "le-no-bom", "be-no-bom"]
)
def test_utf16_statements_are_read_like_utf8(encoding):
    text = "Datum;Belopp;Text;Avsändare\n2025-09-24;7 000,00;Hyra KK2510ALVA;Åsa Öberg\n"
    table = read_table(text.encode(encoding), max_bytes=LIMIT)
    assert table.headers == ["Datum", "Belopp", "Text", "Avsändare"]
    (transaction,) = read_transactions(table, Mapping(**guess_mapping(table.headers)))
    assert (transaction.amount, transaction.counterpart) == (Decimal("7000"), "Åsa Öberg")


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("999 999 999,99", Decimal("999999999.99")),
        ("-1.234,50", Decimal("-1234.50")),
        ("1000000000", None),
        ("1E3", None),
        ("0.001", None),
        ("9" * 31, None),
        ("NaN", None),
    ],
)
def test_amounts_are_bounded_in_size_digits_and_decimals(raw, amount):
    assert amount_of(raw) == amount


def test_rows_after_an_empty_line_keep_their_own_row_numbers():
    data = b"Datum;Belopp;Text\n2025-09-24;7000;Hyra\n\n\n2025-09-25;sju;Hyra\n"
    assert bad(data).startswith('Rad 5, kolumnen Belopp: "sju"')
