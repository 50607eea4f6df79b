"""The server-drawn SVG line chart: coordinates, gaps and ticks."""

from decimal import Decimal

from rent.charts import (
    BOTTOM,
    HEIGHT,
    LEFT,
    MIN_LABEL_GAP,
    RIGHT,
    TOP,
    WIDTH,
    line_chart,
    nice_step,
)


def test_nice_steps_give_about_five_round_ticks():
    assert nice_step(Decimal(28000)) == 10000
    assert nice_step(Decimal(7000)) == 2000
    assert nice_step(Decimal(1)) == 1


def test_points_span_the_plot_and_missing_values_leave_gaps():
    chart = line_chart(
        labels=["2025-01", "2025-02", "2025-03"],
        series=[
            {"name": "Totalt", "values": [Decimal(100), Decimal(200), Decimal(150)]},
            {"name": "Bea", "values": [None, Decimal(100), Decimal(50)]},
        ],
    )
    total, bea = chart["series"]
    assert [p["x"] for p in total["points"]] == [LEFT, (LEFT + WIDTH - RIGHT) / 2, WIDTH - RIGHT]
    assert total["points"][1]["y"] == TOP  # the highest value (200) is the top of the scale
    assert [p["label"] for p in bea["points"]] == ["2025-02", "2025-03"]
    assert bea["polylines"] == [f"{bea['points'][0]['x']},{bea['points'][0]['y']} "
                                f"{bea['points'][1]['x']},{bea['points'][1]['y']}"]  # fmt: skip
    assert chart["y_ticks"][0] == {"y": HEIGHT - BOTTOM, "value": 0}
    assert total["is_total"] and not bea["is_total"]
    assert total["colour"] != bea["colour"]


def test_long_histories_label_at_most_about_eight_months():
    labels = [f"m{i}" for i in range(240)]
    chart = line_chart(labels=labels, series=[{"name": "A", "values": [Decimal(1)] * 240}])
    assert len(chart["x_labels"]) <= 9 and chart["x_labels"][-1]["label"] == "m239"
    assert chart["months"] == 240


def test_an_empty_history_draws_nothing():
    chart = line_chart(labels=[], series=[{"name": "Totalt", "values": []}])
    assert chart["series"][0]["points"] == [] and chart["months"] == 0


def test_missing_months_take_their_room_and_break_the_line():
    """2025-10, 2025-11, then nothing until 2027-01: the gap is 13 months wide and not drawn."""
    months = [(2025, 10), (2025, 11), (2027, 1), (2027, 2)]
    chart = line_chart(
        labels=[f"{y}-{m:02}" for y, m in months],
        series=[{"name": "Totalt", "values": [Decimal(100)] * 4}],
        positions=[y * 12 + m for y, m in months],
    )
    (total,) = chart["series"]
    xs = [p["x"] for p in total["points"]]
    assert xs[0] == LEFT and xs[-1] == WIDTH - RIGHT
    month_width = (WIDTH - RIGHT - LEFT) / 16  # 2025-10 .. 2027-02 is 16 months
    assert round(xs[2] - xs[1], 1) == round(14 * month_width, 1)
    assert len(total["polylines"]) == 2 and total["polylines"][0].count(",") == 2


def test_a_missing_value_breaks_the_line():
    chart = line_chart(
        labels=["a", "b", "c"],
        series=[{"name": "Bea", "values": [Decimal(1), None, Decimal(2)]}],
    )
    assert len(chart["series"][0]["polylines"]) == 2


def test_month_labels_never_come_closer_than_the_gap_and_the_last_is_written():
    for count in (2, 6, 13, 18, 40):
        chart = line_chart(
            labels=[f"m{i}" for i in range(count)],
            series=[{"name": "A", "values": [Decimal(1)] * count}],
        )
        xs = [label["x"] for label in chart["x_labels"]]
        assert all(b - a >= MIN_LABEL_GAP for a, b in zip(xs, xs[1:], strict=False)), count
        assert chart["x_labels"][-1]["label"] == f"m{count - 1}"
