"""The old server's field names, where the old dashboard and handbook read them.

`GET /api/rent/history` rows and `GET /api/rent/roommates` rows carry these beside this
project's own names (docs/api.md has the table, field by field). The values come from the same
rows the new names come from; only the names and the old types differ:

- a person's id is the old system's id (`legacy_id`) when the tenant came from it, else this
  project's id as text (the old ids were text);
- the old `DateTime` fields (`period`, `paymentDate`, `startDate`, `departureDate`) are the
  day's local midnight in ISO 8601 with its offset (`2025-08-01T00:00:00+02:00`), so a reader
  that parses them as instants lands on the right day in Stockholm; `createdAt` is the row's own
  time.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from api.schemas import money


def person_id(tenant) -> str:
    return tenant.legacy_id or str(tenant.pk)


def local_midnight(day: date | None) -> str | None:
    if day is None:
        return None
    moment = timezone.make_aware(datetime.combine(day, time()), timezone.get_current_timezone())
    return moment.isoformat()


def moment(value: datetime | None) -> str | None:
    return None if value is None else timezone.localtime(value).isoformat(timespec="seconds")


def ledger_row_fields(row) -> dict:
    """A ledger row under the old RentLedger's names."""
    return {
        "tenantId": person_id(row.tenant),
        "period": local_midnight(row.rent_month),
        "amountDue": money(row.amount_due),
        "amountPaid": money(row.amount_paid),
        "paymentDate": local_midnight(row.paid_on),
        "createdAt": moment(row.created_at),
    }


def roommate_fields(tenant, room_adjustment, *, personal: bool) -> dict:
    """A roommate under the old Tenant's names; email and dates only for those who see
    personal fields (a login, a treasurer token), as the new names."""
    fields = {"id": person_id(tenant), "roomAdjustment": money(room_adjustment)}
    if personal:
        fields |= {
            "email": tenant.email or None,
            "startDate": local_midnight(tenant.start_date),
            "departureDate": local_midnight(tenant.departure_date),
        }
    return fields
