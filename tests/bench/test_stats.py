"""One percentile rule for every benchmark (bench/stats.py): the nearest rank."""

import pytest

from bench.stats import percentile


def test_the_95th_percentile_of_100_timings_is_the_95th_smallest():
    timings = [float(n) for n in range(100, 0, -1)]
    assert percentile(timings, 0.95) == 95.0
    assert percentile(timings, 0.99) == 99.0
    assert percentile(timings, 0.5) == 50.0


@pytest.mark.parametrize(
    ("count", "rank"),
    [(1, 1), (19, 19), (20, 19), (21, 20), (101, 96)],
)
def test_a_count_that_95_percent_does_not_divide_rounds_the_rank_up(count, rank):
    """At least 95 % of the timings are at or below it: 21 timings give the 20th."""
    assert percentile([float(n) for n in range(1, count + 1)], 0.95) == float(rank)


def test_no_timings_have_no_percentile():
    assert percentile([], 0.95) == 0.0
