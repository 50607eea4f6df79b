"""The household's rent split, to the krona: a pure function of the roommates and the month's costs.

No Django and no database here, so the rules can be tested exhaustively and reused by the
commands, the importer and the pages alike.

Arithmetic is exact: inputs become `Fraction`s (from their decimal text, never from binary
floats), every rule runs on exact rationals, and the results come back as `Decimal` and whole
kronor. Exactness matters where the rules look at ties: a share of exactly x.5 must round away
from zero, and two roommates with the same fractional part must tie (then roommate order
decides). Fixed-precision `Decimal` division (30/31 + 1/31, ...) can land a hair off either
side of such a tie; rationals cannot.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Context, Decimal, localcontext
from fractions import Fraction
from numbers import Number

from rent.engine.months import add_months, days_in_month
from rent.errors import RentError


@dataclass(frozen=True)
class CostKey:
    """One cost key of a config month and its rules: the one list the whole project reads."""

    name: str
    # Standing costs: the latest value at or before the config month counts (absent: default).
    # Monthly bills: only the config month's own value counts (absent: 0).
    persistent: bool
    default: Decimal = Decimal(0)
    # Only the previous balance and extra income may be negative; a negative bill would
    # lower everyone's rent.
    may_be_negative: bool = False


COST_KEYS: tuple[CostKey, ...] = (
    CostKey("kallhyra", persistent=True, default=Decimal("24530")),
    CostKey("el", persistent=False),
    CostKey("bredband", persistent=True, default=Decimal("400")),
    CostKey("vattenavgift", persistent=True, default=Decimal("375")),
    CostKey("va", persistent=True, default=Decimal("300")),
    CostKey("larm", persistent=True, default=Decimal("150")),
    CostKey("drift_rakning", persistent=False),
    CostKey("saldo_innan", persistent=False, may_be_negative=True),
    CostKey("extra_in", persistent=False, may_be_negative=True),
    CostKey("gas", persistent=False),
)
CONFIG_KEYS = tuple(key.name for key in COST_KEYS)
PER_MONTH_KEYS = tuple(key.name for key in COST_KEYS if not key.persistent)
PERSISTENT_KEYS = tuple(key.name for key in COST_KEYS if key.persistent)
DEFAULTS: dict[str, Decimal] = {key.name: key.default for key in COST_KEYS if key.persistent}
COST_KEY_BY_NAME: dict[str, CostKey] = {key.name: key for key in COST_KEYS}
# The monthly fees that save up for the quarterly operating invoice (drift_rakning).
MONTHLY_FEE_KEYS = ("vattenavgift", "va", "larm")
# The house rule: a spread below this many kronor is evened out upwards.
EQUALISATION_LIMIT = 10
# Without a month, the old system assumed 30 days; so do the rules.
DEFAULT_DAYS_IN_MONTH = 30
# Our own Decimal context, so a caller's decimal settings cannot change a result.
_CONTEXT = Context(prec=28)
_SUM_CONTEXT = Context(prec=60)  # sums of a few kronor amounts stay exact


class RentInputError(RentError, ValueError):
    """Input the rules cannot split; its code says why (rent.errors)."""


@dataclass(frozen=True)
class RoommateShare:
    """One roommate's line of the split, with every intermediate the pages explain."""

    name: str
    days: Decimal  # days lived in the rent month (the month's length when not given)
    full_month: bool  # no days given, or days equal to the month's length
    room_adjustment: Decimal  # kronor per full month; negative is a discount
    weight: Decimal  # days / days in month
    prorated_adjustment: Decimal  # room_adjustment * days / days in month
    exact_share: Decimal  # weight * rent per weight point + prorated adjustment
    amount: int  # whole kronor charged

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "days": _plain(self.days),
            "full_month": self.full_month,
            "room_adjustment": _plain(self.room_adjustment),
            "weight": _plain(self.weight),
            "prorated_adjustment": _plain(self.prorated_adjustment),
            "exact_share": _plain(self.exact_share),
            "amount": self.amount,
        }


