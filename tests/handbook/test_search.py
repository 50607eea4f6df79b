"""Search over titles and bodies: PostgreSQL full text ('swedish') or the SQLite fallback."""

from pathlib import Path

import pytest
from django.db import connection

from handbook.importing import import_folder
from handbook.search import search, search_pages
from tests.builders import make_page

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search only"
)


@pytest.fixture
def pages():
    return {
        "kok": make_page(
            "koket",
            title="Köket",
            body="## Diskmaskinen\n\nTöm diskmaskinen när den är klar.\n\n"
            "Städningen av kylskåpet görs varannan fredag.\n",
        ),
        "tvatt": make_page(
            "tvattstugan",
            title="Tvättstugan",
            body="## Öppettider\n\nBoka en tid på listan. Tvätta inte efter klockan 22.\n",
        ),
        "gard": make_page(
            "garden",
            title="Gården",
            body="Grillen står i förrådet. Ställ tillbaka den när den har svalnat.\n",
        ),
    }


def titles(hits):
    return [hit.page.title for hit in hits]


def test_a_title_word_with_a_swedish_letter_finds_its_page(pages):
    assert titles(search_pages("tvättstugan")) == ["Tvättstugan"]


def test_uppercase_swedish_letters_match_lowercase_ones(pages):
    assert titles(search_pages("GÅRDEN")) == ["Gården"]
    assert titles(search_pages("förrådet")) == ["Gården"]


def test_a_word_in_a_heading_finds_the_page(pages):
    assert titles(search_pages("öppettider")) == ["Tvättstugan"]


def test_a_word_in_the_body_finds_the_page_with_a_highlighted_snippet(pages):
    [hit] = search_pages("kylskåpet")
    assert hit.page.slug == "koket"
    assert "<mark>kylskåpet</mark>" in hit.snippet.lower()
    assert "##" not in hit.snippet


def test_every_word_must_match(pages):
    assert titles(search_pages("diskmaskinen fredag")) == ["Köket"]
    assert search_pages("diskmaskinen grillen") == []


def test_no_match_and_empty_queries_give_nothing(pages):
    assert search_pages("simbassäng") == []
    assert search_pages("") == []
    assert search_pages("  !!  ") == []


def test_the_snippet_never_carries_the_page_text_as_markup():
    make_page(
        "farlig", title="Farlig", body="Skriv <script>x()</script> <b>fet</b> & 1 < 2 i sökrutan.\n"
    )
    [hit] = search_pages("sökrutan")
    assert "<script" not in hit.snippet and "<b>" not in hit.snippet
    assert "&amp;" in hit.snippet and "&lt; 2" in hit.snippet
    assert "<mark>sökrutan</mark>" in hit.snippet


@on_postgresql
def test_postgresql_stems_swedish_words(pages):
    # "städning" and "städningen" share the Swedish stem; so do "grill" and "grillen".
    assert titles(search_pages("städning")) == ["Köket"]
    assert titles(search_pages("grill")) == ["Gården"]


@on_postgresql
def test_postgresql_ranks_a_title_match_before_a_body_match():
    make_page("a", title="Nycklar", body="Var nycklarna hänger.\n")
    make_page("b", title="Hallen", body="Nycklar till förrådet ligger i hallen.\n")
    assert titles(search_pages("nycklar")) == ["Nycklar", "Hallen"]


# The queries housemates tried that found nothing, and more: each must put the right page first,
# on SQLite and on PostgreSQL.
@pytest.fixture
def house():
    import_folder(Path(__file__).resolve().parents[2] / "fixtures" / "handbook")
    make_page(
        "sopor",
        title="Sopor och återvinning",
        body="Soptunnorna står vid grinden. Tömning varannan tisdag.\n\n"
        "- Matavfall i den bruna påsen.\n- Glas och metall till återvinningen.\n",
    )
    make_page("tvatt", title="Tvättstugan", body="Boka tvättiden på listan i hallen.\n")


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("stadning", "husregler"),  # typed without ä
        ("städar", "husregler"),  # another form of städa ("städat")
        ("gäster natt", "husregler"),  # the page says "nätter"
        ("gäster och nätter i rad", "husregler"),  # with stop words
        ("soptunna", "sopor"),  # "Soptunnorna"
        ("GASTER", "husregler"),  # capitals, no diacritics
        ("atervinning", "sopor"),  # å typed as a
        ("tvattstuga", "tvatt"),  # a different form without ä
        ("brandvarnren", "husregler"),  # a typo of "Brandvarnaren"
        ("tvättsugan", "tvatt"),  # a typo; the title outranks a mention in another page
        ("veckostädning", "husregler"),  # the stem of "Veckostädningen"
        ("overenskommelse", "gemensamma-overenskommelser"),
    ],
)
def test_forgiving_queries_find_the_right_page_first(house, query, slug):
    hits = search_pages(query)
    assert hits, query
    assert hits[0].page.slug == slug, (query, [hit.page.slug for hit in hits])


def test_a_forgiving_match_is_highlighted_in_the_snippet(house):
    [first, *_] = search_pages("soptunna")
    assert "<mark>Soptunnorna</mark>" in first.snippet


def test_nothing_found_suggests_the_nearest_words_in_the_handbook(house):
    result = search("glasögonfodral")
    assert result.hits == [] and result.suggestion == ""
    result = search("kylskåpp brandlarm")
    assert result.hits == []
    assert result.suggestion.startswith("kylskåp")
    assert search(result.suggestion.split()[0]).hits


def test_a_short_word_matches_only_by_its_stem_not_inside_other_words(house):
    # "tid" is inside "tvättiden", but a three-letter word inside another is no hit.
    assert "tvatt" not in [hit.page.slug for hit in search_pages("tid")]
    assert "tvatt" in [hit.page.slug for hit in search_pages("tvättid")]


@on_postgresql
def test_the_migrations_made_the_extensions_and_the_folding_configuration():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm')")
        assert sorted(row[0] for row in cursor.fetchall()) == ["pg_trgm", "unaccent"]
        cursor.execute("SELECT to_tsvector('swedish_unaccent', 'Städningen nätter')::text")
        assert cursor.fetchone()[0] == "'natt':2 'stadning':1"


@pytest.fixture
def kitchen(house):
    make_page("koket", title="Köket", body="Diska efter dig i köket.\n\nKöksbänken torkas av.\n")
    make_page("mat", title="Mat", body="Hyllan i kylen är din. Kök och skafferi delas.\n")
    make_page("maskiner", title="Maskiner", body="Tvättmaskinen: stäng luckan. Maskinen piper.\n")


def test_every_form_of_a_word_finds_the_same_pages(kitchen):
    found = {
        query: sorted(hit.page.slug for hit in search_pages(query))
        for query in ("koket", "köket", "kok", "kök", "Köket", "kökets")
    }
    assert {"koket", "mat"} <= set(found["kök"]), found
    assert all(slugs == found["kök"] for slugs in found.values()), found


def test_a_suggestion_is_only_a_word_a_typo_away_from_what_was_typed(kitchen):
    # The handbook has "maskinen" and "tvättmaskinen", but no dishwasher: nothing to suggest.
    result = search("diskmaskin")
    assert result.hits == [] and result.suggestion == ""
    assert search_pages("maskinn")[0].page.slug == "maskiner"  # a typo is forgiven
