"""Benchmark of re-encoding handbook images at the limits: seconds per upload.

Run: `DEBUG=true .venv/bin/python bench/attachments.py` from the repo root.

Every image upload is decoded and encoded again (handbook/attachments.py), work that grows
with the pixel count, so MAX_PIXELS bounds it; images above OPTIMIZE_BELOW_PIXELS are encoded
without Pillow's `optimize` pass and PNGs at a fast compression level. The target: the worst
image the limits let in well within a second on the production machine (2 cores). Printed: the
best of three for each case, and the 6300×6300 PNG of issue 21 (refused now, by its pixels).
"""

import io
import os
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimonokittens.settings")

import django  # noqa: E402

django.setup()

from PIL import Image  # noqa: E402

from handbook.attachments import MAX_PIXELS, AttachmentError, _reencoded_image  # noqa: E402


def encoded(size: tuple[int, int], image_format: str, *, noise: bool = False) -> bytes:
    image = (
        Image.effect_noise(size, 60).convert("RGB")
        if noise
        else Image.new("RGB", size, (200, 30, 30))
    )
    out = io.BytesIO()
    image.save(out, format=image_format)
    return out.getvalue()


def best_seconds(data: bytes, image_format: str) -> tuple[float, str]:
    best, outcome = float("inf"), ""
    for _ in range(3):
        start = time.perf_counter()
        try:
            content, _extension, _type = _reencoded_image(data, image_format, "bild")
            outcome = f"{len(content) / 1e6:.2f} MB out"
        except AttachmentError as error:
            outcome = f"refused: {error}"
        best = min(best, time.perf_counter() - start)
    return best, outcome


def main() -> None:
    side = int(MAX_PIXELS**0.5)
    cases = [
        (f"PNG {side}×{side}, one colour (at MAX_PIXELS)", (side, side), "PNG", False),
        (f"JPEG {side}×{side}, one colour (at MAX_PIXELS)", (side, side), "JPEG", False),
        ("JPEG 4032×3024, noise (a 12 MP phone photo, worse)", (4032, 3024), "JPEG", True),
        ("PNG 1800×1800, noise (about the 10 MB byte limit)", (1800, 1800), "PNG", True),
        ("PNG 6300×6300, one colour (issue 21: 3.4 s before)", (6300, 6300), "PNG", False),
    ]
    print(f"MAX_PIXELS = {MAX_PIXELS:,}")
    for label, size, image_format, noise in cases:
        data = encoded(size, image_format, noise=noise)
        seconds, outcome = best_seconds(data, image_format)
        print(f"{label:55} {len(data) / 1e6:6.2f} MB in  {seconds:5.2f} s  {outcome}")


if __name__ == "__main__":
    main()
