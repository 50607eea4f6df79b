"""Three housemates change the house rules in a real browser (Playwright, Debian's Chromium).

One proposes a change, the second approves (nothing changes yet), the third approves and the
page shows the change. Screenshots go to test-artifacts/screenshots/handbook/<test>/ (printed).
"""

import os
from pathlib import Path

import pytest

from handbook.importing import import_folder
from handbook.models import Page, Proposal, ProposalStatus
from tests.browser import chromium_browser, screenshots_for
from tests.builders import make_member

# Playwright's sync API runs an event loop in this thread (see tests/browser.py).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-only"
STARTER_PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "handbook"
NEW_RULE = "Tyst i huset mellan 23.00 och 07.00 på vardagar."


def member_page(browser, base_url, username):
    """A browser window of its own, logged in through the login form."""
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base_url}/handbok/husregler/")
    page.wait_for_url("**/konto/logga-in/**")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/handbok/husregler/")
    return page


def test_three_housemates_change_the_house_rules(live_server):
    import_folder(STARTER_PAGES)
    for username in ("astrid", "bo", "cecilia"):
        make_member(username)
    shots = screenshots_for("handbook", "house_rules")
    base = live_server.url

    with chromium_browser() as browser:
        astrid = member_page(browser, base, "astrid")
        body = astrid.locator("[data-testid=page-body]")
        assert "[22.00] och [07.00]" in body.inner_text()
        shots.take(astrid, "house rules before")

        astrid.get_by_role("link", name="Föreslå en ändring", exact=True).click()
        astrid.wait_for_url("**/handbok/husregler/foresla/")
        text = astrid.locator("#id_body").input_value()
        assert "Tyst i huset mellan [22.00] och [07.00] på vardagar" in text
        changed = text.replace(
            "Tyst i huset mellan [22.00] och [07.00] på vardagar, [00.00] och [09.00] på helger.",
            NEW_RULE,
        )
        astrid.fill("#id_body", changed)
        astrid.fill("#id_message", "Senare tystnad på vardagar")
        astrid.click("button[name=preview]")
        assert NEW_RULE in astrid.locator("[data-testid=preview]").inner_text()
        shots.take(astrid, "proposal with preview")
        astrid.click("button[name=save]")
        astrid.wait_for_url("**/handbok/forslag/*/")
        assert "Du kan inte godkänna ditt eget förslag" in astrid.content()
        shots.take(astrid, "proposal waiting for approvals")
        proposal_url = astrid.url

        bo = member_page(browser, base, "bo")
        bo.goto(proposal_url)
        bo.click("button:has-text('Godkänn')")
        bo.wait_for_selector("text=Ditt godkännande är sparat (1 av 2)")
        shots.take(bo, "first approval")
        bo.goto(f"{base}/handbok/husregler/")
        assert NEW_RULE not in bo.locator("[data-testid=page-body]").inner_text()

        cecilia = member_page(browser, base, "cecilia")
        cecilia.goto(proposal_url)
        cecilia.click("button:has-text('Godkänn')")
        cecilia.wait_for_selector("text=är infört på sidan")
        assert "bo" in cecilia.locator("[data-testid=approvals]").inner_text()
        shots.take(cecilia, "second approval merges")

        cecilia.goto(f"{base}/handbok/husregler/")
        body_text = cecilia.locator("[data-testid=page-body]").inner_text()
        assert NEW_RULE in body_text and "[22.00]" not in body_text
        assert "av astrid" in cecilia.locator(".page-meta").inner_text()
        shots.take(cecilia, "house rules after")

    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.MERGED
    assert NEW_RULE in Page.objects.get(slug="husregler").body
    assert list(proposal.approvals.values_list("approver__username", flat=True)) == [
        "bo",
        "cecilia",
    ]
