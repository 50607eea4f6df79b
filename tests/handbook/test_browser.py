"""Three housemates change the house rules in a real browser (Playwright, Debian's Chromium).

One proposes a change, the second approves (nothing changes yet), the third approves and the
page shows the change. Screenshots go to test-artifacts/screenshots/handbook/<test>/ (printed).
"""

import io
from pathlib import Path

import pytest
from PIL import Image

from handbook.importing import import_folder
from handbook.models import NotificationPreferences, Page, Proposal, ProposalStatus
from tests.browser import logged_in_page, no_sideways_scroll, screenshots_for
from tests.builders import make_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

STARTER_PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "handbook"
NEW_RULE = "Tyst i huset mellan 23.00 och 07.00 på vardagar."


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def member_page(browser, base_url, username, viewport=DESKTOP):
    """A browser window of its own on the house rules, logged in through the login form."""
    return logged_in_page(
        browser, base_url, username, path="/handbok/husregler/", viewport=viewport
    )


def test_three_housemates_change_the_house_rules(browser, live_server):
    import_folder(STARTER_PAGES)
    for username in ("astrid", "bo", "cecilia"):
        make_member(username)
    shots = screenshots_for("handbook", "house_rules")
    base = live_server.url

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


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (220, 40, 40)).save(out, format="PNG")
    return out.getvalue()


def test_propose_with_an_image_discuss_approve_and_the_watcher_hears(
    browser, live_server, settings, tmp_path, mailoutbox
):
    settings.MEDIA_ROOT = tmp_path
    settings.HANDBOOK_ATTACHMENTS_X_ACCEL = False
    settings.SITE_URL = live_server.url
    import_folder(STARTER_PAGES)
    for username in ("astrid", "bo", "cecilia", "david"):
        make_member(username, role="Boende", email=f"{username}@example.org")
    shots = screenshots_for("handbook", "proposal_loop")
    base = live_server.url

    # David watches the house rules from his phone.
    david = member_page(browser, base, "david", PHONE)
    david.click("[data-testid=watch]")
    david.wait_for_selector("text=Du bevakar sidan")
    assert no_sideways_scroll(david)
    shots.take(david, "phone watches the page")

    # Astrid, at her desk, proposes a later quiet hour with a photo of the fire alarm.
    astrid = member_page(browser, base, "astrid", DESKTOP)
    astrid.get_by_role("link", name="Föreslå en ändring", exact=True).click()
    astrid.wait_for_url("**/handbok/husregler/foresla/")
    assert not astrid.locator("#id_title").is_visible()  # the title stays unless asked
    text = astrid.locator("#id_body").input_value()
    astrid.fill("#id_message", "Senare tystnad på vardagar, och bild på brandvarnaren")
    astrid.fill("#id_body", text.replace("mellan [22.00] och [07.00]", "mellan 23.00 och 07.00"))
    astrid.set_input_files(
        "#id_attachment",
        files=[{"name": "brandvarnare.png", "mimeType": "image/png", "buffer": png()}],
    )
    astrid.click("button[name=save]")
    astrid.wait_for_url("**/handbok/forslag/*/")
    proposal_url = astrid.url
    diff = astrid.locator("[data-testid=diff]")
    assert diff.locator("ins", has_text="23.00").count() == 1
    assert diff.locator("del", has_text="[22.00]").count() == 1
    assert "@@" not in diff.inner_text()
    image = astrid.locator("article.page-body img")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 120
    shots.take(astrid, "desktop proposal with image and word diff")

    # Bo asks about it from his phone, then approves.
    bo = member_page(browser, base, "bo", PHONE)
    bo.goto(proposal_url)
    assert no_sideways_scroll(bo)
    bo.fill("[data-testid=comment-form] textarea", "Varför **23**?")
    bo.click("[data-testid=comment-form] button")
    bo.wait_for_selector("text=Din kommentar är sparad")
    assert "Varför 23?" in bo.locator("[data-testid=comments]").inner_text()
    bo.click("button:has-text('Godkänn')")
    bo.wait_for_selector("text=Ditt godkännande är sparat (1 av 2)")
    assert no_sideways_scroll(bo)
    shots.take(bo, "phone comment and first approval")

    # Cecilia's approval merges it; the watcher gets an email.
    cecilia = member_page(browser, base, "cecilia", DESKTOP)
    cecilia.goto(proposal_url)
    assert "Varför 23?" in cecilia.locator("[data-testid=comments]").inner_text()
    cecilia.click("button:has-text('Godkänn')")
    cecilia.wait_for_selector("text=är infört på sidan")
    shots.take(cecilia, "desktop second approval merges")

    watched = [mail for mail in mailoutbox if mail.to == ["david@example.org"]]
    page_changed = [mail for mail in watched if "har ändrats" in mail.subject]
    assert len(page_changed) == 1, [mail.subject for mail in watched]
    link = next(line for line in page_changed[0].body.split() if line.startswith(base))

    # David follows the email's link on his phone: the changed words are marked.
    david.goto(link)
    diff = david.locator("[data-testid=diff]")
    assert diff.locator("ins", has_text="23.00").count() == 1
    assert no_sideways_scroll(david)
    shots.take(david, "phone sees what changed")
    david.goto(f"{base}/handbok/husregler/historik/")
    assert "godkänt av bo, cecilia" in david.locator("table").inner_text()
    assert no_sideways_scroll(david)
    shots.take(david, "phone history with approvers")

    # The other new pages fit a phone too: forgiving search, the proposal form, the
    # member's notification choices.
    david.goto(f"{base}/handbok/sok/?q=stadning")
    first = david.locator("[data-testid=search-hit] h2").first.inner_text()
    assert first == "Husregler" and no_sideways_scroll(david)
    shots.take(david, "phone forgiving search")
    for path in ("/handbok/husregler/foresla/", "/handbok/aviseringar/"):
        david.goto(f"{base}{path}")
        assert no_sideways_scroll(david), path
    david.uncheck("#id_awaiting")
    david.click("[data-testid=notification-form] button[type=submit]")
    david.wait_for_selector("text=Dina val är sparade")
    shots.take(david, "phone notification choices")

    page = Page.objects.get(slug="husregler")
    assert "mellan 23.00 och 07.00" in page.body and page.title == "Husregler"
    assert page.attachments.count() == 1
    assert not NotificationPreferences.objects.get(user__username="david").awaiting
