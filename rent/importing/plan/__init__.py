"""Compare what the files say with what the database holds, and decide every change.

The database is read in a fixed handful of queries, whatever the number of files; nothing is
written here. Values someone changed in the app are kept and reported as conflicts (unless
overwrite), rows the app made are never touched, and nothing is ever deleted.

One module per table (`tenants`, `calculations`, `ledger`, `configs`, `items`); every one
settles a row the database already holds by the same ladder, `common.reconcile`.
"""

from __future__ import annotations

from rent.importing.plan.calculations import plan_calculations
from rent.importing.plan.common import CHANGE_REASON, Plan, reconcile
from rent.importing.plan.configs import plan_configs
from rent.importing.plan.items import plan_items
from rent.importing.plan.ledger import plan_ledger
from rent.importing.plan.payments import plan_payments
from rent.importing.plan.tenants import TenantIndex
from rent.importing.readers import Bundle
from rent.importing.report import ImportReport

__all__ = ["CHANGE_REASON", "Plan", "plan_import", "reconcile"]


def plan_import(bundle: Bundle, *, overwrite: bool = False, dry_run: bool = False) -> Plan:
    report = ImportReport(
        history_files=len(bundle.histories),
        export_files=len(bundle.exports),
        override_files=len(bundle.override_files),
        dry_run=dry_run,
    )
    report.warnings.extend(bundle.warnings)
    plan = Plan(report=report)
    tenants = TenantIndex(plan, overwrite)
    tenants.apply_exports(bundle)
    calculations = plan_calculations(plan, bundle, tenants, overwrite)
    plan_ledger(plan, bundle, tenants, calculations, overwrite)
    plan_payments(plan, bundle, tenants)
    plan_configs(plan, bundle, calculations, overwrite)
    plan_items(plan, bundle, tenants, overwrite)
    return plan
