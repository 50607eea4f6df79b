"""Import and export of the rent tables in the admin (django-import-export).

Files are for people: tenants are referenced by name, months are written `2025-09`, and
amounts may use a Swedish decimal comma (`1 234,50`). Exporting and importing the same file
changes nothing (unchanged rows are skipped, so no history entries are made either).
"""

import re
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.results import Error

from household.text_rules import FORMULA_STARTS
from rent.formatting import MoneyInputError, parse_amount
from rent.ledger.payments import PAID_AMOUNT_NOTE
from rent.models import CoOwnedItem, RentConfig, RentLedger, Room, Tenant


class AmountWidget(widgets.DecimalWidget):
    """Decimals that accept a Swedish decimal comma and spaces between thousands."""

    def clean(self, value, row=None, **kwargs):
        try:
            return parse_amount(value)
        except MoneyInputError as error:
            # django-import-export shows the error's text: give it the sentence in Swedish.
            raise ValueError(error.message) from None


class MonthWidget(widgets.Widget):
    """A month as `2025-09` (also `2025-09-01`); a day other than the 1st is an error."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, date):
            month = value
        else:
            text = str(value).strip()[:10]
            match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", text)
            if not match:
                raise ValueError(_("Not a month (expected YYYY-MM): %(value)s") % {"value": value})
            year, month_number, day = match.groups()
            try:
                month = date(int(year), int(month_number), int(day or 1))
            except ValueError:
                raise ValueError(
                    _("Not a month (expected YYYY-MM): %(value)s") % {"value": value}
                ) from None
        if month.day != 1:
            raise ValueError(
                _("A month must be the first day of the month: %(value)s") % {"value": value}
            )
        return month

    def render(self, value, obj=None, **kwargs):
        return f"{value:%Y-%m}" if value else ""


class NameWidget(widgets.ForeignKeyWidget):
    """A row of `model` by its name, ignoring case (names are unique case-insensitively); a
    name no row has is an error, `unknown`."""

    model: type
    unknown: str  # with %(name)s

    def __init__(self, **kwargs):
        super().__init__(self.model, field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        name = (value or "").strip()
        if not name:
            return None
        try:
            return self.model.objects.get(name__iexact=name)
        except self.model.DoesNotExist:
            raise ValueError(str(self.unknown) % {"name": name}) from None


class TenantWidget(NameWidget):
    model = Tenant
    unknown = gettext_lazy("No tenant is called %(name)s")


class RoomWidget(NameWidget):
    """Rooms are made in the admin, with their adjustment: a file names one that exists."""

    model = Room
    unknown = gettext_lazy("No room is called %(name)s")


class TenantNamesWidget(widgets.ManyToManyWidget):
    """Several tenants by name, separated by commas: `Adam, Bea`. An unknown name is an error."""

    def __init__(self, **kwargs):
        super().__init__(Tenant, separator=",", field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        names = [name.strip() for name in str(value or "").split(",") if name.strip()]
        tenants = []
        for name in names:
            tenants.append(TenantWidget().clean(name))
        return tenants

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(tenant.name for tenant in value.all())


def amount_field(attribute: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=attribute, widget=AmountWidget())


PLAIN_NUMBER = re.compile(r"[+-]?\d[\d \u00a0]*(?:[.,]\d+)?")


def neutralise_cell(value):
    """A text cell a spreadsheet would run as a formula (it starts with = + - @ tab or CR) gets a
    leading apostrophe, which spreadsheets show as text (OWASP's advice). Numbers stay numbers:
    `-1400.00` is a plain amount, not a formula."""
    formula = isinstance(value, str) and value.startswith(FORMULA_STARTS)
    return "'" + value if formula and not PLAIN_NUMBER.fullmatch(value) else value


def restore_cell(value):
    """The inverse on import: an exported file reads back as it was."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class FileProblem(ValueError):
    """The whole file cannot be imported (too many rows, a missing column): said in words."""


class MessageOnlyError(Error):
    """A file-level error shown without a traceback: no server paths in the page (the
    traceback is logged at debug level by django-import-export)."""

    @property
    def traceback(self):
        return ""


class StylelessDiff(resources.Diff):
    """The import preview's diff of each changed row, as django-import-export draws it (with
    diff-match-patch) but without its inline `style` attributes, which the
    Content-Security-Policy blocks: plain <ins> and <del>, coloured by kimonokittens/admin.css.
    (tests/security/test_csp.py fails should diff-match-patch change its markup.)"""

    STYLED = re.compile(r'<(ins|del) style="[^"]*">')

    def as_html(self):
        # diff-match-patch escapes the text itself: only its own tags are left to change.
        unstyled = [self.STYLED.sub(r"<\1>", html) for html in super().as_html()]
        return [mark_safe(html) for html in unstyled]  # noqa: S308 - escaped above


class HouseResource(resources.ModelResource):
    """What every rent resource shares: validated rows, and unchanged rows left alone."""

    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_error_result_class(self):
        return MessageOnlyError

    def get_diff_class(self):
        return StylelessDiff

    def export_field(self, field, instance, **kwargs):
        """Every exported cell, in CSV, XLSX and JSON alike, is formula-safe."""
        return neutralise_cell(super().export_field(field, instance, **kwargs))

    def import_row(self, row, instance_loader, **kwargs):
        for column, value in list(row.items()):
            row[column] = restore_cell(value)
        return super().import_row(row, instance_loader, **kwargs)

    def before_import(self, dataset, **kwargs):
        """A file over ADMIN_IMPORT_MAX_ROWS rows, or missing a column that identifies its
        rows, is refused before any row is read, with a message naming the limit or column."""
        super().before_import(dataset, **kwargs)
        limit = settings.ADMIN_IMPORT_MAX_ROWS
        if len(dataset) > limit:
            raise FileProblem(
                _(
                    "The file has %(rows)s rows; the admin imports at most %(limit)s at a time. "
                    "Split it, or use `manage.py import_rent` on the server."
                )
                % {"rows": len(dataset), "limit": limit}
            )
        headers = {str(header).strip() for header in (dataset.headers or [])}
        missing = [
            self.fields[name].column_name
            for name in self.get_import_id_fields()
            if name in self.fields and self.fields[name].column_name not in headers
        ]
        if missing and missing != ["id"]:
            raise FileProblem(
                _("The file has no column %(columns)s, which says which row each line is.")
                % {"columns": ", ".join(f"“{column}”" for column in missing)}
            )

    def get_instance(self, instance_loader, row):
        """An unreadable id column is reported against its column by `import_instance`."""
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None


class TenantResource(HouseResource):
    """A tenant with their stay (rent.engine.stays: phone, room, the stay's dates, both
    deposits); never the personnummer, which leaves the database only in the household backup."""

    name = fields.Field(attribute="name", column_name="name")
    room_adjustment = amount_field("room_adjustment")
    room = fields.Field(attribute="room", column_name="room", widget=RoomWidget())
    deposit = amount_field("deposit")
    deposit_returned = amount_field("deposit_returned")
    furnishing_deposit = amount_field("furnishing_deposit")
    furnishing_deposit_returned = amount_field("furnishing_deposit_returned")

    class Meta(HouseResource.Meta):
        model = Tenant
        fields = [
            "name",
            "email",
            "start_date",
            "departure_date",
            "room_adjustment",
            "legacy_id",
            "phone",
            "room",
            "interested_on",
            "signed_on",
            "notice_given_on",
            "deposit",
            "deposit_paid_on",
            "deposit_returned",
            "deposit_returned_on",
            "furnishing_deposit",
            "furnishing_deposit_paid_on",
            "furnishing_deposit_returned",
            "furnishing_deposit_returned_on",
        ]
        import_id_fields = ["name"]

    def get_queryset(self):
        return super().get_queryset().select_related("room")

    def get_instance(self, instance_loader, row):
        name = (row.get("name") or "").strip()
        return Tenant.objects.filter(name__iexact=name).first() if name else None

    def before_import_row(self, row, **kwargs):
        for column in ("email", "legacy_id", "phone"):
            if column in row and row[column] is None:
                row[column] = ""


class RentConfigResource(HouseResource):
    period = fields.Field(attribute="period", column_name="period", widget=MonthWidget())
    value = amount_field("value")

    class Meta(HouseResource.Meta):
        model = RentConfig
        fields = ["period", "key", "value"]
        import_id_fields = ["period", "key"]


class RentLedgerResource(HouseResource):
    tenant = fields.Field(attribute="tenant", column_name="tenant", widget=TenantWidget())
    rent_month = fields.Field(
        attribute="rent_month", column_name="rent_month", widget=MonthWidget()
    )
    amount_due = amount_field("amount_due")
    amount_paid = amount_field("amount_paid")
    days_stayed = amount_field("days_stayed")
    room_adjustment = amount_field("room_adjustment")

    class Meta(HouseResource.Meta):
        model = RentLedger
        fields = [
            "rent_month",
            "tenant",
            "amount_due",
            "amount_paid",
            "paid_on",
            "days_stayed",
            "room_adjustment",
        ]
        import_id_fields = ["tenant", "rent_month"]

    def get_queryset(self):
        return super().get_queryset().select_related("tenant")

    def before_import_row(self, row, **kwargs):
        if "amount_paid" in row and row["amount_paid"] in (None, ""):
            row["amount_paid"] = "0"

    def before_import(self, dataset, **kwargs):
        """The data version first (before any row is written), as every writer does; the
        tenants whose months change are allocated once each, at the end (`after_import`)."""
        from rent.versioning import bump_data_version

        super().before_import(dataset, **kwargs)
        bump_data_version()
        self.touched_tenants = set()

    def do_instance_save(self, instance, is_create):
        """A paid amount in the file becomes a payment of the difference to what the month
        shows as paid (the row's own paid amount is derived from payments)."""
        from rent.ledger.payments import month_payment_fields, new_payment, paid_difference
        from rent.models import PaymentSource

        typed_paid, typed_on = instance.amount_paid, instance.paid_on
        saved = None if is_create else (
            RentLedger.objects.filter(pk=instance.pk).values("amount_paid", "paid_on").first()
        )  # fmt: skip
        seen = saved["amount_paid"] if saved else Decimal(0)
        instance.amount_paid, instance.paid_on = seen, saved["paid_on"] if saved else None
        super().do_instance_save(instance, is_create)
        self.touched_tenants.add(instance.tenant_id)
        difference = paid_difference(row=instance, paid=typed_paid, so_far=seen)
        if typed_paid is not None and difference:
            payment = new_payment(
                **month_payment_fields(
                    row=instance,
                    difference=difference,
                    on=typed_on,
                    source=PaymentSource.IMPORT,
                    note=PAID_AMOUNT_NOTE,
                )
            )
            # Allocated once the whole file is saved (`after_import`); the preview shows
            # the month as the file has it.
            instance.amount_paid, instance.paid_on = typed_paid, payment.paid_on

    def after_import(self, dataset, result, **kwargs):
        from rent.ledger.payments import reallocate_all

        reallocate_all(self.touched_tenants)
        super().after_import(dataset, result, **kwargs)


class CoOwnedItemResource(HouseResource):
    value = amount_field("value")
    owners = fields.Field(attribute="owners", column_name="owners", widget=TenantNamesWidget())

    class Meta(HouseResource.Meta):
        model = CoOwnedItem
        fields = ["id", "name", "description", "purchase_date", "value", "owners"]
        import_id_fields = ["id"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("owners")

    def before_import_row(self, row, **kwargs):
        if "description" in row and row["description"] is None:
            row["description"] = ""
