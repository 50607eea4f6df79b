"""Search that forgives: missing å/ä/ö, other forms of a word, parts of compounds, typos.

PostgreSQL: full-text search with `swedish_unaccent` (diacritics folded, then Swedish stemming;
made by migration 0002) or, per word, trigram word similarity (pg_trgm) against the unaccented
text, ranked by SearchRank (title above body) plus similarity.

SQLite (and the snippets and "Did you mean" on both): the same idea in Python, documented
fallback: words are folded (å→a, ä→a, ö→o, lowercase) and stemmed with the Snowball Swedish
stemmer; a query word matches a page word with the same stem, a page word containing it (a
compound: "stadning" in "veckostädningen"), or one a typo away. The handbook is a few dozen
pages, so reading them all is cheap.

Every query word must match somewhere in the page. A query word is taken by its stem in every
step, so the forms of a word find the same pages ("kök", "kök", "köket", "koket"); "Did you
mean" offers only a word of the handbook that is a typo away from the one typed.
"""

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import F, Func, Q, TextField, Value
from django.db.models.functions import Concat, Lower
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from handbook.models import Page

CONFIG = "swedish_unaccent"
# Markers put around matches; the snippet is escaped first, then they become <mark>.
_START, _STOP = "\x02", "\x03"
SNIPPET_WORDS = 30
TRIGRAM_THRESHOLD = 0.6
# Shorter query words match only by stem (a 3-letter word is inside too many others).
MIN_PARTIAL = 4
TYPO_RATIO = 0.8

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SearchHit:
    page: Page
    snippet: SafeString


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    suggestion: str = ""  # "Did you mean …?" when nothing matched


def query_words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text or "") if word.strip("_")]


