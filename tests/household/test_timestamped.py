"""The abstract timestamped base: made once, changed on every save, for every table with both."""

from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.utils import timezone

from household.timestamped import Timestamped
from tests.builders import make_page, make_tenant

pytestmark = pytest.mark.django_db


def test_every_model_with_both_times_takes_them_from_the_base():
    both = {
        model.__name__
        for model in apps.get_models()
        if {"created_at", "updated_at"} <= {field.name for field in model._meta.fields}
        and not model.__name__.startswith("Historical")
    }
    assert both == {"Tenant", "Room", "RentConfig", "RentLedger", "Page", "Proposal"}
    for model in apps.get_models():
        if model.__name__ in both:
            assert issubclass(model, Timestamped), model.__name__


@pytest.mark.parametrize("make", [make_tenant, make_page], ids=["tenant", "page"])
def test_created_stays_and_updated_moves_on_save(monkeypatch, make):
    made, changed = datetime(2025, 9, 1, 8, tzinfo=UTC), datetime(2025, 10, 1, 8, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: made)
    row = make()
    assert (row.created_at, row.updated_at) == (made, made)
    monkeypatch.setattr(timezone, "now", lambda: changed)
    row.save()
    row.refresh_from_db()
    assert (row.created_at, row.updated_at) == (made, changed)
