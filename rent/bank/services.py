"""Bank statements in the database: layouts remembered, transactions imported once, and
matches recorded as payments only when the treasurer applies them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from rent.bank.matching import (
    Match,
    MatchStatus,
    Person,
    Recorded,
    match_transactions,
    same_payment,
)
from rent.bank.readers import Mapping, Table, read_table, read_transactions
from rent.errors import RentError
from rent.ledger.claims import decide_claim
from rent.ledger.payments import record_payment
from rent.ledger.reference import code_for, find_codes, person_parts
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
from rent.versioning import bump_data_version


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


# How far around a statement's dates a payment recorded with the same reference is looked for.
REFERENCE_DAYS = 62


def recorded_without_bank_line(transactions) -> list[Recorded]:
    """Incoming payments recorded without a bank line around the statement's dates (one
    query): a statement line may be one of them (rent.bank.matching)."""
    transactions = list(transactions)
    if not transactions:
        return []
    first = min(t.booked_on for t in transactions) - timedelta(days=REFERENCE_DAYS)
    last = max(t.booked_on for t in transactions) + timedelta(days=REFERENCE_DAYS)
    return [
        Recorded(pk, tenant_id, amount, paid_on, reference)
        for pk, tenant_id, amount, paid_on, reference in Payment.objects.filter(
            bank_key="", amount__gt=0, paid_on__range=(first, last)
        ).values_list("pk", "tenant_id", "amount", "paid_on", "reference")
    ]


def preview(table: Table, layout: BankLayout) -> list[Match]:
    """What importing would do; nothing is written. A bad row raises StatementError."""
    transactions = read_transactions(table, mapping_of(layout))
    return match_transactions(
        transactions,
        people(),
        known_keys(transactions),
        recorded_without_bank_line(transactions),
    )


@dataclass
class ImportReport:
    counts: Counter

    def __getitem__(self, status):
        return self.counts.get(status, 0)


def import_statement(*, matches: list[Match], name: str) -> ImportReport:
    """Keep every new transaction with its match (none is recorded as a new payment here);
    a line that is a payment already recorded is linked to it (`link_recorded`)."""
    counts = Counter(match.status for match in matches)
    rows = [
        BankTransaction(
            key=m.transaction.key,
            booked_on=m.transaction.booked_on,
            amount=m.transaction.amount,
            text=m.transaction.text[:300],
            counterpart=m.transaction.counterpart[:200],
            status=BankTransactionStatus.MATCHED
            if m.status == MatchStatus.RECORDED
            else BankTransactionStatus(m.status),
            tenant_id=m.person_id,
            for_month=m.for_month,
            suggestions=m.suggestions,
            reason=m.reason,
            statement_name=name[:200],
        )
        for m in matches
        if m.status != MatchStatus.ALREADY
    ]
    with transaction.atomic():
        if rows:
            bump_data_version()  # the bank lines' list is kept under it (rent.admin)
        # A statement imported twice at once: the second finds the keys taken and skips them.
        BankTransaction.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        for match in matches:
            if match.status == MatchStatus.RECORDED:
                link_recorded(key=match.transaction.key, payment_id=match.payment_id)
    return ImportReport(counts)


def link_recorded(*, key: str, payment_id: int) -> bool:
    """The bank line `key` is the payment already recorded: linked both ways (the line
    applied, the payment keeps the line's key and, if it had none, its reference), so
    neither "Registrera alla" nor another statement records it again. False when the
    payment got another line meanwhile (the line then waits as a match)."""
    with transaction.atomic():
        line = BankTransaction.objects.select_for_update().filter(key=key).first()
        payment = Payment.objects.select_for_update().filter(pk=payment_id, bank_key="").first()
        if line is None or payment is None or line.payment_id:
            return False
        _link(line=line, payment=payment)
    return True


def _link(*, line: BankTransaction, payment: Payment) -> None:
    """Tie a bank line to the payment it is (its amount is already allocated: only the bank
    key and the reference change, so the data version is bumped and nothing reallocated)."""
    bump_data_version()
    payment.bank_key = line.key
    fields = ["bank_key"]
    if not payment.reference:
        payment.reference = _reference_in(line, payment.tenant_id)
        fields.append("reference")
    payment.save(update_fields=fields)
    line.payment, line.tenant_id, line.status = (
        payment,
        payment.tenant_id,
        BankTransactionStatus.APPLIED,
    )
    line.for_month = line.for_month or payment.for_month
    line.save(update_fields=["payment", "tenant", "status", "for_month"])


class ApplyError(RentError, ValueError):
    """A transaction that cannot be recorded; the message says why."""


def ignore_line(*, bank_transaction: BankTransaction) -> None:
    """Set a bank line aside: not rent (a gift, a refund). A line recorded as a payment
    meanwhile (in another tab) stays recorded: ApplyError says so."""
    with transaction.atomic():
        bump_data_version()
        if not BankTransaction.objects.filter(pk=bank_transaction.pk, payment__isnull=True).update(
            status=BankTransactionStatus.IGNORED
        ):
            raise ApplyError("bank_line_recorded")


def apply_transaction(
    *, bank_transaction: BankTransaction, tenant: Tenant, for_month: date | None, by=None
) -> Payment:
    """Record the transaction as the tenant's payment (once: its key is the payment's)."""
    with transaction.atomic():
        locked = BankTransaction.objects.select_for_update().get(pk=bank_transaction.pk)
        if locked.payment_id or locked.status == BankTransactionStatus.APPLIED:
            raise ApplyError("bank_line_recorded")
        if locked.amount <= 0:
            raise ApplyError("bank_line_outgoing")
        payment = _already_recorded(line=locked, tenant=tenant)
        if payment is not None:
            # Recorded by hand, or the treasurer confirmed the member's "I have paid": this
            # line is that money, not more of it.
            locked.for_month = for_month
            _link(line=locked, payment=payment)
            return payment
        text = f"{locked.text} {locked.counterpart}".casefold()
        payment = record_payment(
            tenant=tenant,
            amount=locked.amount,
            paid_on=locked.booked_on,
            method=PaymentMethod.SWISH if "swish" in text else PaymentMethod.BANK_TRANSFER,
            for_month=for_month,
            reference=_reference_in(locked, tenant.pk),
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


def _already_recorded(*, line: BankTransaction, tenant: Tenant) -> Payment | None:
    """The oldest payment without a bank line that this line is: a confirmed "I have paid"
    of the amount, or a payment of the amount a few days apart or with the same reference
    (rent.bank.matching.same_payment)."""
    reference = _reference_in(line, tenant.pk)
    for payment in (
        Payment.objects.select_for_update()
        .filter(tenant=tenant, amount=line.amount, bank_key="")
        .order_by("paid_on", "pk")
    ):
        if payment.source == PaymentSource.MEMBER:
            return payment
        recorded = Recorded(
            payment.pk, tenant.pk, payment.amount, payment.paid_on, payment.reference
        )
        if same_payment(recorded, tenant.pk, line.amount, line.booked_on, reference):
            return payment
    return None


def _reference_in(line: BankTransaction, tenant_id: int | None = None) -> str:
    """The reference code in the line's text or payer (the tenant's own code first)."""
    codes = find_codes(f"{line.text} {line.counterpart}")
    if not codes:
        return ""
    if tenant_id is not None:
        parts = person_parts(Tenant.objects.only("pk", "name"))
        own = [(month, part) for month, part in codes if part == parts.get(tenant_id)]
        codes = own or codes
    return code_for(codes[0][1], codes[0][0])


def _settle_claim(*, tenant, amount: Decimal, payment: Payment, by) -> None:
    """A member's pending "I have paid" of this amount is this payment."""
    claim = (
        PaymentClaim.objects.select_for_update()
        .filter(tenant=tenant, amount=amount, status=ClaimStatus.PENDING)
        .order_by("created_at")
        .first()
    )
    if claim:
        decide_claim(claim, status=ClaimStatus.CONFIRMED, by=by, payment=payment)


def apply_matched(*, by=None) -> int:
    """Every sure match, in one click; returns how many new payments were recorded. A line
    that a second click (or another treasurer) recorded meanwhile is skipped, and a line that
    is a payment already recorded is linked to it: each is recorded once."""
    count = 0
    for row in BankTransaction.objects.filter(
        status=BankTransactionStatus.MATCHED, tenant__isnull=False, payment__isnull=True
    ).select_related("tenant"):
        try:
            payment = apply_transaction(
                bank_transaction=row, tenant=row.tenant, for_month=row.for_month, by=by
            )
        except ApplyError:
            continue
        count += payment.source == PaymentSource.BANK_STATEMENT
    return count
