"""The server-drawn SVG line chart: coordinates, gaps and ticks."""

from decimal import Decimal

from rent.charts import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, line_chart, nice_step


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
    assert bea["polyline"].count(",") == 2
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
