"""How fast a bank statement is matched, and how many queries it takes.

Builds 5 years of ledger (60 months) for 8 people with payments on most months, then writes a
statement of N transactions (reference codes, names without accents, two months at once,
partial payments, strangers, outgoing payments), reads it, previews it (matching) and imports
it. Prints transactions per second and the queries: matching (the preview) takes a fixed number
whatever N; the import adds only the INSERT batches of the new lines (the database's limit on
parameters per statement: about 76 rows a batch on SQLite, 500 on PostgreSQL).

    .venv/bin/python bench/bank_import.py [N ...]        # default: 1000 10000

A fresh SQLite file in a temporary folder; `BENCH_DATABASE_URL=postgres://...` measures
PostgreSQL in a scratch test database beside it (dropped afterwards).
"""

import os
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimonokittens.settings")
os.environ.setdefault("DEBUG", "true")

PEOPLE = ["Åsa Öberg", "Bruno", "Cecilia", "Dante", "Ebba", "Filip", "Greta", "Hugo"]
MONTHS = 60


def build_ledger():
    from rent.engine.months import add_months
    from rent.ledger.payments import reallocate
    from rent.models import Payment, RentLedger, Tenant

    tenants = [Tenant.objects.create(name=name) for name in PEOPLE]
    first = date(2021, 1, 1)
    rows, payments = [], []
    for index in range(MONTHS):
        month = add_months(first, index)
        for number, tenant in enumerate(tenants):
            due = Decimal(6000 + 100 * number + index)
            rows.append(RentLedger(tenant=tenant, rent_month=month, amount_due=due))
            if index < MONTHS - 2:  # the last two months open
                payments.append(
                    Payment(
                        tenant=tenant,
                        amount=due,
                        paid_on=add_months(month, -1).replace(day=25),
                        for_month=month,
                    )
                )
    RentLedger.objects.bulk_create(rows)
    Payment.objects.bulk_create(payments)
    for tenant in tenants:
        reallocate(tenant_id=tenant.pk)
    return tenants


def statement(tenants, count: int) -> bytes:
    from rent.ledger.reference import person_parts, plain

    parts = person_parts(tenants)
    lines = ["Bokföringsdag;Belopp;Referens;Avsändare"]
    day = date(2025, 1, 1)
    for index in range(count):
        tenant = tenants[index % len(tenants)]
        kind = index % 6
        if kind == 0:
            amount, text, payer = "6 000,00", f"Hyra KK2412{parts[tenant.pk]}", tenant.name
        elif kind == 1:
            amount, text, payer = "6 059,00", "Swish", plain(tenant.name).upper()
        elif kind == 2:
            amount, text, payer = "12 118,00", "två månader", tenant.name
        elif kind == 3:
            amount, text, payer = "3 000,00", "del", tenant.name
        elif kind == 4:
            amount, text, payer = "500,00", "present", f"Okänd {index}"
        else:
            amount, text, payer = "-1 234,50", "Vattenfall", "Vattenfall AB"
        lines.append(f"{day + timedelta(days=index % 365)};{amount};{text} {index};{payer}")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252", errors="replace")


def measure(tenants, count: int):
    from django.db import connection, reset_queries, transaction

    from rent.bank import services
    from rent.bank.readers import guess_mapping

    data = statement(tenants, count)
    with transaction.atomic():
        start = time.perf_counter()
        table = services.read_upload(data)
        layout = services.layout_for(table) or services.save_layout(
            table=table, columns=guess_mapping(table.headers)
        )
        reset_queries()
        connection.force_debug_cursor = True
        matched = services.preview(table, layout)
        preview_queries = len(connection.queries)
        reset_queries()
        services.import_statement(matches=matched, name="bench.csv")
        import_queries = len(connection.queries)
        connection.force_debug_cursor = False
        elapsed = time.perf_counter() - start
        statuses = {}
        for match in matched:
            statuses[match.status] = statuses.get(match.status, 0) + 1
        transaction.set_rollback(True)
    return elapsed, preview_queries, import_queries, statuses


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as database_folder:
        os.environ["DATABASE_URL"] = os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{database_folder}/bench.sqlite3"
        )
        os.environ["BANK_STATEMENT_MAX_BYTES"] = str(100_000_000)
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        settings.DEBUG = True
        if "BENCH_DATABASE_URL" in os.environ:
            original_name = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True)
        else:
            original_name = None
            call_command("migrate", verbosity=0)
        tenants = build_ledger()
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"bank statement matching on {engine}: {len(PEOPLE)} people, {MONTHS} months")
        print(f"{'transactions':>12} {'seconds':>8} {'tx/s':>8} {'preview q':>10} "
              f"{'import q':>9}  matches")  # fmt: skip
        for count in sizes:
            elapsed, preview_q, import_q, statuses = measure(tenants, count)
            print(
                f"{count:>12} {elapsed:>8.2f} {count / elapsed:>8.0f} {preview_q:>10} "
                f"{import_q:>9}  {statuses}"
            )
        if original_name:
            connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10000])
