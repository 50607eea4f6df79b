"""Benchmark of the handbook's forgiving search: milliseconds per query at 4, 50 and 200 pages.

Run: `DEBUG=true .venv/bin/python bench/handbook_search.py` from the repo root.

The pages are the starter handbook plus generated pages of about 400 words each. The queries
are the forgiving ones of the tests (missing diacritics, other forms, compounds, a typo, a miss
with a suggestion). SQLite by default (a throwaway file, migrated from scratch); set
BENCH_USE_CONFIGURED_DB=true to use DATABASE_URL instead (inside a transaction rolled back).
"""

import time

import benchdb  # sets Django up: first

from handbook.importing import import_folder
from handbook.search import search
from handbook.services import create_page

QUERIES = ["stadning", "städar", "gäster natt", "soptunna", "brandvarnren", "glasögonfodral"]
FILLER = (
    "Här står det om hur vi gör i huset med tvätten, disken, gästerna, nycklarna, cyklarna, "
    "grillen och kompostens lock, och om vem som ringer hyresvärden när något går sönder. "
)


def ms_per_query(rounds: int = 3) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for query in QUERIES:
            search(query)
    return (time.perf_counter() - start) * 1000 / (rounds * len(QUERIES))


def main() -> int:
    with benchdb.rolled_back():
        import_folder(benchdb.REPO_ROOT / "fixtures" / "handbook")
        made = 4
        for target in (4, 50, 200):
            while made < target:
                made += 1
                create_page(slug=f"sida-{made}", title=f"Sida {made}", body=FILLER * 12)
            print(f"{target:>3} pages: {ms_per_query():6.1f} ms per query")
    return 0


if __name__ == "__main__":
    benchdb.run(main)
