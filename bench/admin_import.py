"""How long the admin's import of a ledger file takes at the row limit (ADMIN_IMPORT_MAX_ROWS,
500 by default): the preview and the confirmation are each one request, so each must finish
well inside gunicorn's timeout (deploy/gunicorn.conf.py).

Two files of N rows: all months of one person (the worst case, once quadratic: each row
allocated that person's payments again), and the same rows spread over six people. Each runs
through the admin as the treasurer would (upload, preview, confirm) and is rolled back after.

    DEBUG=true .venv/bin/python bench/admin_import.py [N ...]      # default: the row limit

A throwaway SQLite file (bench/benchdb.py); BENCH_USE_CONFIGURED_DB=true measures the
configured DATABASE_URL instead, with every write rolled back.
"""

import sys
import time

import benchdb  # sets Django up: first

PEOPLE = ["Ada", "Bo", "Cleo", "Dag", "Eir", "Frej"]


def ledger_csv(rows: int, people: list[str]) -> bytes:
    lines = ["rent_month,tenant,amount_due,amount_paid"]
    for serial in range(rows):
        name = people[serial % len(people)]
        index = serial // len(people)
        paid = 7045 if serial % 3 else 3000
        lines.append(f"{2000 + index // 12}-{index % 12 + 1:02d},{name},7045,{paid}")
    return ("\n".join(lines) + "\n").encode()


def import_through_the_admin(client, rows: int, people: list[str]) -> tuple[float, float]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from rent.admin import RentLedgerAdmin
    from rent.models import RentLedger

    csv = str([f.__name__ for f in RentLedgerAdmin.formats].index("CSV"))
    upload = SimpleUploadedFile("ledger.csv", ledger_csv(rows, people), content_type="text/csv")
    started = time.perf_counter()
    response = client.post(
        reverse("admin:rent_rentledger_import"), {"format": csv, "import_file": upload}
    )
    previewed = time.perf_counter()
    confirm = response.context["confirm_form"]
    done = client.post(reverse("admin:rent_rentledger_process_import"), confirm.initial)
    confirmed = time.perf_counter()
    assert done.status_code == 302, done.status_code
    assert RentLedger.objects.count() == rows, RentLedger.objects.count()
    return previewed - started, confirmed - previewed


def main() -> int:
    import logging

    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.test import Client
    from django.test.utils import setup_test_environment

    from household.roles import TREASURER, ensure_household_roles
    from rent.models import Tenant

    setup_test_environment()  # the test client's host, and the pages' context to confirm from
    logging.disable(logging.INFO)  # a log line per request and login
    sizes = [int(arg) for arg in sys.argv[1:]] or [settings.ADMIN_IMPORT_MAX_ROWS]
    settings.ADMIN_IMPORT_MAX_ROWS = max(sizes)
    print(f"{'rows':>6} {'people':>6} {'preview s':>10} {'confirm s':>10}")
    for rows in sizes:
        for people in (PEOPLE[:1], PEOPLE):
            with benchdb.rolled_back():
                ensure_household_roles()
                user = User.objects.create_user("bench", is_staff=True)
                user.groups.add(Group.objects.get(name=TREASURER))
                Tenant.objects.bulk_create([Tenant(name=name) for name in people])
                client = Client(secure=True)
                client.force_login(user)
                preview, confirm = import_through_the_admin(client, rows, people)
            print(f"{rows:>6} {len(people):>6} {preview:>10.2f} {confirm:>10.2f}")
    return 0


if __name__ == "__main__":
    benchdb.run(main)
