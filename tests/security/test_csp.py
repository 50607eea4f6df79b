"""Content-Security-Policy (django-csp) on pages, the admin and the login: only the site's own
scripts, styles and images; the admin's inline blocks carry the request's nonce; handbook
images from other sites become links. The browser test shows an external image does not load."""

import re
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from handbook.markdown import render_markdown
from rent.admin import HouseAdmin
from rent.admin.resources import (
    CoOwnedItemResource,
    RentConfigResource,
    RentLedgerResource,
    TenantResource,
)
from tests.browser import chromium_browser
from tests.builders import (
    make_item,
    make_ledger_row,
    make_member,
    make_page,
    make_tenant,
    set_config,
)
from tests.people import make_treasurer

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.strip().split()
        directives[name] = values
    return directives


def assert_strict(directives):
    assert directives["default-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    for name in ("script-src", "style-src"):
        assert directives[name][0] == "'self'"
        assert "'unsafe-inline'" not in directives[name]
        assert "'unsafe-eval'" not in directives[name]
        assert all(v == "'self'" or v.startswith("'nonce-") for v in directives[name])


def test_every_kind_of_page_carries_the_policy(client):
    make_page("husregler", title="Husregler")
    assert_strict(policy(client.get(reverse("login"))))
    assert_strict(policy(client.get("/healthz")))
    client.force_login(make_member("astrid"))
    assert_strict(policy(client.get("/handbok/husregler/")))
    client.force_login(make_treasurer())
    assert_strict(policy(client.get(reverse("admin:index"))))
    assert_strict(policy(client.get(reverse("admin:rent_rentledger_changelist"))))


def test_the_month_pages_inline_script_and_style_carry_the_header_nonce(client):
    make_tenant("Adam")
    set_config("kallhyra", 24530, date(2025, 9, 1))
    client.force_login(make_treasurer())
    for url in (
        reverse("admin:rent_month_rent", args=["2025-09"]),
        reverse("admin:rent_month_costs", args=["2025-09"]),
    ):
        response = client.get(url)
        html = response.content.decode()
        directives = policy(response)
        nonces = set(re.findall(r'<(?:script|style) nonce="([^"]+)"', html))
        assert nonces, url
        (nonce,) = nonces
        assert f"'nonce-{nonce}'" in directives["script-src"]
        assert f"'nonce-{nonce}'" in directives["style-src"]
        assert not re.search(r"<(script|style)>", html), url  # no inline block without it


def test_markdown_images_from_other_sites_become_links():
    html = render_markdown(
        "![karta](https://evil.example/track.png) ![logga](/static/kimonokittens/logo.png) "
        "![rel](bild.png) ![proto](//evil.example/x.png)"
    ).html
    assert '<a href="https://evil.example/track.png" rel="noopener noreferrer">karta</a>' in html
    assert '<a href="//evil.example/x.png" rel="noopener noreferrer">proto</a>' in html
    assert '<img src="/static/kimonokittens/logo.png" alt="logga">' in html
    assert '<img src="bild.png" alt="rel">' in html
    assert 'evil.example/track.png"' in html and '<img src="https://' not in html


class CountingHandler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        CountingHandler.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.end_headers()
        self.wfile.write(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")

    def log_message(self, *args):
        pass


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_external_image_in_a_page_does_not_load_in_the_browser(
    live_server, async_unsafe_allowed
):
    server = ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    external = f"http://127.0.0.1:{server.server_address[1]}/pixel.gif"
    CountingHandler.hits.clear()
    # Raw HTML passes the sanitizer as an <img>: only the policy stops it loading.
    make_page("bilder", title="Bilder", body=f'Bild: <img src="{external}" alt="extern">\n')
    make_member("astrid")
    try:
        with chromium_browser() as browser:
            page = browser.new_page()
            violations = []
            page.on("console", lambda message: violations.append(message.text))
            page.goto(f"{live_server.url}/konto/logga-in/?next=/handbok/bilder/")
            page.fill("#id_username", "astrid")
            page.fill("#id_password", "pw-for-tests-only")
            page.click("button[type=submit]")
            page.wait_for_url("**/handbok/bilder/")
            page.wait_for_load_state("networkidle")
            assert page.locator('img[alt="extern"]').count() == 1
            loaded = page.evaluate("document.querySelector('img[alt=extern]').naturalWidth")
            assert loaded == 0
            assert any("Content Security Policy" in text for text in violations)
    finally:
        server.shutdown()
    assert CountingHandler.hits == []


# An attribute the policy blocks: a style="…" (style-src has no 'unsafe-inline') or an event
# handler such as onchange="…" (nor has script-src).
INLINE_ATTRIBUTE = re.compile(r"<[^>]*\s(style|on[a-z]+)\s*=", re.IGNORECASE)


CHANGED_CELL = {
    "tenant": ("email", "adam@example.com"),
    "rentconfig": ("value", "2500"),
    "rentledger": ("amount_due", "7100"),
    "coowneditem": ("description", "Grå, tre sits"),
}


@pytest.mark.parametrize("model_name", ["tenant", "rentconfig", "rentledger", "coowneditem"])
def test_the_import_and_export_pages_carry_no_inline_style_or_handler(client, model_name):
    """django-import-export's own templates have inline styles and an inline handler, which
    the policy blocks: the project's versions put them in a stylesheet and a script file."""
    adam = make_tenant("Adam")
    set_config("el", 2424, date(2025, 9, 1))
    make_ledger_row(adam, date(2025, 10, 1))
    make_item("Soffa", owners=[adam])
    client.force_login(make_treasurer())
    resource = {
        "tenant": TenantResource,
        "rentconfig": RentConfigResource,
        "rentledger": RentLedgerResource,
        "coowneditem": CoOwnedItemResource,
    }[model_name]
    csv_index = [f.__name__ for f in HouseAdmin.formats].index("CSV")
    exported = resource().export()
    column, value = CHANGED_CELL[model_name]
    rows = [list(row) for row in exported]
    rows[0][exported.headers.index(column)] = value  # a change, shown as a diff
    exported = tablib.Dataset(*rows, headers=exported.headers)
    pages = {
        "export": client.get(reverse(f"admin:rent_{model_name}_export")),
        "import": client.get(reverse(f"admin:rent_{model_name}_import")),
        "preview": client.post(
            reverse(f"admin:rent_{model_name}_import"),
            {
                "format": str(csv_index),
                "import_file": SimpleUploadedFile("x.csv", exported.csv.encode()),
            },
        ),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.content.decode()
        assert_strict(policy(response))
        assert INLINE_ATTRIBUTE.findall(html) == [], name
    assert "<ins" in pages["preview"].content.decode()  # the changed cell, marked
    export = pages["export"].content.decode()
    assert "import_export/export_selectable_fields.js" in export  # the fields still chosen
    assert "select-all-toggle" in export