@dataclass(frozen=True)
class Split:
    """The result of one split: what each roommate pays and how it was reached."""

    rents: dict[str, int]  # name -> whole kronor, in roommate order
    total: Decimal  # the month's costs, net of balance and extra income
    total_paid: int  # the sum of the rents (may exceed total by the equalisation)
    days_in_month: int
    config: dict[str, Decimal]  # every cost key as used (defaults and zeros filled in)
    fee_lines: dict[str, Decimal]  # the operating-cost lines actually charged
    roommates: list[RoommateShare]
    total_weight: Decimal
    rent_per_weight_point: Decimal
    total_adjustment: Decimal
    distributable: Decimal  # total - total_adjustment, spread by weight
    year: int | None = None  # the config month, when given
    month: int | None = None
    equalised: bool = False  # the house rule lifted everyone to the highest share
    remainder: int = 0  # kronor added (+) or taken (-) by the remainder walk

    def to_dict(self) -> dict:
        """JSON-able: Decimals as plain strings ("7044.75"), whole kronor as ints."""
        return {
            "year": self.year,
            "month": self.month,
            "days_in_month": self.days_in_month,
            "config": {key: _plain(value) for key, value in self.config.items()},
            "fee_lines": {key: _plain(value) for key, value in self.fee_lines.items()},
            "total": _plain(self.total),
            "total_paid": self.total_paid,
            "rents": dict(self.rents),
            "roommates": [share.to_dict() for share in self.roommates],
            "total_weight": _plain(self.total_weight),
            "rent_per_weight_point": _plain(self.rent_per_weight_point),
            "total_adjustment": _plain(self.total_adjustment),
            "distributable": _plain(self.distributable),
            "equalised": self.equalised,
            "remainder": self.remainder,
        }


def split_rent(
    roommates: Mapping[str, Mapping],
    config: Mapping,
    *,
    year: int | None = None,
    month: int | None = None,
) -> Split:
    """Split the config month's costs among the roommates of the rent month (config month + 1).

    `roommates`: ordered name -> {"days": optional number, "room_adjustment": optional number};
    the order breaks ties. `config`: cost keys -> numbers; other keys are ignored. `year`/`month`
    name the config month; without them the rent month has 30 days.
    """
    month_length = _rent_month_length(year, month)
    if not roommates:
        raise RentInputError("no_roommates")
    people = [_roommate(name, info, month_length) for name, info in roommates.items()]
    costs = resolve_config(config)
    fee_lines = charged_fee_lines(costs)
    total = month_total(costs)

    exact_total = _exact(total)
    weights = [days / month_length for _, days, _ in people]
    adjustments = [
        adjustment * days / month_length if adjustment is not None else Fraction(0)
        for _, days, adjustment in people
    ]
    total_weight = sum(weights, Fraction(0))
    total_adjustment = sum(adjustments, Fraction(0))
    distributable = exact_total - total_adjustment
    per_weight_point = distributable / total_weight
    exact_shares = [w * per_weight_point + a for w, a in zip(weights, adjustments, strict=True)]

    amounts = [round_half_away(share) for share in exact_shares]
    remainder = round_half_away(exact_total - sum(amounts))
    if remainder:
        # Largest fractional part first; sorted() is stable, so ties keep roommate order.
        order = sorted(range(len(people)), key=lambda i: -_fractional_part(exact_shares[i]))
        step = 1 if remainder > 0 else -1
        for turn in range(abs(remainder)):
            amounts[order[turn % len(order)]] += step

    highest, lowest = max(amounts), min(amounts)
    equalised = len(amounts) >= 2 and 0 < highest - lowest < EQUALISATION_LIMIT
    if equalised:
        amounts = [highest] * len(amounts)

    shares = [
        RoommateShare(
            name=name,
            days=_decimal(days),
            full_month=days == month_length,
            room_adjustment=_decimal(adjustment or 0),
            weight=_decimal(weight),
            prorated_adjustment=_decimal(prorated),
            exact_share=_decimal(exact),
            amount=amount,
        )
        for (name, days, adjustment), weight, prorated, exact, amount in zip(
            people, weights, adjustments, exact_shares, amounts, strict=True
        )
    ]
    return Split(
        rents={share.name: share.amount for share in shares},
        total=total,
        total_paid=sum(amounts),
        days_in_month=month_length,
        config=costs,
        fee_lines=fee_lines,
        roommates=shares,
        total_weight=_decimal(total_weight),
        rent_per_weight_point=_decimal(per_weight_point),
        total_adjustment=_decimal(total_adjustment),
        distributable=_decimal(distributable),
        year=year if month is not None else None,
        month=month if year is not None else None,
        equalised=equalised,
        remainder=remainder,
    )


def split_from_history(data: Mapping) -> Split:
    """Recompute a history file (`constants` + `roommates`) under today's rules.

    The config month comes from `constants.year`/`constants.month` when present; keys the rules
    do not know (the old `drift`, `metadata`, `final_results`) are ignored.
    """
    if not isinstance(data, Mapping):
        raise RentInputError("history_not_an_object")
    constants = data.get("constants")
    roommates = data.get("roommates")
    constants = {} if constants is None else constants
    roommates = {} if roommates is None else roommates
    if not isinstance(constants, Mapping):
        raise RentInputError("constants_not_an_object")
    if not isinstance(roommates, Mapping):
        raise RentInputError("roommates_not_an_object")
    year, month = constants.get("year"), constants.get("month")
    return split_rent(
        roommates,
        constants,
        year=_whole_number("year", year) if year is not None else None,
        month=_whole_number("month", month) if month is not None else None,
    )


