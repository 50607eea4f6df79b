"""The tenants' pages of the admin: the list with each tenant's status, and a member
changing their own contact details and nothing else."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.admin_helpers import client_for, tenant_form
from tests.builders import make_tenant

# The household, the treasurer and a member (tests/admin_helpers.py).
pytest_plugins = ["tests.admin_helpers"]

pytestmark = pytest.mark.django_db


def test_a_member_may_change_their_own_email_and_nothing_else(client, household, member):
    bea = household["bea"]
    client_for(client, member)
    url = reverse("admin:rent_tenant_change", args=[bea.pk])
    page = client.get(url).content.decode()
    assert 'name="email"' in page
    assert 'name="name"' not in page
    assert 'name="room_adjustment"' not in page
    data = tenant_form(email="bea@example.com", name="Hacked", room_adjustment="5000")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    bea.refresh_from_db()
    assert (bea.email, bea.name, bea.room_adjustment) == ("bea@example.com", "Bea", -1400)
    assert bea.history.first().history_user == member


def test_tenants_are_listed_with_their_status(client, household, treasurer):
    today = timezone.localdate()
    household["cissi"].start_date = today + timedelta(days=10)
    household["cissi"].save()
    make_tenant("Dan", start_date=date(2020, 1, 1), departure_date=today - timedelta(days=1))
    client_for(client, treasurer)
    url = reverse("admin:rent_tenant_changelist")
    expected = {
        "living_here": {"Adam", "Bea"},
        "moving_in": {"Cissi"},
        "moved_out": {"Dan"},
        "": {"Adam", "Bea", "Cissi", "Dan"},
    }
    for status, names in expected.items():
        response = client.get(url + (f"?status={status}" if status else ""))
        assert {tenant.name for tenant in response.context["cl"].result_list} == names, status
    page = client.get(url).content.decode()
    for label in ["bor här", "flyttar in", "har flyttat"]:
        assert f'<td class="field-status">{label}</td>' in page, label
