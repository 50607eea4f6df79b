"""The project's own strings are translated into Swedish, and the compiled catalogue is current."""

import gettext
import re
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from handbook import services
from handbook.models import Page
from rent.models import RentLedger, Tenant
from tests.builders import make_member, make_page, make_tenant, set_month_config
from tests.people import make_treasurer

LOCALE = Path(__file__).resolve().parents[1] / "locale" / "sv" / "LC_MESSAGES"


def po_entries():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    return [entry for entry in text.split("\n\n") if "\nmsgid " in "\n" + entry]


def test_every_msgid_has_a_swedish_translation():
    untranslated = []
    for entry in po_entries():
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', entry.split("msgstr")[0], re.M))
        strings = re.findall(r'^msgstr(?:\[\d\])? "(.*)"', entry, re.M)
        continuation = re.findall(r'^"(.*)"$', entry.split("msgstr", 1)[1], re.M)
        if msgid and not any(strings) and not any(continuation):
            untranslated.append(msgid)
        assert "#, fuzzy" not in entry, entry
    assert untranslated == []


def po_text(quoted: str) -> str:
    """A .po string's text: `\\n` and `\\"` unescaped, other characters kept."""
    return quoted.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def test_the_compiled_catalogue_says_what_the_source_says():
    """The committed .mo was compiled from the committed .po (run compilemessages)."""
    with (LOCALE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for entry in po_entries():
        if "msgid_plural" in entry:
            msgid = po_text("".join(re.findall(r'^msgid "(.*)"$', entry, re.M)))
            plural = po_text("".join(re.findall(r'^msgid_plural "(.*)"$', entry, re.M)))
            forms = [po_text(text) for text in re.findall(r'^msgstr\[\d\] "(.*)"$', entry, re.M)]
            context = re.search(r'^msgctxt "(.*)"$', entry, re.M)
            if context:
                translated = [
                    catalogue.npgettext(po_text(context.group(1)), msgid, plural, n) for n in (1, 2)
                ]
            else:
                translated = [catalogue.ngettext(msgid, plural, n) for n in (1, 2)]
            assert translated == forms, msgid
            continue
        source, translated = entry.split("\nmsgstr", 1)
        context = re.search(r'^msgctxt "(.*)"$', source, re.M)
        msgid = po_text("".join(re.findall(r'^(?:msgid )?"(.*)"$', source, re.M)))
        msgstr = po_text("".join(re.findall(r'"(.*)"$', translated, re.M)))
        if msgid and context:
            assert catalogue.pgettext(po_text(context.group(1)), msgid) == msgstr, msgid
        elif msgid:
            assert catalogue.gettext(msgid) == msgstr, msgid


def test_model_names_are_swedish_by_default():
    with translation.override("sv"):
        assert str(Tenant._meta.verbose_name_plural) == "boende"
        assert str(RentLedger._meta.get_field("amount_due").verbose_name) == "att betala"
    with translation.override("en"):
        assert str(Tenant._meta.verbose_name_plural) == "tenants"


@pytest.mark.django_db
def test_the_admin_speaks_swedish_and_english_on_request(client):
    client.force_login(make_treasurer())
    swedish = client.get(reverse("admin:index")).content.decode()
    assert "Månadens kostnader" in swedish and "Månadens hyra" in swedish
    english = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">The month's costs</a>" in english


# The handbook and the site around it: Swedish by default, English on request. Only the interface
# is translated; the pages themselves are the household's own Swedish text.

HANDBOOK = "/handbok/"
SWEDISH_INTERFACE = ["Handboken", "Förslag", "Logga ut", "Sök i handboken", "Hyran för"]
ENGLISH_INTERFACE = ["The handbook", "Proposals", "Log out", "Search the handbook", "The rent for"]


@pytest.fixture
def member(client, monkeypatch):
    """A logged-in member, on 10 September 2025, with a page of the household's own text."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2025, 9, 10))
    set_month_config(date(2025, 9, 1), kallhyra=24530, el=2424, bredband=400)
    for name in ("Adam", "Amanda", "Fredrik", "Rasmus"):
        make_tenant(name)
    make_page("husregler", title="Husregler", body="## Tystnad\n\nTyst efter 22.\n")
    user = make_member("astrid")
    client.force_login(user)
    return user


def switch_language(client, language, next_url=HANDBOOK):
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    return response


def assert_speaks(html, present, absent):
    for text in present:
        assert text in html, text
    for text in absent:
        assert text not in html, text


@pytest.mark.django_db
def test_the_handbook_is_swedish_without_any_accept_language(client, member):
    response = client.get(HANDBOOK)
    html = response.content.decode()
    assert response.status_code == 200 and "HTTP_ACCEPT_LANGUAGE" not in response.request
    assert '<html lang="sv">' in html and "<h1>Handboken</h1>" in html
    assert_speaks(html, SWEDISH_INTERFACE + ["Hyran för oktober 2025"], ENGLISH_INTERFACE)


@pytest.mark.django_db
def test_the_switcher_turns_the_handbook_english_and_back(client, member):
    html = client.get(HANDBOOK).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="language" value="sv"' in html and 'name="language" value="en"' in html
    assert 'name="next" value="/handbok/"' in html and "csrfmiddlewaretoken" in html

    switch_language(client, "en")
    html = client.get(HANDBOOK).content.decode()
    assert '<html lang="en">' in html and "<h1>The handbook</h1>" in html
    # The interface, its dates and month names are English; the page's own title stays Swedish.
    assert_speaks(html, ENGLISH_INTERFACE + ["The rent for October 2025", "Husregler"],
                  SWEDISH_INTERFACE + ["oktober"])  # fmt: skip
    page = client.get(reverse("handbook:page", args=["husregler"])).content.decode()
    assert "Propose a change" in page and "Tyst efter 22." in page and "Tystnad" in page

    switch_language(client, "sv")
    assert "<h1>Handboken</h1>" in client.get(HANDBOOK).content.decode()


@pytest.mark.django_db
def test_a_browser_asking_for_english_gets_the_english_handbook(client, member):
    html = client.get(HANDBOOK, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>The handbook</h1>" in html
    assert_speaks(html, ENGLISH_INTERFACE, SWEDISH_INTERFACE)
    # A choice made with the switcher wins over the browser's.
    switch_language(client, "sv")
    assert "<h1>Handboken</h1>" in client.get(HANDBOOK, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.django_db
def test_the_login_page_has_the_switcher_too(client):
    login = reverse("login") + "?next=/handbok/"
    html = client.get(login).content.decode()
    assert "<h1>Logga in</h1>" in html and 'data-testid="language-form"' in html
    assert 'name="next" value="/konto/logga-in/?next=/handbok/"' in html
    switch_language(client, "en", next_url=login)
    html = client.get(login).content.decode()
    assert "<h1>Log in</h1>" in html and "Username" in html and "Logga in" not in html
    html = client.post(login, {"username": "nobody", "password": "x"}).content.decode()
    assert "Wrong username or password." in html


@pytest.mark.django_db
def test_the_proposal_workflow_speaks_the_readers_language(client, member):
    rules = Page.objects.get(slug="husregler")
    proposal = services.propose_change(
        message="Ändring", page=rules, title="Husregler", body="Ny.", author=member
    )
    url = reverse("handbook:proposal_approve", args=[proposal.pk])
    html = client.post(url, follow=True).content.decode()
    assert "Du kan inte godkänna ditt eget förslag." in html
    html = client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You cannot approve your own proposal." in html
    assert "Approvals (0 of 2)" in html and "Withdraw" in html
    # The refusal is named by its code; its message is read in the language of the moment.
    with pytest.raises(services.ProposalError) as refusal:
        services.approve(proposal=proposal, approver=member)
    assert refusal.value.code == "approve_own"
    assert str(refusal.value) == "You cannot approve your own proposal."
    with translation.override("en"):
        assert refusal.value.message == "You cannot approve your own proposal."
    with translation.override("sv"):
        assert refusal.value.message == "Du kan inte godkänna ditt eget förslag."


@pytest.mark.django_db
def test_the_live_rent_example_follows_the_language(client, member):
    make_page("hur-hyran-raknas", title="Hur hyran räknas", body="Så här.\n\n[[hyresexempel]]\n")
    url = reverse("handbook:page", args=["hur-hyran-raknas"])
    swedish = client.get(url).content.decode()
    assert (
        "Räkneexempel: hyran för oktober 2025" in swedish
        and "Betalas senast 27 september 2025" in swedish
    )
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Worked example: the rent for October 2025" in english
    assert "everyone pays the highest" in english and "Due by 27 September 2025." in english
    assert "Så här." in english  # the page's own text is not translated
