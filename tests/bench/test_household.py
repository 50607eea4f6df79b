"""bench/household.py: the ten-year household is a consistent one, and every page and endpoint
runs the same number of queries on it as on one year of the same household (pinned below)."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from bench.household import build_household, page_urls
from handbook.models import Page, Revision
from rent.engine.months import add_months
from rent.formatting import format_kronor
from rent.ledger.balances import balance_of, balances
from rent.models import (
    Allocation,
    CalculationStatus,
    Payment,
    RentCalculation,
    RentLedger,
    Tenant,
)
from tests.builders import as_a_new_worker
from tests.page_text import visible_text
from tests.people import make_treasurer

pytestmark = pytest.mark.django_db

TODAY = date(2025, 9, 10)  # the rent month due next is October 2025 (config month September)
SEPTEMBER = date(2025, 9, 1)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    return TODAY


def test_ten_years_hold_every_month_saved_people_coming_and_going_and_a_full_handbook(today):
    household = build_household(years=10, today=today)
    assert household.first_month == date(2015, 11, 1)
    assert household.last_rent_month == date(2025, 10, 1)
    # Every config month saved, exactly one current version each.
    months = RentCalculation.objects.filter(status=CalculationStatus.CURRENT)
    assert months.count() == 120 == months.values("config_month").distinct().count()
    assert RentCalculation.objects.filter(status=CalculationStatus.SUPERSEDED).exists()
    # Eight rooms, people coming and going: eight live here on any day, many more over time.
    assert Tenant.objects.living_here(date(2020, 6, 15)).count() <= 8
    assert Tenant.objects.count() > 16
    assert Tenant.objects.filter(departure_date__isnull=False).count() > 8
    ledger = RentLedger.objects.all()
    assert 900 <= ledger.count() <= 960  # about a hundred rows a year
    # Payments by hand and from bank lines; each row's paid amount is its allocations'.
    assert set(Payment.objects.values_list("source", flat=True)) == {"hand", "bank"}
    assert Payment.objects.filter(bank_transaction__isnull=False).count() > 300
    allocated = dict(
        Allocation.objects.values("ledger_row")
        .annotate(total=Sum("amount"))
        .values_list("ledger_row", "total")
    )
    assert all(row.amount_paid == allocated.get(row.pk, 0) for row in ledger)
    # Someone owes, and nobody has paid more than was due.
    owed = balances()
    assert any(amount > 0 for amount in owed.values())
    assert all(amount >= 0 for amount in owed.values())
    tenant = Tenant.objects.get(pk=max(owed, key=owed.get))
    assert (
        balance_of(tenant=tenant)
        == owed[tenant.pk]
        == sum(row.outstanding for row in tenant.ledger_rows.all())
    )
    assert Page.objects.count() == 50 and Revision.objects.count() == 500
    assert Page.objects.get(slug="hur-hyran-raknas").current_revision.body.count("[[hyresexempel]]")


def the_long_stayer() -> Tenant:
    """The tenant with the most months who still lives here: their statement grows most."""
    living = Tenant.objects.living_here(TODAY)
    return max(living, key=lambda tenant: (tenant.ledger_rows.count(), -tenant.pk))


def queries_per_page(client, tenant) -> dict[str, int]:
    counts = {}
    for url in page_urls(tenant.pk, SEPTEMBER):
        as_a_new_worker()  # a month, a panel, a login and its roles are kept: count them cold
        ContentType.objects.clear_cache()  # kept per process: the same work in any test order
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url.replace(f"/{tenant.pk}/", "/<id>/")] = len(captured)
    return counts


# Cold cache, the treasurer's session. Equal at one year and ten: nothing grows with history.
PINNED = {
    "/hyra/": 12,
    "/hyra/historik/": 8,
    "/hyra/<id>/": 13,
    "/hyra/<id>/?alla=1": 13,
    "/hyra/<id>/csv/": 9,
    "/saker/": 8,
    "/kiosk/": 10,
    "/api/rent/friendly_message?year=2025&month=9": 10,
    "/api/rent?year=2025&month=9": 10,
    "/api/rent/forecast?year=2025&month=9": 8,
    "/api/rent/history?year=2025&month=10": 7,
    "/api/rent/roommates?year=2025&month=9": 7,
    "/handbok/": 9,
    "/handbok/husregler/": 10,
    "/handbok/hur-hyran-raknas/": 16,
    "/handbok/hyra/panel/": 11,
    "/handbok/husregler/historik/": 9,
    "/admin/": 7,
    "/admin/rent/tenant/": 11,
    "/admin/rent/tenant/<id>/change/": 12,
    "/admin/rent/rentledger/": 12,
    "/admin/rent/rentledger/?payment=unpaid": 12,
    "/admin/rent/rentledger/saldo/": 9,
    "/admin/rent/payment/": 14,
    "/admin/rent/rentconfig/": 11,
    "/admin/rent/rentcalculation/": 11,
    "/admin/rent/banktransaction/": 9,
    "/admin/rent/rentcalculation/manad/2025-09/": 15,
    "/admin/rent/rentconfig/manad/2025-09/": 9,
}


@pytest.fixture(params=[1, 10], ids=["1 year", "10 years"])
def years(request, client, today) -> int:
    """One year or ten of the household, read in the treasurer's session."""
    build_household(years=request.param, today=today)
    client.force_login(make_treasurer())
    return request.param


