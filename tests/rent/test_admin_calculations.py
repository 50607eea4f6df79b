"""Saved calculations in the admin: read only, even for the treasurer, and shown in the
split's order."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from rent.ledger.month_costs import save_month_costs
from rent.models import RentCalculation
from tests.admin_helpers import C, client_for

# The household, the treasurer and a member (tests/admin_helpers.py).
pytest_plugins = ["tests.admin_helpers"]

pytestmark = pytest.mark.django_db


def test_calculations_are_read_only_even_for_the_treasurer(client, treasurer):
    calculation = RentCalculation.objects.create(
        config_month=C, version=1, calculated_at=timezone.now(), results={"Adam": 7045}
    )
    client_for(client, treasurer)
    assert client.get(reverse("admin:rent_rentcalculation_add")).status_code == 403
    change_url = reverse("admin:rent_rentcalculation_change", args=[calculation.pk])
    assert client.post(change_url, {"title": "edited"}).status_code == 403
    delete_url = reverse("admin:rent_rentcalculation_delete", args=[calculation.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    calculation.refresh_from_db()
    assert calculation.title == ""
    listing = client.get(reverse("admin:rent_rentcalculation_changelist")).content.decode()
    assert "7 045 kr" in listing


def test_a_calculation_shows_its_roommates_in_the_splits_order(client, treasurer):
    # jsonb (PostgreSQL) keeps shorter keys first: Bo before Maja, unless shown in order.
    calculation = RentCalculation.objects.create(
        config_month=C,
        version=1,
        calculated_at=timezone.now(),
        inputs={"roommates": {"Maja": {}, "Bo": {}}, "roommate_order": ["Maja", "Bo"]},
        results={"Maja": 9591, "Bo": 9592},
    )
    client_for(client, treasurer)
    page = client.get(reverse("admin:rent_rentcalculation_change", args=[calculation.pk]))
    html = page.content.decode()
    assert "{&quot;Maja&quot;: 9591, &quot;Bo&quot;: 9592}" in html
    assert "&quot;roommates&quot;: {&quot;Maja&quot;: {}, &quot;Bo&quot;: {}}" in html


def test_the_bills_and_saved_months_lists_show_a_write_at_once(client, treasurer):
    """Both lists' tables are kept under the data version (cached_change_list.html): a month
    saved and a bill entered are listed at the next reading."""
    client_for(client, treasurer)
    months = reverse("admin:rent_rentcalculation_changelist")
    bills = reverse("admin:rent_rentconfig_changelist")
    assert "8 123 kr" not in client.get(months).content.decode()
    assert "4 567 kr" not in client.get(bills).content.decode()
    RentCalculation.objects.create(
        config_month=C, version=1, calculated_at=timezone.now(), results={"Adam": 8123}
    )
    save_month_costs(config_month=C, values={"el": Decimal("4567")})
    assert "8 123 kr" in client.get(months).content.decode()
    assert "4 567 kr" in client.get(bills).content.decode()
