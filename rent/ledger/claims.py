"""A member's "Jag har betalat": pending until the treasurer confirms it (then a payment) or
the bank statement matches it (rent.bank.services settles it with that payment)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from rent.errors import RentError
from rent.ledger.payments import record_payment
from rent.models import ClaimStatus, PaymentClaim, PaymentMethod, PaymentSource, Tenant


class ClaimError(RentError, ValueError):
    """A claim that cannot be made or decided; the message says why."""


def claim_payment(*, tenant: Tenant, amount: Decimal, paid_on: date, message: str = ""):
    if amount is None or amount <= 0:
        raise ClaimError("amount_not_positive")
    if paid_on > timezone.localdate():
        raise ClaimError("paid_in_future")
    return PaymentClaim.objects.create(
        tenant=tenant, amount=amount, paid_on=paid_on, message=message[:200]
    )


def decide_claim(claim: PaymentClaim, *, status: str, by, payment=None) -> PaymentClaim:
    """The one way a pending claim is decided: confirmed (with the payment it is) or rejected,
    by whom and when. The treasurer's confirm and reject and the bank statement's match all
    decide through it, inside their transaction, on the claim's locked row."""
    claim.status, claim.payment = status, payment
    claim.decided_at, claim.decided_by = timezone.now(), by
    claim.save(update_fields=["status", "payment", "decided_at", "decided_by"])
    return claim


def _pending(claim: PaymentClaim) -> PaymentClaim:
    """The claim's row, locked; refused when it was decided already."""
    claim = PaymentClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.PENDING:
        raise ClaimError("claim_decided")
    return claim


def confirm_claim(*, claim: PaymentClaim, by=None):
    """The treasurer saw the money: the claim becomes a payment."""
    with transaction.atomic():
        claim = _pending(claim)
        payment = record_payment(
            tenant=claim.tenant,
            amount=claim.amount,
            paid_on=claim.paid_on,
            method=PaymentMethod.SWISH,
            message=claim.message,
            source=PaymentSource.MEMBER,
            recorded_by=by,
        )
        return decide_claim(claim, status=ClaimStatus.CONFIRMED, by=by, payment=payment)


def reject_claim(*, claim: PaymentClaim, by=None):
    """The treasurer could not find the money (the member is told on their page)."""
    with transaction.atomic():
        return decide_claim(_pending(claim), status=ClaimStatus.REJECTED, by=by)
