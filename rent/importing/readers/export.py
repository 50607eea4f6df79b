"""A database export: the old system's (`tenants`, `rent_configs`, `rent_ledger`) or one written
by export_rent (`"format": "kimonokittens-rent-export"`), checked row by row."""

from __future__ import annotations

from rent.engine.money import ZERO
from rent.importing.readers.history import COST_KEYS
from rent.importing.readers.records import (
    CalculationKey,
    ConfigRecord,
    ExportRecord,
    Invalid,
    ItemRecord,
    LedgerRecord,
    PaymentRecord,
    RoomRecord,
    TenantRecord,
)
from rent.importing.readers.values import (
    Collector,
    calendar_date,
    instant,
    json_list,
    json_object,
    money,
    month_start,
    month_text,
    text,
    to_decimal,
)

EXPORT_FORMAT = "kimonokittens-rent-export"
EXPORT_FORMAT_VERSION = 1
TABLES = ("tenants", "rent_configs", "rent_ledger", "co_owned_items", "payments", "rooms")
# A tenant's stay in the export (camelCase, as the old system's Tenant table spells it; its
# `phoneE164` wins over `phone`) -> the Tenant field.
STAY_DATES = {
    "interestedOn": "interested_on",
    "signedOn": "signed_on",
    "noticeGivenOn": "notice_given_on",
    "depositPaidOn": "deposit_paid_on",
    "depositReturnedOn": "deposit_returned_on",
    "furnishingDepositPaidOn": "furnishing_deposit_paid_on",
    "furnishingDepositReturnedOn": "furnishing_deposit_returned_on",
}
STAY_AMOUNTS = {
    "deposit": "deposit",
    "depositReturned": "deposit_returned",
    "furnishingDeposit": "furnishing_deposit",
    "furnishingDepositReturned": "furnishing_deposit_returned",
}
PAYMENT_METHODS = ("swish", "bank", "cash", "other")
PAYMENT_SOURCES = ("hand", "bank", "member", "import")


def read_export(name: str, document: dict) -> ExportRecord:
    version = document.get("format_version", 0)
    if document.get("format") == EXPORT_FORMAT and version != EXPORT_FORMAT_VERSION:
        raise Invalid(
            "format_version",
            f"this importer reads version {EXPORT_FORMAT_VERSION}, got {version!r}",
        )
    found = Collector()
    for table in TABLES:
        found.optional(json_list, document.get(table), table)
    found.done()
    export = ExportRecord(file=name, format_version=version)
    if isinstance(document.get("payments"), list):
        export.payments = []
    for table, records, read_row in (
        ("payments", export.payments if export.payments is not None else [], _payment),
        ("tenants", export.tenants, _tenant),
        ("rent_configs", export.configs, _config),
        ("rent_ledger", export.ledger, _ledger_row),
        ("co_owned_items", export.items, _item),
        ("rooms", export.rooms, _room),
    ):
        for index, row in enumerate(document.get(table) or []):
            where = f"{table}[{index}]"
            if found.check(json_object, row, where) is not None:
                records.append(read_row(row, where, found))
    found.done()
    return export


def _payment(row: dict, where: str, found: Collector) -> PaymentRecord:
    def choice(key, allowed, default):
        value = row.get(key) or default
        if value not in allowed:
            found.error(f"{where}.{key}", f"must be one of {', '.join(allowed)}, got {value!r}")
        return value

    amount = found.check(money, row.get("amount"), f"{where}.amount", allow_string=True)
    if amount == 0:
        found.error(f"{where}.amount", "a payment cannot be 0")
    return PaymentRecord(
        where=where,
        tenant_name=found.check(text, row.get("tenant"), f"{where}.tenant", required=True) or "",
        paid_on=found.check(calendar_date, row.get("paid_on"), f"{where}.paid_on"),
        amount=amount,
        method=choice("method", PAYMENT_METHODS, "other"),
        for_month=found.optional(month_start, row.get("for_month"), f"{where}.for_month"),
        reference=found.check(text, row.get("reference"), f"{where}.reference") or "",
        message=found.check(text, row.get("message"), f"{where}.message") or "",
        source=choice("source", PAYMENT_SOURCES, "import"),
        note=found.check(text, row.get("note"), f"{where}.note") or "",
        bank_key=found.check(text, row.get("bank_key"), f"{where}.bank_key") or "",
        created_at=found.optional(instant, row.get("created_at"), f"{where}.created_at"),
    )


