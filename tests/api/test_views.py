"""The kiosk's page (api.views.kiosk): the month due next as charged, labelled preliminary
while it is not saved and "changed since saved" after a change, never mixing the two."""

from datetime import date
from unittest import mock

import pytest

from rent.ledger.finalize import finalize_month
from rent.models import RentLedger
from tests.builders import make_tenant, make_token, set_month_config

pytestmark = pytest.mark.django_db

DECEMBER = date(2026, 12, 1)  # config month: the rent for January 2027, due 27 December


@pytest.fixture
def kiosk(client):
    _, raw = make_token()
    client.get(f"/kiosk/?token={raw}")
    with mock.patch("django.utils.timezone.localdate", lambda *a, **k: date(2026, 12, 10)):
        yield lambda: client.get("/kiosk/").content.decode()


def test_a_month_never_saved_is_labelled_preliminary(kiosk):
    make_tenant("Alva")
    set_month_config(DECEMBER, el=3245)
    html = kiosk()
    assert 'data-testid="kiosk-preliminary"' in html and "Preliminär" in html
    assert 'data-testid="kiosk-changed"' not in html


def test_a_tenant_added_after_saving_is_not_on_the_kiosk_until_saved_again(kiosk):
    alva = make_tenant("Alva")
    set_month_config(DECEMBER, el=3245)
    finalize_month(config_month=DECEMBER)
    make_tenant("Greta", start_date=date(2027, 1, 16))
    html = kiosk()
    assert 'data-testid="kiosk-changed"' in html and 'data-testid="kiosk-preliminary"' not in html
    people = html[html.index('data-testid="kiosk-people"') : html.index("</ul>")]
    assert "Greta" not in people
    alva_row = RentLedger.objects.get(tenant=alva, rent_month=date(2027, 1, 1))
    assert f'data-tenant="{alva.pk}"' in people
    assert f"{int(alva_row.amount_due):,}".replace(",", "\xa0") in people.replace(" ", "\xa0")