def test_every_page_runs_the_same_queries_at_one_year_and_at_ten(client, years):
    tenant = the_long_stayer()
    assert tenant.ledger_rows.count() >= (12 if years == 1 else 40)
    assert queries_per_page(client, tenant) == PINNED


# Every page read again, the cache warm (as a worker serves them until the next write): the
# chart, the month pages, Saldo, the long lists' tables, a tenant's latest months, the login
# with its roles and permissions, and a token's creator's rights are kept under the data
# version, so a second reading asks for the version and what is the reader's own. Equal at one
# year and ten.
PINNED_WARM = {
    "/hyra/": 3,
    "/hyra/historik/": 2,
    "/hyra/<id>/": 8,
    "/hyra/<id>/?alla=1": 8,
    "/hyra/<id>/csv/": 4,
    "/saker/": 3,
    "/kiosk/": 1,
    "/api/rent/friendly_message?year=2025&month=9": 1,
    "/api/rent?year=2025&month=9": 1,
    "/api/rent/forecast?year=2025&month=9": 1,
    "/api/rent/history?year=2025&month=10": 1,
    "/api/rent/roommates?year=2025&month=9": 1,
    "/handbok/": 4,
    "/handbok/husregler/": 5,
    "/handbok/hur-hyran-raknas/": 6,
    "/handbok/hyra/panel/": 2,
    "/handbok/husregler/historik/": 4,
    "/admin/": 2,
    "/admin/rent/tenant/": 3,
    "/admin/rent/tenant/<id>/change/": 4,
    "/admin/rent/rentledger/": 4,
    "/admin/rent/rentledger/?payment=unpaid": 4,
    "/admin/rent/rentledger/saldo/": 1,
    "/admin/rent/payment/": 4,
    "/admin/rent/rentconfig/": 3,
    "/admin/rent/rentcalculation/": 3,
    "/admin/rent/banktransaction/": 3,
    "/admin/rent/rentcalculation/manad/2025-09/": 1,
    "/admin/rent/rentconfig/manad/2025-09/": 2,
}


def test_the_pages_read_again_run_the_same_few_queries_at_one_year_and_at_ten(client, years):
    as_a_new_worker()
    ContentType.objects.clear_cache()
    tenant = the_long_stayer()
    counts = {}
    for url in page_urls(tenant.pk, SEPTEMBER):
        first = client.get(url)
        with CaptureQueriesContext(connection) as captured:
            again = client.get(url)
        assert first.status_code == again.status_code == 200, url
        counts[url.replace(f"/{tenant.pk}/", "/<id>/")] = len(captured)
    assert counts == PINNED_WARM


def test_the_tenant_page_shows_the_latest_twelve_months_and_links_to_all(client, years):
    tenant = the_long_stayer()
    html = client.get(f"/admin/rent/tenant/{tenant.pk}/change/").content.decode()
    months = tenant.ledger_rows.count()
    table = html[html.index('id="recent-ledger-months"') : html.index("</table>")]
    # Read, not edited: no form per month; each month links to its own page.
    assert 'name="ledger_rows-' not in html
    assert table.count('href="/admin/rent/rentledger/') == min(months, 12)
    assert f'href="/admin/rent/rentledger/?tenant__id__exact={tenant.pk}"' in html
    assert f"{months} månader" in html


def test_a_statement_shows_two_years_after_the_balance_before_them(client, today):
    build_household(years=10, today=today)
    tenant = the_long_stayer()
    client.force_login(tenant.user)
    since = add_months(date(2025, 10, 1), -23)
    html = client.get(f"/hyra/{tenant.pk}/").content.decode()
    everything = client.get(f"/hyra/{tenant.pk}/?alla=1").content.decode()
    shown = tenant.ledger_rows.filter(rent_month__gte=since).count()
    assert html.count('<tr class="month">') == shown < tenant.ledger_rows.count()
    assert everything.count('<tr class="month">') == tenant.ledger_rows.count()
    assert 'data-testid="opening-line"' in html and "Före november 2023" in html
    assert 'data-testid="opening-line"' not in everything
    # The same balance either way, and the one balance of rent.ledger.balances.

    def balance_line(page: str) -> str:
        start = page.index('data-testid="balance"')
        return visible_text(page[start : page.index("</p>", start)])

    balance = balance_of(tenant=tenant)
    assert balance_line(html) == balance_line(everything)
    if balance:
        assert format_kronor(balance) in balance_line(html)
    else:
        assert "Allt betalt" in balance_line(html)