def _stamps(row: dict, where: str, found: Collector, *alternatives: str) -> dict:
    """created_at and updated_at (or their camelCase names), when the row has them."""
    created_key, created = _first(row, "created_at", *alternatives[:1])
    updated_key, updated = _first(row, "updated_at", *alternatives[1:])
    return {
        "created_at": found.optional(instant, created, f"{where}.{created_key}"),
        "updated_at": found.optional(instant, updated, f"{where}.{updated_key}"),
    }


def _first(row: dict, *keys):
    """The first of `keys` the row has, with its value (the old export spells some in
    camelCase)."""
    for key in keys:
        if key in row:
            return key, row[key]
    return keys[0], None


def _tenant(row: dict, where: str, found: Collector) -> TenantRecord:
    tenant = TenantRecord(
        where=where,
        legacy_id=found.check(text, row.get("id"), f"{where}.id") or "",
        name=found.check(text, row.get("name"), f"{where}.name", required=True) or "",
        email=(found.check(text, row.get("email"), f"{where}.email") or "").strip(),
        start_date=found.optional(calendar_date, row.get("startDate"), f"{where}.startDate"),
        departure_date=found.optional(
            calendar_date, row.get("departureDate"), f"{where}.departureDate"
        ),
        room_adjustment=found.optional(
            money, row.get("roomAdjustment"), f"{where}.roomAdjustment", allow_string=True
        )
        or ZERO,
        **_stamps(row, where, found),
    )
    if tenant.start_date and tenant.departure_date and tenant.departure_date < tenant.start_date:
        found.error(f"{where}.departureDate", "is before startDate")
    _stay(tenant, row, where, found)
    return tenant


def _stay(tenant: TenantRecord, row: dict, where: str, found: Collector) -> None:
    """The stay's fields the row has (a row without them leaves them as they are)."""
    from rent.engine.stays import (
        PersonnummerError,
        PhoneError,
        normalize_personnummer,
        normalize_phone,
    )

    phone_key = "phoneE164" if row.get("phoneE164") else "phone"
    phone = row.get(phone_key)
    phone = found.check(text, phone, f"{where}.{phone_key}")
    if phone:
        try:
            tenant.stay["phone"] = normalize_phone(phone)
        except PhoneError as error:
            found.error(f"{where}.{phone_key}", str(error))
    personnummer = found.check(text, row.get("personnummer"), f"{where}.personnummer")
    if personnummer:
        try:
            tenant.stay["personnummer"] = normalize_personnummer(personnummer)
        except PersonnummerError as error:
            found.error(f"{where}.personnummer", str(error))
    room = row.get("room")
    if isinstance(room, dict):  # {"name": ...}
        room = room.get("name")
    tenant.room_name = (found.check(text, room, f"{where}.room") or "").strip()
    for key, name in STAY_DATES.items():
        if row.get(key) is not None:
            tenant.stay[name] = found.optional(calendar_date, row[key], f"{where}.{key}")
    for key, name in STAY_AMOUNTS.items():
        if row.get(key) is not None:
            tenant.stay[name] = found.optional(
                money, row[key], f"{where}.{key}", allow_string=True, minimum=ZERO
            )
    for prefix, name in (("deposit", "deposit"), ("furnishingDeposit", "furnishing_deposit")):
        given, back = tenant.stay.get(name), tenant.stay.get(f"{name}_returned")
        if back is None:
            continue
        if given is None or back > given:
            found.error(f"{where}.{prefix}Returned", f"is more than {prefix}")
        elif tenant.stay.get(f"{name}_returned_on") is None:
            found.error(f"{where}.{prefix}ReturnedOn", "missing: the day it was returned")


