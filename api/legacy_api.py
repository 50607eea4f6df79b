"""The old system's rent breakdown keys, so the dashboard written against it keeps working.

The old API answered with `Kallhyra`, `El`, `Rent per Roommate`, ... as JSON numbers; this maps
our breakdown onto those names. Numbers are whole kronor as ints; amounts with öre (and the
details the old API rounded) become JSON numbers only here, at the edge.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from rent.engine.split import CONFIG_KEYS, MONTHLY_FEE_KEYS, Split

# Our fee keys -> the old API's names for them.
FEE_LABELS = {
    "drift_rakning": "Kvartalsfaktura drift",
    "vattenavgift": "Vattenavgift",
    "va": "VA",
    "larm": "Larm",
}
# Shown only when non-zero, as the old API did.
OPTIONAL_LINES = {"gas": "Gasol", "saldo_innan": "Saldo innan", "extra_in": "Extra in"}


def legacy_breakdown(breakdown: Mapping | Split) -> dict:
    """The old API's breakdown from `Split.to_dict()` or `MonthBreakdown.to_dict()` (or a Split).

    Config values may be plain ("24530") or carry their source ({"value": "24530", ...}).
    """
    if isinstance(breakdown, Split):
        breakdown = breakdown.to_dict()
    config = {key: _config_value(breakdown["config"], key) for key in CONFIG_KEYS}
    rents = {name: int(amount) for name, amount in breakdown["rents"].items()}
    total = Decimal(str(breakdown["total"]))
    drift_total = (
        total - config["kallhyra"] + config["saldo_innan"] + config["extra_in"]
    )  # el + bredband + fees + gas: everything beyond the base rent

    result: dict = {
        "Kallhyra": _number(config["kallhyra"]),
        "El": _number(config["el"]),
        "Bredband": _number(config["bredband"]),
        "Drift total": _number(drift_total),
        "Total": _number(total),
        "Rent per Roommate": dict(rents),
    }
    fee_keys = ("drift_rakning",) if config["drift_rakning"] > 0 else MONTHLY_FEE_KEYS
    for key in fee_keys:
        result[FEE_LABELS[key]] = _number(config[key])
    for key, label in OPTIONAL_LINES.items():
        if config[key] != 0:
            result[label] = _number(config[key])

    roommates = breakdown.get("roommates", [])
    result.update(
        {
            "config": {
                "year": breakdown.get("year"),
                "month": breakdown.get("month"),
                **{key: _number(value) for key, value in config.items()},
            },
            "rents": dict(rents),
            "total_rent": _number(total),
            "total_paid": int(breakdown["total_paid"]),
            "calculation_details": {
                "total_weight": _number(_decimal(breakdown["total_weight"]), places=4),
                "rent_per_weight_point": _number(
                    _decimal(breakdown["rent_per_weight_point"]), places=2
                ),
                "prorated_adjustments": {
                    row["name"]: _number(_decimal(row["prorated_adjustment"]), places=2)
                    for row in roommates
                    if _decimal(row["room_adjustment"]) != 0
                },
                "total_adjustment": _number(_decimal(breakdown["total_adjustment"]), places=2),
                "distributable_rent": _number(_decimal(breakdown["distributable"]), places=2),
            },
        }
    )
    return result


def _config_value(config: Mapping, key: str) -> Decimal:
    value = config.get(key, 0)
    if isinstance(value, Mapping):
        value = value.get("value", 0)
    return _decimal(0 if value is None else value)


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _number(value: Decimal, *, places: int = 2) -> int | float:
    """A JSON number as the old API sent it: whole values as int, others rounded (half up)."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return int(rounded)
    return float(rounded)
