"""Rent reminders, run once a day (`manage.py send_rent_reminders`, a systemd timer).

The schedule around the due day (the 27th, rent.engine.months), its days in settings:
- a heads-up RENT_REMINDER_DAYS_BEFORE days before, to those with an open amount for the
  coming month (its row saved);
- a reminder on the due day to those who still have not paid it;
- after it, an overdue reminder every RENT_REMINDER_OVERDUE_EVERY days to those with an
  overdue amount;
- the day after the due day, a summary to the treasurer of who has not paid.

Each person gets at most one reminder a send, of the most urgent kind that applies to them
(overdue whenever a month of theirs already is), with one amount (everything due now: their
balance through the latest month it covers, rent.ledger.balances) and one reference to pay with
(that month's). `reminders_for` chooses them and knows nothing of email, so another channel
(SMS) can send the same; `send_reminders` emails them. ReminderLog holds what was sent: at
most one reminder a day per person (and one summary), so running the command twice (or a
retry) sends nothing again, and the treasurer sees what went out. A person who turned
reminders off on their page gets none.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from rent.engine.months import DUE_DAY, add_months, due_date
from rent.formatting import format_kronor, ore_text
from rent.ledger.balances import balances
from rent.ledger.reference import reference_code
from rent.models import (
    ReminderKind,
    ReminderLog,
    RentLedger,
    Tenant,
    overdue_rent_months_through,
)


@dataclass(frozen=True)
class Reminder:
    """What one person is reminded of today, whatever the channel."""

    tenant: Tenant
    kind: str
    amount: Decimal  # everything due now (rent.ledger.balances, through the latest month)
    months: tuple[date, ...]  # the open months it covers, oldest first
    reference: str  # the code to pay with: the latest month's

    @property
    def rent_month(self) -> date:
        return self.months[-1]

    def dry_run_text(self) -> str:
        months = ", ".join(f"{month:%Y-%m}" for month in self.months)
        return f"{format_kronor(self.amount)} for {months}, reference {self.reference}"


@dataclass
class Outcome:
    sent: list[tuple[str, str]] = field(default_factory=list)  # (kind, recipient)
    skipped: list[str] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)  # recipient → amount and months


# The most urgent first: a person due and overdue on the same day gets the overdue one.
URGENCY = (ReminderKind.OVERDUE, ReminderKind.DUE, ReminderKind.HEADS_UP)


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


def _through(kind: str, today: date) -> date:
    """The latest rent month a reminder of `kind` is about."""
    if kind in (ReminderKind.HEADS_UP, ReminderKind.DUE):
        return add_months(today.replace(day=1), 1)  # the coming month
    return overdue_rent_months_through(today)


def _open_rows(kind: str, today: date):
    unpaid = RentLedger.objects.unpaid().select_related("tenant")
    if kind in (ReminderKind.HEADS_UP, ReminderKind.DUE):
        return unpaid.filter(rent_month=_through(kind, today))
    return unpaid.overdue(today)  # the due day of each has passed


def owing(*, through: date) -> dict[Tenant, Reminder]:
    """Everyone who owes something through rent month `through`: their balance through it
    (rent.ledger.balances) and the open months it covers (three queries)."""
    tenants = list(Tenant.objects.only("pk", "name"))
    amounts = balances(through=through)
    months: dict[int, list] = {}
    for tenant_id, month in (
        RentLedger.objects.unpaid()
        .filter(rent_month__lte=through)
        .order_by("rent_month")
        .values_list("tenant_id", "rent_month")
    ):
        months.setdefault(tenant_id, []).append(month)
    found = {}
    for tenant in sorted(tenants, key=lambda t: t.name.casefold()):
        if amounts.get(tenant.pk, 0) > 0 and months.get(tenant.pk):
            latest = months[tenant.pk][-1]
            found[tenant] = Reminder(
                tenant=tenant,
                kind="",
                amount=amounts[tenant.pk],
                months=tuple(months[tenant.pk]),
                reference=reference_code(tenant=tenant, rent_month=latest, tenants=tenants),
            )
    return found


def reminders_for(today: date) -> list[Reminder]:
    """Who is reminded today (one each, the most urgent kind that applies to them), with one
    amount and one reference. Whether they want reminders is the channel's to check."""
    kinds = [kind for kind in URGENCY if kind in kinds_for(today)]
    if not kinds:
        return []
    kind_of: dict[int, str] = {}
    for kind in kinds:  # the most urgent first
        for row in _open_rows(kind, today):
            kind_of.setdefault(row.tenant_id, kind)
    # Whoever is reminded today with a month already late is told it is late.
    late = set(RentLedger.objects.overdue(today).values_list("tenant_id", flat=True))
    kind_of = {pk: ReminderKind.OVERDUE if pk in late else kind for pk, kind in kind_of.items()}
    # Everything due now: through the latest month any of today's reminders is about.
    through = max(_through(kind, today) for kind in kinds)
    return [
        replace(reminder, kind=kind_of[tenant.pk])
        for tenant, reminder in owing(through=through).items()
        if tenant.pk in kind_of
    ]


