"""Every page audited with axe-core (WCAG 2.1 A/AA and best practice) in a real browser, at phone
(390×844) and desktop (1280×800) width, as each kind of visitor: the treasurer, a member, a
tenant who has moved out, a login with no tenant, and the hallway kiosk.

axe-core's `axe.min.js` comes from the pinned `axe-playwright-python` package (requirements/
dev.lock); without it the audit is skipped with a reason, except under CI=true, where it fails.
Each role's window logs in once and visits its pages in turn (one Chromium for the module).
On the way every page is checked to fit at both widths: no sideways scroll, and no box that
scrolls sideways inside it (on a phone a table is cards); and the pages the household reads
most are kept as phone screenshots in test-artifacts/screenshots/accessibility/.
The rule: no critical and no serious violation; a moderate or minor one only when named in
ALLOWED below with the reason. Each run writes its findings to test-artifacts/axe/.
"""

import json
import os
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from handbook.services import propose_change
from rent.engine.months import add_months, config_month_due_next
from tests.browser import REPO_ROOT, screenshots_for
from tests.builders import (
    PASSWORD,
    make_item,
    make_ledger_row,
    make_login,
    make_page,
    make_payment,
    make_tenant,
    make_token,
    set_month_config,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"critical", "serious"}
# Moderate or minor rules accepted, each with the reason; everything else fails the audit.
ALLOWED: dict[str, str] = {}
REPORT_DIR = REPO_ROOT / "test-artifacts" / "axe"


def axe_script() -> str:
    """axe.min.js from the pinned package; skipped where absent, failed under CI."""
    try:
        import axe_playwright_python
    except ImportError:
        reason = "axe-core is not installed (axe-playwright-python, in requirements/dev.lock)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}, and CI must run the accessibility audit")
        pytest.skip(reason)
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


@pytest.fixture(scope="module")
def axe_source():
    return axe_script()


