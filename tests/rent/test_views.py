"""The rent pages: the coming month, the history chart, statements (with CSV), items, kiosk."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rent.engine.months import add_months, config_month_due_next
from rent.ledger.payments import reallocate, record_payment
from rent.ledger.reference import reference_code
from rent.models import Payment, PaymentMethod, RentConfig, RentLedger
from tests.builders import (
    as_a_new_worker,
    make_item,
    make_ledger_row,
    make_login,
    make_tenant,
    set_month_config,
)
from tests.page_text import visible_text
from tests.people import make_treasurer

pytestmark = pytest.mark.django_db

SEPTEMBER, OCTOBER = date(2025, 9, 1), date(2025, 10, 1)


@pytest.fixture
def september(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2025, 9, 10))


@pytest.fixture
def house():
    adam = make_tenant("Adam", room_adjustment=Decimal("-1400"))
    bea = make_tenant("Bea")
    cecilia = make_tenant("Cecilia", start_date=date(2025, 10, 17))
    set_month_config(SEPTEMBER, el=2424, gas=550)
    return adam, bea, cecilia


@pytest.fixture
def member(house):
    return make_login("adam", role="Boende", tenant=house[0], is_staff=False)


def test_the_coming_rent_shows_people_costs_and_the_message(client, house, member, september):
    adam, bea, _ = house
    client.force_login(member)
    html = client.get("/hyra/").content.decode()
    assert "Hyran för oktober 2025" in html  # the coming month before the 27th
    assert "<strong>Hyran för oktober 2025</strong>" in html  # the message's bold
    assert 'data-status="never_saved"' in html and "inte sparad" in html
    assert "Cecilia" in html and "15" in html  # moved in on the 17th: 15 days
    assert "-1 400 kr" in html
    assert "2 424 kr" in html and "denna månad" in html  # el with its source
    assert "550 kr" in html
    # The links name the rent months they open (?month= takes the config month).
    assert 'href="?month=2025-08"' in html and 'href="?month=2025-10"' in html
    assert "← september 2025" in html and "november 2025 →" in html


def test_a_saved_month_shows_only_its_saved_lines_and_what_changed(
    client, house, member, september
):
    """Adam's row is saved and paid; Bea and Cecilia are in no saved line: they are not
    charged on the page, only named as what a new save would change."""
    adam, bea, _ = house
    make_ledger_row(adam, rent_month=OCTOBER, amount_due=Decimal("6000"),
                    amount_paid=Decimal("6000"), paid_on=date(2025, 9, 20))  # fmt: skip
    client.force_login(member)
    html = client.get("/hyra/").content.decode()
    people = html[html.index('data-testid="people"') : html.index("</table>")]
    assert "✓ 20 sep. 2025" in people  # Adam's saved, paid row
    assert "Bea" not in people and "Cecilia" not in people
    assert 'data-testid="total-due"><span class="kr">6 000 kr</span>' in people
    changed = html[html.index('data-testid="changed-since-saved"') :]
    assert "Cecilia flyttar in 17/10" in changed[: changed.index("</p>")]
    later = client.get("/hyra/?month=2025-10").content.decode()
    assert "Hyran för november 2025" in later


def test_the_coming_rent_is_kept_per_reader_and_shows_a_payment_at_once(
    client, house, member, september
):
    """The month's part of /hyra/ is rendered once per data version, day, language, address and
    reader (coming.html): a payment shows at the next reading, a member never gets the
    treasurer's links to everyone's statements, nor the treasurer the member's."""
    adam, bea, _ = house
    make_ledger_row(adam, rent_month=OCTOBER, amount_due=Decimal("6000"))
    make_ledger_row(bea, rent_month=OCTOBER, amount_due=Decimal("7000"))
    client.force_login(make_treasurer())
    for_treasurer = client.get("/hyra/").content.decode()
    assert f'href="/hyra/{bea.pk}/"' in for_treasurer
    client.force_login(member)
    people = client.get("/hyra/").content.decode()
    assert f'href="/hyra/{adam.pk}/"' in people and f'href="/hyra/{bea.pk}/"' not in people
    assert "2 000 kr betalt" not in visible_text(people) and "0 kr betalt" in visible_text(people)
    record_payment(tenant=adam, amount=Decimal("2000"), paid_on=date(2025, 9, 9))
    assert "2 000 kr betalt" in visible_text(client.get("/hyra/").content.decode())


