"""Rent reminders by email, run once a day (`manage.py send_rent_reminders`, a systemd timer).

The schedule around the due day (the 27th, rent.months), its days in settings:
- a heads-up RENT_REMINDER_DAYS_BEFORE days before, to those with an open amount for the
  coming month (its row saved);
- a reminder on the due day to those who still have not paid it;
- after it, an overdue reminder every RENT_REMINDER_OVERDUE_EVERY days to those with an
  overdue amount;
- the day after the due day, a summary to the treasurer of who has not paid.

ReminderLog holds what was sent: at most one email a day per recipient and kind, so running
the command twice (or a retry) sends nothing again, and the treasurer sees what went out.
A person who turned reminders off on their page gets none.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from rent.formatting import format_kronor
from rent.models import ReminderKind, ReminderLog, RentLedger, Tenant
from rent.months import DUE_DAY, add_months, due_date
from rent.reference import reference_code


@dataclass
class Outcome:
    sent: list[tuple[str, str]] = field(default_factory=list)  # (kind, recipient)
    skipped: list[str] = field(default_factory=list)


def kinds_for(today: date) -> list[str]:
    """Which reminders today's date calls for."""
    before = settings.RENT_REMINDER_DAYS_BEFORE
    every = max(settings.RENT_REMINDER_OVERDUE_EVERY, 1)
    kinds = []
    if today.day == DUE_DAY - before:
        kinds.append(ReminderKind.HEADS_UP)
    if today.day == DUE_DAY:
        kinds.append(ReminderKind.DUE)
    last_due = today.replace(day=DUE_DAY) if today.day > DUE_DAY else None
    if last_due is None:
        last_due = due_date(add_months(today.replace(day=1), -1))
    days_late = (today - last_due).days
    if days_late > 0 and days_late % every == 0:
        kinds.append(ReminderKind.OVERDUE)
    if today == last_due + timedelta(days=1):
        kinds.append(ReminderKind.SUMMARY)
    return kinds


def _open_rows(kind: str, today: date):
    unpaid = RentLedger.objects.unpaid().select_related("tenant")
    if kind in (ReminderKind.HEADS_UP, ReminderKind.DUE):
        return unpaid.filter(rent_month=add_months(today.replace(day=1), 1))
    return unpaid.overdue(today)  # the due day of each has passed


def swish_payload(*, amount: Decimal, message: str) -> str:
    """The text of a Swish QR code as Swish documents it (QR code encoding specification,
    "C<number>;<amount, decimal comma>;<message, URL-encoded>;<lock mask>"): number, amount
    and message fixed."""
    number = "".join(c for c in settings.RENT_SWISH_NUMBER if c.isdigit())
    kronor = f"{amount:.2f}".replace(".", ",")
    return f"C{number};{kronor};{urllib.parse.quote(message)};0"


def swish_qr_png(payload: str) -> bytes:
    import io

    import segno

    out = io.BytesIO()
    segno.make(payload, error="m").save(out, kind="png", scale=6, border=4)
    return out.getvalue()


def send_reminders(*, today: date, dry_run: bool = False) -> Outcome:
    outcome = Outcome()
    tenants = list(Tenant.objects.only("pk", "name"))
    with translation.override(settings.LANGUAGE_CODE):
        for kind in kinds_for(today):
            if kind == ReminderKind.SUMMARY:
                _summary(today, outcome, dry_run)
                continue
            per_tenant: dict[int, list[RentLedger]] = {}
            for row in _open_rows(kind, today).order_by("rent_month"):
                per_tenant.setdefault(row.tenant_id, []).append(row)
            for rows in per_tenant.values():
                _remind(kind, rows, today, tenants, outcome, dry_run)
    return outcome


def _remind(kind, rows, today, tenants, outcome, dry_run) -> None:
    tenant = rows[0].tenant
    if not tenant.rent_reminders:
        outcome.skipped.append(f"{tenant.name}: reminders off")
        return
    if not tenant.email:
        outcome.skipped.append(f"{tenant.name}: no email address")
        return
    amount = sum((row.amount_due - row.amount_paid for row in rows), Decimal(0))
    month = rows[-1].rent_month
    code = reference_code(tenant=tenant, rent_month=month, tenants=tenants)
    context = {
        "kind": kind,
        "name": tenant.name.split(" ")[0],
        "amount": format_kronor(amount),
        "months": [row.rent_month for row in rows],
        "due": due_date(add_months(month, -1)),
        "reference": code,
        "swish_number": settings.RENT_SWISH_NUMBER,
        "site_url": settings.SITE_URL,
        "statement_path": f"/hyra/{tenant.pk}/",
    }
    subject = render_to_string("rent/email/reminder_subject.txt", context).strip()
    body = render_to_string("rent/email/reminder.txt", context)
    attachment = None
    if settings.RENT_SWISH_NUMBER:
        attachment = swish_qr_png(swish_payload(amount=amount, message=code))
    _send_once(kind, tenant.email, tenant, month, amount, today, subject, body, attachment,
               outcome, dry_run)  # fmt: skip


def _summary(today, outcome, dry_run) -> None:
    from rent.roles import household_members, is_treasurer

    rows = list(_open_rows(ReminderKind.OVERDUE, today).order_by("tenant__name", "rent_month"))
    owing: dict[str, Decimal] = {}
    for row in rows:
        owing[row.tenant.name] = owing.get(row.tenant.name, Decimal(0)) + (
            row.amount_due - row.amount_paid
        )
    month = add_months(today.replace(day=1), 0)
    body = render_to_string(
        "rent/email/summary.txt",
        {"owing": [(name, format_kronor(amount)) for name, amount in owing.items()]},
    )
    subject = render_to_string("rent/email/summary_subject.txt", {"count": len(owing)}).strip()
    for user in household_members(on=today):
        if is_treasurer(user) and user.email:
            _send_once(ReminderKind.SUMMARY, user.email, None, month,
                       sum(owing.values(), Decimal(0)), today, subject, body, None, outcome,
                       dry_run)  # fmt: skip


def _send_once(kind, recipient, tenant, month, amount, today, subject, body, attachment,
               outcome, dry_run) -> None:  # fmt: skip
    """Send unless this recipient had this kind today; the log row and the email go together
    (an email that fails leaves no log, so the next run tries again)."""
    if dry_run:
        if not ReminderLog.objects.filter(recipient=recipient, kind=kind, sent_on=today).exists():
            outcome.sent.append((kind, recipient))
        return
    with transaction.atomic():
        _log, created = ReminderLog.objects.get_or_create(
            recipient=recipient,
            kind=kind,
            sent_on=today,
            defaults={"tenant": tenant, "rent_month": month, "amount": amount},
        )
        if not created:
            return
        message = EmailMessage(subject=subject, body=body, to=[recipient])
        if attachment:
            message.attach("swish-qr.png", attachment, "image/png")
        message.send()
    outcome.sent.append((kind, recipient))
