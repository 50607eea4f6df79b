"""The rent pages and the kiosk in a real browser (Playwright, Debian's Chromium), on a phone
(390×844) and a desktop (1280×800). Screenshots: test-artifacts/screenshots/rent/<test>/."""

import subprocess
import time
import urllib.request
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from rent.engine.months import add_months, config_month_due_next
from rent.ledger.payments import record_payment
from tests.browser import logged_in_page, no_sideways_scroll, screenshots_for
from tests.builders import (
    make_ledger_row,
    make_tenant,
    make_token,
    set_month_config,
)
from tests.people import make_treasurer
from tests.processes import REPO_ROOT, VENV_BIN, free_loopback_port, manage, project_env

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture
def house():
    people = [make_tenant(name) for name in ("Adam Andersson", "Bea", "Cecilia")]
    config_month = config_month_due_next(timezone.localdate())
    set_month_config(config_month, el=2424)
    rent_month = add_months(config_month, 1)
    months = [add_months(rent_month, -offset) for offset in range(6)]
    rows = {}
    for month in months:
        for index, person in enumerate(people):
            if month < months[2] and index == 2:
                continue  # Cecilia moved in later: her series has fewer points
            rows[(month, person.name)] = make_ledger_row(
                person, rent_month=month, amount_due=Decimal(7000 + index * 10),
                amount_paid=Decimal(0) if month == rent_month else Decimal(7000 + index * 10),
            )  # fmt: skip
    return people, rows, rent_month


@pytest.mark.parametrize("size", SIZES)
def test_the_rent_pages_on_a_phone_and_a_desktop(browser, live_server, house, size):
    make_treasurer()
    shots = screenshots_for("rent", f"pages_{size}")
    page = logged_in_page(browser, live_server.url, "kassor", path="/hyra/", viewport=SIZES[size])
    assert "Hyran för" in page.locator("h1").inner_text()
    assert page.locator("[data-testid=people] tbody tr").count() == 3
    assert no_sideways_scroll(page)
    shots.take(page, "coming rent")

    page.goto(f"{live_server.url}/hyra/historik/")
    chart = page.locator("[data-testid=chart]")
    assert chart.get_attribute("data-months") == "6"
    names = [g.get_attribute("data-series") for g in chart.locator("g.series").all()]
    assert names == ["Totalt", "Adam Andersson", "Bea", "Cecilia"]
    points = [g.locator("circle").count() for g in chart.locator("g.series").all()]
    assert points == [6, 6, 6, 3]
    assert page.locator("[data-testid=history-table] tbody tr").count() == 6
    assert no_sideways_scroll(page)
    shots.take(page, "history chart")

    people = house[0]
    page.goto(f"{live_server.url}/hyra/{people[0].pk}/")
    # Six months, and the five paid ones' payments as their own lines.
    assert page.locator("[data-testid=statement] tbody tr.month").count() == 6
    assert page.locator("[data-testid=statement] tbody tr.payment").count() == 5
    assert no_sideways_scroll(page)
    # The table itself fits, so due, paid and what is left show without scrolling it.
    assert page.evaluate(
        "() => { const t = document.querySelector('[data-testid=statement]');"
        " return t.scrollWidth <= t.parentElement.clientWidth; }"
    )
    shots.take(page, "statement")


