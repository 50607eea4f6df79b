"""The co-owned items in the admin: each owner's share, and one history entry with the owners."""

from decimal import Decimal

import pytest
from django.urls import reverse

from rent.models import CoOwnedItem
from tests.admin_helpers import client_for
from tests.builders import make_item

# The household, the treasurer and a member (tests/admin_helpers.py).
pytest_plugins = ["tests.admin_helpers"]

pytestmark = pytest.mark.django_db


def test_each_owner_sees_their_share_of_an_item(client, household, treasurer):
    item = make_item("Soffa", value=Decimal("3000"), owners=[household["adam"], household["bea"]])
    client_for(client, treasurer)
    listing = client.get(reverse("admin:rent_coowneditem_changelist")).content.decode()
    assert "Adam: 1 500 kr" in listing and "Bea: 1 500 kr" in listing
    page = client.get(reverse("admin:rent_coowneditem_change", args=[item.pk])).content.decode()
    assert "Bea: 1 500 kr" in page


def test_adding_an_item_with_owners_records_one_history_entry_with_its_owners(
    client, household, treasurer
):
    client_for(client, treasurer)
    prefix = "CoOwnedItem_owners"
    data = {
        "name": "Dammsugare",
        "description": "",
        "purchase_date": "2025-03-01",
        "value": "2400",
        f"{prefix}-TOTAL_FORMS": "2",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-tenant": str(household["adam"].pk),
        f"{prefix}-1-tenant": str(household["cissi"].pk),
    }
    response = client.post(reverse("admin:rent_coowneditem_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    item = CoOwnedItem.objects.get(name="Dammsugare")
    assert {owner.name for owner in item.owners.all()} == {"Adam", "Cissi"}
    entries = list(item.history.all())
    assert len(entries) == 1
    assert entries[0].history_type == "+"
    assert entries[0].history_user == treasurer
    assert {row.tenant.name for row in entries[0].owners.all()} == {"Adam", "Cissi"}
