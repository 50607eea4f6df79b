"""Benchmark of the handbook renderer's work limits: seconds and Python calls per hostile text.

Run: `DEBUG=true .venv/bin/python bench/markdown_limits.py` from the repo root.

For each of the worst texts found inside the limits (tests/security/test_work_limits.py, which
bounds the same texts by their count of Python calls, not by time), and for an ordinary page at
the length limit, it prints the best of three render times and the calls one render makes. The
target: every worst text well under a second on 2 cores (about 0.25 s), a few ordinary pages.
"""

import os
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimonokittens.settings")

import django  # noqa: E402

django.setup()

from handbook.markdown import render_markdown  # noqa: E402
from tests.security.test_work_limits import WORST_AT_THE_LIMITS, python_calls  # noqa: E402


def best_seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        render_markdown(text)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    line = "Det här är en vanlig mening med [en länk](/x/) och *lite* betoning.\n\n"
    texts = {"ordinary page": lambda: line * (100_000 // len(line)), **WORST_AT_THE_LIMITS}
    print(f"{'text':<28} {'seconds':>8} {'calls':>11}")
    for name, make in texts.items():
        text = make()
        print(f"{name:<28} {best_seconds(text):>8.3f} {python_calls(render_markdown, text):>11,}")


if __name__ == "__main__":
    main()
