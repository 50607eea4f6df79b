"""The admin's list of reminders sent: what send_rent_reminders wrote, never edited by hand."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from rent.models import ReminderKind, ReminderLog
from tests.admin_helpers import client_for
from tests.builders import make_tenant

pytest_plugins = ["tests.admin_helpers"]

pytestmark = pytest.mark.django_db


def test_the_reminders_sent_are_read_only_even_for_the_treasurer(client, treasurer):
    sent = ReminderLog.objects.create(
        recipient="adam@example.org",
        tenant=make_tenant("Adam"),
        kind=ReminderKind.choices[0][0],
        rent_month=date(2025, 11, 1),
        sent_on=date(2025, 10, 24),
        amount=Decimal("7045"),
    )
    client_for(client, treasurer)
    listing = client.get(reverse("admin:rent_reminderlog_changelist"))
    assert listing.status_code == 200 and "adam@example.org" in listing.content.decode()
    assert client.get(reverse("admin:rent_reminderlog_add")).status_code == 403
    change = reverse("admin:rent_reminderlog_change", args=[sent.pk])
    assert 'name="_save"' not in client.get(change).content.decode()
    assert client.post(change, {"recipient": "x@example.org"}).status_code == 403
    delete = reverse("admin:rent_reminderlog_delete", args=[sent.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    sent.refresh_from_db()
    assert sent.recipient == "adam@example.org"
