"""Payments in a real browser at phone size (390×844; Playwright, Debian's Chromium): a member
says "Jag har betalat", the treasurer confirms, both see the month paid; the treasurer uploads
a bank statement, applies the matches and the Saldo page shows everyone paid.
Screenshots: test-artifacts/screenshots/payments/<test>/."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from rent.engine.months import add_months, config_month_due_next
from rent.ledger.reference import reference_code
from rent.models import RentLedger
from tests.browser import screenshots_for
from tests.builders import make_ledger_row, make_login, make_tenant, statement_semicolon_cp1252
from tests.people import make_treasurer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-only"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def house():
    rent_month = add_months(config_month_due_next(timezone.localdate()), 1)
    adam, bea = make_tenant("Adam"), make_tenant("Bea")
    for person, due in ((adam, 7000), (bea, 5600)):
        make_ledger_row(person, rent_month=rent_month, amount_due=Decimal(due))
    make_treasurer()
    make_login("bea", role="Boende", tenant=bea)
    return {"adam": adam, "bea": bea, "rent_month": rent_month}


def fits(page, shots, step):
    shots.take(page, step)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], (step, width)


def member_page(browser, base_url, username, path):
    page = browser.new_context(locale="sv-SE", viewport=PHONE).new_page()
    page.goto(f"{base_url}{path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path}")
    return page


def admin_page(browser, base_url):
    page = browser.new_context(locale="sv-SE", viewport=PHONE).new_page()
    page.goto(f"{base_url}/admin/")
    page.fill("#id_username", "kassor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#month-work")
    return page


def test_a_member_says_they_paid_and_the_treasurer_confirms(browser, live_server, house):
    shots = screenshots_for("payments", "claim")
    bea, base = house["bea"], live_server.url
    statement = f"/hyra/{bea.pk}/"
    member = member_page(browser, base, "bea", statement)
    code = reference_code(tenant=bea, rent_month=house["rent_month"])
    assert code in member.inner_text("[data-testid=reference]")
    member.click("details.claim-form summary")
    member.fill("input[name=amount]", "5 600")
    member.fill("input[name=paid_on]", str(timezone.localdate() - timedelta(days=1)))
    member.fill("input[name=message]", "Swish i går")
    fits(member, shots, "claim form")
    member.click("[data-testid=claim-form] button[type=submit]")
    member.wait_for_selector("[data-testid=claims]")
    assert "väntar på kassören" in member.inner_text("[data-testid=claims]")
    fits(member, shots, "claim pending")

    treasurer = admin_page(browser, base)
    treasurer.click("a[href$='/paymentclaim/?status=pending']")
    treasurer.wait_for_selector("#result_list")
    assert "5 600 kr" in treasurer.inner_text("#result_list")
    treasurer.check("#result_list input[name=_selected_action]")
    treasurer.select_option("select[name=action]", "confirm")
    treasurer.click("button[name=index]")
    treasurer.wait_for_selector(".messagelist .success")
    fits(treasurer, shots, "treasurer confirmed")

    member.reload()
    assert "bekräftad" in member.inner_text("[data-testid=claims]")
    assert member.inner_text("[data-testid=balance]").startswith("Allt betalt")
    fits(member, shots, "member sees it paid")
    treasurer.goto(f"{base}/admin/rent/rentledger/?payment=unpaid")
    assert "Bea" not in treasurer.inner_text("#result_list")
    row = RentLedger.objects.get(tenant=bea)
    assert row.amount_paid == row.amount_due


def test_the_treasurer_uploads_a_statement_and_applies_the_matches(
    browser, live_server, house, tmp_path
):
    shots = screenshots_for("payments", "statement")
    adam, month = house["adam"], house["rent_month"]
    day = str(date.today())
    file = tmp_path / "kontoutdrag.csv"
    file.write_bytes(
        statement_semicolon_cp1252(
            [
                (day, Decimal("7000"), f"Hyra {reference_code(tenant=adam, rent_month=month)}",
                 "Adam"),
                (day, Decimal("5600"), "Swish", "BEA"),
                (day, Decimal("-499"), "Bredband", "Bahnhof AB"),
            ]
        )
    )  # fmt: skip
    page = admin_page(browser, live_server.url)
    page.click("a[href$='/banktransaction/statement/']")
    page.set_input_files("input[name=statement]", str(file))
    fits(page, shots, "upload")
    page.click("[data-testid=upload] button[type=submit]")
    page.wait_for_selector("[data-testid=map]")
    fits(page, shots, "map columns")
    page.click("[data-testid=map] input[type=submit]")
    page.wait_for_selector("[data-testid=report]")
    assert "Matchade: 2" in page.inner_text("[data-testid=report]")
    fits(page, shots, "preview")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=apply-matched]")
    page.click("[data-testid=apply-matched]")
    page.wait_for_selector(".messagelist .success")
    fits(page, shots, "applied")
    page.goto(f"{live_server.url}/admin/rent/rentledger/saldo/")
    assert "Ingen är skyldig något." in page.inner_text("#owing")
    fits(page, shots, "saldo")


def test_the_treasurer_records_a_payment_from_the_ledger_row(browser, live_server, house):
    """The ledger list's "Registrera betalning" opens the payment form filled in; a typo ten
    times the month is asked about; the paid amount follows."""
    shots = screenshots_for("payments", "record a payment")
    adam, month = house["adam"], house["rent_month"]
    page = admin_page(browser, live_server.url)
    page.goto(f"{live_server.url}/admin/rent/rentledger/?tenant__id__exact={adam.pk}")
    fits(page, shots, "ledger")
    link = page.locator("a.record-payment").bounding_box()
    assert link["x"] + link["width"] <= PHONE["width"]  # in view, not off to the side
    page.click("a.record-payment")
    page.wait_for_selector("input[name=amount]")
    assert page.input_value("input[name=amount]") == "7 000,00"
    fits(page, shots, "payment form filled in")
    page.fill("input[name=amount]", "70 000")
    page.click("input[name=_save]")
    page.wait_for_selector(".errornote")
    assert "men att betala är 7 000 kr" in page.inner_text("#content-main")
    fits(page, shots, "asked")
    page.fill("input[name=amount]", "3 312,50")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    row = RentLedger.objects.get(tenant=adam, rent_month=month)
    assert row.amount_paid == Decimal("3312.50")