def test_the_kiosk_updates_after_a_payment_and_shows_offline(browser, live_server, house, settings):
    settings.KIOSK_POLL_SECONDS = 1
    people, rows, rent_month = house
    _, raw = make_token("kiosk")
    shots = screenshots_for("rent", "kiosk")
    for size in ("phone", "desktop"):
        context = browser.new_context(locale="sv-SE", viewport=SIZES[size])
        page = context.new_page()
        page.goto(f"{live_server.url}/kiosk/?token={raw}")
        page.wait_for_url("**/kiosk/")
        assert "token" not in page.url
        people_list = page.locator("[data-testid=kiosk-people] li")
        assert people_list.count() == 3
        text = page.locator("[data-testid=kiosk-people]").inner_text()
        assert "Adam" in text and "Andersson" not in text
        assert page.locator(".is-paid").count() == 0
        assert "aktuella elräkningar" in page.locator("[data-testid=kiosk-source]").inner_text()
        assert no_sideways_scroll(page)
        shots.take(page, f"kiosk {size}")
        if size == "desktop":
            break
        context.close()

    row = rows[(rent_month, "Bea")]

    record_payment(tenant=row.tenant, amount=row.amount_due, paid_on=date.today())
    # One poll (1 s) and a margin: Bea's line turns to paid.
    page.wait_for_selector(".is-paid", timeout=5000)
    assert "Bea" in page.locator(".is-paid").inner_text()
    assert page.locator("[data-testid=offline]").is_hidden()
    shots.take(page, "kiosk after a payment")

    # The server stops answering: the last data stays, marked offline.
    page.route("**/api/**", lambda route: route.abort())
    page.wait_for_selector("[data-testid=offline]:not([hidden])", timeout=5000)
    assert page.locator(".is-paid").count() == 1
    shots.take(page, "kiosk offline")
    page.unroute("**/api/**")
    page.wait_for_selector("[data-testid=offline][hidden]", state="attached", timeout=5000)


KIOSK_SETUP = """
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from datetime import date
from decimal import Decimal
from django.utils import timezone
from rent.engine.months import config_month_due_next
from api.tokens import create_token
from rent.models import RentConfig, RentLedger, Tenant
from rent.engine.months import add_months
config_month = config_month_due_next(timezone.localdate())
RentConfig.objects.create(key="el", period=config_month, value=2424)
for name in ("Adam", "Bea"):
    tenant = Tenant.objects.create(name=name)
    RentLedger.objects.create(
        tenant=tenant, rent_month=add_months(config_month, 1), amount_due=Decimal(7000)
    )
from django.contrib.auth.models import User
root = User.objects.create_superuser("root", password="x" * 20)
print(create_token(name="kiosk", created_by=root)[1])
"""
MARK_BEA_PAID = """
from django.utils import timezone
from rent.models import RentLedger
from rent.ledger.payments import mark_paid_in_full
mark_paid_in_full(rows=RentLedger.objects.filter(tenant__name="Bea"), on=timezone.localdate())
"""


def test_the_kiosk_under_gunicorn_shows_offline_while_the_server_is_stopped(browser, tmp_path):
    """The real thing: gunicorn serves the kiosk, a payment is marked from another process,
    then the server is stopped (offline, last data kept) and started again."""
    port = free_loopback_port()
    env = project_env(
        DEBUG="true",  # static files from the apps' folders, without collectstatic
        DATABASE_URL=f"sqlite:///{tmp_path / 'kiosk.sqlite3'}",
        KIOSK_POLL_SECONDS="1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
    )
    made = manage("shell", "-c", KIOSK_SETUP, env=env)
    assert made.returncode == 0, made.stderr
    token = made.stdout.split()[-1]
    base = f"http://127.0.0.1:{port}"

    def start():
        process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                return process
            except OSError:  # refused, reset or timed out while it starts
                time.sleep(0.2)
        process.terminate()
        pytest.fail("gunicorn did not start")

    shots = screenshots_for("rent", "kiosk_gunicorn")
    server = start()
    try:
        page = browser.new_page(locale="sv-SE", viewport=SIZES["desktop"])
        page.goto(f"{base}/kiosk/?token={token}")
        page.wait_for_url(f"{base}/kiosk/")
        assert page.locator("[data-testid=kiosk-people] li").count() == 2
        assert page.locator(".is-paid").count() == 0
        shots.take(page, "kiosk served by gunicorn")

        assert manage("shell", "-c", MARK_BEA_PAID, env=env).returncode == 0
        page.wait_for_selector(".is-paid", timeout=5000)  # within one poll (1 s) and a margin
        assert "Bea" in page.locator(".is-paid").inner_text()
        shots.take(page, "after the payment")

        server.terminate()
        server.wait(timeout=30)
        page.wait_for_selector("[data-testid=offline]:not([hidden])", timeout=5000)
        assert "Bea" in page.locator(".is-paid").inner_text()  # the last good data stays
        shots.take(page, "server stopped")

        server = start()
        page.wait_for_selector("[data-testid=offline][hidden]", state="attached", timeout=5000)
        shots.take(page, "server back")
    finally:
        server.terminate()
        server.wait(timeout=30)
