"""What the benchmarks compute from their timings: one percentile rule for all of them."""

import math


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value that `fraction` of the values are at
    or below (0.95: of 100 timings, the 95th smallest); 0.0 of none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]
