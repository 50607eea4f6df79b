"""The rent beside the handbook: the panel, the member's statement and the live example show
the same figures as the ledger, from the one balance function; credit is kept."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from rent.formatting import format_kronor
from rent.ledger.balances import balance_of
from rent.ledger.finalize import finalize_month
from rent.models import RentLedger
from rent.read_model import charged_month
from tests.builders import make_ledger_row, make_login, make_page, make_tenant, set_month_config
from tests.page_text import visible_text

pytestmark = pytest.mark.django_db

SEPT, OCT = date(2025, 9, 1), date(2025, 10, 1)


@pytest.fixture
def household(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2025, 9, 10))
    set_month_config(SEPT, kallhyra=24530, el=2424, bredband=400)
    return {name: make_tenant(name) for name in ("Adam", "Bea", "Filip")}


def panel_html(html: str) -> str:
    panel = html[html.index('data-testid="rent-panel"') :]
    return panel[: panel.index("</section>")]


def test_the_live_example_uses_the_saved_days_so_it_equals_the_panel_and_the_ledger(
    client, household
):
    """Filip was saved with 15 days for October (an override): the example must say so."""
    saved = finalize_month(config_month=SEPT, overrides={"Filip": {"days": 15}}, force=True)
    filip_due = RentLedger.objects.get(tenant=household["Filip"], rent_month=OCT).amount_due
    assert saved.calculation.results["Filip"] == filip_due
    make_page("hur-hyran-raknas", title="Hur hyran räknas", body="[[hyresexempel]]\n")
    member = make_login("filip", is_staff=False, tenant=household["Filip"])
    client.force_login(member)
    html = client.get("/handbok/hur-hyran-raknas/").content.decode()
    example = html[html.index('data-testid="rent-example"') :]

    strong = [visible_text(text) for text in re.findall(r"<strong>(.*?)</strong>", example)]
    assert format_kronor(filip_due) in strong
    assert ">15<" in example  # Filip's days in the example's table
    panel = client.get(reverse("handbook:rent_panel")).content.decode()
    assert format_kronor(filip_due) in panel_html(panel)
    assert charged_month(SEPT).split.rents == saved.calculation.results


def test_panel_and_statement_show_the_same_balance(client, household):
    adam = household["Adam"]
    make_ledger_row(adam, date(2025, 8, 1), amount_due=Decimal("7000"), amount_paid=Decimal("6500"))
    make_ledger_row(adam, OCT, amount_due=Decimal("7100"))
    client.force_login(make_login("adam", is_staff=False, tenant=adam))
    panel = panel_html(client.get(reverse("handbook:rent_panel")).content.decode())
    # The statement lives in the rent app now; the handbook's address redirects there.
    statement = client.get(reverse("handbook:rent_statement"), follow=True).content.decode()
    assert balance_of(tenant=adam) == Decimal("7600")
    assert "Obetalt totalt: 7 600 kr" in visible_text(panel)
    assert "Är skyldig 7 600 kr" in visible_text(statement)


def test_an_overpayment_shows_as_credit_on_the_panel_and_the_statement(client, household):
    adam = household["Adam"]
    make_ledger_row(adam, date(2025, 8, 1), amount_due=Decimal("6140"), amount_paid=Decimal("6140"))
    make_ledger_row(adam, date(2025, 9, 1), amount_due=Decimal("5434"), amount_paid=Decimal("6140"))
    client.force_login(make_login("adam", is_staff=False, tenant=adam))
    panel = panel_html(client.get(reverse("handbook:rent_panel")).content.decode())
    statement = client.get(reverse("handbook:rent_statement"), follow=True).content.decode()
    assert "706 kr tillgodo" in panel
    assert "706 kr tillgodo" in statement
    assert "Allt betalt" not in statement and "Inget obetalt" not in panel
