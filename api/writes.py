"""Writes through the API for the treasurer's token (or a treasurer's login), as the old server
took them: `POST /api/rent/roommates` (add a person, set a departure, set a room adjustment) and
saving a month (`POST /api/rent/month`). Each goes through the service the admin uses
(rent.ledger.tenant_changes, rent.ledger.finalize.finalize_month), is recorded in the history
of changes as the token's or the login's, and is refused with a JSON error where the admin
would refuse.

Registered on the API by importing this module (api/urls.py does).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, UniqueConstraint
from ninja import Field, Schema
from pydantic import ConfigDict, StrictBool, WithJsonSchema

from api.api import ERRORS, BadInput, NoRent, api, config_month_of
from api.auth import require_writer
from api.history import recorded_as
from api.legacy_fields import person_id, roommate_fields
from api.schemas import BodyMonth, BodyYear, _Strict
from household.text_rules import FORMULA_STARTS, REFUSED_CATEGORIES
from rent.errors import RentError
from rent.formatting import MoneyInputError, parse_amount
from rent.ledger.finalize import PaidChangesError, ProjectedElectricityError, finalize_month
from rent.ledger.tenant_changes import (
    TenantNotFound,
    add_tenant,
    set_departure,
    set_room_adjustment,
    tenant_named,
)
from rent.models import RentCalculation, Tenant

ROOM_ADJUSTMENT = Tenant._meta.get_field("room_adjustment")


# The schema names the actions; the server reads any text so that an old client's action gets
# a sentence saying what to use instead (400), as a request outside the schema should.
ACTIONS = ["add_permanent", "add", "set_departure", "update_adjustment", "set_adjustment"]


# What `_adjustment` reads: kronor as a number with öre, or typed the Swedish way ("-1 400,50").
AMOUNT_GIVEN = [
    {"type": "number", "minimum": -999_999_999_999.99, "maximum": 999_999_999_999.99,
     "multipleOf": 0.01},
    {"type": "string", "pattern": r"^-?\d{1,3}(?: ?\d{3}){0,3}(?:[.,]\d{1,2})?(?: ?kr)?$"},
]  # fmt: skip
ADJUSTMENT_SCHEMA = {"anyOf": [*AMOUNT_GIVEN, {"type": "null"}]}

# What `_day` reads: a day as YYYY-MM-DD; empty or null is no day.
A_DAY = {"type": "string", "format": "date"}
NO_VALUE = [{"type": "string", "maxLength": 0}, {"type": "null"}]
DAY_SCHEMA = {"anyOf": [A_DAY, *NO_VALUE]}


@cache
def _refused_characters() -> str:
    """The characters rent.text_rules refuses anywhere in a name or an email (control, format,
    private-use, line and paragraph separators), as a regular expression's class body: ranges
    taken from unicodedata, so the schema says what the validator does. Not the surrogates: no
    Unicode text holds one alone, and a pattern naming them is one schemathesis' regex engine
    cannot compile (it drops it)."""
    import sys
    import unicodedata

    ranges: list[list[int]] = []
    for point in range(sys.maxunicode + 1):
        if unicodedata.category(chr(point)) in REFUSED_CATEGORIES - {"Cs"}:
            if ranges and ranges[-1][1] == point - 1:
                ranges[-1][1] = point
            else:
                ranges.append([point, point])

    def escaped(point: int) -> str:
        return f"\\u{point:04x}" if point <= 0xFFFF else chr(point)

    return "".join(
        escaped(low) if low == high else f"{escaped(low)}-{escaped(high)}" for low, high in ranges
    )


FORMULA = "".join(re.escape(c) for c in FORMULA_STARTS if not c.isspace())  # \t, \r: \s
# An email Django's EmailValidator takes; `_per_action` adds the text rules as a pattern.
AN_EMAIL = {
    "type": "string",
    "format": "email",
    "maxLength": Tenant._meta.get_field("email").max_length,
}


# Each action's own requirements, as `change_roommates` enforces them; a field an action does
# not read may hold anything (as the server takes it). Adding with both days also needs the
# departure on or after the start (the model's check: 409, a clash), which JSON Schema cannot
# compare.
def _branches(email: dict) -> list[dict]:
    return [
        {
            "properties": {
                "action": {"enum": ["add_permanent", "add"]},
                "start_date": DAY_SCHEMA,
                "departure_date": DAY_SCHEMA,
                "email": {"anyOf": [email, *NO_VALUE]},
                "room_adjustment": ADJUSTMENT_SCHEMA,
            }
        },
        {
            "properties": {"action": {"const": "set_departure"}},
            "anyOf": [
                {"required": ["end_date"], "properties": {"end_date": A_DAY}},
                {
                    "required": ["departure_date"],
                    "properties": {"departure_date": A_DAY, "end_date": {"anyOf": NO_VALUE}},
                },
            ],
        },
        {
            "properties": {
                "action": {"enum": ["update_adjustment", "set_adjustment"]},
                "room_adjustment": {"anyOf": AMOUNT_GIVEN},
            },
            "required": ["room_adjustment"],
        },
    ]


def _per_action(schema: dict) -> None:
    """The published schema: each action's requirements, and the text rules of the model's
    validators in the name's and the email's patterns (the view's validation is unchanged:
    pydantic checks the name's first character, the model the rest, in its own words)."""
    refused = _refused_characters()
    schema["properties"]["name"]["pattern"] = f"^[^\\s{FORMULA}{refused}][^{refused}]*$"
    schema["oneOf"] = _branches({**AN_EMAIL, "pattern": f"^[^\\s{FORMULA}][^{refused}]*$"})
    schema["description"] = (
        "set_departure needs end_date (or departure_date), update_adjustment needs "
        "room_adjustment; add_permanent with both days needs departure_date on or after "
        "start_date."
    )


class RoommateAction(Schema):
    model_config = ConfigDict(json_schema_extra=_per_action)

    action: Annotated[str, WithJsonSchema({"type": "string", "enum": ACTIONS})]
    name: str = Field(
        min_length=1,
        max_length=Tenant._meta.get_field("name").max_length,
        pattern=r"^[^\s=+\-@]",
    )
    start_date: str | None = None
    end_date: str | None = None
    departure_date: str | None = None
    email: str | None = None
    room_adjustment: Any = None
    year: int | None = None
    month: int | None = None
    days: Any = None


class RoommateDone(Schema):
    status: str
    message: str
    new_tenant: str | None = None
    tenant: dict[str, Any] | None = None


class MonthOverride(Schema):
    days: float | None = None
    room_adjustment: float | None = None


class SaveMonth(_Strict):
    year: BodyYear = None
    month: BodyMonth = None
    title: str = Field("", max_length=RentCalculation._meta.get_field("title").max_length)
    force: StrictBool = False
    confirm_paid: StrictBool = False
    roommates: dict[str, MonthOverride] | None = None


class MonthSaved(Schema):
    status: str
    config_month: str
    version: int
    unchanged: bool
    rent_per_roommate: dict[str, int]


class Conflict(Schema):
    error: str


class NotFound(Schema):
    error: str


WRITE_ERRORS = {**ERRORS, 404: NotFound, 409: Conflict}
ALIASES = {"add": "add_permanent", "set_adjustment": "update_adjustment"}


class Refused(Exception):
    """A decision is needed first, or the request clashes with what is stored (409): the
    message says which flag makes it, or what clashes."""


@api.exception_handler(Refused)
def _refused(request, exc):
    return api.create_response(request, {"error": str(exc)}, status=409)


@api.exception_handler(TenantNotFound)
def _no_such_tenant(request, exc):
    return api.create_response(request, {"error": str(exc)}, status=404)


def _day(value: str | None, field: str, *, required: bool = False) -> date | None:
    if value in (None, ""):
        if required:
            raise BadInput("api_field_required", field=field)
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise BadInput("api_not_a_date", field=field, value=repr(value)) from None


def _adjustment(value, *, required: bool) -> Decimal:
    if value is None or value == "":
        if required:
            raise BadInput("api_field_required", field="room_adjustment")
        return Decimal(0)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise BadInput("api_not_a_number", field="room_adjustment")
    try:
        amount = parse_amount(value)
        return ROOM_ADJUSTMENT.clean(amount, None)
    except MoneyInputError as exc:
        raise BadInput("api_value_refused", field="room_adjustment", reason=exc.message) from exc
    except ValidationError as exc:
        reason = "; ".join(exc.messages)
        raise BadInput("api_value_refused", field="room_adjustment", reason=reason) from exc


def _refusal(exc: ValidationError, *, stored: bool) -> BadInput | Refused:
    """The admin's own messages, each with the field it concerns. A clash with what is stored is
    409, not a bad request: a name another tenant has (a uniqueness constraint), or any refusal
    of a change to a stored tenant (`stored`), whose one value is valid by the schema and is
    refused only beside the row's other fields (a departure before the stored moving-in day)."""
    # A constraint of the table: another row has the name (unique), or values each valid on
    # its own clash with each other (a check across fields: a moving-out day before the
    # moving-in day). No schema can state either, so both are 409, for a new tenant too.
    clashes = {
        str(constraint.get_violation_error_message())
        for constraint in Tenant._meta.constraints
        if isinstance(constraint, UniqueConstraint | CheckConstraint)
    }
    if any(message in clashes for message in exc.messages):
        return Refused("; ".join(exc.messages))
    if hasattr(exc, "error_dict"):
        parts = [
            f"{field}: {message}" if field != "__all__" else message
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        parts = exc.messages
    reasons = "; ".join(parts)
    return Refused(reasons) if stored else BadInput("api_refused", reasons=reasons)


def _tenant_fields(tenant: Tenant) -> dict:
    return {
        "name": tenant.name,
        **roommate_fields(tenant, tenant.room_adjustment, personal=True),
    }


@api.post(
    "/rent/roommates",
    response={200: RoommateDone, **WRITE_ERRORS},
    summary="Treasurer: add a person, set a departure or a room adjustment (the old actions)",
)
def change_roommates(request, body: RoommateAction):
    caller = require_writer(request)
    action = ALIASES.get(body.action, body.action)
    try:
        with recorded_as(caller.label, user=caller.user):
            if action == "add_permanent":
                tenant = add_tenant(
                    name=body.name,
                    email=body.email or "",
                    start_date=_day(body.start_date, "start_date"),
                    departure_date=_day(body.departure_date, "departure_date"),
                    room_adjustment=_adjustment(body.room_adjustment, required=False),
                )
                return {
                    "status": "success",
                    "message": f"Added {tenant.name}",
                    "new_tenant": person_id(tenant),
                    "tenant": _tenant_fields(tenant),
                }
            if action == "set_departure":
                day = _day(body.end_date or body.departure_date, "end_date", required=True)
                tenant = set_departure(tenant=tenant_named(body.name), departure_date=day)
                return {
                    "status": "success",
                    "message": f"Set departure date for {tenant.name} to {day.isoformat()}",
                    "tenant": _tenant_fields(tenant),
                }
            if action == "update_adjustment":
                amount = _adjustment(body.room_adjustment, required=True)
                tenant = set_room_adjustment(tenant=tenant_named(body.name), room_adjustment=amount)
                return {
                    "status": "success",
                    "message": f"Updated room adjustment for {tenant.name} to {amount}",
                    "tenant": _tenant_fields(tenant),
                }
    except ValidationError as exc:
        raise _refusal(exc, stored=action != "add_permanent") from exc
    if action == "set_temporary":
        raise BadInput("api_set_temporary")
    raise BadInput("api_invalid_action", action=body.action)


@api.post(
    "/rent/month",
    response={200: MonthSaved, **WRITE_ERRORS},
    summary="Treasurer: save a config month's split as the admin's Spara does",
)
def save_month(request, body: SaveMonth):
    caller = require_writer(request)
    config_month = config_month_of(body.year, body.month)
    overrides = None
    if body.roommates is not None:
        overrides = {
            name: {
                key: None if value is None else Decimal(str(value))
                for key, value in entry.dict(exclude_unset=True).items()
            }
            for name, entry in body.roommates.items()
        }
    try:
        with recorded_as(caller.label, user=caller.user):
            result = finalize_month(
                config_month=config_month,
                title=body.title,
                saved_by=caller.user if caller.kind == "session" else caller.label,
                overrides=overrides,
                force=body.force,
                confirm_paid=body.confirm_paid,
            )
    except ProjectedElectricityError as exc:
        raise Refused(f'{exc.message} Send "force": true to save with the estimate.') from exc
    except PaidChangesError as exc:
        details = "; ".join(
            f"{c.name}: paid {c.paid} kr, new amount {c.new_amount} kr" for c in exc.changes
        )
        raise Refused(
            f'{exc.message} ({details}) Send "confirm_paid": true to save anyway.'
        ) from exc
    except RentError as exc:
        # As a read of that month answers: nobody living here, or a roommate named who does not
        # live here then, is what is stored, not a fault of the request's form (404).
        if exc.code == "no_roommates":
            raise NoRent("no one lives here then") from exc
        if exc.code == "not_living_here":
            raise NoRent(exc.message) from exc
        # The room adjustments (stored, or this request's) leave someone a negative rent: no
        # schema can say that of a sum, so it is the month's figures that clash (409).
        if exc.code == "negative_rent":
            raise Refused(exc.message) from exc
        raise  # the others (FinalizeError, the engine's): api.api answers them, by code
    calculation = result.calculation
    return {
        "status": "unchanged" if result.unchanged else "saved",
        "config_month": f"{config_month:%Y-%m}",
        "version": calculation.version,
        "unchanged": result.unchanged,
        "rent_per_roommate": calculation.ordered_results(),
    }
