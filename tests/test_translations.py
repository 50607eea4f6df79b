"""The project's own strings are translated into Swedish, and the compiled catalogue is current."""

import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from tests.builders import make_login

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
            continue
        source, translated = entry.split("\nmsgstr", 1)
        msgid = po_text("".join(re.findall(r'^(?:msgid )?"(.*)"$', source, re.M)))
        msgstr = po_text("".join(re.findall(r'"(.*)"$', translated, re.M)))
        if msgid:
            assert catalogue.gettext(msgid) == msgstr, msgid


def test_model_names_are_swedish_by_default():
    from rent.models import RentLedger, Tenant

    with translation.override("sv"):
        assert str(Tenant._meta.verbose_name_plural) == "boende"
        assert str(RentLedger._meta.get_field("amount_due").verbose_name) == "att betala"
    with translation.override("en"):
        assert str(Tenant._meta.verbose_name_plural) == "tenants"


@pytest.mark.django_db
def test_the_admin_speaks_swedish_and_english_on_request(client):
    client.force_login(make_login("kassor", role="Kassör"))
    swedish = client.get(reverse("admin:index")).content.decode()
    assert "Månadens kostnader" in swedish and "Månadens hyra" in swedish
    english = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The month&#x27;s costs" in english or "The month's costs" in english
