"""What "Månadens hyra" opens on: the month's saved version, and what changed since it was saved.

A saved version keeps the days and room adjustments typed for that month (its overrides).
Reopening the page applies them again, so the page shows what was saved; only changes to
the bills or the tenants themselves make the new split differ from the saved one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext

from rent.engine.breakdown import MonthBreakdown
from rent.engine.config import CONFIG_KEYS
from rent.engine.months import add_months, days_or_full
from rent.engine.occupancy import Resident
from rent.engine.split import RentInputError, resolve_config
from rent.formatting import format_kronor, plain_number
from rent.ledger.inputs import effective_config
from rent.models import CalculationStatus, RentCalculation


def current_calculation(config_month: date) -> RentCalculation | None:
    return RentCalculation.objects.filter(
        config_month=config_month, status=CalculationStatus.CURRENT
    ).first()


def names_to_ids(residents: list[Resident]) -> dict[str, int]:
    """Casefolded name → tenant id: links a version saved without tenant ids by name."""
    return {resident.name.casefold(): resident.tenant.pk for resident in residents}


def saved_overrides(calculation: RentCalculation | None, residents: list[Resident]) -> dict:
    """The days and adjustments that version set for this month only, for those still here
    (keyed by their name now: a renamed tenant keeps theirs).

    Versions saved in the app record their overrides. Imported versions do not: for those,
    every saved value that differs from the tenant's own dates and adjustment counts as one.
    """
    if calculation is None:
        return {}
    saved = calculation.saved
    now = {resident.tenant.pk: resident for resident in residents}
    result = {}
    for tenant_id, roommate in saved.by_tenant(names_to_ids(residents)).items():
        resident = now.get(tenant_id)
        if resident is None:
            continue
        if saved.records_overrides:
            if roommate.override is not None:
                result[resident.name] = dict(roommate.override)
            continue
        override = {}
        if roommate.days != resident.days:
            override["days"] = roommate.days
        if roommate.room_adjustment != resident.room_adjustment:
            override["room_adjustment"] = roommate.room_adjustment
        if override:
            result[resident.name] = override
    return result


def inputs_fingerprint(
    config_month: date, residents: list[Resident], calculation: RentCalculation | None
) -> str:
    """A short hash of everything the split is built from: the bills, the tenants, the version.

    The month form carries it; a save whose fingerprint differs was made against a page
    opened before something changed, and is refused.
    """
    config = effective_config(config_month)
    data = {
        "config": {key: str(config.values[key]) for key in CONFIG_KEYS},
        "residents": [
            [
                resident.tenant.pk,
                resident.name,
                str(resident.tenant.start_date),
                str(resident.tenant.departure_date),
                str(resident.tenant.room_adjustment),
            ]
            for resident in residents
        ],
        "version": calculation.version if calculation else None,
    }
    text = json.dumps(data, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class SavedComparison:
    """The saved version against the split the page shows now."""

    calculation: RentCalculation
    saved_amounts: dict[int, int]  # tenant id → kronor saved
    changes: list[str] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return bool(self.changes)

    @property
    def saved_by(self) -> str:
        return self.calculation.saved.saved_by


def compare_with_saved(calculation: RentCalculation, breakdown: MonthBreakdown) -> SavedComparison:
    """What differs between the saved version's inputs and results and the split now.

    People are matched by tenant id, so a tenant renamed since is the same person.
    """
    saved = calculation.saved
    by_tenant = saved.by_tenant(names_to_ids(breakdown.residents))
    comparison = SavedComparison(
        calculation,
        {tenant_id: r.amount for tenant_id, r in by_tenant.items() if r.amount is not None},
    )
    try:
        saved_costs = resolve_config(saved.constants)
    except RentInputError:
        saved_costs = {}
    for key in CONFIG_KEYS:
        old, new = saved_costs.get(key), breakdown.config.values[key]
        if old is not None and old != new:
            comparison.changes.append(
                f"{key} {format_kronor(old).removesuffix(' kr')} → {format_kronor(new)}"
            )
    month_length = breakdown.days_in_rent_month
    rent_month = breakdown.rent_month
    for resident in breakdown.residents:
        tenant, name = resident.tenant, resident.name
        entry = by_tenant.get(tenant.pk)
        if entry is None:
            if tenant.start_date and tenant.start_date >= rent_month:
                comparison.changes.append(
                    gettext("%(name)s moves in %(date)s")
                    % {"name": name, "date": f"{tenant.start_date.day}/{tenant.start_date.month}"}
                )
            else:
                comparison.changes.append(gettext("%(name)s added") % {"name": name})
            continue
        old_days = days_or_full(entry.days, month_length)
        new_days = days_or_full(resident.days, month_length)
        if old_days != new_days:
            departure = tenant.departure_date
            if departure and departure <= add_months(rent_month, 1) and new_days < old_days:
                comparison.changes.append(
                    gettext("%(name)s moves out %(date)s")
                    % {"name": name, "date": f"{departure.day}/{departure.month}"}
                )
            else:
                comparison.changes.append(
                    gettext("%(name)s %(old)s → %(new)s days")
                    % {"name": name, "old": plain_number(old_days), "new": plain_number(new_days)}
                )
        if entry.room_adjustment != resident.room_adjustment:
            comparison.changes.append(
                gettext("%(name)s room adjustment %(old)s → %(new)s")
                % {
                    "name": name,
                    "old": format_kronor(entry.room_adjustment).removesuffix(" kr"),
                    "new": format_kronor(resident.room_adjustment),
                }
            )
    now = {resident.tenant.pk for resident in breakdown.residents}
    linked = {id(r) for r in by_tenant.values()}
    for tenant_id, entry in by_tenant.items():
        if tenant_id not in now:
            comparison.changes.append(
                gettext("%(name)s no longer lives here") % {"name": entry.name}
            )
    for entry in saved.roommates:
        if id(entry) not in linked:  # saved under a name no tenant has now
            comparison.changes.append(
                gettext("%(name)s no longer lives here") % {"name": entry.name}
            )
    new_amounts = {
        resident.tenant.pk: breakdown.split.rents[resident.name] for resident in breakdown.residents
    }
    if not comparison.changes and comparison.saved_amounts != new_amounts:
        comparison.changes.append(gettext("the amounts differ"))
    return comparison


def rounding_notes(split) -> list[str]:
    """The rounding in plain words: who pays a krona more or less so the total adds up."""
    from rent.engine.split import round_half_away

    notes = []
    if split.equalised:
        notes.append(
            gettext(
                "The amounts differed by less than 10 kr, so everyone pays the highest "
                "(%(amount)s)."
            )
            % {"amount": format_kronor(max(split.rents.values()))}
        )
        return notes
    for share in split.roommates:
        difference = share.amount - round_half_away(share.exact_share)
        if difference > 0:
            notes.append(
                gettext("%(name)s pays %(amount)s more so that the total adds up.")
                % {"name": share.name, "amount": format_kronor(difference)}
            )
        elif difference < 0:
            notes.append(
                gettext("%(name)s pays %(amount)s less so that the total adds up.")
                % {"name": share.name, "amount": format_kronor(-difference)}
            )
    return notes


def cost_lines(breakdown: MonthBreakdown) -> list[dict]:
    """The month's costs for the page: each once, the monthly fees marked when the quarterly
    invoice replaces them (they are then not part of the total)."""
    from rent.engine.split import MONTHLY_FEE_KEYS

    charged = breakdown.split.fee_lines
    lines = []
    for key in CONFIG_KEYS:
        value = breakdown.config.values[key]
        replaced = key in MONTHLY_FEE_KEYS and key not in charged
        lines.append(
            {
                "key": key,
                "value": value,
                "source": breakdown.config.sources[key],
                "replaced": replaced,
                "subtracted": key in ("saldo_innan", "extra_in"),
            }
        )
    return lines
