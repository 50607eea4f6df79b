"""A benchmark household of ten years: the history the pages must stay fast on.

Eight rooms with people coming and going (about 25 people in ten years), every month's bills
entered and its split saved (a few months saved twice), a ledger row per person and month, a
payment for nearly every row (by hand, or from a bank statement line), a few months unpaid,
and a handbook of 50 pages with 500 revisions. Written in bulk: the splits come from the rent
engine (rent.engine.breakdown, as "Månadens hyra" computes them) and the payments are spread by
rent.ledger.allocation, then every table is filled with one insert per kind, so ten years take
seconds, not the minutes of saving each row through the app.

Used by the benchmarks (`bench/http_pages.py --years 10`, `bench/load.py --years 10`) and by
the query-count tests (`build_household(years=1)` against `years=10`). As a command it fills
the configured database (DATABASE_URL, migrated first):

    DATABASE_URL=postgres://... .venv/bin/python bench/household.py [--years 10]
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
ROOMS = 8
FIRST_NAMES = [
    "Adam", "Bea", "Cecilia", "David", "Elin", "Filip", "Greta", "Hugo", "Ida", "Johan",
    "Karin", "Lars", "Maja", "Nils", "Olivia", "Per", "Rut", "Sven", "Tove", "Ulf", "Vera",
    "Wilma", "Axel", "Britt", "Carl", "Disa", "Egil", "Frida", "Gustav", "Hanna",
]  # fmt: skip
SURNAMES = ["Andersson", "Berg", "Dahl", "Ek", "Holm", "Lind", "Nord", "Sjö", "Strand", "Wik"]


@dataclass
class Household:
    """What was made: counts for the report, and the people for the tests."""

    first_month: date
    last_rent_month: date
    tenants: list = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def build_household(
    *, years: int = 10, today: date | None = None, pages: int = 50, revisions: int = 500
) -> Household:
    """Fill an empty database with `years` of history ending with the rent month due next
    after `today` (default: today). Deterministic for the same arguments."""
    from django.db import transaction
    from django.utils import timezone

    from rent.engine.months import config_month_due_next
    from rent.versioning import bump_data_version

    today = today or timezone.localdate()
    rng = random.Random(25)
    coming_config = config_month_due_next(today)
    last_rent_month = add_months(coming_config, 1)
    first_rent_month = add_months(last_rent_month, -12 * years + 1)
    household = Household(first_rent_month, last_rent_month)
    with transaction.atomic():
        household.tenants = _tenants(rng, first_rent_month, last_rent_month)
        _config(rng, add_months(first_rent_month, -1), coming_config)
        rows = _months(rng, add_months(first_rent_month, -1), coming_config)
        _payments(rng, household.tenants, rows, today, coming_config)
        _logins(household.tenants, today)
        _handbook(rng, pages, revisions)
        # Written in bulk (no signals): say so, as the importers do, so nothing cached before
        # (a page, a month, a list's rows) is served for the new data.
        bump_data_version()
    household.counts = _counts()
    return household


def page_urls(tenant_pk: int, config_month: date) -> list[str]:
    """Every page and endpoint a household member reads, for one tenant's statement and one
    config month: the ones the benchmarks time (bench/http_pages.py) and the tests pin the
    queries of (tests/bench/test_household.py), one list for both."""
    message = f"year={config_month.year}&month={config_month.month}"
    rent_month = add_months(config_month, 1)
    month = f"{config_month:%Y-%m}"
    admin = "/admin/rent/"
    return [
        "/hyra/",
        "/hyra/historik/",
        f"/hyra/{tenant_pk}/",
        f"/hyra/{tenant_pk}/?alla=1",
        f"/hyra/{tenant_pk}/csv/",
        "/saker/",
        "/kiosk/",
        f"/api/rent/friendly_message?{message}",
        f"/api/rent?{message}",
        f"/api/rent/forecast?{message}",
        f"/api/rent/history?year={rent_month.year}&month={rent_month.month}",
        f"/api/rent/roommates?{message}",
        "/handbok/",
        "/handbok/husregler/",
        "/handbok/hur-hyran-raknas/",
        "/handbok/hyra/panel/",
        "/handbok/husregler/historik/",
        "/admin/",
        f"{admin}tenant/",
        f"{admin}tenant/{tenant_pk}/change/",
        f"{admin}rentledger/",
        f"{admin}rentledger/?payment=unpaid",
        f"{admin}rentledger/saldo/",
        f"{admin}payment/",
        f"{admin}rentconfig/",
        f"{admin}rentcalculation/",
        f"{admin}banktransaction/",
        f"{admin}rentcalculation/manad/{month}/",
        f"{admin}rentconfig/manad/{month}/",
    ]


def _tenants(rng, first: date, last: date):
    from rent.models import Tenant

    people, used = [], set()
    for room in range(ROOMS):
        start = first
        while start <= last:
            stay = rng.randint(14, 54)
            name = None
            while name is None or name in used:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            used.add(name)
            moves_in = start if start == first else start + timedelta(days=rng.choice([0, 14]))
            moves_out = add_months(start, stay) - timedelta(days=1)
            people.append(
                Tenant(
                    name=name,
                    email=f"{name.lower().replace(' ', '.').replace('ö', 'o')}@example.org",
                    start_date=moves_in,
                    departure_date=None if moves_out >= last else moves_out,
                    room_adjustment=Decimal(-1400) if room == 0 else Decimal(0),
                    legacy_id=f"bench-{len(people) + 1}",
                )
            )
            start = add_months(start, stay + rng.choice([0, 0, 1]))
    return Tenant.objects.bulk_create(people)


def _config(rng, first_config: date, last_config: date) -> None:
    """Each month's bills: base rent (raised now and then), electricity by season, internet,
    and the quarterly operating invoice."""
    from rent.models import RentConfig

    rows, month, kallhyra = [], first_config, 24530
    while month <= last_config:
        if month.month == 1:
            kallhyra += 250
        winter = month.month in (11, 12, 1, 2, 3)
        values = {
            "kallhyra": kallhyra,
            "el": rng.randint(2600, 4200) if winter else rng.randint(1200, 2400),
            "bredband": 400,
        }
        if month.month % 3 == 0:
            values["drift_rakning"] = rng.randint(2400, 3000)
        rows += [
            RentConfig(key=key, period=month, value=Decimal(value)) for key, value in values.items()
        ]
        month = add_months(month, 1)
    RentConfig.objects.bulk_create(rows)


def _months(rng, first_config: date, last_config: date):
    """Every config month's split saved (every ninth saved twice, the first superseded) and
    its rent month's ledger rows, as finalize_month would write them."""
    from django.utils import timezone

    from rent.ledger.finalize import calculation_inputs
    from rent.ledger.inputs import month_breakdown
    from rent.models import CalculationStatus, RentCalculation, RentLedger

    calculations, pending, month, serial = [], [], first_config, 0
    while month <= last_config:
        breakdown = month_breakdown(month)
        inputs, results = calculation_inputs(breakdown, None, False), breakdown.results()
        saved = timezone.make_aware(timezone.datetime(month.year, month.month, 20, 18))
        serial += 1
        if serial % 9 == 0:
            calculations.append(
                RentCalculation(
                    config_month=month, version=1, calculated_at=saved, inputs=inputs,
                    results={name: amount + 10 for name, amount in results.items()},
                    status=CalculationStatus.SUPERSEDED, source={"saved_by": "kassor"},
                )
            )  # fmt: skip
        calculations.append(
            RentCalculation(
                config_month=month, version=2 if serial % 9 == 0 else 1, calculated_at=saved,
                inputs=inputs, results=results, status=CalculationStatus.CURRENT,
                source={"saved_by": "kassor"},
            )
        )  # fmt: skip
        pending.append(breakdown)
        month = add_months(month, 1)
    saved_rows = RentCalculation.objects.bulk_create(calculations)
    current = {c.config_month: c for c in saved_rows if c.status == CalculationStatus.CURRENT}
    rows = []
    for breakdown in pending:
        shares = {share.name: share for share in breakdown.split.roommates}
        for resident in breakdown.residents:
            rows.append(
                RentLedger(
                    tenant=resident.tenant,
                    rent_month=breakdown.rent_month,
                    amount_due=Decimal(shares[resident.name].amount),
                    days_stayed=resident.days
                    if resident.days is not None
                    else Decimal(breakdown.days_in_rent_month),
                    room_adjustment=resident.room_adjustment,
                    calculation=current[breakdown.config_month],
                )
            )
    return RentLedger.objects.bulk_create(rows)


