"""Shared helpers of the browser tests: Debian's Chromium driven by Playwright, and screenshots.

Playwright cannot download its own browser here; the tests use Debian's Chromium with its own
downloads and background traffic off. They prefer Debian's headless build of it,
/usr/bin/chromium-headless-shell (`apt-get install chromium-headless-shell`; .ci/run installs it):
the same Chromium and Blink, without the desktop browser's window furniture, which is also what
Playwright itself runs for headless tests. It costs about a third less CPU than the full browser,
mostly per window opened. Where only the full browser is installed (`apt-get install chromium`),
the tests use /usr/bin/chromium. Without either they are skipped with a reason, except under
CI=true, where they fail.
"""

import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.builders import PASSWORD

CHROMIUM_BUILDS = [Path("/usr/bin/chromium-headless-shell"), Path("/usr/bin/chromium")]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT_ROOT = REPO_ROOT / "test-artifacts" / "screenshots"


def chromium_executable() -> Path:
    """The first Chromium build installed, in the order of CHROMIUM_BUILDS."""
    for executable in CHROMIUM_BUILDS:
        if executable.exists():
            return executable
    reason = (
        f"Debian's Chromium is not at {' or '.join(map(str, CHROMIUM_BUILDS))} "
        "(apt-get install chromium-headless-shell)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, and CI must run the browser tests")
    pytest.skip(reason)


@contextmanager
def chromium_browser():
    """A headless Chromium; closed afterwards."""
    executable = chromium_executable()  # skips (or fails under CI) where there is none
    from playwright.sync_api import sync_playwright  # only once a Chromium is there

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(executable), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


class Screenshots:
    """Numbered screenshots of each step, in one folder per test: `01-login.png`, ..."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.count = 0
        print(f"\nscreenshots: {self.folder}")

    def take(self, page, step: str) -> Path:
        self.count += 1
        name = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


def screenshots_for(area: str, test_name: str) -> Screenshots:
    return Screenshots(SCREENSHOT_ROOT / area / test_name)


def logged_in_page(browser, base_url: str, username: str, *, path: str, viewport: dict):
    """A window of its own, in Swedish, that asked for `path`, logged in through the site's
    login form (a login of tests/builders.py) and landed there."""
    context = browser.new_context(locale="sv-SE", viewport=viewport)
    page = context.new_page()
    page.goto(f"{base_url}{path}")
    page.wait_for_url("**/konto/logga-in/**")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path}")
    return page


def no_sideways_scroll(page) -> bool:
    """The page is no wider than the window (a phone never scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
