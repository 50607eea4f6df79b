"""The pages a reader meets when something is refused or fails, in Chromium at phone width
(390 px, no sideways scroll) and desktop: locked out, not a household member, database down.
Screenshots go to test-artifacts/screenshots/errors/<test>/."""

import pytest
from django.db import OperationalError

from tests.browser import screenshots_for
from tests.builders import make_login, make_member, make_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"
    )


def log_in(page, base, username, password="pw-for-tests-only"):
    page.goto(f"{base}/konto/logga-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


@pytest.mark.parametrize("size", SIZES)
def test_the_lockout_page(browser, live_server, settings, size):
    make_member("astrid")
    shots = screenshots_for("errors", f"locked_out_{size}")
    page = browser.new_page(viewport=SIZES[size], locale="sv-SE")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(page, live_server.url, "astrid", "wrong")
    log_in(page, live_server.url, "astrid")
    heading = page.locator("h1")
    assert heading.inner_text() == "För många försök"
    assert "be kassören låsa upp" in page.locator("main").inner_text()
    assert no_sideways_scroll(page)
    shots.take(page, "locked out")


@pytest.mark.parametrize("size", SIZES)
def test_the_not_a_member_page(browser, live_server, size):
    make_page("husregler", title="Husregler", body="Tyst efter 22.\n")
    make_login("gast", is_staff=False)
    shots = screenshots_for("errors", f"not_member_{size}")
    page = browser.new_page(viewport=SIZES[size], locale="sv-SE")
    log_in(page, live_server.url, "gast")
    page.goto(f"{live_server.url}/handbok/husregler/")
    assert page.locator("h1").inner_text() == "För de som bor i huset"
    assert "Tyst efter 22" not in page.content()
    assert no_sideways_scroll(page)
    shots.take(page, "not a member")


@pytest.mark.parametrize("size", SIZES)
def test_the_database_down_page(browser, live_server, monkeypatch, size):
    make_page("husregler", title="Husregler")
    make_member("astrid")
    shots = screenshots_for("errors", f"database_down_{size}")

    def down(text):
        raise OperationalError("the database is restarting")

    page = browser.new_page(viewport=SIZES[size], locale="sv-SE")
    log_in(page, live_server.url, "astrid")
    monkeypatch.setattr("handbook.views.render_markdown", down)
    response = page.goto(f"{live_server.url}/handbok/husregler/")
    assert response.status == 503
    assert page.locator("h1").inner_text() == "Husets system vilar en stund"
    code = page.locator("[data-testid=request-id]").inner_text()
    assert len(code) == 32 and response.headers["x-request-id"] == code
    assert no_sideways_scroll(page)
    shots.take(page, "database down")