def _payments(rng, tenants, rows, today: date, coming_config: date) -> None:
    """A payment per month before the coming one, around the 25th of the config month: two
    in three by hand (Swish), the rest from bank statement lines. One person is two months
    behind; half the house has paid the coming month."""
    from rent.ledger.allocation import Money, Month, allocate
    from rent.models import (
        Allocation,
        BankTransaction,
        BankTransactionStatus,
        Payment,
        PaymentMethod,
        PaymentSource,
        RentLedger,
    )

    coming_rent = add_months(coming_config, 1)
    behind = {row.tenant_id for row in rows if row.rent_month == coming_rent}
    late_one = min(behind) if behind else None
    payments = []
    for index, row in enumerate(rows):
        config_month = add_months(row.rent_month, -1)
        if row.tenant_id == late_one and row.rent_month >= add_months(coming_rent, -2):
            continue
        if row.rent_month == coming_rent and index % 2:
            continue
        paid_on = min(config_month.replace(day=rng.randint(18, 27)), today)
        from_bank = index % 3 == 0
        payments.append(
            Payment(
                tenant_id=row.tenant_id, paid_on=paid_on, amount=row.amount_due,
                method=PaymentMethod.BANK_TRANSFER if from_bank else PaymentMethod.SWISH,
                for_month=row.rent_month, reference=f"KK{row.rent_month:%y%m}",
                source=PaymentSource.BANK_STATEMENT if from_bank else PaymentSource.HAND,
                bank_key=f"bench-{index}" if from_bank else "",
            )
        )  # fmt: skip
    payments = Payment.objects.bulk_create(payments)
    BankTransaction.objects.bulk_create(
        BankTransaction(
            key=payment.bank_key, booked_on=payment.paid_on, amount=payment.amount,
            text=payment.reference, counterpart="", status=BankTransactionStatus.APPLIED,
            tenant_id=payment.tenant_id, for_month=payment.for_month, reason="reference",
            payment=payment, statement_name=f"konto-{payment.paid_on:%Y}.csv",
        )
        for payment in payments
        if payment.bank_key
    )  # fmt: skip
    by_tenant_rows, by_tenant_payments = {}, {}
    for row in rows:
        by_tenant_rows.setdefault(row.tenant_id, []).append(row)
    for payment in payments:
        by_tenant_payments.setdefault(payment.tenant_id, []).append(payment)
    allocations, changed = [], []
    for tenant_id, own_rows in by_tenant_rows.items():
        result = allocate(
            [Month(row.pk, row.rent_month, row.amount_due) for row in own_rows],
            [
                Money(p.pk, p.paid_on, p.amount, p.for_month, p.pk)
                for p in by_tenant_payments.get(tenant_id, [])
            ],
        )
        allocations += [
            Allocation(payment_id=payment_id, ledger_row_id=row_id, amount=amount)
            for (payment_id, row_id), amount in result.allocations.items()
            if amount > 0
        ]
        for row in own_rows:
            row.amount_paid, row.paid_on = result.paid[row.pk], result.paid_on[row.pk]
            changed.append(row)
    Allocation.objects.bulk_create(allocations, batch_size=2000)
    RentLedger.objects.bulk_update(changed, ["amount_paid", "paid_on"], batch_size=500)


