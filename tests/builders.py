"""Small builders for test data: each makes one valid row, and takes what a test cares about."""

import csv
import io
import random
import zipfile
from datetime import date
from decimal import Decimal
from itertools import count

from django.contrib.auth.models import Group, User
from openpyxl import Workbook

from api.tokens import create_token
from handbook.services import create_page
from household.roles import ensure_household_roles
from rent.ledger.payments import record_payment, save_ledger_row, set_paid_for_month
from rent.models import CoOwnedItem, RentConfig, RentLedger, Tenant

_serial = count(1)

# Every login the builders make has this password (the browser tests log in with it).
PASSWORD = "pw-for-tests-only"


def make_tenant(name=None, **fields) -> Tenant:
    return Tenant.objects.create(name=name or f"Tenant {next(_serial)}", **fields)


def set_config(key: str, value, period: date) -> RentConfig:
    row, _ = RentConfig.objects.update_or_create(
        key=key, period=period, defaults={"value": Decimal(str(value))}
    )
    return row


def make_ledger_row(tenant=None, rent_month=date(2025, 10, 1), **fields) -> RentLedger:
    """A month's row; `amount_paid` (and `paid_on`) are recorded as one payment named to the
    month, as the treasurer would: the row's paid amount is derived from payments."""
    fields.setdefault("amount_due", Decimal("7045"))
    paid = fields.pop("amount_paid", None)
    paid_on = fields.pop("paid_on", None)
    row = save_ledger_row(
        row=RentLedger(tenant=tenant or make_tenant(), rent_month=rent_month, **fields)
    )
    if paid:
        set_paid_for_month(row=row, paid=Decimal(str(paid)), on=paid_on)
    row.refresh_from_db()  # credit may count toward a new month
    return row


def make_payment(tenant, amount, paid_on=date(2025, 9, 25), **fields):
    """One payment (negative: a refund), recorded and allocated as the app does."""
    return record_payment(tenant=tenant, amount=Decimal(str(amount)), paid_on=paid_on, **fields)


def set_month_config(period: date, **values) -> list[RentConfig]:
    """Several of one config month's rows at once: `set_month_config(C, el=2424, gas=550)`."""
    return [set_config(key, value, period) for key, value in values.items()]


def make_login(username: str, *, role: str | None = None, tenant=None, **fields):
    """A staff login in one of the household roles ("Boende", "Kassör"), optionally linked."""
    fields.setdefault("is_staff", True)
    user = User.objects.create_user(username=username, password=PASSWORD, **fields)
    if role:
        group = Group.objects.filter(name=role).first()
        if group is None:  # a transactional test flushed what the migrations made
            ensure_household_roles()
            group = Group.objects.get(name=role)
        user.groups.add(group)
    if tenant is not None:
        tenant.user = user
        tenant.save(update_fields=["user"])
    return user


def make_item(name=None, *, owners=(), **fields):
    fields.setdefault("value", Decimal("3000"))
    item = CoOwnedItem.objects.create(name=name or f"Item {next(_serial)}", **fields)
    item.owners.set(owners)
    return item


def make_page(slug=None, *, title=None, body="Text.\n", **fields):
    """A handbook page with its first revision, made the way the app makes pages."""
    slug = slug or f"sida-{next(_serial)}"
    return create_page(
        slug=slug, title=title or slug.replace("-", " ").title(), body=body, **fields
    )


def make_member(username: str, **fields):
    """A household member: a login linked to a tenant living here (the membership rule)."""
    fields.setdefault("is_staff", False)
    tenant = make_tenant(name=fields.pop("tenant_name", username.title()))
    return make_login(username, tenant=tenant, **fields)


# Bank statements as three kinds of Swedish banks export them -------------------------------


def statement_semicolon_cp1252(rows) -> bytes:
    """Semicolon separated, decimal comma, Windows-1252 (rows: date, amount, text, payer)."""
    lines = ["Bokföringsdag;Belopp;Referens;Avsändare"]
    for day, amount, text, payer in rows:
        kronor = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
        lines.append(f"{day};{kronor};{text};{payer}")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def statement_comma_utf8_bom(rows) -> bytes:
    """Comma separated, decimal point, UTF-8 with BOM; the payer is in the text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Datum", "Text", "Belopp", "Saldo"])
    for day, amount, text, payer in rows:
        writer.writerow([day, f"{payer} {text}".strip(), f"{amount:.2f}", "10000.00"])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def statement_xlsx(rows) -> bytes:
    """An XLSX sheet with real dates and numbers."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Transaktionsdatum", "Namn", "Meddelande", "Belopp"])
    for day, amount, text, payer in rows:
        sheet.append([date.fromisoformat(day), payer, text, float(amount)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


STATEMENT_WRITERS = {
    "semicolon-cp1252": statement_semicolon_cp1252,
    "comma-utf8-bom": statement_comma_utf8_bom,
    "xlsx": statement_xlsx,
}


def statement_xlsx_bomb(unpacked_bytes: int) -> bytes:
    """A real statement XLSX with one more part that unpacks to `unpacked_bytes` (compressed
    to almost nothing): the shape of a decompression bomb."""
    source = zipfile.ZipFile(io.BytesIO(statement_xlsx([("2025-09-24", Decimal(1), "x", "y")])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for part in source.infolist():
            bomb.writestr(part, source.read(part))
        bomb.writestr("xl/media/padding.bin", b"\0" * unpacked_bytes)
    return out.getvalue()


def hostile_statements() -> dict[str, bytes]:
    """The statement files that once answered 500 (issue 21), each with the layout
    Datum;Belopp;Text where it has one."""
    head = "Datum;Belopp;Text\n"
    return {
        "random-bytes": random.Random(21).randbytes(4096),
        "amount-1e30": (head + "2025-09-24;1e30;Hyra\n").encode(),
        "amount-40-digits": (head + "2025-09-24;" + "9" * 40 + ";Hyra\n").encode(),
        "nul-in-text": (head + "2025-09-24;7000;Hy\0ra\n").encode(),
        "cell-over-csv-limit": (head + "2025-09-24;7000;" + "x" * 140_000 + "\n").encode(),
        "100000-rows": (head + "2025-09-24;7000;Hyra\n" * 100_000).encode(),
        "xlsx-bomb": statement_xlsx_bomb(30_000_000),
    }


def make_token(name="kiosk", *, scope="kiosk", created_by=None):
    """(token, its text): an API token made by `created_by`, by default a new treasurer (a
    token acts with its creator's rights at the time of use)."""
    if created_by is None:
        created_by = make_login(f"token-maker-{next(_serial)}", role="Kassör")
    return create_token(name=name, scope=scope, created_by=created_by)


def as_a_new_worker() -> None:
    """Empty what a worker keeps between requests, as a new one starts: the cache (months,
    panels, lists, role decisions) and the logins it has read (kimonokittens.middleware). The
    next request does a cold cache's work."""
    from django.core.cache import cache

    from kimonokittens.middleware import logins_here

    cache.clear()
    logins_here.clear()
