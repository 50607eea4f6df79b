"""The treasurer's month in a real browser, and a member's view of it (Playwright, Chromium).

Screenshots of every step go to test-artifacts/screenshots/admin/<test>/ (printed by the run).
"""

from datetime import date
from decimal import Decimal

import pytest

from rent.models import RentCalculation, RentConfig, RentLedger
from tests.browser import chromium_browser, screenshots_for
from tests.builders import make_login, make_tenant

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("async_unsafe_allowed"),
]

PASSWORD = "pw-for-tests-only"
MONTH = "2025-09"


@pytest.fixture
def household():
    adam = make_tenant("Adam")
    bea = make_tenant("Bea", room_adjustment=Decimal("-1400"))
    make_tenant("Cissi", start_date=date(2025, 10, 10))
    return {"adam": adam, "bea": bea}


def log_in(page, base_url, username):
    page.goto(f"{base_url}/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#month-work")


def test_the_treasurer_does_the_months_work(live_server, household):
    make_login("kassor", role="Kassör")
    shots = screenshots_for("admin", "treasurer")
    base = live_server.url
    with chromium_browser() as browser:
        context = browser.new_context(
            locale="sv-SE",
            permissions=["clipboard-read", "clipboard-write"],
            viewport={"width": 1280, "height": 900},
        )
        page = context.new_page()

        log_in(page, base, "kassor")
        shots.take(page, "index with the month pages")

        # The month's costs: open from the index, pick the month, enter the bills.
        page.click("#month-work a[href*='/rentconfig/manad/']")
        page.fill("#month-picker", MONTH)
        page.click(".month-nav button[type=submit]")
        page.wait_for_url(f"**/rentconfig/manad/{MONTH}/")
        assert page.inner_text("#cost-el .source").startswith("uppskattad")
        shots.take(page, "costs before")
        page.fill("input[name=el]", "2 424")
        page.fill("input[name=gas]", "550")
        page.click("#month-costs-form input[name=save]")
        page.wait_for_selector(".messagelist")
        assert page.inner_text("#cost-el .source") == "denna månad"
        assert page.input_value("input[name=el]") == "2424"
        shots.take(page, "costs saved")
        assert dict(
            RentConfig.objects.filter(period=date(2025, 9, 1)).values_list("key", "value")
        ) == {
            "el": Decimal("2424"),
            "gas": Decimal("550"),
        }

        # The month's rent: check the split, save it.
        page.click(f"a[href$='/rentcalculation/manad/{MONTH}/']")
        page.wait_for_selector("#roommates")
        names = page.locator("#roommates tr.roommate td:first-child").all_inner_texts()
        assert names == ["Adam", "Bea", "Cissi"]
        assert "ska betalas innan 27 sep" in page.input_value("#rent-message")
        shots.take(page, "split checked")
        page.fill("#id_title", "Oktober")
        page.click("#save-month")
        page.wait_for_selector("#finalize-result")
        shots.take(page, "split saved")
        calculation = RentCalculation.objects.get(config_month=date(2025, 9, 1))
        assert (calculation.version, calculation.status, calculation.title) == (
            1,
            "current",
            "Oktober",
        )

        # Copy the message for the house chat.
        message = page.input_value("#rent-message")
        page.click("#copy-message")
        page.wait_for_function("document.getElementById('copy-status').textContent !== ''")
        assert page.evaluate("navigator.clipboard.readText()") == message
        shots.take(page, "message copied")

        # Mark Adam's rent as paid in full today.
        page.goto(f"{base}/admin/rent/rentledger/?payment=unpaid")
        adam_row = page.locator("#result_list tbody tr", has_text="Adam")
        adam_row.locator("input.action-select").check()
        page.select_option("select[name=action]", "paid_in_full_today")
        shots.take(page, "payment selected")
        page.click("button[name=index]")
        page.wait_for_selector(".messagelist .success")
        shots.take(page, "payment marked")
        adam_ledger = RentLedger.objects.get(tenant=household["adam"], rent_month=date(2025, 10, 1))
        assert adam_ledger.amount_paid == adam_ledger.amount_due > 0
        assert adam_ledger.paid_on is not None
        context.close()


def test_a_member_sees_the_month_without_a_save_button(live_server, household):
    from rent.formatting import format_kronor
    from rent.services import finalize_month

    treasurer = make_login("kassor", role="Kassör")
    make_login("bea", role="Boende", tenant=household["bea"])
    RentConfig.objects.create(key="el", period=date(2025, 9, 1), value=Decimal("2424"))
    # The treasurer has saved the month; the member sees that same split.
    saved = finalize_month(config_month=date(2025, 9, 1), title="Oktober", saved_by=treasurer)
    shots = screenshots_for("admin", "member")
    with chromium_browser() as browser:
        context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        log_in(page, live_server.url, "bea")
        shots.take(page, "index")
        page.goto(f"{live_server.url}/admin/rent/rentcalculation/manad/{MONTH}/")
        page.wait_for_selector("#roommates")
        names = page.locator("#roommates tr.roommate td:first-child").all_inner_texts()
        assert names == ["Adam", "Bea", "Cissi"]
        rents = page.locator("#roommates tr.roommate td.rent-amount").all_inner_texts()
        assert rents == [
            format_kronor(amount) for amount in saved.calculation.ordered_results().values()
        ]
        assert page.locator("#rent-message").count() == 1
        assert page.locator("#save-month").count() == 0
        assert page.locator("#roommates input").count() == 0
        shots.take(page, "month without save")
        page.goto(f"{live_server.url}/admin/rent/rentconfig/manad/{MONTH}/")
        assert page.locator("#month-costs-form input[name=save]").count() == 0
        shots.take(page, "costs without save")
        context.close()