def _logins(tenants, today: date) -> None:
    """A member login (group Boende, no usable password) for everyone living here."""
    from django.contrib.auth.models import Group, User

    from household.roles import MEMBER, ensure_household_roles
    from rent.models import Tenant

    ensure_household_roles()
    living = list(Tenant.objects.living_here(today).filter(pk__in=[t.pk for t in tenants]))
    users = User.objects.bulk_create(
        User(username=tenant.name.split()[0].lower() + str(tenant.pk), password="!")
        for tenant in living
    )
    group = Group.objects.get(name=MEMBER)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=group.pk) for user in users
    )
    for tenant, user in zip(living, users, strict=True):
        tenant.user = user
    Tenant.objects.bulk_update(living, ["user"])


def _handbook(rng, pages: int, revisions: int) -> None:
    """The starter handbook's pages first (husregler, hur-hyran-raknas with the live
    example), then made-up pages, each with revisions/pages revisions."""
    from handbook.models import Page, Revision

    starters = []
    for path in sorted((REPO_ROOT / "fixtures" / "handbook").glob("*.md")):
        text = path.read_text()
        title = text.splitlines()[0].lstrip("# ").strip()
        starters.append((path.stem.split("-", 1)[1], title, text))
    made = []
    for number in range(pages):
        if number < len(starters):
            made.append(starters[number])
            continue
        sections = "\n\n".join(
            f"## Avsnitt {part}\n\n"
            + " ".join(rng.choice(["Diska", "städa", "köket", "gästerna", "tvätt"])
                       for _ in range(60))
            + "\n\n- en punkt\n- en till punkt\n"
            for part in range(1, 6)
        )  # fmt: skip
        made.append((f"sida-{number:02d}", f"Sida {number}", f"# Sida {number}\n\n{sections}"))
    per_page = max(revisions // pages, 1)
    page_rows = Page.objects.bulk_create(
        Page(slug=slug, title=title, body=body, position=index)
        for index, (slug, title, body) in enumerate(made)
    )
    revision_rows = Revision.objects.bulk_create(
        Revision(
            page=page,
            title=page.title,
            body=page.body if version == per_page else f"{page.body}\n\nVersion {version}.\n",
            message=f"Ändring {version}",
        )
        for page in page_rows
        for version in range(1, per_page + 1)
    )
    latest = {revision.page_id: revision for revision in revision_rows}
    for page in page_rows:
        page.current_revision = latest[page.pk]
    Page.objects.bulk_update(page_rows, ["current_revision"])


def _counts() -> dict[str, int]:
    from handbook.models import Page, Revision
    from rent.models import Allocation, Payment, RentCalculation, RentConfig, RentLedger, Tenant

    models = [Tenant, RentConfig, RentCalculation, RentLedger, Payment, Allocation, Page, Revision]
    return {model._meta.model_name: model.objects.count() for model in models}


def main() -> int:
    import argparse
    import os
    import sys
    import time

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    options = parser.parse_args()
    sys.path.insert(0, str(REPO_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimonokittens.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    household = build_household(years=options.years)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(
        f"{options.years} years, rent months {household.first_month:%Y-%m} to "
        f"{household.last_rent_month:%Y-%m}, {time.perf_counter() - started:.1f} s"
    )
    for name, count in household.counts.items():
        print(f"  {name:<16}{count:>7}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
