"""Bank statement files as Swedish banks export them: CSV (semicolon, comma or tab separated;
UTF-8 with or without BOM, or Windows-1252) or XLSX. Dates like `2025-08-25`, amounts like
`-1 234,50` or `1234.50`.

`read_table` gives the header row and the data rows as text; `read_transactions` turns them
into transactions with a column mapping. Every problem raises StatementError with a message
that names the row (as the treasurer counts: the header is row 1).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from rent.formatting import parse_amount
from rent.reference import plain

ROLES = ("date", "amount", "text", "counterpart")


class StatementError(ValueError):
    """A file that cannot be read as a statement; the message says where and why."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]  # data rows, each as long as headers
    first_row_number: int = 2  # the file's row number of rows[0]

    @property
    def signature(self) -> str:
        """The layout: its column names, in order, without case or accents."""
        return hashlib.sha256("\x1f".join(plain(h) for h in self.headers).encode()).hexdigest()


@dataclass(frozen=True)
class Transaction:
    row_number: int
    booked_on: date
    amount: Decimal
    text: str
    counterpart: str
    key: str = ""  # the same transaction in any statement file: the same key

    @property
    def incoming(self) -> bool:
        return self.amount > 0


@dataclass
class Mapping:
    """Which column holds what (column indexes; counterpart and text may be missing)."""

    date: int
    amount: int
    text: int | None = None
    counterpart: int | None = None
    extra: dict = field(default_factory=dict)


def read_table(data: bytes, *, max_bytes: int) -> Table:
    if len(data) > max_bytes:
        raise StatementError(
            _("The file is %(size)s MB; at most %(limit)s MB is read.")
            % {"size": f"{len(data) / 1e6:.1f}", "limit": f"{max_bytes / 1e6:.1f}"}
        )
    if not data.strip():
        raise StatementError(_("The file is empty."))
    rows = _xlsx_rows(data) if data[:2] == b"PK" else _csv_rows(_decode(data))
    rows = [[cell.strip() for cell in row] for row in rows]
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(row)]
    if not numbered:
        raise StatementError(_("The file is empty."))
    header_number, headers = numbered[0]
    if len([h for h in headers if h]) < 2 or _looks_like_data(headers):
        raise StatementError(
            _("Row %(row)d: the first row must name the columns (e.g. Datum;Belopp;Text).")
            % {"row": header_number}
        )
    width = len(headers)
    body = []
    for _number, row in numbered[1:]:
        body.append((row + [""] * width)[:width])
    if not body:
        raise StatementError(_("The file has column names but no transactions."))
    return Table(headers=headers, rows=body, first_row_number=numbered[1][0])


def _looks_like_data(cells: list[str]) -> bool:
    return any(_parse_date(cell) for cell in cells if cell)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_rows(text: str) -> list[list[str]]:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max([";", "\t", ","], key=first_line.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise StatementError(_("The file is not a CSV or XLSX file that can be read.")) from error
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append([_cell_text(value) for value in values])
    workbook.close()
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(round(value, 2))
    return str(value)


_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d", "%d.%m.%Y", "%d/%m/%Y")


def _parse_date(text: str) -> date | None:
    text = text.strip()
    if not re.fullmatch(r"[\d./-]{8,10}", text):
        return None
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()  # noqa: DTZ007 (a calendar day)
        except ValueError:
            continue
    return None


HEADER_WORDS = {
    "date": ("bokforingsdag", "bokforingsdatum", "transaktionsdag", "datum", "date", "dag"),
    "amount": ("belopp", "amount", "summa"),
    "counterpart": ("avsandare", "namn", "motpart", "betalare", "mottagare", "name"),
    "text": ("meddelande", "text", "beskrivning", "referens", "rubrik", "message"),
}


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    """The likely column of each role by its name (first match wins; a column is used once)."""
    names = [plain(h) for h in headers]
    guessed: dict[str, int | None] = {}
    used: set[int] = set()
    for role in ("date", "amount", "counterpart", "text"):
        guessed[role] = None
        for word in HEADER_WORDS[role]:
            index = next(
                (i for i, name in enumerate(names) if word in name and i not in used), None
            )
            if index is not None:
                guessed[role] = index
                used.add(index)
                break
    return guessed


def read_transactions(table: Table, mapping: Mapping) -> list[Transaction]:
    """Every row as a transaction; the first bad row stops all (nothing is half read)."""
    transactions = []
    seen: dict[tuple, int] = {}
    for offset, row in enumerate(table.rows):
        number = table.first_row_number + offset
        raw_date, raw_amount = row[mapping.date], row[mapping.amount]
        booked_on = _parse_date(raw_date)
        if booked_on is None:
            raise StatementError(
                _('Row %(row)d, column %(column)s: "%(value)s" is not a date (e.g. 2025-08-25).')
                % {"row": number, "value": raw_date, "column": table.headers[mapping.date]}
            )
        try:
            amount = parse_amount(raw_amount)
        except ValueError:
            amount = None
        if amount is None or amount != amount.quantize(Decimal("0.01")) or abs(amount) >= 10**9:
            raise StatementError(
                _('Row %(row)d, column %(column)s: "%(value)s" is not an amount (e.g. -1 234,50).')
                % {"row": number, "value": raw_amount, "column": table.headers[mapping.amount]}
            )
        text = row[mapping.text] if mapping.text is not None else ""
        counterpart = row[mapping.counterpart] if mapping.counterpart is not None else ""
        identity = (booked_on.isoformat(), f"{amount:.2f}", plain(text), plain(counterpart))
        occurrence = seen.get(identity, 0)
        seen[identity] = occurrence + 1
        key = hashlib.sha256("|".join((*identity, str(occurrence))).encode()).hexdigest()[:40]
        transactions.append(Transaction(number, booked_on, amount, text, counterpart, key))
    return transactions
