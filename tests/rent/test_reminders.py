"""rent.reminders.emails and `send_rent_reminders`: over a simulated month (--date from the 20th to
the 10th of the next), exactly the expected emails on the expected days, none twice, none to
someone who paid or turned them off; the Swish QR code; and one email through a real SMTP
server started in the test."""

import re
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.core import mail
from django.core.management import call_command

from rent.ledger.balances import balance_of
from rent.ledger.payments import record_payment
from rent.models import ReminderLog
from rent.reminders.emails import kinds_for, reminders_for, swish_payload, swish_qr_png
from tests.builders import make_ledger_row, make_login, make_tenant
from tests.processes import free_loopback_port

pytestmark = pytest.mark.django_db

OCT = date(2025, 10, 1)


@pytest.fixture
def house(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.RENT_SWISH_NUMBER = "123 456 78 90"
    settings.RENT_REMINDER_DAYS_BEFORE = 3
    settings.RENT_REMINDER_OVERDUE_EVERY = 3
    people = {
        "adam": make_tenant("Adam", email="adam@example.com"),  # pays on the 26th
        "bea": make_tenant("Bea", email="bea@example.com"),  # never pays
        "cia": make_tenant("Cia", email="cia@example.com", rent_reminders=False),  # opted out
        "dan": make_tenant("Dan", email="dan@example.com"),  # paid ahead
    }
    for person in people.values():
        make_ledger_row(person, OCT, amount_due=Decimal("7000"))
    record_payment(tenant=people["dan"], amount=Decimal("7000"), paid_on=date(2025, 9, 1))
    make_login("kassor", role="Kassör", email="kassor@example.com")
    return people


def run(day: date) -> str:
    out = StringIO()
    call_command("send_rent_reminders", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def test_the_schedule_of_a_month():
    assert kinds_for(date(2025, 9, 24)) == ["heads_up"]
    assert kinds_for(date(2025, 9, 27)) == ["due"]
    assert kinds_for(date(2025, 9, 28)) == ["summary"]
    assert kinds_for(date(2025, 9, 30)) == ["overdue"]
    assert kinds_for(date(2025, 10, 3)) == ["overdue"]
    assert kinds_for(date(2025, 10, 5)) == []


def test_a_simulated_month_sends_exactly_the_expected_emails(house):
    sent_by_day = {}
    day = date(2025, 9, 20)
    while day <= date(2025, 10, 10):
        if day == date(2025, 9, 26):
            record_payment(tenant=house["adam"], amount=Decimal("7000"), paid_on=day)
        before = len(mail.outbox)
        run(day)
        run(day)  # a second run the same day sends nothing
        sent_by_day[day] = sorted((m.to[0], m.subject) for m in mail.outbox[before:])
        day += timedelta(days=1)
    sent = {day: emails for day, emails in sent_by_day.items() if emails}
    assert sent == {
        date(2025, 9, 24): [
            ("adam@example.com", "Hyran ska vara betald den 27 september"),
            ("bea@example.com", "Hyran ska vara betald den 27 september"),
        ],
        date(2025, 9, 27): [("bea@example.com", "Hyran ska betalas i dag")],
        # Cia turned her reminders off; the treasurer still hears she has not paid.
        date(2025, 9, 28): [("kassor@example.com", "Hyran: 2 personer har inte betalat")],
        date(2025, 9, 30): [("bea@example.com", "Din hyra är sen")],
        date(2025, 10, 3): [("bea@example.com", "Din hyra är sen")],
        date(2025, 10, 6): [("bea@example.com", "Din hyra är sen")],
        date(2025, 10, 9): [("bea@example.com", "Din hyra är sen")],
    }
    assert ReminderLog.objects.count() == 8  # one a day per recipient and kind
    heads_up = next(m for m in mail.outbox if m.to == ["bea@example.com"])
    assert "7 000 kr" in heads_up.body and "KK2510BEA" in heads_up.body
    assert "123 456 78 90" in heads_up.body
    assert heads_up.attachments[0][0] == "swish-qr.png"
    assert heads_up.attachments[0][1].startswith(b"\x89PNG")
    summary = next(m for m in mail.outbox if m.to == ["kassor@example.com"])
    assert "Bea: 7 000 kr" in summary.body and "Cia: 7 000 kr" in summary.body
    assert "Adam" not in summary.body and "Dan" not in summary.body


def test_a_dry_run_sends_and_logs_nothing(house):
    out = StringIO()
    call_command("send_rent_reminders", "--date", "2025-09-24", "--dry-run", stdout=out)
    assert "would send heads_up to bea@example.com" in out.getvalue()
    assert not mail.outbox and not ReminderLog.objects.exists()


def test_the_swish_qr_text_follows_swishs_documented_format(settings):
    settings.RENT_SWISH_NUMBER = "123 456 78 90"
    assert swish_payload(amount=Decimal("7045.5"), message="KK2510ADAM") == (
        "C1234567890;7045,50;KK2510ADAM;0"
    )


def test_one_reminder_through_a_real_smtp_server(house, settings):
    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    port = free_loopback_port()
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        record_payment(tenant=house["adam"], amount=Decimal("7000"), paid_on=date(2025, 9, 26))
        run(date(2025, 9, 27))
    finally:
        controller.stop()
    assert [message["To"] for message in received] == ["bea@example.com"]
    message = received[0]
    assert message["Subject"] == "Hyran ska betalas i dag"
    text = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    assert "KK2510BEA" in text.get_payload(decode=True).decode()


def test_a_member_turns_reminders_off_on_their_own_page_and_gets_none(client, house):
    member = make_login("bea", role="Boende", tenant=house["bea"])
    client.force_login(member)
    url = f"/hyra/{house['bea'].pk}/"
    assert "Du får hyrespåminnelser via e-post." in client.get(url).content.decode()
    assert client.post(url, {"rent_reminders": "off"}).status_code == 302
    house["bea"].refresh_from_db()
    assert house["bea"].rent_reminders is False
    run(date(2025, 9, 27))
    assert [m.to for m in mail.outbox] == [["adam@example.com"]]
    other = make_login("adam", role="Boende", tenant=house["adam"])
    client.force_login(other)
    assert client.post(url, {"rent_reminders": "on"}).status_code == 403


# One reminder a person can act on ------------------------------------------------------------

DEC_2026, JAN_2027 = date(2026, 12, 1), date(2027, 1, 1)
DUE_AND_OVERDUE = date(2026, 12, 27)  # the due day, and 30 days after the last one


@pytest.fixture
def filip(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.RENT_SWISH_NUMBER = "123 456 78 90"
    settings.RENT_REMINDER_DAYS_BEFORE = 3
    settings.RENT_REMINDER_OVERDUE_EVERY = 3
    settings.SITE_URL = "https://kimonokittens.example.org/"
    tenant = make_tenant("Filip", email="filip@example.com")
    make_ledger_row(tenant, DEC_2026, amount_due=Decimal("3728"))
    record_payment(tenant=tenant, amount=Decimal("1000"), paid_on=date(2026, 11, 20))
    make_ledger_row(tenant, JAN_2027, amount_due=Decimal("3281"))
    paid_ahead = make_tenant("Gun", email="gun@example.com")
    make_ledger_row(paid_ahead, JAN_2027, amount_due=Decimal("3000"))
    record_payment(tenant=paid_ahead, amount=Decimal("9000"), paid_on=date(2026, 11, 1))
    return tenant


def test_due_and_overdue_on_one_day_is_one_email_with_one_amount_and_one_reference(filip):
    assert kinds_for(DUE_AND_OVERDUE) == ["due", "overdue"]
    run(DUE_AND_OVERDUE)
    assert [m.to for m in mail.outbox] == [["filip@example.com"]]  # Gun has credit: none
    email = mail.outbox[0]
    assert email.subject == "Din hyra är sen"
    # Everything due now: the rest of December (2 728) and January (3 281), the balance.
    assert balance_of(tenant=filip) == Decimal("6009")
    assert "6 009 kr" in email.body and "2 728" not in email.body and "3 281" not in email.body
    assert "december 2026, januari 2027" in email.body
    assert re.findall(r"KK\d{4}[A-Z]+", email.body) == ["KK2701FILI"]
    # The Swish QR code carries the same amount and reference.
    assert email.attachments[0][1] == swish_qr_png(
        swish_payload(amount=Decimal("6009"), message="KK2701FILI")
    )
    assert f"https://kimonokittens.example.org/hyra/{filip.pk}/" in email.body
    assert ReminderLog.objects.get().amount == Decimal("6009")
    run(DUE_AND_OVERDUE)  # again the same day: nothing more
    assert len(mail.outbox) == 1


def test_the_dry_run_prints_per_person_the_amount_and_the_months(filip):
    out = StringIO()
    call_command("send_rent_reminders", "--date", str(DUE_AND_OVERDUE), "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines == [
        "2026-12-27: would send overdue to filip@example.com: 6 009 kr for 2026-12, 2027-01, "
        "reference KK2701FILI",
        "2026-12-27: 1 would send.",
    ]
    assert not mail.outbox and not ReminderLog.objects.exists()


def test_reminders_for_chooses_without_a_channel(filip, settings):
    """The choice an SMS channel would reuse: one per person, kind, amount, months, code."""
    reminders = reminders_for(DUE_AND_OVERDUE)
    assert [(r.tenant.name, r.kind, r.amount, r.months, r.reference) for r in reminders] == [
        ("Filip", "overdue", Decimal("6009"), (DEC_2026, JAN_2027), "KK2701FILI")
    ]
    settings.RENT_REMINDER_OVERDUE_EVERY = 7
    assert kinds_for(date(2026, 12, 24)) == ["heads_up"]
    # On a heads-up day: everything due by the 27th, the late December too, told as late.
    heads_up = reminders_for(date(2026, 12, 24))
    assert [(r.kind, r.amount, r.reference) for r in heads_up] == [
        ("overdue", Decimal("6009"), "KK2701FILI")
    ]
    record_payment(tenant=filip, amount=Decimal("2728"), paid_on=date(2026, 12, 20))
    assert [(r.kind, r.amount, r.months) for r in reminders_for(date(2026, 12, 24))] == [
        ("heads_up", Decimal("3281"), (JAN_2027,))
    ]
    assert reminders_for(date(2026, 12, 26)) == []  # no reminder day
