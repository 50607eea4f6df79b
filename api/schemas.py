"""The API's request and response shapes: the old server's field names, so the dashboard keeps
working with only a new base URL."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import Field

Number = int | float


class Error(Schema):
    error: str


class DataSource(Schema):
    type: str = Field(description="actual, historical or projection")
    electricity_source: str = Field(description="current_bills, last_year_bills or estimate")
    description_sv: str


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
    total_paid: int
    calculation_details: CalculationDetails
    friendly_message: str | None = None


class RoommateInput(Schema):
    days: Number | None = None
    room_adjustment: Number | None = None


class WhatIf(Schema):
    year: int | None = None
    month: int | None = None
    config: dict[str, Any] = {}
    roommates: dict[str, RoommateInput] | None = None
    include_friendly_message: bool = False


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


class Roommate(Schema):
    name: str
    days: Number
    room_adjustment: Number
    start_date: str | None = Field(None, description="Not sent to read-only tokens")
    departure_date: str | None = Field(None, description="Not sent to read-only tokens")


class ConfigUpdate(Schema):
    year: int | None = None
    month: int | None = None
    updates: dict[str, Any]


class ConfigUpdated(Schema):
    status: str
    updated: list[str]