def swish_payload(*, amount: Decimal, message: str) -> str:
    """The text of a Swish QR code as Swish documents it (QR code encoding specification,
    "C<number>;<amount, decimal comma>;<message, URL-encoded>;<lock mask>"): number, amount
    and message fixed."""
    number = "".join(c for c in settings.RENT_SWISH_NUMBER if c.isdigit())
    return f"C{number};{ore_text(amount)};{urllib.parse.quote(message)};0"


def swish_qr_png(payload: str) -> bytes:
    import io

    import segno

    out = io.BytesIO()
    segno.make(payload, error="m").save(out, kind="png", scale=6, border=4)
    return out.getvalue()


def send_reminders(*, today: date, dry_run: bool = False) -> Outcome:
    outcome = Outcome()
    with translation.override(settings.LANGUAGE_CODE):
        for reminder in reminders_for(today):
            _remind(reminder, today, outcome, dry_run)
        if ReminderKind.SUMMARY in kinds_for(today):
            _summary(today, outcome, dry_run)
    return outcome


def _remind(reminder: Reminder, today, outcome, dry_run) -> None:
    tenant = Tenant.objects.get(pk=reminder.tenant.pk)  # its email and choice, as of now
    if not tenant.rent_reminders:
        outcome.skipped.append(f"{tenant.name}: reminders off")
        return
    if not tenant.email:
        outcome.skipped.append(f"{tenant.name}: no email address")
        return
    context = {
        "kind": reminder.kind,
        "name": tenant.name.split(" ")[0],
        "amount": format_kronor(reminder.amount),
        "months": reminder.months,
        "due": due_date(add_months(reminder.rent_month, -1)),
        "reference": reminder.reference,
        "swish_number": settings.RENT_SWISH_NUMBER,
        "site_url": settings.SITE_URL.rstrip("/"),
        "statement_path": f"/hyra/{tenant.pk}/",
    }
    subject = render_to_string("rent/email/reminder_subject.txt", context).strip()
    body = render_to_string("rent/email/reminder.txt", context)
    attachment = None
    if settings.RENT_SWISH_NUMBER:
        attachment = swish_qr_png(swish_payload(amount=reminder.amount, message=reminder.reference))
    outcome.details[tenant.email] = reminder.dry_run_text()
    _send_once(reminder.kind, tenant.email, tenant, reminder.rent_month, reminder.amount, today,
               subject, body, attachment, outcome, dry_run)  # fmt: skip


def _summary(today, outcome, dry_run) -> None:
    from household.roles import household_members, is_treasurer

    late = owing(through=overdue_rent_months_through(today))
    month = add_months(today.replace(day=1), 0)
    body = render_to_string(
        "rent/email/summary.txt",
        {"owing": [(tenant.name, format_kronor(r.amount)) for tenant, r in late.items()]},
    )
    subject = render_to_string("rent/email/summary_subject.txt", {"count": len(late)}).strip()
    total = sum((r.amount for r in late.values()), Decimal(0))
    for user in household_members(on=today):
        if is_treasurer(user) and user.email:
            _send_once(ReminderKind.SUMMARY, user.email, None, month, total, today, subject, body,
                       None, outcome, dry_run)  # fmt: skip


def _send_once(kind, recipient, tenant, month, amount, today, subject, body, attachment,
               outcome, dry_run) -> None:  # fmt: skip
    """Send unless this recipient had a reminder today (a summary: unless they had one); the
    log row and the email go together (an email that fails leaves no log, so the next run
    tries again)."""
    sent_today = ReminderLog.objects.filter(recipient=recipient, sent_on=today)
    if kind == ReminderKind.SUMMARY:
        sent_today = sent_today.filter(kind=kind)
    else:
        sent_today = sent_today.exclude(kind=ReminderKind.SUMMARY)
    if dry_run:
        if not sent_today.exists():
            outcome.sent.append((kind, recipient))
        return
    with transaction.atomic():
        if sent_today.exists():
            return
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
