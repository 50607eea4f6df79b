"""One JSON value checked and turned into a Python value, or an `Invalid` naming its path.

Numbers become exact Decimals (never floats); dates and timestamps are read with
`date.fromisoformat` / `datetime.fromisoformat` once their shape is known to be one the
household's files use: `2025-08-01`, `2025-08-01 00:00:00 +0200`, `2025-08-01T00:00:00+02:00`,
`...Z`.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from rent.engine.months import parse_month
from rent.importing.readers.records import Invalid

STAMP = re.compile(
    r"^(?P<day>\d{4}-\d{2}-\d{2})"
    r"(?:[ T](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?))?"
    r"\s*(?P<offset>Z|[+-]\d{2}:?\d{2})?$"
)
ORE = Decimal("0.01")
TOO_LARGE = Decimal("1e10")


def join(path: str, key: str) -> str:
    return f"{path}.{key}"


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def to_decimal(value, path: str, *, allow_string: bool = False) -> Decimal:
    """A JSON number (or, in an export, a numeric string) as an exact Decimal."""
    if _is_number(value):
        number = Decimal(str(value))
    elif allow_string and isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise Invalid(path, f"must be a number, got {value!r}") from None
    else:
        raise Invalid(path, f"must be a number, got {json.dumps(value)}")
    if not number.is_finite():
        raise Invalid(path, f"must be a number, got {value!r}")
    return number


def money(value, path: str, *, allow_string=False, minimum: Decimal | None = None) -> Decimal:
    """An amount in kronor with at most two decimals (öre), below ten billion."""
    number = to_decimal(value, path, allow_string=allow_string)
    if minimum is not None and number < minimum:
        raise Invalid(path, f"must be {minimum} or more, got {value}")
    try:
        whole_ore = number == number.quantize(ORE)
    except InvalidOperation:  # more digits than the context holds: far too large
        raise Invalid(path, f"is too large: {value}") from None
    if not whole_ore:
        raise Invalid(path, f"must have at most 2 decimals (öre), got {value}")
    if abs(number) >= TOO_LARGE:
        raise Invalid(path, f"is too large: {value}")
    return number


def _stamp(text, path: str) -> re.Match:
    if not isinstance(text, str) or not (match := STAMP.match(text.strip())):
        raise Invalid(path, f"must be a date or timestamp such as 2025-08-01, got {text!r}")
    return match


def _day(match: re.Match, text: str, path: str) -> date:
    try:
        return date.fromisoformat(match["day"])
    except ValueError as exc:
        raise Invalid(path, f"is not a valid date: {text!r} ({exc})") from None


def calendar_date(text, path: str) -> date:
    """The calendar date written in the string, taken literally (never converted to UTC)."""
    return _day(_stamp(text, path), text, path)


def month_start(text, path: str) -> date:
    """A period: the 1st of a month at midnight. Anything else is an error, never fixed."""
    match = _stamp(text, path)
    day = _day(match, text, path)
    at_midnight = not (match["time"] and match["time"].strip("0:."))
    if day.day != 1 or not at_midnight:
        raise Invalid(path, f"must be the 1st of a month at midnight, got {text!r}")
    return day


def instant(text, path: str) -> datetime:
    """A real moment in time: it must carry its offset."""
    match = _stamp(text, path)
    if match["time"] is None or match["offset"] is None:
        raise Invalid(path, f"must be a timestamp with an offset, got {text!r}")
    time = match["time"] if match["time"].count(":") == 2 else f"{match['time']}:00"
    offset = "+00:00" if match["offset"] == "Z" else match["offset"]
    try:
        return datetime.fromisoformat(f"{match['day']}T{time}{offset}")
    except ValueError as exc:
        raise Invalid(path, f"is not a valid timestamp: {text!r} ({exc})") from None


def text(value, path: str, *, required=False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise Invalid(path, "must be a non-empty text" if required else "must be a text")
    return value.strip() if required else value


def json_object(value, path: str) -> dict:
    if not isinstance(value, dict):
        raise Invalid(path, f"must be an object, got {type(value).__name__}")
    return value


def json_list(value, path: str) -> list:
    if not isinstance(value, list):
        raise Invalid(path, f"must be a list, got {type(value).__name__}")
    return value


def month_text(value, path: str) -> date:
    """A config month: `2025-09`, or a period such as `2025-09-01`."""
    try:
        return parse_month(value) if isinstance(value, str) else month_start(value, path)
    except ValueError:
        return month_start(value, path)


def whole_number(value) -> bool:
    """A JSON integer ≥ 1 (a version): not a bool, not a float."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


class Many(Exception):
    """Several `Invalid` values of one file, raised together once the file is read."""

    def __init__(self, errors: list[Invalid]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


class Collector:
    """Runs checks and keeps going after a bad value, so one run lists every problem."""

    def __init__(self):
        self.errors: list[Invalid] = []

    def check(self, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Invalid as bad:
            self.errors.append(bad)
            return None

    def optional(self, parse, value, path, **kwargs):
        """`parse` the value unless it is missing (None)."""
        return None if value is None else self.check(parse, value, path, **kwargs)

    def error(self, path: str, message: str) -> None:
        self.errors.append(Invalid(path, message))

    def done(self):
        if self.errors:
            raise Many(self.errors)
