"""Payments: an export's own, added when the database does not have them yet (the same payment
twice in a file is two payments; once in the file and once in the database is one)."""

from __future__ import annotations

from collections import Counter

from rent.importing.readers import Problem
from rent.models import Payment


def _identity(payment) -> tuple:
    return (
        payment.paid_on,
        payment.amount,
        payment.for_month,
        payment.reference,
        payment.note,
        payment.bank_key,
    )


def plan_payments(plan, bundle, tenants) -> None:
    exports = [export for export in bundle.exports if export.payments]
    if not exports:
        return
    have = Counter(
        (payment.tenant_id, _identity(payment))
        for payment in Payment.objects.only(
            "tenant_id", "paid_on", "amount", "for_month", "reference", "note", "bank_key"
        )
    )
    for export in exports:
        for record in export.payments:
            tenant = tenants.find(record.tenant_name, "")
            if tenant is None:
                plan.problems.append(
                    Problem(export.file, record.where, "names a tenant that is in no file or table")
                )
                continue
            key = (tenant.pk, record.identity())
            if tenant.pk and have[key] > 0:
                have[key] -= 1
                continue
            payment = Payment(
                tenant=tenant,
                paid_on=record.paid_on,
                amount=record.amount,
                method=record.method,
                for_month=record.for_month,
                reference=record.reference,
                message=record.message,
                source=record.source,
                note=record.note,
                bank_key=record.bank_key,
            )
            plan.payments.append(payment)
            if record.created_at:
                plan.timestamps.append((payment, {"created_at": record.created_at}))
