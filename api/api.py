"""The JSON API at /api/: the old rent server's endpoints, with their paths, parameters and names.

Thin: parsing, rights and caching headers here; figures come from rent.read_model and the rent
engine, writes from rent.ledger.month_costs (the same service as "Månadens kostnader").
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from ninja import NinjaAPI, Query
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BaseModel

from api import legacy_fields, schemas
from api.auth import (
    AUTH,
    HALLWAY_ONLY,
    require_reader,
    require_writer,
)
from api.history import recorded_as
from api.legacy_api import legacy_breakdown
from api.schemas import money
from rent.engine.breakdown import json_number
from rent.engine.config import CONFIG_KEYS
from rent.engine.message import rent_message
from rent.engine.months import (
    FIRST_YEAR,
    LAST_YEAR,
    add_months,
    config_month_due_next,
    days_in_month,
)
from rent.engine.occupancy import stayed_days
from rent.engine.split import RentInputError, split_rent
from rent.errors import RentError
from rent.formatting import MoneyInputError, parse_amount
from rent.ledger.inputs import effective_config, residents_of, roommates_for
from rent.ledger.month_costs import save_month_costs
from rent.models import RentConfig, RentLedger
from rent.read_model import charged_month, first_name
from rent.read_model import forecast as forecast_month
from rent.versioning import request_version

# A month read's body, kept under its ETag: the tag names everything the body depends on.
BODY_KEPT_SECONDS = 60 * 60


class HouseAPI(NinjaAPI):
    """NinjaAPI, keeping the body of a month read as rendered (validated against its schema,
    encoded as JSON) under its ETag (`month_read`): the next 200 with the same tag costs what
    its 304 does."""

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        key = getattr(request, "kept_body_key", None)
        if key and response.status_code == 200:
            cache.set(key, response.content, BODY_KEPT_SECONDS)
        return response


api = HouseAPI(
    title="Kimonokittens API",
    version="1",
    description=(
        "The rent data of the Kimonokittens house, for the hallway dashboard and scripts. "
        "Authenticate with `Authorization: Bearer <token>` (tokens are made in the admin) "
        "or a logged-in session. `year` and `month` name the config month unless said "
        "otherwise. See docs/api.md."
    ),
    auth=AUTH,
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url="/docs/",
    # For household members: kimonokittens.middleware (settings.MEMBERS_ONLY_VIEWS).
)

ERRORS = {400: schemas.Error, 401: schemas.Error, 403: schemas.Error, 404: schemas.Error}
VALUE_FIELD = RentConfig._meta.get_field("value")


# --- errors: always JSON {"error": ...} --------------------------------------------------------


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    details = []
    for error in exc.errors:
        where = ".".join(
            str(part)
            for part in error.get("loc", ())
            if part != "body" and not str(part).startswith(("constrained-", "function-"))
        )
        details.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
    return api.create_response(
        request, {"error": "; ".join(details) or "Invalid input"}, status=400
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    # A person who is logged in reads why in their language; a script gets the plain English.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        error = gettext("Your login is not linked to anyone living in the house right now.")
    else:
        error = "Authentication required: a bearer token or a login"
    response = api.create_response(request, {"error": error}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="kimonokittens"'
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return api.create_response(request, {"error": str(exc)}, status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"error": "Not found"}, status=404)


class BadInput(RentError):
    """Input the API itself refuses (unknown keys, a bad month): a code (rent.errors) and the
    English sentence, which scripts read (the request's language does not change it)."""


@api.exception_handler(BadInput)
def _bad_input(request, exc):
    return api.create_response(request, {"error": str(exc), "code": exc.code}, status=400)


class NoRent(Exception):
    """The month asked for has no rent to show (no one lives here then, or its stored bills
    make none): not a fault of the request, so not a 400."""


@api.exception_handler(NoRent)
def _no_rent(request, exc):
    return api.create_response(request, {"error": f"No rent for this month: {exc}"}, status=404)


@api.exception_handler(RentError)
def _refused(request, exc):
    """What the engine or a service refused: its code, and its message in the request's
    language (rent.errors)."""
    return api.create_response(request, {"error": exc.message, "code": exc.code}, status=400)


# --- helpers -------------------------------------------------------------------------------


# A plain pydantic model, not django-ninja's Schema: that one's root validator, which reads
# attributes off Django objects, costs every read and has no object to read here.
class MonthQuery(BaseModel):
    year: schemas.Year = None
    month: schemas.Month = None


def config_month_of(year: int | None, month: int | None) -> date:
    """The month named by year/month; missing parts default to today's in Europe/Stockholm."""
    today = timezone.localdate()
    year = today.year if year is None else year
    month = today.month if month is None else month
    if not 1 <= month <= 12 or not FIRST_YEAR <= year <= LAST_YEAR:
        raise BadInput("api_invalid_month", year=year, month=month)
    return date(year, month, 1)


def etag(request: HttpRequest, *parts) -> str:
    """The ETag of a read: it names the data version and everything else the body depends on,
    so it changes after any write, in every process."""
    seed = "|".join(str(part) for part in (*parts, request.auth.sees_personal_fields))
    return f'W/"{hashlib.sha256(seed.encode()).hexdigest()[:24]}"'


def is_current(request: HttpRequest, tag: str) -> bool:
    """Whether the caller's copy (If-None-Match) is the one tagged `tag`."""
    asked = request.headers.get("If-None-Match")
    return bool(asked) and tag in [part.strip() for part in asked.split(",")]


def cache_headers(request, response: HttpResponse, tag: str | None = None) -> None:
    """Asked again on every read (no-cache, with the ETag). No cache keeps an answer to a
    logged-in reader (no-store), as kimonokittens.middleware.PrivateCacheMiddleware says of
    every page; a token's, such as the kiosk's, its browser may keep and revalidate."""
    if tag:
        response["ETag"] = tag
    session = request.auth.kind == "session"
    response["Cache-Control"] = "private, no-cache, no-store" if session else "private, no-cache"
    response["Vary"] = "Authorization, Cookie"


def hallway_months() -> set[date]:
    """The months the hallway's view may show: the config month whose rent is due next, by
    the server's clock and a day either side (the kiosk's browser keeps its own clock)."""
    today = timezone.localdate()
    return {config_month_due_next(today + timedelta(days=shift)) for shift in (-1, 0, 1)}


def month_read(
    request, response: HttpResponse, query: MonthQuery, name: str, build, *, hallway=False
):
    """The flow of every month read: the caller's scope; the month asked for; a 304 when the
    caller's copy is current; else the body kept under the ETag, or `build(month, version)`
    (which may refuse with BadInput), kept as rendered, with cache headers. `hallway`: a kiosk
    caller may read it for the hallway's months."""
    month = config_month_of(query.year, query.month)
    if not hallway:
        require_reader(request)
    elif not request.auth.reads_everything and month not in hallway_months():
        raise HttpError(403, HALLWAY_ONLY)
    version = request_version(request)
    # The body names pending changes in the active language: the tag names it too.
    tag = etag(request, name, version, month, get_language())
    cache_headers(request, response, tag)  # `response`'s headers go with the body too
    if is_current(request, tag):
        response.status_code = 304
        return response
    key = f"api:body:{tag}"
    kept = cache.get(key)
    if kept is not None:  # as rendered the first time (HouseAPI), generated_at included
        response.content = kept
        return response
    request.kept_body_key = key
    return build(month, version)


# --- reads ---------------------------------------------------------------------------------


@api.get(
    "/rent/friendly_message",
    response={200: schemas.FriendlyMessage, **ERRORS},
    summary="The month's rent message, data source and whether all is paid",
)
def friendly_message(request, response: HttpResponse, query: Query[MonthQuery]):
    return month_read(request, response, query, "friendly", friendly_body, hallway=True)


def friendly_body(config_month: date, version: str) -> dict:
    month = charged_month(config_month, version=version)
    if month.message is None:
        raise NoRent(month.error or "nothing saved or computed")
    return {
        "message": month.message,
        "year": config_month.year,
        "month": config_month.month,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "data_source": month.data_source(),
        "electricity_amount": month.electricity_amount,
        "electricity_month": month.electricity_month,
        "all_paid": month.all_paid,
        "due_date": month.due_date.isoformat(),
        "rent_month": f"{month.rent_month:%Y-%m}",
        "payments": [
            {
                "name": first_name(line.name),
                "amount": int(line.amount),
                "paid": line.is_paid,
                "amount_paid": int(line.paid),
            }
            for line in month.lines
        ],
    }


@api.get(
    "/rent",
    response={200: schemas.Breakdown, **ERRORS},
    summary="The month's breakdown in the old key names: the saved split once saved",
    by_alias=True,
    exclude_unset=True,
)
def breakdown(request, response: HttpResponse, query: Query[MonthQuery]):
    return month_read(request, response, query, "breakdown", breakdown_body)


def breakdown_body(config_month: date, version: str) -> dict:
    """The month as charged: the saved split (its amounts, the ledger's) with its version and
    what changed since; a month never saved is the preliminary split, and says so."""
    month = charged_month(config_month, version=version)
    if month.split is None:
        raise NoRent(month.error or "nothing saved or computed")
    body = legacy_breakdown(month.split)
    body["total_paid"] = money(month.total_paid)
    body["data_source"] = month.data_source()
    return body


@api.get(
    "/rent/forecast",
    response={200: schemas.Forecast, **ERRORS},
    summary="The month from the bills entered, projecting only what is missing",
)
def forecast(request, response: HttpResponse, query: Query[MonthQuery]):
    return month_read(request, response, query, "forecast", forecast_body)


def forecast_body(config_month: date, version: str) -> dict:
    try:
        month = forecast_month(config_month)
    except RentInputError as exc:
        raise NoRent(exc.message) from exc
    split, values = month.split, month.config.split_config()
    return {
        "id": f"forecast-{config_month:%Y-%m}",
        "title": f"Forecast for {config_month:%B %Y}",
        "period": config_month.isoformat(),
        "final_results": {
            "total": money(split.total),
            "rent_per_roommate": dict(split.rents),
            "config": {
                "year": config_month.year,
                "month": config_month.month,
                **{key: money(value) for key, value in values.items()},
            },
            "roommates": {
                share.name: {
                    "days": json_number(share.days),
                    "room_adjustment": json_number(share.room_adjustment),
                }
                for share in split.roommates
            },
        },
        "createdAt": timezone.localtime().isoformat(timespec="seconds"),
    }


@api.get(
    "/rent/history",
    response={200: list[schemas.LedgerRow], **ERRORS},
    summary="The ledger rows of a rent month (year/month name the rent month here)",
)
def history(request, response: HttpResponse, query: Query[MonthQuery]):
    return month_read(request, response, query, "history", history_body)


def history_body(rent_month: date, version: str) -> list[dict]:
    rows = RentLedger.objects.filter(rent_month=rent_month).select_related("tenant")
    result = [
        {
            "id": row.pk,
            "tenant": row.tenant.name,
            "rent_month": row.rent_month.isoformat(),
            "amount_due": money(row.amount_due),
            "amount_paid": money(row.amount_paid),
            "paid_on": row.paid_on.isoformat() if row.paid_on else None,
            "days_stayed": None if row.days_stayed is None else json_number(row.days_stayed),
            "room_adjustment": money(row.room_adjustment),
            **legacy_fields.ledger_row_fields(row),  # the old names (docs/api.md)
        }
        for row in rows
    ]
    result.sort(key=lambda row: (row["tenant"].casefold(), row["tenant"]))
    return result


@api.get(
    "/rent/roommates",
    response={200: list[schemas.Roommate], **ERRORS},
    summary="Who lives here in the month's rent month, with their days",
    exclude_unset=True,
)
def roommates(request, response: HttpResponse, query: Query[MonthQuery]):
    personal = request.auth.sees_personal_fields
    return month_read(
        request,
        response,
        query,
        "roommates",
        lambda config_month, version: roommates_body(config_month, personal=personal),
    )


def roommates_body(config_month: date, *, personal: bool) -> list[dict]:
    rent_month = add_months(config_month, 1)
    result = []
    for resident in residents_of(rent_month):
        tenant = resident.tenant
        row = {
            "name": resident.name,
            "days": stayed_days(tenant.start_date, tenant.departure_date, rent_month),
            "room_adjustment": money(resident.room_adjustment),
        }
        if personal:
            row["start_date"] = tenant.start_date.isoformat() if tenant.start_date else None
            row["departure_date"] = (
                tenant.departure_date.isoformat() if tenant.departure_date else None
            )
        row |= legacy_fields.roommate_fields(tenant, resident.room_adjustment, personal=personal)
        result.append(row)
    return result


# --- what-if and writes ----------------------------------------------------------------------


@api.post(
    "/rent",
    response={200: schemas.Breakdown, **ERRORS},
    summary="A what-if breakdown: the month's bills and roommates with changes; saves nothing",
    by_alias=True,
    exclude_unset=True,
)
def what_if(request, body: schemas.WhatIf):
    require_reader(request)
    if body.history_options is not None:
        raise BadInput("api_what_if_saves")
    config_month = config_month_of(body.year, body.month)
    given = body.config.dict(exclude_unset=True)  # the schema refuses other keys
    values = {**effective_config(config_month).split_config()}
    values.update({key: value for key, value in given.items() if key in CONFIG_KEYS})
    if body.roommates is None:
        roommates = roommates_for(add_months(config_month, 1))
        if not roommates:
            raise NoRent("no one lives here then; name the roommates")
    else:
        # Days beyond the rent month's count as the whole month (the schema says at most 31).
        month_days = days_in_month(add_months(config_month, 1))
        roommates = {}
        for name, entry in body.roommates.items():
            roommates[name] = entry.dict(exclude_none=True)
            if roommates[name].get("days", 0) > month_days:
                roommates[name]["days"] = month_days
    split = split_rent(roommates, values, year=config_month.year, month=config_month.month)
    result = legacy_breakdown(split)
    if body.include_friendly_message:
        result["friendly_message"] = rent_message(
            split, year=config_month.year, month=config_month.month
        )
    return result


@api.put(
    "/rent/config",
    response={200: schemas.ConfigUpdated, **ERRORS},
    summary="Enter bills for a config month (treasurer): the service of Månadens kostnader",
)
def update_config(request, body: schemas.ConfigUpdate):
    caller = require_writer(request)
    config_month = config_month_of(body.year, body.month)
    values = {}
    for key, raw in body.updates.dict(exclude_unset=True).items():
        if key not in CONFIG_KEYS:
            raise BadInput("api_unknown_config_key", key=key)
        if isinstance(raw, bool) or not isinstance(raw, int | float | str | type(None)):
            raise BadInput("api_not_a_number", field=key)
        try:
            values[key] = parse_amount(raw)
            if values[key] is not None:
                # The column's own limits (14 digits, 2 decimals), as the admin's form checks.
                values[key] = VALUE_FIELD.clean(values[key], None)
        except MoneyInputError as exc:
            raise BadInput("api_value_refused", field=key, reason=exc.message) from exc
        except DjangoValidationError as exc:
            reason = "; ".join(exc.messages)
            raise BadInput("api_value_refused", field=key, reason=reason) from exc
    try:
        with recorded_as(caller.label, user=caller.user):
            save_month_costs(config_month=config_month, values=values)
    except DjangoValidationError as exc:
        raise BadInput("api_refused", reasons="; ".join(exc.messages)) from exc
    return {"status": "success", "updated": list(values)}
