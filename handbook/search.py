"""Search over page titles and bodies.

PostgreSQL: full-text search with the 'swedish' configuration (stemming, so "städningen" finds
"städning"), ranked, with a highlighted headline. SQLite: a plain case-insensitive word match
done in Python, because SQLite's LIKE folds only ASCII letters (it would miss "Å" for "å"); the
handbook is a few dozen pages, so reading them all is cheap.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from handbook.models import Page

CONFIG = "swedish"
# Markers PostgreSQL puts around matches; the snippet is escaped first, then they become <mark>.
_START, _STOP = "\x02", "\x03"
SNIPPET_WORDS = 30


@dataclass(frozen=True)
class SearchHit:
    page: Page
    snippet: SafeString


def query_words(text: str) -> list[str]:
    return [word for word in re.findall(r"\w+", text or "") if word.strip("_")]


def search_pages(text: str, *, limit: int = 20) -> list[SearchHit]:
    if not query_words(text):
        return []
    if connection.vendor == "postgresql":
        return _search_postgresql(text, limit)
    return _search_python(text, limit)


def _plain(markdown: str) -> str:
    """Markdown with its markup characters thinned out, for a readable snippet."""
    text = re.sub(r"[#*_`>|\[\]]+", " ", markdown)
    return re.sub(r"\s+", " ", text).strip()


def _marked_to_html(text: str) -> SafeString:
    html = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> is added


def _search_postgresql(text: str, limit: int) -> list[SearchHit]:
    vector = SearchVector("title", weight="A", config=CONFIG) + SearchVector(
        "body", weight="B", config=CONFIG
    )
    query = SearchQuery(" ".join(query_words(text)), config=CONFIG, search_type="plain")
    pages = (
        Page.objects.annotate(search=vector, rank=SearchRank(vector, query))
        .filter(search=query)
        .annotate(
            headline=SearchHeadline(
                "body",
                query,
                config=CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=SNIPPET_WORDS,
                min_words=10,
            )
        )
        .order_by("-rank", "position", "title")[:limit]
    )
    return [SearchHit(page, _marked_to_html(_plain(page.headline))) for page in pages]


def _search_python(text: str, limit: int) -> list[SearchHit]:
    words = [word.lower() for word in query_words(text)]
    hits: list[tuple[int, Page]] = []
    for page in Page.objects.all():
        title, body = page.title.lower(), page.body.lower()
        if all(word in title or word in body for word in words):
            score = sum(2 if word in title else 0 for word in words) + sum(
                body.count(word) for word in words
            )
            hits.append((score, page))
    hits.sort(key=lambda hit: (-hit[0], hit[1].position, hit[1].title))
    return [SearchHit(page, _python_snippet(page.body, words)) for _, page in hits[:limit]]


def _python_snippet(body: str, words: list[str]) -> SafeString:
    plain = _plain(body)
    folded = plain.lower()
    found = [folded.find(word) for word in words if folded.find(word) >= 0]
    first = min(found) if found else 0
    tokens_before = plain[:first].split(" ")
    start = len(" ".join(tokens_before[: max(len(tokens_before) - 8, 0)]))
    window = " ".join(plain[start:].split(" ")[:SNIPPET_WORDS]).strip()
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    marked = pattern.sub(lambda match: f"{_START}{match.group(0)}{_STOP}", window)
    prefix = "… " if start > 0 else ""
    return _marked_to_html(prefix + marked)
