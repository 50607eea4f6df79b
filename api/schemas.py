"""The API's request and response shapes: the old server's field names, so the dashboard keeps
working with only a new base URL."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    create_model,
)

from rent.engine.months import FIRST_YEAR, LAST_YEAR
from rent.engine.split import CONFIG_KEYS, COST_KEY_BY_NAME

Number = int | float
MONEY_PLACES = Decimal("0.01")


def money(value: Decimal | None) -> int | float | None:
    """An amount as the API writes it: whole kronor as an int, other amounts as a number with
    two decimals (the old server's numbers)."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value.quantize(MONEY_PLACES))


# The ranges the API enforces, stated here so that a request valid by the schema is never
# refused for a range (the checks in api.api and the engine say the same).
# The years: the months the house system deals in (rent.engine.months), one range everywhere.
YEARS = {"ge": FIRST_YEAR, "le": LAST_YEAR}
MONTHS = {"ge": 1, "le": 12}
YEARS_TEXT = f"{FIRST_YEAR}-{LAST_YEAR}; default: this year"
Year = Annotated[int | None, Field(None, **YEARS, description=YEARS_TEXT)]
Month = Annotated[int | None, Field(None, **MONTHS, description="1-12; default: this month")]


def _json_number(value):
    """In a JSON body a number is a number: never `true` or `"2025"` (2025.0 is 2025)."""
    if isinstance(value, bool | str):
        raise ValueError("must be a number")
    return value


BodyYear = Annotated[
    Annotated[int, Field(**YEARS), BeforeValidator(_json_number)] | None,
    Field(None, description=YEARS_TEXT),
]
BodyMonth = Annotated[
    Annotated[int, Field(**MONTHS), BeforeValidator(_json_number)] | None,
    Field(None, description="1-12; default: this month"),
]
BodyNumber = Annotated[float, Field(strict=True)]
# A bill through the API: below 10 000 000 000 kr, 2 decimals (the column, 14 digits, holds more).
MAX_AMOUNT = 9_999_999_999.99
# An amount typed as text, the Swedish way: `3312`, `3 312,50`, `3312.50`, `3 312 kr`.
AMOUNT_TEXT = r"^\d{1,3}(?: ?\d{3}){0,2}(?:[.,]\d{1,2})?(?: ?kr)?$"
SIGNED_AMOUNT_TEXT = r"^-?\d{1,3}(?: ?\d{3}){0,2}(?:[.,]\d{1,2})?(?: ?kr)?$"


def _whole_ore(value: float) -> float:
    """At most two decimals, read as the decimal the JSON wrote (a float's `%` is not exact
    for large amounts)."""
    if Decimal(repr(value)) != Decimal(repr(value)).quantize(Decimal("0.01")):
        raise ValueError("must be kronor with at most 2 decimals (a multiple of 0.01)")
    return value


def _amount(key: str, *, text: bool):
    """A cost key's value: a number within the column's range (never below 0 but for the
    balance and extra income), kronor with at most 2 decimals; or null (no value)."""
    signed = COST_KEY_BY_NAME[key].may_be_negative
    number = Annotated[
        float,
        Field(
            strict=True,
            ge=-MAX_AMOUNT if signed else 0,
            le=MAX_AMOUNT,
            json_schema_extra={"multipleOf": 0.01},
        ),
        AfterValidator(_whole_ore),
    ]
    pattern = SIGNED_AMOUNT_TEXT if signed else AMOUNT_TEXT
    kinds = number | Annotated[str, Field(strict=True, pattern=pattern)] if text else number
    return (kinds | None, None)


class _Strict(Schema):
    """A JSON object with only the named keys."""

    model_config = ConfigDict(extra="forbid")


def _cost_schema(name: str, *, text: bool, extra: dict | None = None):
    """Every cost key, each optional; any other key is refused."""
    return create_model(
        name,
        __base__=_Strict,
        **{key: _amount(key, text=text) for key in CONFIG_KEYS},
        **(extra or {}),
    )


class Error(Schema):
    error: str


class DataSource(Schema):
    type: str = Field(description="actual, historical or projection")
    electricity_source: str = Field(description="current_bills, last_year_bills or estimate")
    description_sv: str
    status: str = Field(
        "never_saved",
        description="saved, changed (saved; the bills or tenants changed since: the saved "
        "amounts still apply) or never_saved (preliminary: nobody is charged yet)",
    )
    preliminary: bool = True
    version: int | None = Field(None, description="The saved version whose amounts apply")
    saved_at: str | None = Field(None, description="When that version was saved (ISO 8601)")
    pending_changes: list[str] = Field(
        [], description="What saving again would change; charges nobody until then"
    )


class Payment(Schema):
    name: str
    amount: int
    paid: bool
    amount_paid: int = Field(description="Whole kronor paid so far, rounded down (an addition)")


class FriendlyMessage(Schema):
    message: str
    year: int
    month: int
    generated_at: str = Field(description="ISO 8601 with offset")
    data_source: DataSource
    electricity_amount: int = Field(description="Whole kronor")
    electricity_month: str = Field(description="Swedish name of the month before the config month")
    all_paid: bool
    due_date: str = Field(description="YYYY-MM-DD (an addition: the kiosk shows it)")
    rent_month: str = Field(description="YYYY-MM (an addition)")
    payments: list[Payment] = Field(description="First name, amount and paid (an addition)")


class CalculationDetails(Schema):
    total_weight: Number
    rent_per_weight_point: Number
    prorated_adjustments: dict[str, Number]
    total_adjustment: Number
    distributable_rent: Number


class Breakdown(Schema):
    """The old breakdown keys (`Kallhyra`, `Rent per Roommate`, ...) plus `config`, `rents`."""

    kallhyra: Number = Field(alias="Kallhyra")
    el: Number = Field(alias="El")
    bredband: Number = Field(alias="Bredband")
    drift_total: Number = Field(alias="Drift total")
    total: Number = Field(alias="Total")
    rent_per_roommate: dict[str, int] = Field(alias="Rent per Roommate")
    # The monthly fees, or the quarterly invoice in the month it replaces them.
    vattenavgift: Number | None = Field(None, alias="Vattenavgift")
    va: Number | None = Field(None, alias="VA")
    larm: Number | None = Field(None, alias="Larm")
    drift_rakning: Number | None = Field(None, alias="Kvartalsfaktura drift")
    # Only when not zero.
    gas: Number | None = Field(None, alias="Gasol")
    saldo_innan: Number | None = Field(None, alias="Saldo innan")
    extra_in: Number | None = Field(None, alias="Extra in")
    config: dict[str, Any]
    rents: dict[str, int]
    total_rent: Number
    total_paid: Number = Field(
        description="GET: what was paid toward the month (0 while preliminary); "
        "POST (what-if): the sum of the rents"
    )
    calculation_details: CalculationDetails
    friendly_message: str | None = None
    data_source: DataSource | None = Field(
        None, description="GET: saved or preliminary, the version, pending changes"
    )


class RoommateInput(_Strict):
    days: BodyNumber | None = Field(
        None,
        ge=0.01,
        le=31,
        description=(
            "Days of the rent month lived here (default: all); more than the month has counts "
            "as the whole month"
        ),
    )
    room_adjustment: BodyNumber | None = Field(None, ge=-100_000, le=100_000)


WhatIfConfig = _cost_schema(
    "WhatIfConfig", text=False, extra={"year": (BodyYear, None), "month": (BodyMonth, None)}
)
ConfigValues = _cost_schema("ConfigValues", text=True)


class WhatIf(_Strict):
    year: BodyYear = None
    month: BodyMonth = None
    config: WhatIfConfig = Field(default_factory=WhatIfConfig)
    roommates: dict[str, RoommateInput] | None = Field(
        None, min_length=1, description="When given, replaces the month's roommates"
    )
    include_friendly_message: Annotated[bool, Field(strict=True)] = False
    # The old server saved the month when this was given; here that is POST /api/rent/month,
    # and a what-if that carries it is refused saying so.
    # The schema allows only null (absent); anything else is refused with a sentence saying so.
    history_options: Annotated[
        dict[str, Any] | None,
        WithJsonSchema(
            {"type": "null", "description": "Refused: saving a month is POST /api/rent/month"}
        ),
    ] = None


class ForecastResults(Schema):
    total: Number
    rent_per_roommate: dict[str, int]
    config: dict[str, Any]
    roommates: dict[str, dict[str, Number]]


class Forecast(Schema):
    id: str
    title: str
    period: str = Field(description="The config month, YYYY-MM-DD")
    final_results: ForecastResults
    createdAt: str  # noqa: N815 - the old server's name


class LedgerRow(Schema):
    id: int
    tenant: str
    rent_month: str
    amount_due: Number
    amount_paid: Number
    paid_on: str | None
    days_stayed: Number | None
    room_adjustment: Number | None
    # The old server's names (api/legacy_fields.py), read by the old handbook's rent panel.
    tenantId: str = Field(description="The old system's id, else this project's, as text")
    period: str = Field(description="The rent month's first day, local midnight with offset")
    amountDue: Number
    amountPaid: Number
    paymentDate: str | None
    createdAt: str


class Roommate(Schema):
    name: str
    days: Number
    room_adjustment: Number
    start_date: str | None = Field(None, description="Not sent to read-only tokens")
    departure_date: str | None = Field(None, description="Not sent to read-only tokens")
    # The old server's names (api/legacy_fields.py).
    id: str = Field(description="The old system's id, else this project's, as text")
    roomAdjustment: Number
    email: str | None = Field(None, description="Not sent to read-only tokens")
    startDate: str | None = Field(None, description="Not sent to read-only tokens")
    departureDate: str | None = Field(None, description="Not sent to read-only tokens")


class ConfigUpdate(_Strict):
    year: BodyYear = None
    month: BodyMonth = None
    updates: ConfigValues


class ConfigUpdated(Schema):
    status: str
    updated: list[str]
