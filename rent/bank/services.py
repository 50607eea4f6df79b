"""Bank statements in the database: layouts remembered, transactions imported once, and
matches recorded as payments only when the treasurer applies them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from rent.bank.matching import ALREADY, Match, Person, match_transactions
from rent.bank.readers import Mapping, Table, read_table, read_transactions
from rent.models import (
    BankLayout,
    BankTransaction,
    BankTransactionStatus,
    ClaimStatus,
    Payment,
    PaymentClaim,
    PaymentMethod,
    PaymentSource,
    RentLedger,
    Tenant,
)
from rent.payments import record_payment
from rent.reference import code_for, find_codes, person_parts


def read_upload(content: bytes) -> Table:
    return read_table(bytes(content), max_bytes=settings.BANK_STATEMENT_MAX_BYTES)


def layout_for(table: Table) -> BankLayout | None:
    return BankLayout.objects.filter(signature=table.signature).first()


def save_layout(*, table: Table, columns: dict[str, int | None]) -> BankLayout:
    layout, _ = BankLayout.objects.update_or_create(
        signature=table.signature,
        defaults={
            "headers": table.headers,
            "date_column": columns["date"],
            "amount_column": columns["amount"],
            "text_column": columns.get("text"),
            "counterpart_column": columns.get("counterpart"),
        },
    )
    return layout


def mapping_of(layout: BankLayout) -> Mapping:
    return Mapping(
        date=layout.date_column,
        amount=layout.amount_column,
        text=layout.text_column,
        counterpart=layout.counterpart_column,
    )


def people() -> list[Person]:
    """Everyone, with their payer names and open months (two queries)."""
    tenants = list(Tenant.objects.only("pk", "name", "payer_names"))
    parts = person_parts(tenants)
    open_months: dict[int, list] = {}
    for tenant_id, month, due, paid in (
        RentLedger.objects.unpaid()
        .order_by("rent_month")
        .values_list("tenant_id", "rent_month", "amount_due", "amount_paid")
    ):
        open_months.setdefault(tenant_id, []).append((month, due - paid))
    return [
        Person(
            id=tenant.pk,
            name=tenant.name,
            code_part=parts[tenant.pk],
            aliases=tuple(line.strip() for line in tenant.payer_names.splitlines()),
            open_months=tuple(open_months.get(tenant.pk, ())),
        )
        for tenant in tenants
    ]


def known_keys(transactions) -> set[str]:
    """The keys already imported among the statement's dates (two queries, whatever the number
    of lines: by date range, never a list of keys as parameters)."""
    transactions = list(transactions)
    if not transactions:
        return set()
    first = min(t.booked_on for t in transactions)
    last = max(t.booked_on for t in transactions)
    found = set(
        BankTransaction.objects.filter(booked_on__range=(first, last)).values_list("key", flat=True)
    )
    found |= set(
        Payment.objects.filter(paid_on__range=(first, last))
        .exclude(bank_key="")
        .values_list("bank_key", flat=True)
    )
    return found


def preview(table: Table, layout: BankLayout) -> list[Match]:
    """What importing would do; nothing is written. A bad row raises StatementError."""
    transactions = read_transactions(table, mapping_of(layout))
    return match_transactions(transactions, people(), known_keys(transactions))


@dataclass
class ImportReport:
    counts: Counter

    def __getitem__(self, status):
        return self.counts.get(status, 0)


def import_statement(*, matches: list[Match], name: str) -> ImportReport:
    """Keep every new transaction with its match (none is applied as a payment here)."""
    counts = Counter(match.status for match in matches)
    rows = [
        BankTransaction(
            key=m.transaction.key,
            booked_on=m.transaction.booked_on,
            amount=m.transaction.amount,
            text=m.transaction.text[:300],
            counterpart=m.transaction.counterpart[:200],
            status=m.status,
            tenant_id=m.person_id,
            for_month=m.for_month,
            suggestions=m.suggestions,
            reason=m.reason,
            statement_name=name[:200],
        )
        for m in matches
        if m.status != ALREADY
    ]
    # A statement imported twice at once: the second finds the keys taken and skips them.
    BankTransaction.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return ImportReport(counts)


class ApplyError(ValueError):
    """A transaction that cannot be recorded; the message says why."""


def apply_transaction(
    *, bank_transaction: BankTransaction, tenant: Tenant, for_month: date | None, by=None
) -> Payment:
    """Record the transaction as the tenant's payment (once: its key is the payment's)."""
    with transaction.atomic():
        locked = BankTransaction.objects.select_for_update().get(pk=bank_transaction.pk)
        if locked.payment_id or locked.status == BankTransactionStatus.APPLIED:
            raise ApplyError("already recorded")
        if locked.amount <= 0:
            raise ApplyError("an outgoing payment is not a rent payment")
        payment = _confirmed_claim_payment(tenant=tenant, amount=locked.amount)
        if payment is not None:
            # The treasurer already confirmed the member's "I have paid": this line is that
            # money, not more of it.
            payment.bank_key = locked.key
            payment.save(update_fields=["bank_key"])
        else:
            text = f"{locked.text} {locked.counterpart}".casefold()
            payment = record_payment(
                tenant=tenant,
                amount=locked.amount,
                paid_on=locked.booked_on,
                method=PaymentMethod.SWISH if "swish" in text else PaymentMethod.BANK_TRANSFER,
                for_month=for_month,
                reference=_reference_in(locked.text),
                message=locked.text[:200],
                source=PaymentSource.BANK_STATEMENT,
                recorded_by=by,
                bank_key=locked.key,
            )
            _settle_claim(tenant=tenant, amount=locked.amount, payment=payment, by=by)
        locked.payment, locked.tenant, locked.for_month = payment, tenant, for_month
        locked.status = BankTransactionStatus.APPLIED
        locked.save(update_fields=["payment", "tenant", "for_month", "status"])
    return payment


def _confirmed_claim_payment(*, tenant, amount: Decimal) -> Payment | None:
    """The oldest payment of a confirmed "I have paid" of this amount that no bank line is yet."""
    return (
        Payment.objects.select_for_update()
        .filter(tenant=tenant, amount=amount, source=PaymentSource.MEMBER, bank_key="")
        .order_by("paid_on", "pk")
        .first()
    )


def _reference_in(text: str) -> str:
    codes = find_codes(text)
    return code_for(codes[0][1], codes[0][0]) if codes else ""


def _settle_claim(*, tenant, amount: Decimal, payment: Payment, by) -> None:
    """A member's pending "I have paid" of this amount is this payment."""
    from django.utils import timezone

    claim = (
        PaymentClaim.objects.select_for_update()
        .filter(tenant=tenant, amount=amount, status=ClaimStatus.PENDING)
        .order_by("created_at")
        .first()
    )
    if claim:
        claim.status, claim.payment = ClaimStatus.CONFIRMED, payment
        claim.decided_at, claim.decided_by = timezone.now(), by
        claim.save(update_fields=["status", "payment", "decided_at", "decided_by"])


def apply_matched(*, by=None) -> int:
    """Every sure match, in one click; returns how many were recorded. A line that a second
    click (or another treasurer) recorded meanwhile is skipped: it is recorded once."""
    count = 0
    for row in BankTransaction.objects.filter(
        status=BankTransactionStatus.MATCHED, tenant__isnull=False, payment__isnull=True
    ).select_related("tenant"):
        try:
            apply_transaction(
                bank_transaction=row, tenant=row.tenant, for_month=row.for_month, by=by
            )
        except ApplyError:
            continue
        count += 1
    return count
