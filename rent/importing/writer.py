"""Apply a plan in one transaction, with bulk operations: a fixed number of queries per table."""

from __future__ import annotations

import os
import sys
import time

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from rent.importing.plan import CHANGE_REASON, Plan
from rent.ledger.payments import PAID_AMOUNT_NOTE
from rent.models import (
    CoOwnedItem,
    Payment,
    PaymentMethod,
    PaymentSource,
    RentCalculation,
    RentConfig,
    RentLedger,
    Room,
    Tenant,
)

# Every row created or changed here gets the history reason CHANGE_REASON ("import_rent"), defined
# in plan.py: the plan tells the importer's rows from the ones made in the app by it.

# Tests only: seconds to sleep inside the transaction, so a test can kill the import halfway.
PAUSE_VARIABLE = "RENT_IMPORT_TEST_PAUSE"


def apply_plan(plan: Plan) -> None:
    from rent.versioning import bump_data_version

    with transaction.atomic():
        # Bulk writes send no signals: the data version the API's cache is keyed by is bumped
        # here, first (before any row is written, as every writer does), and each tenant whose
        # months or payments changed is allocated again (`_record_payments`).
        bump_data_version()
        _save(Room, plan.rooms, history=True)
        _save(Tenant, plan.tenants, history=True)
        _pause_for_tests()
        if plan.demoted:
            RentCalculation.objects.bulk_update(plan.demoted, ["status"])
        _save(RentCalculation, plan.calculations, history=False)
        _link_calculations_to_tenants(plan)
        _save(RentLedger, plan.ledger, history=True)
        _record_payments(plan)
        _save(RentConfig, plan.configs, history=True)
        _save(CoOwnedItem, plan.items, history=True)
        if plan.item_owners:
            through = CoOwnedItem.owners.through
            through.objects.bulk_create(
                [through(coowneditem=item, tenant=tenant) for item, tenant in plan.item_owners]
            )
        _restore_timestamps(plan)


def _link_calculations_to_tenants(plan: Plan) -> None:
    """The saved versions written here get their names' tenant ids (RentCalculation.tenant_ids:
    this database's ids, so files never carry them). One query, and one update."""
    calculations = [*plan.calculations.create, *(c for c, _ in plan.calculations.update.values())]
    if not calculations:
        return
    ids = {name.casefold(): pk for pk, name in Tenant.objects.values_list("pk", "name")}
    for calculation in calculations:
        names = calculation.roommate_order()
        calculation.tenant_ids = {n: ids[n.casefold()] for n in names if n.casefold() in ids}
    RentCalculation.objects.bulk_update(calculations, ["tenant_ids"], batch_size=500)


def _record_payments(plan: Plan) -> None:
    """An export's payments, and the paid amounts of files without them as one payment per
    month (the difference to what was recorded for it before); then each tenant concerned
    has their payments allocated again. A fixed number of queries per tenant."""
    from django.db.models import Sum

    from rent.ledger.payments import reallocate_all

    new = list(plan.payments)
    if plan.paid:
        recorded = {
            (tenant_id, month): total
            for tenant_id, month, total in Payment.objects.filter(for_month__isnull=False)
            .order_by()
            .values_list("tenant_id", "for_month")
            .annotate(total=Sum("amount"))
        }
        for row, paid, paid_on in plan.paid:
            difference = paid - recorded.get((row.tenant_id, row.rent_month), 0)
            if difference:
                new.append(
                    Payment(
                        tenant_id=row.tenant_id,
                        amount=difference,
                        paid_on=paid_on,
                        method=PaymentMethod.OTHER,
                        for_month=row.rent_month,
                        source=PaymentSource.IMPORT,
                        note=PAID_AMOUNT_NOTE,
                    )
                )
    if new:
        # Without history rows: each says where it came from (source "import" and its note),
        # and SQLite's batches of history would grow the queries with the number of months.
        Payment.objects.bulk_create(new)
    touched = {payment.tenant_id for payment in new}
    touched |= {row.tenant_id for row in plan.ledger.create}
    touched |= {row.tenant_id for row, _names in plan.ledger.updates}
    reallocate_all(touched)


def _save(model, changes, *, history: bool) -> None:
    if changes.create:
        if history:
            bulk_create_with_history(changes.create, model, default_change_reason=CHANGE_REASON)
        else:
            model.objects.bulk_create(changes.create)
    by_fields: dict[tuple, list] = {}
    for obj, names in changes.updates:
        by_fields.setdefault(tuple(sorted(names)), []).append(obj)
    for names, objs in by_fields.items():
        fields = list(names)
        if any(f.name == "updated_at" for f in model._meta.fields):
            fields.append("updated_at")
            now = _now()
            for obj in objs:
                obj.updated_at = now
        if history:
            bulk_update_with_history(objs, model, fields, default_change_reason=CHANGE_REASON)
        else:
            model.objects.bulk_update(objs, fields)


def _restore_timestamps(plan: Plan) -> None:
    """Created/updated times that the files carry (an export is the database's image)."""
    by_model: dict[tuple, list] = {}
    for obj, stamps in plan.timestamps:
        names = tuple(sorted(name for name, value in stamps.items() if value is not None))
        for name in names:
            setattr(obj, name, stamps[name])
        if names:
            by_model.setdefault((type(obj), names), []).append(obj)
    for (model, names), objs in by_model.items():
        model.objects.bulk_update(objs, list(names))


def _now():
    from django.utils import timezone

    return timezone.now()


def _pause_for_tests() -> None:
    seconds = os.environ.get(PAUSE_VARIABLE)
    if seconds:
        print("import_rent: paused inside the transaction", file=sys.stderr, flush=True)
        time.sleep(float(seconds))