def test_after_the_27th_the_next_month_is_coming(client, house, member, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2025, 9, 28))
    client.force_login(member)
    assert "Hyran för november 2025" in client.get("/hyra/").content.decode()


def test_a_statement_has_running_balances_with_credit_and_a_csv(client, house, member):
    adam = house[0]
    make_ledger_row(adam, rent_month=date(2025, 8, 1), amount_due=Decimal("7000"),
                    amount_paid=Decimal("7500"), paid_on=date(2025, 7, 25))  # fmt: skip
    make_ledger_row(adam, rent_month=SEPTEMBER, amount_due=Decimal("7000"),
                    amount_paid=Decimal("6000"))  # fmt: skip
    client.force_login(member)
    html = client.get(f"/hyra/{adam.pk}/").content.decode()
    assert "500 kr tillgodo" in html  # the running balance after August's payment: credit
    assert "Är skyldig 500 kr" in visible_text(html)
    assert html.count('data-testid="payment-line"') == 2

    coming = add_months(config_month_due_next(timezone.localdate()), 1)
    assert reference_code(tenant=adam, rent_month=coming) in html
    assert reference_code(tenant=adam, rent_month=coming).startswith("KK") and "ADAM" in html
    # For a person: a Swedish spreadsheet opens it in columns (BOM, semicolons, commas).
    response = client.get(f"/hyra/{adam.pk}/csv/")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows == [
        ["Hyresmånad", "Betalning", "Att betala", "Betalt", "Betald den", "Kvar",
         "Löpande saldo"],
        ["", "Betalning, annat", "", "7 500,00", "2025-07-25", "", "-7 500,00"],
        ["2025-08", "", "7 000,00", "7 000,00", "2025-07-25", "0,00", "-500,00"],
        ["", "Betalning, annat", "", "6 000,00", "2025-08-27", "", "-6 500,00"],
        ["2025-09", "", "7 000,00", "6 500,00", "2025-08-27", "500,00", "500,00"],
    ]  # fmt: skip
    response = client.get(f"/hyra/{adam.pk}/csv/?format=iso")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["rent_month", "amount_due", "amount_paid", "paid_on", "balance", "running_balance",
         "payment"],
        ["2025-07-25", "", "7500.00", "2025-07-25", "", "-7500.00", "Betalning, annat"],
        ["2025-08", "7000.00", "7000.00", "2025-07-25", "0.00", "-500.00", ""],
        ["2025-08-27", "", "6000.00", "2025-08-27", "", "-6500.00", "Betalning, annat"],
        ["2025-09", "7000.00", "6500.00", "2025-08-27", "500.00", "500.00", ""],
    ]  # fmt: skip


def test_the_handbook_rent_address_redirects_to_the_rent_pages(client, house, member):
    client.force_login(member)
    response = client.get("/handbok/hyra/")
    assert response.status_code == 302 and response["Location"] == f"/hyra/{house[0].pk}/"
    # A member with no tenant of their own (the treasurer) gets the coming rent instead.
    client.force_login(make_treasurer())
    response = client.get("/handbok/hyra/")
    assert response.status_code == 302 and response["Location"] == "/hyra/"
    # A login that is not a household member gets no rent page at all (the membership rule).
    client.force_login(make_login("gast", is_staff=False))
    assert client.get("/handbok/hyra/").status_code == 403


def test_items_show_owners_and_each_share(client, house, member):
    adam, bea, cecilia = house
    make_item("Soffa", owners=[adam, bea, cecilia], value=Decimal("1000"),
              purchase_date=date(2024, 5, 1))  # fmt: skip
    make_item("Dammsugare", owners=[], value=Decimal("2000"))
    client.force_login(member)
    html = client.get("/saker/").content.decode()
    assert "Soffa" in html and "1 maj 2024" in html and "Adam, Bea, Cecilia" in html
    assert "333,33 kr" in html and "1 000 kr" in html


