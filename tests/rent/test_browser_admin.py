"""The treasurer's month in a real browser (Playwright, Debian's Chromium), at desktop and phone
width, and what a member then sees.

Enter the bills, set a move-out, save, reopen (the saved days are shown), press Spara again
(no new version), change a bill after someone paid (the confirmation lists them), mark a
payment typed `3 312,00`; then the member's panel, statement and live example show the same
figures, with the overpayment as credit. At 390 px no page scrolls sideways.
Screenshots go to test-artifacts/screenshots/admin/<test>/ (printed by the run).
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from rent.engine.months import add_months, config_month_due_next
from rent.formatting import format_kronor
from rent.ledger.balances import balance_of
from rent.ledger.finalize import finalize_month
from rent.models import RentCalculation, RentLedger
from tests.browser import logged_in_page, screenshots_for
from tests.builders import PASSWORD, make_login, make_page, make_tenant, set_month_config
from tests.people import make_treasurer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def month():
    """The config month due next (the pages open on it), its rent month and their URL form."""
    config_month = config_month_due_next(timezone.localdate())
    return config_month, add_months(config_month, 1), f"{config_month:%Y-%m}"


@pytest.fixture
def household(month):
    config_month, rent_month, _ = month
    adam = make_tenant("Adam", email="adam@example.com")
    bea = make_tenant("Bea", room_adjustment=Decimal("-1400"), email="bea@example.com")
    filip = make_tenant("Filip")
    # The standing costs are known; the month's bills are entered in the test.
    set_month_config(add_months(config_month, -1), el=2000)
    make_page("hur-hyran-raknas", title="Hur hyran räknas", body="Så här.\n\n[[hyresexempel]]\n")
    return {"adam": adam, "bea": bea, "filip": filip, "rent_month": rent_month}


def log_in(page, base_url, username):
    page.goto(f"{base_url}/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#month-work")


# What sticks out to the right of the screen, to name it when a page scrolls sideways.
TOO_WIDE = """() => Array.from(document.querySelectorAll("body *"))
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .slice(0, 5).map((el) => el.outerHTML.slice(0, 80))"""


def fits(page, shots, step, phone):
    """A screenshot; at phone width, the page must not scroll sideways."""
    shots.take(page, step)
    if phone:
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], (step, width, page.evaluate(TOO_WIDE))


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_treasurers_month_and_what_a_member_sees(
    browser, live_server, household, month, viewport
):
    config_month, rent_month, month_text = month
    phone = viewport == "phone"
    make_treasurer()
    make_login("bea", role="Boende", tenant=household["bea"])
    shots = screenshots_for("admin", f"treasurers_month_{viewport}")
    base = live_server.url
    costs_url = f"{base}/admin/rent/rentconfig/manad/{month_text}/"
    rent_url = f"{base}/admin/rent/rentcalculation/manad/{month_text}/"
    filip_days = f"input[name=days_{household['filip'].pk}]"

    context = browser.new_context(
        locale="sv-SE",
        permissions=["clipboard-read", "clipboard-write"],
        viewport=VIEWPORTS[viewport],
    )
    page = context.new_page()
    log_in(page, base, "kassor")
    fits(page, shots, "index", phone)

    # The month's costs: the index opens the month due next; enter the bills.
    page.click("#month-work a[href$='/rentconfig/manad/']")
    page.wait_for_url(f"**/rentconfig/manad/{month_text}/")
    page.fill("input[name=el]", "2 424")
    page.fill("input[name=gas]", "550")
    page.click("#month-costs-form input[name=save]")
    page.wait_for_selector(".messagelist")
    assert page.input_value("input[name=el]") == "2 424,00"
    fits(page, shots, "costs saved", phone)

    # The month's rent: Filip moves out mid-month (15 days this month); save.
    page.goto(rent_url)
    page.fill(filip_days, "15")
    page.fill("#id_title", "Första versionen")
    page.click("#save-month")
    page.wait_for_selector("#finalize-result")
    fits(page, shots, "split saved", phone)
    saved = RentCalculation.objects.get(config_month=config_month)
    assert saved.inputs["overrides"] == {"Filip": {"days": 15}}

    # Reopened, the page shows the saved days and message; Spara again saves nothing.
    page.goto(rent_url)
    assert page.input_value(filip_days) == "15"
    assert "Sparad version 1" in page.inner_text("#saved-version")
    assert "15 dagars boende" in page.input_value("#rent-message")
    page.click("#copy-message")
    page.wait_for_function("document.getElementById('copy-status').textContent !== ''")
    assert page.evaluate("navigator.clipboard.readText()") == page.input_value("#rent-message")
    fits(page, shots, "reopened", phone)
    page.click("#save-month")
    page.wait_for_selector(".messagelist")
    assert "Inget har ändrats" in page.inner_text(".messagelist")
    assert RentCalculation.objects.filter(config_month=config_month).count() == 1

    # Bea pays her rent in full, typed the Swedish way.
    bea_row = RentLedger.objects.get(tenant=household["bea"], rent_month=rent_month)
    paid_text = format_kronor(bea_row.amount_due).removesuffix(" kr") + ",00"
    page.goto(f"{base}/admin/rent/rentledger/{bea_row.pk}/change/")
    page.fill("input[name=amount_paid]", paid_text)
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    bea_row.refresh_from_db()
    assert bea_row.amount_paid == bea_row.amount_due

    # A lower electricity bill: saving asks first, naming Bea, who has paid.
    page.goto(costs_url)
    page.fill("input[name=el]", "1 000")
    page.click("#month-costs-form input[name=save]")
    page.wait_for_selector(".messagelist")
    page.goto(rent_url)
    assert "el 2 424 → 1 000 kr" in page.inner_text("#changed-since")
    fits(page, shots, "changed since saved", phone)
    # The saved and the new amounts are both in view.
    for cell in ("td.saved-amount", "td.rent-amount"):
        box = page.locator(cell).first.bounding_box()
        assert box["x"] + box["width"] <= VIEWPORTS[viewport]["width"], cell
    page.click("#save-month")
    page.wait_for_selector("#confirm-paid")
    assert page.locator("#confirm-paid tr.paid-change td:first-child").all_inner_texts() == ["Bea"]
    fits(page, shots, "confirm paid changes", phone)
    page.click("#save-month")
    page.wait_for_selector("#finalize-result")
    assert RentCalculation.objects.get(config_month=config_month, status="current").version == 2
    bea_row.refresh_from_db()
    # Her month is paid; what she paid beyond the new amount is credit (her balance).

    assert bea_row.amount_paid == bea_row.amount_due
    credit = -balance_of(tenant=household["bea"])
    assert credit > 0

    # Adam pays part of his rent, typed "3 312,00".
    adam_row = RentLedger.objects.get(tenant=household["adam"], rent_month=rent_month)
    page.goto(f"{base}/admin/rent/rentledger/{adam_row.pk}/change/")
    page.fill("input[name=amount_paid]", "3 312,00")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    adam_row.refresh_from_db()
    assert adam_row.amount_paid == Decimal("3312.00")

    page.goto(f"{base}/admin/rent/tenant/")
    assert f"{format_kronor(credit)} tillgodo" in page.inner_text("#result_list")
    page.goto(f"{base}/admin/rent/rentledger/")
    fits(page, shots, "ledger", phone)
    # What is due, paid and left is in view, not off to the side.
    for cell in ("td.field-amount_due_kronor", "td.field-outstanding_kronor"):
        box = page.locator(cell).first.bounding_box()
        assert box["x"] + box["width"] <= VIEWPORTS[viewport]["width"], cell
    page.goto(f"{base}/admin/rent/rentledger/saldo/")
    assert f"{format_kronor(credit)} tillgodo" in page.inner_text("#credit")
    fits(page, shots, "saldo", phone)
    context.close()

    # Bea's view: the panel, her statement and the live example agree with the ledger.
    page = logged_in_page(browser, base, "bea", path="/handbok/", viewport=VIEWPORTS[viewport])
    context = page.context
    due = format_kronor(bea_row.amount_due)
    assert page.locator("[data-testid=rent-panel]").count() == 0  # nothing computed unasked
    page.click("[data-testid=rent-panel-slot] summary")
    panel = page.locator("[data-testid=rent-panel]").inner_text()
    assert due in panel and f"{format_kronor(credit)} tillgodo" in panel
    fits(page, shots, "member handbook", phone)
    page.goto(f"{base}/handbok/hyra/")
    statement = page.inner_text("main")
    assert due in statement and f"{format_kronor(credit)} tillgodo" in statement
    fits(page, shots, "member statement", phone)
    page.goto(f"{base}/handbok/hur-hyran-raknas/")
    example = page.locator("[data-testid=rent-example]")
    bea_line = example.locator("tr", has_text="Bea").last.inner_text()
    assert due in bea_line
    page.click("[data-testid=rent-panel-slot] summary")
    assert due in page.locator("[data-testid=rent-panel]").inner_text()
    fits(page, shots, "live example", phone)
    context.close()


def test_a_member_sees_the_month_without_a_save_button(browser, live_server, household, month):
    config_month, _, month_text = month
    treasurer = make_treasurer()
    make_login("bea", role="Boende", tenant=household["bea"])
    set_month_config(config_month, el=2424)
    saved = finalize_month(config_month=config_month, title="Oktober", saved_by=treasurer)
    shots = screenshots_for("admin", "member")
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, "bea")
    shots.take(page, "index")
    page.goto(f"{live_server.url}/admin/rent/rentcalculation/manad/{month_text}/")
    page.wait_for_selector("#roommates")
    names = page.locator("#roommates tr.roommate .roommate-name").all_inner_texts()
    assert names == ["Adam", "Bea", "Filip"]
    rents = page.locator("#roommates tr.roommate td.rent-amount").all_inner_texts()
    assert rents == [
        format_kronor(amount) for amount in saved.calculation.ordered_results().values()
    ]
    assert page.locator("#rent-message").count() == 1
    assert page.locator("#save-month").count() == 0
    assert page.locator("#roommates input").count() == 0
    shots.take(page, "month without save")
    page.goto(f"{live_server.url}/admin/rent/rentconfig/manad/{month_text}/")
    assert page.locator("#month-costs-form input[name=save]").count() == 0
    shots.take(page, "costs without save")
    context.close()
