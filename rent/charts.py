"""A line chart drawn on the server as SVG: no JavaScript, no chart library, no CDN."""

from __future__ import annotations

from decimal import Decimal

WIDTH, HEIGHT = 800, 320
LEFT, RIGHT, TOP, BOTTOM = 84, 44, 16, 44
# Distinct on white and for the common colour blindnesses (Okabe–Ito), the total in black.
# The least distance between two month labels' centres, in the chart's units: a "2025-10" at the
# phone's larger type (20 units, rent.css) is about 85 wide.
MIN_LABEL_GAP = 110
COLOURS = ["#000000", "#e69f00", "#56b4e9", "#009e73", "#d55e00", "#0072b2", "#cc79a7",
           "#f0e442", "#999999"]  # fmt: skip


def nice_step(span: Decimal) -> int:
    """A round tick step giving about five ticks over `span` kronor."""
    raw = max(float(span) / 5, 1)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def segments(points: list[dict], positions: list[int]) -> list[str]:
    """The polylines of one series: a line breaks where a value is missing or where months
    are missing between two points (a gap in the history is drawn as a gap)."""
    lines, current, previous = [], [], None
    for point in points:
        index = point["index"]
        if previous is not None and (
            index - previous > 1 or positions[index] - positions[previous] > 1
        ):
            lines.append(current)
            current = []
        current.append(point)
        previous = index
    lines.append(current)
    return [" ".join(f"{p['x']},{p['y']}" for p in line) for line in lines if line]


def spaced_labels(xs: list[float]) -> list[int]:
    """Which labels to write: the last always, then back to the first, each at least
    MIN_LABEL_GAP from the one after it, so no two collide at any width."""
    chosen: list[int] = []
    for index in reversed(range(len(xs))):
        if not chosen or xs[chosen[-1]] - xs[index] >= MIN_LABEL_GAP:
            chosen.append(index)
    return sorted(chosen)


def line_chart(
    *, labels: list[str], series: list[dict], positions: list[int] | None = None
) -> dict:
    """Coordinates for the polylines of each series over `labels`. `positions` (e.g. month
    numbers) place each label on a time axis, so missing months take their room; a missing
    value or missing months break the line. Without them the labels are evenly spaced."""
    values = [value for entry in series for value in entry["values"] if value is not None]
    top = max(values, default=Decimal(0))
    step = nice_step(top or Decimal(1))
    ceiling = max(step, ((int(top) + step - 1) // step) * step)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = len(labels)
    positions = list(range(count)) if positions is None else positions
    first, span = (positions[0], positions[-1] - positions[0]) if count else (0, 0)

    def x(index: int) -> float:
        if span == 0:
            return round(LEFT + plot_width / 2, 1)
        return round(LEFT + plot_width * (positions[index] - first) / span, 1)

    def y(value) -> float:
        return round(TOP + plot_height * (1 - float(value) / ceiling), 1)

    drawn = []
    for number, entry in enumerate(series):
        points = [
            {"x": x(index), "y": y(value), "label": labels[index], "value": value, "index": index}
            for index, value in enumerate(entry["values"])
            if value is not None
        ]
        lines = segments(points, positions)
        drawn.append(
            {
                "name": entry["name"],
                "colour": COLOURS[number % len(COLOURS)],
                "points": points,
                "polylines": lines,
                "is_total": number == 0,
            }
        )
    xs = [x(index) for index in range(count)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "series": drawn,
        "y_ticks": [{"y": y(tick), "value": tick} for tick in range(0, ceiling + 1, step)],
        "x_labels": [{"x": xs[index], "label": labels[index]} for index in spaced_labels(xs)],
        "plot_left": LEFT,
        "plot_right": WIDTH - RIGHT,
        "plot_bottom": HEIGHT - BOTTOM,
        "months": count,
    }
