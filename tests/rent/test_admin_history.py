"""The history of every change in the admin: who changed what and when, old → new in the
project's words, and no going back for those who may not change the whole row."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from rent.models import RentConfig
from tests.admin_helpers import C, R, client_for, tenant_form
from tests.builders import make_item, make_ledger_row

# The household, the treasurer and a member (tests/admin_helpers.py).
pytest_plugins = ["tests.admin_helpers"]

pytestmark = pytest.mark.django_db


def test_the_treasurer_changes_a_tenant_and_the_history_shows_who_and_what(
    client, household, treasurer
):
    adam = household["adam"]
    client_for(client, treasurer)
    url = reverse("admin:rent_tenant_change", args=[adam.pk])
    data = tenant_form(name="Adam", email="adam@example.com", departure_date="2025-12-31")
    assert client.post(url, data).status_code == 302
    latest, earlier = adam.history.all()[:2]
    assert latest.history_user == treasurer
    delta = latest.diff_against(earlier)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("departure_date", None, date(2025, 12, 31))
    ]
    history_page = client.get(reverse("admin:rent_tenant_history", args=[adam.pk]))
    assert "kassor" in history_page.content.decode()


@pytest.mark.parametrize(
    ("model_name", "field", "new_value", "old_text", "new_text"),
    [
        ("tenant", "room_adjustment", Decimal("-1400"), "0 kr", "-1 400 kr"),
        ("rentconfig", "value", Decimal("2500.50"), "2 424 kr", "2 500,50 kr"),
        ("rentledger", "amount_due", Decimal("7500"), "7 045 kr", "7 500 kr"),
        ("rentledger", "days_stayed", Decimal("15.5"), "–", "15.50"),  # days are no kronor
        ("coowneditem", "value", Decimal("2000"), "3 000 kr", "2 000 kr"),
    ],
)
def test_each_objects_history_shows_who_when_and_old_and_new(
    client, household, treasurer, model_name, field, new_value, old_text, new_text
):
    obj = {
        "tenant": lambda: household["adam"],
        "rentconfig": lambda: RentConfig.objects.get(key="el", period=C),
        "rentledger": lambda: make_ledger_row(household["adam"], R, amount_due=Decimal("7045")),
        "coowneditem": lambda: make_item("Soffa", value=Decimal("3000")),
    }[model_name]()
    obj._history_user = treasurer
    setattr(obj, field, new_value)
    obj.save()
    client_for(client, treasurer)
    change_page = client.get(reverse(f"admin:rent_{model_name}_change", args=[obj.pk]))
    history_url = reverse(f"admin:rent_{model_name}_history", args=[obj.pk])
    assert history_url in change_page.content.decode()
    page = client.get(history_url).content.decode()
    latest = obj.history.first()
    assert latest.history_user == treasurer
    assert f'<td class="history-user">{treasurer.username}</td>' in page
    assert "Ändrad av" in page and "Ändringar (före → efter)" in page
    version_url = reverse(f"admin:rent_{model_name}_simple_history", args=[obj.pk, latest.pk])
    assert version_url in page
    assert f"{timezone.localtime(latest.history_date):%Y}" in page
    label = str(type(obj)._meta.get_field(field).verbose_name)
    change = (
        rf"<strong>{re.escape(label)}:</strong>\s*{re.escape(old_text)}\s*&nbsp;&rarr;&nbsp;&nbsp;"
    )
    assert re.search(change + re.escape(new_text), page, re.IGNORECASE), page


def test_a_member_reads_the_history_without_links_to_go_back(client, household, member):
    adam = household["adam"]
    adam.departure_date = date(2025, 12, 31)
    adam.save()
    version = adam.history.first()
    simple_history_url = reverse("admin:rent_tenant_simple_history", args=[adam.pk, version.pk])
    client_for(client, member)
    page = client.get(reverse("admin:rent_tenant_history", args=[adam.pk])).content.decode()
    assert re.search(r"<strong>Har flyttat:</strong>\s*–&nbsp;&rarr;&nbsp;&nbsp;2025-12-31", page)
    assert simple_history_url not in page
    assert "gå tillbaka" not in page


def test_a_member_cannot_revert_their_own_row_to_an_old_version(client, household, member):
    bea = household["bea"]
    bea.email = "old@example.com"
    bea.save()
    version = bea.history.earliest()
    client_for(client, member)
    url = reverse("admin:rent_tenant_simple_history", args=[bea.pk, version.history_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Bea", "room_adjustment": "0"}).status_code == 403