def test_the_history_chart_has_one_series_per_person_and_a_point_per_month(client, house, member):
    adam, bea, _ = house
    for offset in range(3):
        month = add_months(date(2025, 6, 1), offset)
        make_ledger_row(adam, rent_month=month, amount_due=Decimal(6000 + offset))
        if offset:
            make_ledger_row(bea, rent_month=month, amount_due=Decimal(7000))
    client.force_login(member)
    html = client.get("/hyra/historik/").content.decode()
    assert html.count('data-series="') == 3  # the total, Adam, Bea
    assert 'data-months="3"' in html
    assert html.count("<circle") == 3 + 3 + 2
    assert "13 001 kr" in html and "13 002 kr" in html  # totals in the table


def add_history(adam, bea, months, *, before: date):
    """`months` more rent months for Adam and Bea, ending the month before `before`: Adam owes
    each, Bea paid each in full. Written in bulk (these tests count the pages' queries, not the
    saves'), then allocated as the app allocates."""
    due = Decimal("7045")
    rent_months = [add_months(before, -offset) for offset in range(1, months + 1)]
    with transaction.atomic():
        RentLedger.objects.bulk_create(
            RentLedger(tenant=tenant, rent_month=month, amount_due=due)
            for month in rent_months
            for tenant in (adam, bea)
        )
        Payment.objects.bulk_create(
            Payment(
                tenant=bea,
                amount=due,
                paid_on=add_months(month, -1).replace(day=25),
                method=PaymentMethod.OTHER,
                for_month=month,
            )
            for month in rent_months
        )
        RentConfig.objects.bulk_create(
            RentConfig(key="el", period=add_months(month, -1), value=Decimal(2000 + offset))
            for offset, month in enumerate(rent_months, start=1)
        )
        for tenant in (adam, bea):
            reallocate(tenant_id=tenant.pk)


URLS = ["/hyra/", "/hyra/historik/", "/hyra/{adam}/", "/hyra/{adam}/csv/", "/saker/",
        "/kiosk/", "/api/rent/friendly_message?year=2025&month=9", "/api/rent?year=2025&month=9",
        "/api/rent/forecast?year=2025&month=9", "/api/rent/history?year=2025&month=10",
        "/api/rent/roommates?year=2025&month=9"]  # fmt: skip


def queries_per_url(client, adam) -> dict[str, int]:
    counts = {}
    for url in URLS:
        url = url.format(adam=adam.pk)
        as_a_new_worker()  # a computed month and the login are kept: count them cold
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        counts[url] = len(captured)
    return counts


def test_every_page_and_endpoint_runs_as_many_queries_for_240_months_as_for_12(client, september):
    adam, bea = make_tenant("Adam"), make_tenant("Bea")
    make_item("Soffa", owners=[adam, bea])
    client.force_login(make_treasurer())
    add_history(adam, bea, 12, before=date(2025, 11, 1))
    twelve = queries_per_url(client, adam)
    add_history(adam, bea, 228, before=date(2024, 11, 1))
    assert adam.ledger_rows.count() == 240
    assert bea.ledger_rows.filter(amount_paid=Decimal("7045")).count() == 240
    assert queries_per_url(client, adam) == twelve
    # A cold cache: the roles are decided once per data version, after reading it (a warm
    # request then runs three queries fewer than before they were kept).
    assert max(twelve.values()) <= 13, twelve


def test_pages_carry_no_inline_script_or_style(client, house, member, september):
    """A strict Content-Security-Policy (self only) must not break them."""
    client.force_login(member)
    for url in ("/hyra/", "/hyra/historik/", f"/hyra/{house[0].pk}/", "/saker/", "/kiosk/"):
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert "<style" not in html and 'style="' not in html and " on" + "click" not in html
