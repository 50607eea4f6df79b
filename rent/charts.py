"""A line chart drawn on the server as SVG: no JavaScript, no chart library, no CDN."""

from __future__ import annotations

from decimal import Decimal

WIDTH, HEIGHT = 800, 320
LEFT, RIGHT, TOP, BOTTOM = 84, 44, 16, 44
# Distinct on white and for the common colour blindnesses (Okabe–Ito), the total in black.
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


def line_chart(*, labels: list[str], series: list[dict]) -> dict:
    """Coordinates for one polyline per series (gaps where a value is None) over `labels`."""
    values = [value for entry in series for value in entry["values"] if value is not None]
    top = max(values, default=Decimal(0))
    step = nice_step(top or Decimal(1))
    ceiling = max(step, ((int(top) + step - 1) // step) * step)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = len(labels)

    def x(index: int) -> float:
        return round(LEFT + (plot_width * index / (count - 1) if count > 1 else plot_width / 2), 1)

    def y(value) -> float:
        return round(TOP + plot_height * (1 - float(value) / ceiling), 1)

    drawn = []
    for number, entry in enumerate(series):
        points = [
            {"x": x(index), "y": y(value), "label": labels[index], "value": value}
            for index, value in enumerate(entry["values"])
            if value is not None
        ]
        drawn.append(
            {
                "name": entry["name"],
                "colour": COLOURS[number % len(COLOURS)],
                "points": points,
                "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
                "is_total": number == 0,
            }
        )
    label_every = max(1, (count + 7) // 8)  # at most about eight labels: legible on a phone
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "series": drawn,
        "y_ticks": [{"y": y(tick), "value": tick} for tick in range(0, ceiling + 1, step)],
        "x_labels": [
            {"x": x(index), "label": label}
            for index, label in enumerate(labels)
            if index % label_every == 0 or index == count - 1
        ],
        "plot_left": LEFT,
        "plot_right": WIDTH - RIGHT,
        "plot_bottom": HEIGHT - BOTTOM,
        "months": count,
    }
