"""rent.bank.readers: statement files in three layouts, their columns guessed, and bad files
refused with a Swedish message naming the row."""

from datetime import date
from decimal import Decimal

import pytest

from rent.bank.readers import (
    Mapping,
    StatementError,
    guess_mapping,
    read_table,
    read_transactions,
)
from tests.builders import STATEMENT_WRITERS

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


def bad(data: bytes, mapping=None) -> str:
    with pytest.raises(StatementError) as refused:
        table = read_table(data, max_bytes=LIMIT)
        read_transactions(table, mapping or Mapping(**guess_mapping(table.headers)))
    return str(refused.value)


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
