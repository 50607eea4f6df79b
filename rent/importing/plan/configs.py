"""Config rows: an export's, and the bills of the current calculations where it has none."""

from __future__ import annotations

from datetime import date

from rent.importing.plan.common import Wish, kept, made_outside_the_import, reconcile
from rent.models import RentConfig


def plan_configs(plan, bundle, calculations, overwrite) -> None:
    desired: dict[tuple[str, date], Wish] = {}  # (key, period)
    for export in bundle.exports:
        for row in export.configs:
            desired[(row.key, row.period)] = Wish(
                values={"value": row.value},
                where=f"{export.file}: {row.where}",
                stamps={"created_at": row.created_at, "updated_at": row.updated_at},
            )
    for record in calculations.current_records:
        for key, value in record.constants.items():
            given = desired.get((key, record.config_month))
            if given is None:
                desired[(key, record.config_month)] = Wish(
                    values={"value": value}, where=f"{record.file}: constants"
                )
            elif given.values["value"] != value:
                plan.report.warnings.append(
                    f"{record.file}: constants.{key} is {value}, the export has "
                    f"{given.values['value']} for {record.config_month:%Y-%m} ({given.where}); "
                    "the export's is used"
                )
    if desired:
        _reconcile_configs(plan, desired, overwrite)


def _reconcile_configs(plan, desired: dict, overwrite: bool) -> None:
    count = plan.report.tables["rent_configs"]
    periods = {period for _, period in desired}
    existing = {
        (row.key, row.period): row
        for row in RentConfig.objects.filter(period__gte=min(periods), period__lte=max(periods))
    }
    made_elsewhere = made_outside_the_import(
        RentConfig,
        [
            existing[k]
            for k, wish in desired.items()
            if k in existing and existing[k].value != wish.values["value"]
        ],
    )
    for (key, period), wish in sorted(desired.items(), key=lambda i: i[0][1]):
        value, row = wish.values["value"], existing.get((key, period))
        if row is None:
            new = RentConfig(key=key, period=period, value=value)
            plan.configs.create.append(new)
            count.created += 1
            if any(wish.stamps.values()):
                plan.timestamps.append((new, wish.stamps))
            continue
        outcome = reconcile(
            differing=row.value != value,
            made_elsewhere=row.pk in made_elsewhere,
            overwrite=overwrite,
        )
        count.add(outcome)
        label = f"config {key} {period:%Y-%m}"
        differences = f"{row.value} in the database, {value} in {wish.where}"
        if outcome == "skipped":
            plan.report.skipped.append(kept(label, differences))
        elif outcome == "updated":
            row.value = value
            plan.configs.mark(row, "value")
        elif outcome == "conflicts":
            plan.report.conflicts.append(f"{label}: {differences}")
