"""Co-owned items, matched by name ignoring case, and their owners."""

from __future__ import annotations

from rent.importing.plan.common import kept, made_outside_the_import, reconcile
from rent.importing.readers import Problem
from rent.models import CoOwnedItem


def plan_items(plan, bundle, tenants, overwrite) -> None:
    records = [(export, item) for export in bundle.exports for item in export.items]
    if not records:
        return
    count = plan.report.tables["co_owned_items"]
    existing = {
        item.name.casefold(): item for item in CoOwnedItem.objects.prefetch_related("owners")
    }
    compared = []  # (export, record, item, the file's values, owners) of saved items
    for export, record in records:
        owners = _owners(plan, export, record, tenants)
        values = {
            "description": record.description,
            "purchase_date": record.purchase_date,
            "value": record.value,
        }
        item = existing.get(record.name.casefold())
        if item is None:
            item = CoOwnedItem(name=record.name, **values)
            existing[record.name.casefold()] = item
            plan.items.create.append(item)
            plan.item_owners.extend((item, owner) for owner in owners)
            count.created += 1
        elif item.pk is not None:
            compared.append((export, record, item, values, owners))
    made_elsewhere = made_outside_the_import(
        CoOwnedItem, [item for _, _, item, v, o in compared if any(_item_differences(item, v, o))]
    )
    for export, record, item, values, owners in compared:
        differing, missing = _item_differences(item, values, owners)
        outcome = reconcile(
            differing=bool(differing or missing),
            made_elsewhere=item.pk in made_elsewhere,
            overwrite=overwrite,
        )
        count.add(outcome)
        differences = ", ".join(differing + (["owners"] if missing else []))
        label = f"co-owned item {item.name}"
        in_file = f"differs from {export.file} ({record.where}) in {differences}"
        if outcome == "skipped":
            plan.report.skipped.append(kept(label, in_file))
        elif outcome == "updated":
            for name in differing:
                setattr(item, name, values[name])
            if differing:
                plan.items.mark(item, *differing)
            plan.item_owners.extend((item, owner) for owner in missing)
        elif outcome == "conflicts":
            plan.report.conflicts.append(f"{label}: {in_file}")


def _owners(plan, export, record, tenants) -> list:
    """The item's owners as tenants; an owner who is no tenant is a problem of the file."""
    owners = []
    for index, name in enumerate(record.owners):
        tenant = tenants.find(name)
        if tenant is None:
            plan.problems.append(
                Problem(export.file, f"{record.where}.owners[{index}]", f"no tenant {name}")
            )
        else:
            owners.append(tenant)
    return owners


def _item_differences(item: CoOwnedItem, values: dict, owners: list) -> tuple[list, list]:
    """The fields that differ from the file, and the file's owners the item does not have."""
    differing = [name for name, value in values.items() if getattr(item, name) != value]
    have = {owner.pk for owner in item.owners.all()}
    missing = [owner for owner in owners if owner.pk is None or owner.pk not in have]
    return differing, missing