def _room(row: dict, where: str, found: Collector) -> RoomRecord:
    return RoomRecord(
        where=where,
        name=(found.check(text, row.get("name"), f"{where}.name", required=True) or "").strip(),
        adjustment=found.check(
            money, row.get("adjustment", 0), f"{where}.adjustment", allow_string=True
        )
        or ZERO,
        description=found.check(text, row.get("description"), f"{where}.description") or "",
        **_stamps(row, where, found),
    )


def _config(row: dict, where: str, found: Collector) -> ConfigRecord:
    key = row.get("key")
    if key not in COST_KEYS:
        found.error(f"{where}.key", f"must be one of {', '.join(COST_KEYS)}, got {key!r}")
    return ConfigRecord(
        where=where,
        key=key,
        value=found.check(money, row.get("value"), f"{where}.value", allow_string=True),
        period=found.check(month_start, row.get("period"), f"{where}.period"),
        **_stamps(row, where, found),
    )


def _ledger_row(row: dict, where: str, found: Collector) -> LedgerRecord:
    def field_value(parse, *keys, **kwargs):
        key, value = _first(row, *keys)
        return found.optional(parse, value, f"{where}.{key}", **kwargs)

    tenant_name = row.get("tenant")
    legacy_id = row.get("tenantId") or row.get("tenant_id")
    if not tenant_name and not legacy_id:
        found.error(f"{where}.tenant", "missing: a tenant name or tenantId")
    month_key, month_value = _first(row, "rent_month", "period")
    rent_month = found.check(month_start, month_value, f"{where}.{month_key}")
    due_key, due = _first(row, "amount_due", "amountDue")
    amount_due = found.check(money, due, f"{where}.{due_key}", allow_string=True, minimum=ZERO)
    calculation = _calculation_link(row.get("calculation"), f"{where}.calculation", found)
    return LedgerRecord(
        where=where,
        tenant_name=found.check(text, tenant_name, f"{where}.tenant") or "",
        tenant_legacy_id=found.check(text, legacy_id, f"{where}.tenantId") or "",
        rent_month=rent_month,
        amount_due=amount_due,
        amount_paid=field_value(
            money, "amount_paid", "amountPaid", allow_string=True, minimum=ZERO
        ),
        paid_on=field_value(calendar_date, "paid_on", "paymentDate"),
        days_stayed=field_value(to_decimal, "days_stayed", allow_string=True),
        room_adjustment=field_value(money, "room_adjustment", allow_string=True),
        calculation=calculation,
        **_stamps(row, where, found, "createdAt", "updatedAt"),
    )


def _calculation_link(link, where: str, found: Collector) -> CalculationKey | None:
    """`{"config_month": "2025-08", "version": 1}`: the calculation a ledger row came from."""
    link = found.optional(json_object, link, where)
    if link is None:
        return None
    month = found.check(month_text, link.get("config_month"), where)
    number = link.get("version")
    if not isinstance(number, int) or number < 1:
        found.error(f"{where}.version", "must be ≥ 1")
    elif month is not None:
        return CalculationKey(month, number)
    return None


def _item(row: dict, where: str, found: Collector) -> ItemRecord:
    owners = found.check(json_list, row.get("owners") or [], f"{where}.owners") or []
    return ItemRecord(
        where=where,
        name=found.check(text, row.get("name"), f"{where}.name", required=True) or "",
        description=found.check(text, row.get("description"), f"{where}.description") or "",
        purchase_date=found.optional(
            calendar_date, row.get("purchase_date"), f"{where}.purchase_date"
        ),
        value=found.check(
            money, row.get("value", 0), f"{where}.value", allow_string=True, minimum=ZERO
        )
        or ZERO,
        owners=[
            found.check(text, owner, f"{where}.owners[{index}]", required=True) or ""
            for index, owner in enumerate(owners)
        ],
    )
