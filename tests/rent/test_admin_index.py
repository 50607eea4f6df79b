"""The admin's index ("Månadens arbete") and every page's look: Swedish by default, English
on request, and nothing inline that the Content-Security-Policy would block."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.admin_helpers import MONTH, R, client_for, view_urls
from tests.builders import make_ledger_row

# The household, the treasurer and a member (tests/admin_helpers.py).
pytest_plugins = ["tests.admin_helpers"]

pytestmark = pytest.mark.django_db


def test_the_admin_is_swedish_by_default_and_english_on_request(client, household, treasurer):
    client_for(client, treasurer)
    page = client.get(reverse("admin:index")).content.decode()
    assert '<html lang="sv"' in page
    assert "Månadens kostnader" in page and "Månadens hyra" in page
    english = client.get(reverse("admin:index"), headers={"accept-language": "en"})
    assert '<html lang="en"' in english.content.decode()
    assert "The month's costs" in english.content.decode()
    client.cookies["django_language"] = "en"
    costs = client.get(reverse("admin:rent_month_costs", kwargs={"month": MONTH}))
    assert "this month" in costs.content.decode()
    make_ledger_row(household["adam"], R, amount_due=Decimal("7045"))
    listing = client.get(reverse("admin:rent_rentledger_changelist")).content.decode()
    assert '<td class="field-amount_due_kronor">7 045 kr</td>' in listing


def test_no_admin_page_has_inline_style_or_script_that_the_policy_would_block(
    client, household, treasurer
):
    """The Content-Security-Policy allows only the site's own files and blocks carrying the
    request's nonce: an inline <style>/<script> without it, or a style="" attribute, would be
    dropped by the browser (the index's phone layout was once such a block)."""
    client_for(client, treasurer)
    export = reverse("admin:rent_tenant_export")  # import-export's own template, not ours
    urls = [url for url in view_urls(household) if url != export]
    urls += [reverse("admin:rent_balances"), reverse("admin:rent_month_rent")]
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        header = response["Content-Security-Policy"]
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            nonce = re.search(r'\bnonce="([^"]+)"', tag)
            assert "src=" in tag or (nonce and f"'nonce-{nonce[1]}'" in header), (url, tag)
        assert not re.search(r"<[a-z][^>]*\sstyle=", html), url
    index = client.get(reverse("admin:index")).content.decode()
    assert "rent/admin_pages" in index and 'id="month-work"' in index