def resolve_config(config: Mapping) -> dict[str, Decimal]:
    """Every cost key as a Decimal: missing monthly bills are 0, missing standing costs default.

    A key given as `null` counts as missing (history files write `"drift_rakning": null`).
    """
    if not isinstance(config, Mapping):
        raise RentInputError("config_not_a_mapping")
    resolved = {}
    for key in CONFIG_KEYS:
        raw = config.get(key)
        if raw is None:
            resolved[key] = DEFAULTS.get(key, Decimal(0))
            continue
        value = _number_or_none(raw)
        if not COST_KEY_BY_NAME[key].may_be_negative and (value is None or value < 0):
            raise RentInputError("cost_negative", key=key)
        if value is None:
            raise RentInputError("cost_not_a_number", key=key)
        resolved[key] = value
    return resolved


def charged_fee_lines(costs: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """The quarterly invoice replaces the three monthly fees in the month it arrives."""
    if costs["drift_rakning"] > 0:
        return {"drift_rakning": costs["drift_rakning"]}
    return {key: costs[key] for key in MONTHLY_FEE_KEYS}


def month_total(costs: Mapping[str, Decimal]) -> Decimal:
    """total = kallhyra + el + bredband + fees + gas - saldo_innan - extra_in."""
    with localcontext(_SUM_CONTEXT):
        fees = sum(charged_fee_lines(costs).values(), Decimal(0))
        return (
            costs["kallhyra"]
            + costs["el"]
            + costs["bredband"]
            + fees
            + costs["gas"]
            - costs["saldo_innan"]
            - costs["extra_in"]
        )


def round_half_away(value: Fraction | Decimal | int) -> int:
    """Round to whole kronor, halves away from zero (Python's round() goes to even: wrong here)."""
    exact = Fraction(value)
    magnitude = math.floor(abs(exact) + Fraction(1, 2))
    return magnitude if exact >= 0 else -magnitude


def _rent_month_length(year, month) -> int:
    """Days in the rent month that follows config month year-month (30 when no month is given)."""
    if year is None or month is None:
        return DEFAULT_DAYS_IN_MONTH
    try:
        config_month = date(int(year), int(month), 1)
    except (TypeError, ValueError) as exc:
        raise RentInputError("invalid_config_month", year=year, month=month) from exc
    return days_in_month(add_months(config_month, 1))


def _roommate(name, info, month_length: int):
    """(name, exact days, exact adjustment or None) after validating the input."""
    if info is None:
        info = {}
    if not isinstance(info, Mapping):
        raise RentInputError("invalid_roommate", name=name)
    raw_days = info.get("days")
    if raw_days is None:
        days = Fraction(month_length)
    else:
        value = _number_or_none(raw_days)
        if value is None or not 0 < value <= month_length:
            raise RentInputError("days_out_of_range", name=name, days=month_length)
        days = _exact(value)
    raw_adjustment = info.get("room_adjustment")
    adjustment = None
    if raw_adjustment is not None:
        value = _number_or_none(raw_adjustment)
        if value is None:
            raise RentInputError("adjustment_not_a_number", name=name)
        adjustment = _exact(value)
    return name, days, adjustment


def _number_or_none(value) -> Decimal | None:
    """A finite number as an exact Decimal (floats via their shortest text: 5935.98 stays 5935.98).

    Strings and booleans are not numbers here: the old system rejected them too.
    """
    if isinstance(value, bool) or not isinstance(value, Number):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, Fraction):
        number = _decimal(value)
    else:
        return None
    return number if number.is_finite() else None


def _whole_number(key: str, value) -> int:
    number = _number_or_none(value)
    if number is None or number != number.to_integral_value():
        raise RentInputError("not_a_whole_number", key=key)
    return int(number)


def _exact(value: Decimal | int) -> Fraction:
    return Fraction(value)


def _decimal(value: Fraction | int) -> Decimal:
    """An exact rational as a Decimal (28 significant digits; exact when it terminates)."""
    value = Fraction(value)
    return _CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))


def _fractional_part(value: Fraction) -> Fraction:
    return value - math.floor(value)


def _plain(value: Decimal) -> str:
    """A Decimal as plain text without exponent or trailing zeros: 24530, 7044.75, 15.5."""
    text = format(value.normalize(_SUM_CONTEXT), "f")
    return "0" if text in ("-0", "") else text