def audit(page, axe_source) -> list[dict]:
    """axe-core's violations on the page as it is now: rule, impact, and how many elements."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)  # through the DevTools protocol: the site's CSP stays as it is
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "count": len(v["nodes"]),
            "targets": [" ".join(map(str, node["target"])) for node in v["nodes"][:3]],
        }
        for v in result["violations"]
    ]


# What scrolls sideways inside the page: boxes whose content is wider than they are.
SCROLLING_BOXES = """() => Array.from(document.querySelectorAll("main *, #content *"))
  .filter((el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX)
                  && el.scrollWidth > el.clientWidth + 1)
  .map((el) => el.outerHTML.slice(0, 80))"""
# The pages kept as screenshots at phone width (the treasurer sees them all).
SCREENSHOT_PAGES = {
    "/hyra/{own}/": "tenant page",
    "/admin/rent/rentledger/saldo/": "saldo",
    "/admin/rent/payment/": "payment list",
    "/saker/": "items",
    "/hyra/historik/": "history",
    "/admin/rent/tenant/{own}/change/": "tenant in the admin",
    "/admin/rent/rentledger/": "ledger list",
}


def visit_all(page, base_url, paths, axe_source, role, size, shots=None) -> dict[str, dict]:
    """Each path in turn: its violations, the page's HTTP status (403s are pages too) and what
    does not fit."""
    found = {}
    for path, step in paths:
        response = page.goto(f"{base_url}{path}")
        found[path] = {"status": response.status, "violations": audit(page, axe_source)}
        found[path]["too_wide"] = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        found[path]["scrolling_boxes"] = page.evaluate(SCROLLING_BOXES)
        if shots is not None and step:
            shots.take(page, step)
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    (REPORT_DIR / f"{role}-{size}.json").write_text(json.dumps(found, indent=1))
    return found


def failures(found) -> list[str]:
    """What breaks the rule, one line per page and rule (so a failure names them all)."""
    lines = []
    for path, result in found.items():
        for v in result["violations"]:
            if v["impact"] in FAILING_IMPACTS or v["rule"] not in ALLOWED:
                lines.append(f"{path}: {v['impact']} {v['rule']} ×{v['count']} {v['targets']}")
        if "too_wide" in result and result["too_wide"][0] > result["too_wide"][1]:
            lines.append(f"{path}: scrolls sideways {result['too_wide']}")
        if result.get("scrolling_boxes"):
            lines.append(f"{path}: scrolls inside {result['scrolling_boxes']}")
    return lines


@pytest.fixture
def house():
    """A small house with everything the pages show: a month's bills, two tenants living here
    with six months each (paid but the last), one who moved out owing a part, a payment, an
    item, a handbook page and a proposal."""
    today = timezone.localdate()
    config_month = config_month_due_next(today)
    rent_month = add_months(config_month, 1)
    set_month_config(config_month, el=2424, bredband=400)
    adam = make_tenant("Adam Andersson", start_date=date(2020, 1, 1))
    bea = make_tenant("Bea", start_date=date(2020, 1, 1), room_adjustment=Decimal("-1400"))
    moved = make_tenant(
        "Cecilia", start_date=date(2020, 1, 1), departure_date=today - timedelta(days=70)
    )
    for offset in range(6):
        month = add_months(rent_month, -offset)
        for person, due in ((adam, Decimal("7045")), (bea, Decimal("5645.50"))):
            paid = Decimal(0) if offset == 0 else due
            make_ledger_row(person, rent_month=month, amount_due=due, amount_paid=paid)
    make_ledger_row(moved, rent_month=add_months(rent_month, -4), amount_due=Decimal("7045"))
    make_payment(moved, Decimal("3312.50"), paid_on=today - timedelta(days=90))
    make_payment(bea, Decimal("5000"), paid_on=today)  # part of the coming month
    make_item("Diskmaskin", owners=[adam, bea], value=Decimal("4500"))
    page = make_page("koket", title="Köket", body="Diskmaskinen töms av den som ser den full.\n")
    make_login("kassor", role="Kassör", tenant=adam)
    member = make_login("bea", role="Boende", tenant=bea)
    make_login("cecilia", role="Boende", tenant=moved)
    make_login("gast", role="Boende")

    proposal = propose_change(
        page=page, title="Köket", body="Diskmaskinen töms varje kväll.\n", author=member,
        message="Kvällstömning",
    )  # fmt: skip
    return {"adam": adam, "bea": bea, "moved": moved, "page": page, "proposal": proposal}


MEMBER_PAGES = [
    "/handbok/",
    "/handbok/koket/",
    "/handbok/koket/historik/",
    "/handbok/sok/?q=diskmaskin",
    "/handbok/forslag/",
    "/handbok/forslag/{proposal}/",
    "/handbok/forslag/ny/",
    "/handbok/aviseringar/",
    "/hyra/",
    "/hyra/historik/",
    "/hyra/{own}/",
    "/saker/",
]
TREASURER_PAGES = MEMBER_PAGES + [
    "/admin/",
    "/admin/rent/rentconfig/manad/",
    "/admin/rent/rentcalculation/manad/",
    "/admin/rent/rentledger/saldo/",
    "/admin/rent/rentledger/",
    "/admin/rent/tenant/",
    "/admin/rent/tenant/{own}/change/",
    "/admin/rent/payment/",
    "/admin/rent/payment/add/",
    "/admin/rent/banktransaction/statement/",
    "/admin/rent/paymentclaim/",
    "/admin/rent/coowneditem/",
    "/admin/rent/reminderlog/",
    "/admin/handbook/page/",
    "/admin/api/apitoken/",
    "/admin/axes/accessattempt/",
]
# A tenant who moved out reads their own statement; everything else of the house is closed.
MOVED_OUT_PAGES = ["/hyra/{own}/", "/handbok/", "/hyra/"]
NO_TENANT_PAGES = ["/handbok/", "/hyra/"]
ROLES = {
    "treasurer": ("kassor", "adam", TREASURER_PAGES),
    "member": ("bea", "bea", MEMBER_PAGES),
    "moved_out": ("cecilia", "moved", MOVED_OUT_PAGES),
    "no_tenant": ("gast", None, NO_TENANT_PAGES),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_has_no_serious_violation(browser, live_server, house, axe_source, role, size):
    username, tenant_key, paths = ROLES[role]
    names = {"proposal": house["proposal"].pk, "own": house[tenant_key].pk if tenant_key else 0}
    paths = [(path.format(**names), SCREENSHOT_PAGES.get(path)) for path in paths]
    page = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport=SIZES[size]
    ).new_page()
    log_in(page, live_server.url, username)
    shots = screenshots_for("accessibility", "pages_phone") if (role, size) == (
        "treasurer", "phone") else None  # fmt: skip
    found = visit_all(page, live_server.url, paths, axe_source, role, size, shots)
    assert not failures(found), "\n".join(failures(found))


def log_in(page, base_url, username):
    page.goto(f"{base_url}/konto/logga-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


KIOSK_SIZES = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 800},
    "portrait": {"width": 1080, "height": 1920},
}


def test_the_login_page_and_the_kiosk_have_no_serious_violation(
    browser, live_server, house, axe_source
):
    """The kiosk at a phone and both hallway screens: clean, and all of it on one screen (the
    last line, "Uppdaterad", above the fold); Bea's part-payment reads "5 000 av 5 645"."""
    _, raw = make_token("kiosk")
    shots = screenshots_for("accessibility", "kiosk")
    found = {}
    for size, viewport in KIOSK_SIZES.items():
        page = browser.new_context(locale="sv-SE", viewport=viewport).new_page()
        page.goto(f"{live_server.url}/kiosk/?token={raw}")
        page.wait_for_selector("[data-testid=kiosk-people] li")
        found[f"/kiosk/ {size}"] = {"status": 200, "violations": audit(page, axe_source)}
        bea = page.locator("[data-testid=kiosk-people] li", has_text="Bea").inner_text()
        assert "5 000 av 5 645 betalt" in bea, bea
        if size != "phone":
            updated = page.locator("[data-testid=kiosk-updated]").bounding_box()
            assert updated["y"] + updated["height"] <= viewport["height"], (size, updated)
            assert page.evaluate("document.documentElement.scrollHeight") <= viewport["height"]
        shots.take(page, f"kiosk {size}")
        if size in SIZES:
            page.goto(f"{live_server.url}/konto/logga-in/")
            found[f"/konto/logga-in/ {size}"] = {
                "status": 200,
                "violations": audit(page, axe_source),
            }
        page.context.close()
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    (REPORT_DIR / "kiosk-and-login.json").write_text(json.dumps(found, indent=1))
    assert not failures(found), "\n".join(failures(found))
