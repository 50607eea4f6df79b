"""Tenants: matched by legacy id, then by exact name ignoring case; never by prefix."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from rent.importing.plan.common import Plan, blank, kept, made_outside_the_import, show
from rent.importing.readers import Bundle, HistoryRecord, Problem
from rent.models import Room, Tenant

TENANT_FIELDS = ("name", "email", "start_date", "departure_date", "room_adjustment", "legacy_id")


class TenantIndex:
    """Tenants matched by legacy id, then by exact name ignoring case; never by prefix."""

    def __init__(self, plan: Plan, overwrite: bool):
        self.plan, self.overwrite = plan, overwrite
        self.count = plan.report.tables["tenants"]
        self.all = list(Tenant.objects.select_related("room"))
        self.rooms = {room.name.casefold(): room for room in Room.objects.all()}
        self.by_legacy = {t.legacy_id: t for t in self.all if t.legacy_id}
        self.by_name = {t.name.casefold(): t for t in self.all}
        self.touched: set[int] = set()  # pks of the saved tenants already compared

    def find(self, name: str = "", legacy_id: str = ""):
        return (self.by_legacy.get(legacy_id) if legacy_id else None) or self.by_name.get(
            name.casefold()
        )

    def _add(self, tenant: Tenant, *, file: str, where: str) -> Tenant:
        """A new tenant, checked as the admin's form checks one (a name like `=HYPERLINK(1)`
        is a problem of the file that names it, at the field's path)."""
        try:
            tenant.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.plan.problems.append(
                    Problem(file, f"{where}.{field}", " ".join(str(m) for m in messages))
                )
        self.plan.tenants.create.append(tenant)
        self.count.created += 1
        self.by_name[tenant.name.casefold()] = tenant
        if tenant.legacy_id:
            self.by_legacy[tenant.legacy_id] = tenant
        return tenant

    def room(self, name: str, where: str, adjustment=None, description="", stamps=None) -> Room:
        """The room called `name` (capital letters do not count), created when new. A room the
        database holds keeps its values (the admin is where rooms change)."""
        room = self.rooms.get(name.casefold())
        if room is None:
            room = Room(name=name, adjustment=adjustment or 0, description=description)
            self.rooms[name.casefold()] = room
            self.plan.rooms.create.append(room)
            if stamps and any(stamps.values()):
                self.plan.timestamps.append((room, stamps))
            self.plan.report.notes.append(f"created room {name} ({where})")
        elif room.pk is not None and adjustment is not None and room.adjustment != adjustment:
            self.plan.report.conflicts.append(
                f"room {name}: adjustment is {show(room.adjustment)} in the database, "
                f"{show(adjustment)} in {where}"
            )
        return room

    def apply_exports(self, bundle: Bundle) -> None:
        compared = []  # (tenant, the file's values, where) of the saved tenants the files name
        for export in bundle.exports:
            for record in export.rooms:
                where = f"{export.file}: {record.where}"
                stamps = {"created_at": record.created_at, "updated_at": record.updated_at}
                self.room(record.name, where, record.adjustment, record.description, stamps)
        for export in bundle.exports:
            for record in export.tenants:
                values = {name: getattr(record, name) for name in TENANT_FIELDS} | record.stay
                if record.room_name:
                    values["room"] = self.room(record.room_name, f"{export.file}: {record.where}")
                tenant = self.find(record.name, record.legacy_id)
                if tenant is None:
                    tenant = self._add(Tenant(**values), file=export.file, where=record.where)
                    stamps = {"created_at": record.created_at, "updated_at": record.updated_at}
                    if any(stamps.values()):
                        self.plan.timestamps.append((tenant, stamps))
                    continue
                if tenant.pk is None or tenant.pk in self.touched:
                    continue
                self.touched.add(tenant.pk)
                compared.append((tenant, values, f"{export.file}: {record.where}"))
        differences = [(t, v, w, _tenant_differences(t, v)) for t, v, w in compared]
        made_elsewhere = made_outside_the_import(
            Tenant, [t for t, _, _, (_, d) in differences if d]
        )
        for tenant, values, where, (filled, differing) in differences:
            if differing and tenant.pk in made_elsewhere:
                self.count.skipped += 1
                self.plan.report.skipped.append(
                    kept(f"tenant {tenant.name}", _tenant_conflict(differing, where))
                )
                continue
            self._apply(tenant, values, where, filled, differing)

    def _apply(self, tenant: Tenant, values: dict, where: str, filled, differing) -> None:
        if differing and not self.overwrite:
            self.count.conflicts += 1
            for difference in differing:
                self.plan.report.conflicts.append(
                    f"tenant {tenant.name}: {_tenant_conflict([difference], where)}"
                )
        changed = filled + ([name for name, *_ in differing] if self.overwrite else [])
        if changed:
            for name in changed:
                setattr(tenant, name, values[name])
            self.plan.tenants.mark(tenant, *changed)
            self.count.updated += 1
        elif not differing:
            self.count.unchanged += 1

    def for_history(self, name: str, record: HistoryRecord) -> Tenant:
        tenant = self.find(name)
        if tenant is None:
            tenant = self._add(Tenant(name=name), file=record.file, where=f"roommates.{name}")
            self.plan.report.notes.append(
                f"created tenant {name} (name only): named in {record.file}, matches no tenant"
            )
        elif tenant.pk is not None and tenant.pk not in self.touched:
            self.touched.add(tenant.pk)
            self.count.unchanged += 1
        return tenant


def _tenant_differences(tenant: Tenant, values: dict) -> tuple[list, list]:
    """The fields the files fill in (empty in the database), and those that differ."""
    filled, differing = [], []
    for name, value in values.items():
        current = getattr(tenant, name)
        if current == value:
            continue
        if blank(current):
            filled.append(name)
        elif not blank(value) or name not in ("email", "legacy_id"):
            differing.append((name, current, value))
    return filled, differing


# Fields whose values the import's report never prints (it is read by whoever runs it).
UNSHOWN = {"personnummer"}


def _tenant_conflict(differing: list, where: str) -> str:
    return "; ".join(
        f"{name} differs between the database and {where}"
        if name in UNSHOWN
        else f"{name} is {show(current)} in the database, {show(value)} in {where}"
        for name, current, value in differing
    )
