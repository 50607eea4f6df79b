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
from decimal import Decimal, InvalidOperation

from rent.errors import RentError
from rent.formatting import parse_amount
from rent.ledger.reference import plain

ROLES = ("date", "amount", "text", "counterpart")


class StatementError(RentError, ValueError):
    """A file that cannot be read as a statement; its code and message say where and why."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]  # data rows, each as long as headers
    first_row_number: int = 2  # the file's row number of rows[0]
    numbers: list[int] = field(default_factory=list)  # the file's row number of each row

    def row_number(self, offset: int) -> int:
        return self.numbers[offset] if self.numbers else self.first_row_number + offset

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


# Bounds on one file's work, checked while it is read (never after): a household's account
# has some hundred lines a year, so a statement of more rows is a mistake or an attack.
MAX_ROWS = 5_000
# The largest XLSX unpacked (the sum of its parts' sizes, read from the zip's directory before
# openpyxl opens it): a small file that unpacks to hundreds of MB is refused unread.
MAX_UNZIPPED_BYTES = 25_000_000
# csv's own limit on one cell (131 072) is far above any bank's text.
MAX_CELL_CHARS = 10_000
# An amount of a household account: fewer than 1 000 000 000 kr, at most 2 decimals, and
# never written with more characters than this.
MAX_AMOUNT_CHARS = 30
MAX_AMOUNT = Decimal(10**9)


def read_table(data: bytes, *, max_bytes: int, max_rows: int = MAX_ROWS) -> Table:
    if len(data) > max_bytes:
        raise StatementError("statement_too_large", **_megabytes(len(data), max_bytes))
    if not data.strip():
        raise StatementError("statement_empty")
    rows = _xlsx_rows(data, max_rows) if data[:2] == b"PK" else _csv_rows(_decode(data), max_rows)
    numbered = [(number, row) for number, row in rows if any(row)]
    if not numbered:
        raise StatementError("statement_empty")
    header_number, headers = numbered[0]
    if len([h for h in headers if h]) < 2 or _looks_like_data(headers):
        raise StatementError("statement_no_column_names", row=header_number)
    width = len(headers)
    body = [(row + [""] * width)[:width] for _number, row in numbered[1:]]
    if not body:
        raise StatementError("statement_no_transactions")
    return Table(
        headers=headers,
        rows=body,
        first_row_number=numbered[1][0],
        numbers=[number for number, _row in numbered[1:]],
    )


def _megabytes(size: int, limit: int) -> dict[str, str]:
    return {"size": f"{size / 1e6:.1f}", "limit": f"{limit / 1e6:.1f}"}


def too_large(size: int, limit: int) -> str:
    """The refusal of a file past `limit` bytes, in the active language."""
    return StatementError("statement_too_large", **_megabytes(size, limit)).message


def _checked_row(number: int, cells, max_rows: int) -> list[str]:
    """One row's cells as stripped text, refused when the file runs past its bounds or a cell
    holds what no statement holds (a NUL character, which PostgreSQL cannot store)."""
    if number > max_rows + 1:
        raise StatementError("statement_too_many_rows", row=number, limit=max_rows)
    row = []
    for cell in cells:
        if "\x00" in cell:
            raise StatementError("statement_nul_character", row=number)
        if len(cell) > MAX_CELL_CHARS:
            raise StatementError(
                "statement_cell_too_long", row=number, length=len(cell), limit=MAX_CELL_CHARS
            )
        row.append(cell.strip())
    return row


def _looks_like_data(cells: list[str]) -> bool:
    return any(_parse_date(cell) for cell in cells if cell)


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (with a BOM, or told by its zero bytes) or
    Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    encoding = _utf16_encoding(data)
    if encoding:
        return data.decode(encoding, errors="replace").removeprefix("\ufeff")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _utf16_encoding(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    # Without a BOM: text in UTF-16 has a zero byte in every other place.
    head = data[:2000]
    if len(head) >= 4:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be"
    return None


def _csv_rows(text: str, max_rows: int) -> list[tuple[int, list[str]]]:
    first_line = next((line for line in text[:100_000].splitlines() if line.strip()), "")
    delimiter = max([";", "\t", ","], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for cells in reader:
            rows.append((reader.line_num, _checked_row(reader.line_num, cells, max_rows)))
    except csv.Error as error:
        raise StatementError("statement_not_csv", row=reader.line_num, reason=str(error)) from error
    return rows


def _xlsx_rows(data: bytes, max_rows: int) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise StatementError("statement_unreadable") from error
    if unpacked > MAX_UNZIPPED_BYTES:
        raise StatementError(
            "statement_unpacks_too_large", **_megabytes(unpacked, MAX_UNZIPPED_BYTES)
        )
    rows = []
    number = 0
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                rows.append((number, _checked_row(number, map(_cell_text, values), max_rows)))
        finally:
            workbook.close()
    except StatementError:
        raise
    except Exception as error:  # openpyxl and its XML parser raise many kinds on a bad file
        if number:
            raise StatementError("statement_row_unreadable", row=number + 1) from error
        raise StatementError("statement_unreadable") from error
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
        number = table.row_number(offset)
        raw_date, raw_amount = row[mapping.date], row[mapping.amount]
        booked_on = _parse_date(raw_date)
        if booked_on is None:
            raise StatementError(
                "statement_not_a_date",
                row=number,
                value=_shown(raw_date),
                column=table.headers[mapping.date],
            )
        amount = amount_of(raw_amount)
        if amount is None:
            raise StatementError(
                "statement_not_an_amount",
                row=number,
                value=_shown(raw_amount),
                column=table.headers[mapping.amount],
            )
        text = row[mapping.text] if mapping.text is not None else ""
        counterpart = row[mapping.counterpart] if mapping.counterpart is not None else ""
        identity = (booked_on.isoformat(), f"{amount:.2f}", plain(text), plain(counterpart))
        occurrence = seen.get(identity, 0)
        seen[identity] = occurrence + 1
        key = hashlib.sha256("|".join((*identity, str(occurrence))).encode()).hexdigest()[:40]
        transactions.append(Transaction(number, booked_on, amount, text, counterpart, key))
    return transactions


def _shown(value: str) -> str:
    """A cell quoted in a message: at most 40 characters of it."""
    return value if len(value) <= 40 else value[:40] + "…"


def amount_of(raw: str) -> Decimal | None:
    """The amount of a cell, or None: bounded in characters, size and decimals (so `1e30` or
    40 digits is refused, never computed with)."""
    if len(raw) > MAX_AMOUNT_CHARS or "e" in raw.casefold():
        return None
    try:
        amount = parse_amount(raw)
    except (ValueError, InvalidOperation):
        return None
    if amount is None or not abs(amount) < MAX_AMOUNT:
        return None
    if amount != amount.quantize(Decimal("0.01")):
        return None
    return amount