def fold(text: str) -> str:
    """Lowercase without diacritics: "Städning" → "stadning"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("swedish")


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(fold(word))


@lru_cache(maxsize=200_000)
def word_matches(query_word: str, page_word: str) -> int:
    """How well a query word matches one page word: 3 same stem, 2 inside it, 1 a typo, 0 no.

    The stem rules look only at the query word's stem, so every form of it ("kök", "köket",
    "koket") finds the same words; a typo is measured on the word as typed."""
    root, p = stem(query_word), fold(page_word)
    if root == stem(p):
        return 3
    if len(root) >= MIN_PARTIAL and root in p:
        return 2
    q = fold(query_word)
    if len(q) > MIN_PARTIAL and abs(len(q) - len(p)) <= 3:
        matcher = difflib.SequenceMatcher(None, q, p)
        if matcher.quick_ratio() >= TYPO_RATIO and matcher.ratio() >= TYPO_RATIO:
            return 1
    return 0


def search_pages(text: str, *, limit: int = 20) -> list[SearchHit]:
    return search(text, limit=limit).hits


def search(text: str, *, limit: int = 20) -> SearchResult:
    words = query_words(text)
    if not words:
        return SearchResult([])
    if connection.vendor == "postgresql":
        pages = _search_postgresql(words, limit)
    else:
        pages = _search_python(words, limit)
    hits = [SearchHit(page, _snippet(page.body, words)) for page in pages]
    return SearchResult(hits, "" if hits else _suggestion(words))


def _unaccent(expression):
    return Func(expression, function="unaccent", output_field=TextField())


def _search_postgresql(words: list[str], limit: int) -> list[Page]:
    vector = SearchVector("title", weight="A", config=CONFIG) + SearchVector(
        "body", weight="B", config=CONFIG
    )
    text = _unaccent(Lower(Concat(F("title"), Value(" "), F("body"), output_field=TextField())))
    title = _unaccent(Lower(F("title")))
    pages = Page.objects.annotate(search=vector)
    words = _without_stop_words(words) or words
    either = " | ".join(fold(word) for word in words)
    any_word = SearchQuery(either, config=CONFIG, search_type="raw")
    score = SearchRank(vector, any_word)
    for index, word in enumerate(words):
        root = stem(word)  # the stem, as in the Python search: each form finds the same pages
        # PostgreSQL's Snowball keeps "koket" whole where Python's (and the reader) find "kok":
        # a prefix query on the shared stem finds every form, whichever form was typed.
        matches = Q(search=SearchQuery(word, config=CONFIG, search_type="plain")) | Q(
            search=SearchQuery(f"{root}:*", config=CONFIG, search_type="raw")
        )
        if len(root) >= MIN_PARTIAL:
            pages = pages.annotate(
                **{
                    f"similarity_{index}": TrigramWordSimilarity(Value(root), text),
                    f"in_title_{index}": TrigramWordSimilarity(Value(root), title),
                }
            )
            matches |= Q(**{f"similarity_{index}__gte": TRIGRAM_THRESHOLD})
            # A near match in the title counts for more than one in the text.
            score = score + F(f"similarity_{index}") * 0.1 + F(f"in_title_{index}") * 0.3
        pages = pages.filter(matches)
    return list(pages.annotate(score=score).order_by("-score", "position", "title")[:limit])


def _without_stop_words(words: list[str]) -> list[str]:
    """The words the Swedish configuration keeps ("och", "i", "på" are dropped): a stop word
    would otherwise make a page with every other word fail to match."""
    with connection.cursor() as cursor:
        kept = []
        for word in words:
            cursor.execute("SELECT numnode(plainto_tsquery(%s::regconfig, %s))", [CONFIG, word])
            if cursor.fetchone()[0] > 0:
                kept.append(word)
    return kept


def _page_words(page: Page) -> tuple[Counter, Counter]:
    """Each distinct word of the title and of the body, with how often it occurs."""
    return Counter(_WORD.findall(page.title)), Counter(_WORD.findall(page.body))


def _search_python(words: list[str], limit: int) -> list[Page]:
    scored: list[tuple[int, Page]] = []
    for page in Page.objects.all():
        title_words, body_words = _page_words(page)
        total = 0
        for word in words:
            in_title = max((word_matches(word, w) for w in title_words), default=0)
            in_body = {w: word_matches(word, w) for w in body_words}
            best = max([in_title, *in_body.values()])
            if not best:
                break
            hits = sum(body_words[w] for w, quality in in_body.items() if quality)
            total += in_title * 10 + best + hits
        else:
            scored.append((total, page))
    scored.sort(key=lambda hit: (-hit[0], hit[1].position, hit[1].title))
    return [page for _, page in scored[:limit]]


def typo_distance(a: str, b: str) -> int:
    """Edits from one word to the other: a letter added, dropped, changed, or two swapped
    (optimal string alignment distance)."""
    previous2, previous = [], list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                best = min(best, previous2[j - 2] + 1)
            current.append(best)
        previous2, previous = previous, current
    return previous[-1]


def nearest_typo(word: str, vocabulary) -> list[str]:
    """The handbook's word a typo away (one edit in a short word, two in a longer one), the
    nearest first; none when every word is further."""
    allowed = 1 if len(word) <= 5 else 2
    scored = sorted(
        (typo_distance(word, known), known)
        for known in vocabulary
        if abs(len(known) - len(word)) <= allowed
    )
    return [known for distance, known in scored[:1] if distance <= allowed]


def _suggestion(words: list[str]) -> str:
    """The query with each unknown word replaced by a word of the handbook a typo away
    ("städnign" → "städning"); a different word that merely shares letters ("diskmaskin" and
    "maskinen") is no suggestion."""
    vocabulary: dict[str, str] = {}
    for title, body in Page.objects.values_list("title", "body"):
        for word in _WORD.findall(f"{title} {body}"):
            if len(word) >= 3:
                vocabulary.setdefault(fold(word), word.lower())
    suggested, changed = [], False
    for word in words:
        folded = fold(word)
        close = nearest_typo(folded, vocabulary)
        if close and stem(close[0]) != stem(folded):
            suggested.append(vocabulary[close[0]])
            changed = True
        else:
            suggested.append(word)
    return " ".join(suggested) if changed else ""


def _plain(markdown: str) -> str:
    """Markdown with its markup characters thinned out, for a readable snippet."""
    text = re.sub(r"[#*_`>|\[\]]+", " ", markdown)
    return re.sub(r"\s+", " ", text).strip()


def _marked_to_html(text: str) -> SafeString:
    html = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> is added


def _snippet(body: str, words: list[str]) -> SafeString:
    """About SNIPPET_WORDS words of the page around its first match, matches marked."""
    tokens = _plain(body).split(" ")

    def hit(part: str) -> bool:
        return any(word_matches(word, part) for word in words)

    matched = [any(hit(part) for part in _WORD.findall(token)) for token in tokens]
    first = matched.index(True) if True in matched else 0
    start = max(first - 8, 0)
    window = [
        _WORD.sub(lambda m: f"{_START}{m.group(0)}{_STOP}" if hit(m.group(0)) else m.group(0), t)
        for t in tokens[start : start + SNIPPET_WORDS]
    ]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET_WORDS < len(tokens) else ""
    return _marked_to_html(prefix + " ".join(window) + suffix)
