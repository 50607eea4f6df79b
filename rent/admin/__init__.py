"""The admin is the household's workplace: people, bills, the month's split, payments, items.

Rules live in the models' query helpers, rent.ledger's services and the rent engine; this
package only arranges them for people: the model admins (here), the month's pages (views), their
forms (forms), the spreadsheet import and export (resources, with its limits in import_limits).
Every change list runs a fixed number of queries, whatever the number of rows (see
tests/rent/test_admin_queries.py).
"""

import dataclasses
import json
from collections.abc import Sequence
from decimal import Decimal

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import display_for_value, flatten_fieldsets
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db import router
from django.db.models.signals import post_save
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from household.roles import is_treasurer
from rent.admin import views as admin_views
from rent.admin.forms import (
    LedgerRowForm,
    MonthField,
    PaymentForm,
    RentConfigForm,
    TenantForm,
    save_ledger_row_form,
)
from rent.admin.import_limits import LimitedImportMixin
from rent.admin.resources import (
    CoOwnedItemResource,
    RentConfigResource,
    RentLedgerResource,
    TenantResource,
)
from rent.engine.stays import StayStatus
from rent.fields import MoneyField
from rent.formatting import format_balance, format_kronor, format_money_input
from rent.ledger.balances import with_balance
from rent.ledger.claims import ClaimError, confirm_claim, reject_claim
from rent.ledger.payments import (
    delete_ledger_rows,
    delete_payments,
    mark_paid_in_full,
    save_payment,
)
from rent.models import (
    BankTransaction,
    CoOwnedItem,
    Payment,
    PaymentClaim,
    ReminderLog,
    RentCalculation,
    RentConfig,
    RentLedger,
    Room,
    SmsLog,
    Tenant,
)
from rent.versioning import request_version

# The treasurer starts at the index: the two month pages are linked from there.
admin.site.index_template = "admin/rent/index.html"
admin.site.site_header = _("Kimonokittens")
admin.site.site_title = _("Kimonokittens")
admin.site.index_title = _("The house")
# No list of every model beside each page: the index lists them, and a change list gets the
# whole width (at 1280 px the ledger's "Kvar" and "Försenad" were pushed out of sight).
admin.site.enable_nav_sidebar = False


def month_label(month) -> str:
    """A month as the household says it: "oktober 2025" (in the active language)."""
    return date_format(month, "F Y") if month else ""


# A change list shows this many rows a page: the page costs the same after ten years of rows
# (each row is rendered; the filters, the date links and the paginator narrow the rest).
LIST_PER_PAGE = 50
# The long lists' table and date links, rendered once per data version (see the template).
CACHED_CHANGE_LIST = "admin/rent/cached_change_list.html"


class PageRows(Sequence):
    """A change list page's rows that know how many they are before they are read: the page
    asks for their number (the "0 of 50 selected" note) on every reading, the rows themselves
    only when the table is drawn, which a kept table is not."""

    def __init__(self, rows, length: int):
        self.rows, self.length = rows, length

    def __len__(self):
        return self.length

    def __getitem__(self, index):
        return self.rows[index]

    def __iter__(self):
        return iter(self.rows)


class KeptRowsChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        if self.list_editable:
            return  # the rows' forms are built from the queryset itself
        if self.multi_page and not (self.show_all and self.can_show_all):
            page = self.paginator.page(self.page_num)  # counted already: no query
            length = page.end_index() - page.start_index() + 1
        else:
            length = self.result_count
        self.result_list = PageRows(self.result_list, length)


class KeptListMixin:
    """A list whose table, date links and rows are kept under the data version
    (CACHED_CHANGE_LIST): ten years of rows cost a page the same, and a page read again reads
    the count, not the rows. For lists whose rows are the whole household's for every reader."""

    change_list_template = CACHED_CHANGE_LIST
    list_per_page = LIST_PER_PAGE

    def get_changelist(self, request, **kwargs):
        return KeptRowsChangeList


# Django's own words (its catalogue translates them), named here so makemessages leaves them.
ACTION_CHECKBOX_LABEL = "Select this object for an action - {}"


class QuickActionCheckboxMixin:
    """The change list's row checkbox as Django draws it, without rendering a form widget's
    template for every row (that was a third of a list's time)."""

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext(ACTION_CHECKBOX_LABEL), str(obj)),
        )


class ReadOnlyMixin:
    """Rows made only by the app's own services (a saved version, a reminder sent): readable,
    never added, changed or deleted by hand, not even by the treasurer."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class KronorHistoryContext(HistoricalRecordContextHelper):
    """The history of changes shows money as the household reads it: `-1 400 kr`; fields in
    `hidden` (the personnummer, to all but the treasurer) are left out."""

    def __init__(self, *args, hidden=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.hidden = set(hidden)

    def context_for_delta_changes(self, delta):
        shown = [change for change in delta.changes if change.field not in self.hidden]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=shown))

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if isinstance(field, MoneyField) and value is not None:
            return format_kronor(value)
        return value


class HouseAdmin(
    QuickActionCheckboxMixin,
    LimitedImportMixin,
    ImportExportModelAdmin,
    SimpleHistoryAdmin,
):
    """Import/export for those allowed to add and change rows, history for everyone."""

    list_per_page = LIST_PER_PAGE

    formats = [base_formats.CSV, base_formats.XLSX, base_formats.JSON]
    # The history in the project's words (translated): who, when, each field's old → new.
    object_history_template = "admin/rent/object_history.html"
    object_history_list_template = "admin/rent/object_history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return KronorHistoryContext(self.model, historical_record)

    def may(self, request, action: str) -> bool:
        """The user holds the model's permission for `action` ("add", "change", ...)."""
        codename = get_permission_codename(action, self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    def has_import_permission(self, request):
        return self.may(request, "add") and self.may(request, "change")

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def revert_disabled(self, request, obj=None):
        """Only those who may change the whole row are offered to go back to a version."""
        return super().revert_disabled(request, obj) or not self.may(request, "change")

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting to an old version is a change of the whole row: full change rights only."""
        if not self.may(request, "change"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


# Tenants ------------------------------------------------------------------------------------


class TenantStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("living_here", _("living here")),
            ("moving_in", _("moving in")),
            ("moved_out", _("moved out")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "living_here":
            return queryset.living_here(today)
        if self.value() == "moving_in":
            return queryset.moving_in(today)
        if self.value() == "moved_out":
            return queryset.moved_out(today)
        return queryset


STAY_LABELS = {
    StayStatus.INTERESTED: _("interested"),
    StayStatus.SIGNED: _("signed, moving in"),
    StayStatus.LIVING_HERE: _("living here"),
    StayStatus.LEAVING: _("leaving"),
    StayStatus.MOVED_OUT: _("moved out"),
}


def tenant_status(tenant, today) -> str:
    """Where the tenant is in their stay today, from the dates that move it (rent.engine.stays)."""
    return STAY_LABELS[tenant.stay_status(today)]


# The tenant's page shows this many of their latest months, read only; the ledger list has
# them all, and each month's own page edits it.
RECENT_LEDGER_MONTHS = 12


def save_row_recording_payment(request, row, form) -> None:
    save_ledger_row_form(row=row, form=form, recorded_by=request.user)


@admin.register(Tenant)
class TenantAdmin(KeptListMixin, HouseAdmin):
    """Everyone who ever lived here, with their balance."""

    resource_classes = [TenantResource]
    list_display = [
        "name",
        "start_date",
        "departure_date",
        "status",
        "room_adjustment_kronor",
        "balance_kronor",
    ]
    list_filter = [TenantStatusFilter]
    search_fields = ["name", "email"]
    date_hierarchy = "start_date"
    form = TenantForm
    fieldsets = [
        (None, {"fields": ["name", "email", "phone", "personnummer", "room", "room_adjustment"]}),
        (
            _("The stay"),
            {
                "fields": [
                    "interested_on",
                    "signed_on",
                    "start_date",
                    "notice_given_on",
                    "departure_date",
                ],
                "description": _(
                    "The status follows from these days: interested, signed, living here "
                    "(from the moving-in day), leaving (notice given or a moving-out day set), "
                    "moved out."
                ),
            },
        ),
        (
            _("Deposits"),
            {
                "fields": [
                    ("deposit", "deposit_paid_on"),
                    ("deposit_returned", "deposit_returned_on"),
                    ("furnishing_deposit", "furnishing_deposit_paid_on"),
                    ("furnishing_deposit_returned", "furnishing_deposit_returned_on"),
                ]
            },
        ),
        (
            None,
            {
                "fields": [
                    "legacy_id",
                    "payer_names",
                    "rent_reminders",
                    "sms_reminders",
                    "login",
                    "ledger_months",
                ]
            },
        ),
    ]
    readonly_fields = ["login", "ledger_months"]
    # Only their contact details: what a member may change on their own row (reminders are
    # turned off on their statement page).
    own_contact_fields = ["email", "phone", "sms_reminders"]

    def get_queryset(self, request):
        return with_balance(super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        tenant = super().get_object(request, object_id, from_field)
        if tenant is not None:  # the version this request read: ledger_months keeps under it
            tenant.read_at_version = request_version(request)
        return tenant

    @admin.display(description=_("months in the ledger"))
    def ledger_months(self, tenant):
        """The tenant's latest months, read only (each links to its own page, where a person
        edits that one row), and the ledger list with all of them. The page costs the same
        after ten years: no form per row, RECENT_LEDGER_MONTHS rows, two queries, and none
        when the page is read again before the next write (kept under the data version, the
        day, which decides "overdue", and the language)."""
        if tenant is None or tenant.pk is None:
            return "–"
        version = getattr(tenant, "read_at_version", None)
        if version is None:
            return self._ledger_months(tenant)
        key = f"rent:tenant-months:{version}:{tenant.pk}:{timezone.localdate()}:{get_language()}"
        return admin_views.kept(key, lambda: self._ledger_months(tenant))

    def _ledger_months(self, tenant) -> str:
        count = tenant.ledger_rows.count()
        latest = tenant.ledger_rows.with_outstanding().order_by("-rent_month")
        today = timezone.localdate()
        rows = [
            {
                "ledger": row,
                "url": reverse("admin:rent_rentledger_change", args=[row.pk]),
                "left": row.amount_due - row.amount_paid,
                # As the ledger list's "overdue" column (RentLedgerAdmin.overdue): one rule.
                "overdue": display_for_value(row.is_overdue(today), "", boolean=True),
            }
            for row in latest[:RECENT_LEDGER_MONTHS]
        ]
        headings = [
            _("rent month"),
            _("amount due"),
            _("amount paid"),
            RentLedger._meta.get_field("paid_on").verbose_name,
            _("left"),
            _("overdue"),
        ]
        summary = ngettext(
            "%(count)d month; the latest %(shown)d are below.",
            "%(count)d months; the latest %(shown)d are below.",
            count,
        ) % {"count": count, "shown": len(rows)}
        return render_to_string(
            "admin/rent/_tenant_months.html",
            {
                "summary": summary,
                "all_url": reverse("admin:rent_rentledger_changelist")
                + f"?tenant__id__exact={tenant.pk}",
                "headings": [capfirst(heading) for heading in headings],
                "rows": rows,
            },
        )

    @admin.display(description=_("status"))
    def status(self, tenant):
        return tenant_status(tenant, timezone.localdate())

    @admin.display(description=_("room adjustment"), ordering="room_adjustment")
    def room_adjustment_kronor(self, tenant):
        return format_kronor(tenant.room_adjustment)

    @admin.display(description=_("balance"), ordering="balance")
    def balance_kronor(self, tenant):
        return format_balance(tenant.balance)

    def is_own_row(self, request, obj) -> bool:
        return obj is not None and obj.user_id is not None and obj.user_id == request.user.pk

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self.is_own_row(request, obj)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self.is_own_row(request, obj)

    # Shown to the treasurer alone (and left out of the history of changes for the others).
    TREASURER_ONLY = {"personnummer"}

    def get_historical_record_context_helper(self, request, historical_record):
        hidden = () if is_treasurer(request.user) else self.TREASURER_ONLY
        return KronorHistoryContext(self.model, historical_record, hidden=hidden)

    def get_fieldsets(self, request, obj=None):
        if super().has_change_permission(request, obj) and is_treasurer(request.user):
            return self.fieldsets
        # A member reading their own row sees their login, without the treasurer's buttons;
        # never the personnummer.

        def for_member(names):
            return [
                name if name != "login" else "login_name"
                for name in names
                if name not in self.TREASURER_ONLY
            ]

        return [
            (title, {**options, "fields": for_member(options["fields"])})
            for title, options in self.fieldsets
        ]

    @admin.display(description=_("login"))
    def login_name(self, tenant):
        return tenant.user.get_username() if tenant and tenant.user_id else "–"

    def get_readonly_fields(self, request, obj=None):
        if super().has_change_permission(request, obj):
            return self.readonly_fields
        return [
            name
            for name in flatten_fieldsets(self.get_fieldsets(request, obj))
            if name not in self.own_contact_fields
        ]

    @admin.display(description=_("login"))
    def login(self, tenant):
        """The tenant's login, and the treasurer's button to create it or send a new link."""
        if tenant is None or tenant.pk is None:
            return _("Save the tenant first; then a login can be created here.")
        url = reverse("admin:rent_tenant_login", args=[tenant.pk])
        if tenant.user_id:
            return format_html(
                '{} ({}) <button type="submit" class="button" formaction="{}" '
                'formnovalidate name="_login" id="send-login-link">{}</button>',
                tenant.user.get_username(),
                tenant.user.email or "–",
                url,
                _("Email a new link to set the password"),
            )
        return format_html(
            '{} <button type="submit" class="button" formaction="{}" formnovalidate '
            'name="_login" id="create-login">{}</button>',
            _("No login yet."),
            url,
            _("Create a login and email a link to set the password"),
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.login_view)
        return [path("<int:pk>/inloggning/", view, name="rent_tenant_login"), *super().get_urls()]

    def login_view(self, request, pk):
        """Create the tenant's login (group Boende) and email a set-password link; or send a
        new link. The treasurer's job: anyone who may change tenants."""
        from django.http import HttpResponseNotAllowed, HttpResponseRedirect
        from django.shortcuts import get_object_or_404

        from household.logins import LoginError, create_login, send_set_password_link

        tenant = get_object_or_404(Tenant, pk=pk)
        if not super().has_change_permission(request, tenant):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            user = tenant.user or create_login(tenant=tenant)
            send_set_password_link(user=user, request=request)
        except LoginError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            self.message_user(
                request,
                _("%(name)s's login is %(username)s; a link to set the password was sent to "
                  "%(email)s.")
                % {"name": tenant.name, "username": user.get_username(), "email": user.email},
                messages.SUCCESS,
            )  # fmt: skip
        return HttpResponseRedirect(reverse("admin:rent_tenant_change", args=[tenant.pk]))


@admin.register(Room)
class RoomAdmin(HouseAdmin):
    """The house's rooms and their adjustments; a tenant's room fills in their adjustment."""

    list_display = ["name", "adjustment_kronor", "tenants_now"]
    search_fields = ["name"]
    fields = ["name", "adjustment", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tenants")

    @admin.display(description=_("room adjustment"), ordering="adjustment")
    def adjustment_kronor(self, room):
        return format_kronor(room.adjustment)

    @admin.display(description=_("living here"))
    def tenants_now(self, room):
        today = timezone.localdate()
        names = [
            tenant.name
            for tenant in room.tenants.all()
            if tenant.stay_status(today) in (StayStatus.LIVING_HERE, StayStatus.LEAVING)
        ]
        return ", ".join(names) or "–"


# Config rows and the month's bills -----------------------------------------------------------


@admin.register(RentConfig)
class RentConfigAdmin(KeptListMixin, HouseAdmin):
    """The bills, about ten a month: the longest list in time."""

    resource_classes = [RentConfigResource]
    form = RentConfigForm
    list_display = ["config_month", "key", "value_kronor", "updated_at"]
    list_filter = ["key"]
    search_fields = ["key"]
    date_hierarchy = "period"
    ordering = ["-period", "key"]

    @admin.display(description=_("config month"), ordering="period")
    def config_month(self, row):
        return month_label(row.period)

    @admin.display(description=_("value"), ordering="value")
    def value_kronor(self, row):
        return format_kronor(row.value)

    def get_urls(self):
        month_costs = self.admin_site.admin_view(admin_views.MonthCostsView.as_view(admin=self))
        return [
            path("manad/", month_costs, name="rent_month_costs"),
            path("manad/<str:month>/", month_costs, name="rent_month_costs"),
            *super().get_urls(),
        ]


# Calculations: read-only history, and the month's split ------------------------------------


@admin.register(RentCalculation)
class RentCalculationAdmin(
    KeptListMixin, QuickActionCheckboxMixin, ReadOnlyMixin, admin.ModelAdmin
):
    """History is never edited, only superseded: new versions come from "Månadens hyra"."""

    list_display = ["config_month_label", "version", "status", "title", "total", "calculated_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    date_hierarchy = "config_month"
    ordering = ["-config_month", "-version"]
    readonly_fields = [
        "config_month",
        "version",
        "status",
        "title",
        "calculated_at",
        "inputs_in_order",
        "results_in_order",
    ]
    fields = [*readonly_fields, "source"]

    @admin.display(description=_("config month"), ordering="config_month")
    def config_month_label(self, calculation):
        return month_label(calculation.config_month)

    # PostgreSQL's jsonb re-sorts object keys: show the roommates in the split's order.
    @admin.display(description=_("inputs"))
    def inputs_in_order(self, calculation):
        inputs = calculation.inputs
        if isinstance(inputs, dict) and isinstance(inputs.get("roommates"), dict):
            inputs = {**inputs, "roommates": calculation.ordered_roommates()}
        return json.dumps(inputs, ensure_ascii=False)

    @admin.display(description=_("results"))
    def results_in_order(self, calculation):
        return json.dumps(calculation.ordered_results(), ensure_ascii=False)

    @admin.display(description=_("total charged"))
    def total(self, calculation):
        return format_kronor(Decimal(sum(calculation.saved.amounts().values())))

    def get_urls(self):
        month_rent = self.admin_site.admin_view(admin_views.MonthRentView.as_view(admin=self))
        return [
            path("manad/", month_rent, name="rent_month_rent"),
            path("manad/<str:month>/", month_rent, name="rent_month_rent"),
            *super().get_urls(),
        ]


# Payments ----------------------------------------------------------------------------------


class PaymentFilter(admin.SimpleListFilter):
    title = _("payment")
    parameter_name = "payment"

    def lookups(self, request, model_admin):
        return [("unpaid", _("unpaid")), ("overdue", _("overdue")), ("paid", _("paid"))]

    def queryset(self, request, queryset):
        if self.value() == "unpaid":
            return queryset.unpaid()
        if self.value() == "overdue":
            return queryset.overdue(timezone.localdate())
        if self.value() == "paid":
            return queryset.exclude(pk__in=queryset.unpaid().values("pk"))
        return queryset


def payment_form_url(row) -> str:
    """The payment form, filled in for the row: its tenant and month, what is left, today."""
    from urllib.parse import urlencode

    left = max(row.amount_due - row.amount_paid, Decimal(0))
    query = urlencode(
        {
            "tenant": row.tenant_id,
            "for_month": row.rent_month.isoformat(),
            "amount": format_money_input(left),
            "paid_on": timezone.localdate().isoformat(),
        }
    )
    return f"{reverse('admin:rent_payment_add')}?{query}"


@admin.register(RentLedger)
class RentLedgerAdmin(KeptListMixin, HouseAdmin):
    resource_classes = [RentLedgerResource]
    form = LedgerRowForm
    list_display = [
        "rent_month_label",
        "tenant",
        "amount_due_kronor",
        "amount_paid_kronor",
        "paid_on",
        "outstanding_kronor",
        "overdue",
        "record_payment_link",
    ]
    # The paid amount follows from the payments (rent.ledger.payments): never an editable column;
    # recording a payment is the row's link or the action, both opening the payment form.
    list_filter = [PaymentFilter, "tenant"]
    list_select_related = ["tenant"]
    search_fields = ["tenant__name"]
    date_hierarchy = "rent_month"
    ordering = ["-rent_month", "tenant__name"]
    actions = ["record_a_payment", "paid_in_full_today"]
    raw_id_fields = ["calculation"]

    class Media:
        css = {"all": ["rent/admin_phone.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_outstanding()

    @admin.display(description=_("rent month"), ordering="rent_month")
    def rent_month_label(self, row):
        return month_label(row.rent_month)

    @admin.display(description=_("amount due"), ordering="amount_due")
    def amount_due_kronor(self, row):
        return format_kronor(row.amount_due)

    @admin.display(description=_("left"), ordering="outstanding_amount")
    def outstanding_kronor(self, row):
        return format_balance(row.amount_due - row.amount_paid)

    @admin.display(description=_("amount paid"), ordering="amount_paid")
    def amount_paid_kronor(self, row):
        return format_kronor(row.amount_paid)

    @admin.display(description=_("payment"))
    def record_payment_link(self, row):
        if row.amount_due <= row.amount_paid:
            return ""
        return format_html(
            '<a href="{}" class="record-payment">{}</a>',
            payment_form_url(row),
            _("Record a payment"),
        )

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        if request.user.has_perm("rent.add_payment"):
            return shown
        return [name for name in shown if name != "record_payment_link"]

    def save_model(self, request, obj, form, change):
        save_row_recording_payment(request, obj, form)

    def delete_model(self, request, obj):
        delete_ledger_rows(rows=[obj])

    def delete_queryset(self, request, queryset):
        delete_ledger_rows(rows=queryset)

    def get_urls(self):
        balances = self.admin_site.admin_view(admin_views.BalancesView.as_view(admin=self))
        return [path("saldo/", balances, name="rent_balances"), *super().get_urls()]

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, row):
        return row.is_overdue(timezone.localdate())

    @admin.action(description=_("Record a payment"), permissions=["add_payment"])
    def record_a_payment(self, request, queryset):
        """The payment form, filled in with the selected row's tenant, month and what is left."""
        from django.http import HttpResponseRedirect

        rows = list(queryset.select_related("tenant")[:2])
        if len(rows) != 1:
            self.message_user(
                request, _("Choose one row to record a payment for."), messages.WARNING
            )
            return None
        return HttpResponseRedirect(payment_form_url(rows[0]))

    def has_add_payment_permission(self, request):
        return request.user.has_perm("rent.add_payment")

    @admin.action(description=_("Paid in full today"), permissions=["change"])
    def paid_in_full_today(self, request, queryset):
        selected = queryset.count()
        count = mark_paid_in_full(rows=queryset, on=timezone.localdate(), recorded_by=request.user)
        if count < selected:
            self.message_user(
                request,
                _("%(count)d of the selected rows were already paid in full; left as they are.")
                % {"count": selected - count},
                messages.WARNING,
            )
        self.message_user(
            request,
            ngettext(
                "%(count)d row marked as paid in full today.",
                "%(count)d rows marked as paid in full today.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


# Co-owned items ------------------------------------------------------------------------------


class OwnerInline(admin.TabularInline):
    model = CoOwnedItem.owners.through
    extra = 1
    verbose_name = _("owner")
    verbose_name_plural = _("owners")


@admin.register(CoOwnedItem)
class CoOwnedItemAdmin(HouseAdmin):
    resource_classes = [CoOwnedItemResource]
    list_display = ["name", "purchase_date", "value_kronor", "owner_shares"]
    search_fields = ["name", "description", "owners__name"]
    date_hierarchy = "purchase_date"
    fields = ["name", "description", "purchase_date", "value", "owner_shares"]
    readonly_fields = ["owner_shares"]
    inlines = [OwnerInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("owners")

    @admin.display(description=_("value"), ordering="value")
    def value_kronor(self, item):
        return format_kronor(item.value)

    @admin.display(description=_("each owner's share"))
    def owner_shares(self, item):
        owners = list(item.owners.all()) if item.pk else []
        if not owners:
            return "–"
        share = item.value / len(owners)
        return format_html_join(
            ", ", "{}: {}", ((owner.name, format_kronor(share)) for owner in owners)
        )

    def save_model(self, request, obj, form, change):
        # The owners are saved by the inline after this: record the history once, afterwards.
        obj.skip_history_when_saving = True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        del form.instance.skip_history_when_saving
        # One history entry holding the item and its final owners (simple-history's receiver).
        post_save.send(
            sender=CoOwnedItem,
            instance=form.instance,
            created=not change,
            raw=False,
            using=router.db_for_write(CoOwnedItem),
            update_fields=None,
        )


@admin.register(Payment)
class PaymentAdmin(KeptListMixin, QuickActionCheckboxMixin, SimpleHistoryAdmin):
    """Payments: recorded here, from the ledger ("Record a payment", "Paid in full today"),
    the bank statement or a member's confirmed "I have paid". Saving or deleting one goes
    through rent.ledger.payments, which allocates the tenant's payments again, so the ledger's paid
    amounts follow; an amount far from what is open must be confirmed (PaymentForm)."""

    form = PaymentForm

    list_display = [
        "paid_on",
        "tenant",
        "amount_kronor",
        "method",
        "for_month_label",
        "reference",
        "source",
        "allocated_to",
    ]
    list_filter = ["method", "source", "tenant"]
    list_select_related = ["tenant"]
    search_fields = ["tenant__name", "reference", "message", "note"]
    date_hierarchy = "paid_on"
    fields = [
        "tenant",
        "paid_on",
        "amount",
        "method",
        "for_month",
        "reference",
        "message",
        "note",
        "source",
        "recorded_by",
        "bank_key",
        "confirm_payment",
    ]
    readonly_fields = ["source", "recorded_by", "bank_key"]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An old version's form saves what is posted (simple_history asks only for view
        rights): reverting is a change of the payment, so change rights only, as HouseAdmin."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "for_month":  # a month picker, not a calendar
            return MonthField(
                label=capfirst(db_field.verbose_name),
                required=not db_field.blank,
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("allocations__ledger_row")

    @admin.display(description=_("amount"), ordering="amount")
    def amount_kronor(self, payment):
        return format_kronor(payment.amount)

    @admin.display(description=_("for rent month"), ordering="for_month")
    def for_month_label(self, payment):
        return month_label(payment.for_month)

    @admin.display(description=_("counts toward"))
    def allocated_to(self, payment):
        return ", ".join(
            f"{month_label(a.ledger_row.rent_month)}: {format_kronor(a.amount)}"
            for a in sorted(payment.allocations.all(), key=lambda a: a.ledger_row.rent_month)
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        save_payment(payment=obj)

    def delete_model(self, request, obj):
        delete_payments(payments=[obj])

    def delete_queryset(self, request, queryset):
        delete_payments(payments=queryset)


@admin.register(BankTransaction)
class BankTransactionAdmin(KeptListMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Every line of the imported statements, read only for everyone (a superuser too): each
    line is kept once by its key, so the same statement imported again records nothing twice,
    and a line recorded as a payment stays linked to it. The work is on the bank page, whose
    every write (rent.bank.services) makes a new data version."""

    list_display = ["booked_on", "amount", "counterpart", "text", "status", "tenant", "payment"]
    list_filter = ["status"]
    search_fields = ["counterpart", "text"]
    list_select_related = ["tenant", "payment__tenant"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("rent.view_payment")

    def has_module_permission(self, request):
        return request.user.has_perm("rent.view_payment")

    def get_urls(self):
        from rent.bank import admin_views as bank

        def view(cls):
            return self.admin_site.admin_view(cls.as_view(admin=self))

        return [
            path("statement/", view(bank.BankStatementView), name="rent_bank_statement"),
            path("statement/<int:upload_id>/map/", view(bank.MapColumnsView), name="rent_bank_map"),
            path(
                "statement/<int:upload_id>/preview/",
                view(bank.PreviewView),
                name="rent_bank_preview",
            ),
            *super().get_urls(),
        ]


@admin.register(PaymentClaim)
class PaymentClaimAdmin(QuickActionCheckboxMixin, admin.ModelAdmin):
    """What members say they have paid: the treasurer confirms (it becomes a payment) or says
    it was not found."""

    list_per_page = LIST_PER_PAGE

    list_display = ["created_at", "tenant", "amount_kronor", "paid_on", "message", "status"]
    list_filter = ["status", "tenant"]
    list_select_related = ["tenant"]
    actions = ["confirm", "reject"]
    readonly_fields = ["payment", "decided_at", "decided_by"]

    @admin.display(description=_("amount"), ordering="amount")
    def amount_kronor(self, claim):
        return format_kronor(claim.amount)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Confirm: the money has come"), permissions=["confirm"])
    def confirm(self, request, queryset):
        self._decide(request, queryset, confirm_claim)

    @admin.action(description=_("Not found in the account"), permissions=["confirm"])
    def reject(self, request, queryset):
        self._decide(request, queryset, reject_claim)

    def has_confirm_permission(self, request):
        return request.user.has_perm("rent.add_payment")

    def _decide(self, request, queryset, decide):
        done = 0
        for claim in queryset:
            try:
                decide(claim=claim, by=request.user)
            except ClaimError:
                continue
            done += 1
        self.message_user(request, _("%(count)d decided.") % {"count": done}, messages.SUCCESS)


@admin.register(ReminderLog)
class ReminderLogAdmin(QuickActionCheckboxMixin, ReadOnlyMixin, admin.ModelAdmin):
    """The rent reminders sent by email (send_rent_reminders): read only."""

    list_per_page = LIST_PER_PAGE

    list_display = ["sent_on", "kind", "recipient", "tenant", "rent_month", "amount"]
    list_filter = ["kind", "sent_on"]
    search_fields = ["recipient", "tenant__name"]
    list_select_related = ["tenant"]


@admin.register(SmsLog)
class SmsLogAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The rent reminders sent by SMS (send_rent_sms): read only."""

    list_display = ["sent_on", "kind", "phone", "tenant", "rent_month", "amount"]
    list_filter = ["kind", "sent_on"]
    search_fields = ["phone", "tenant__name"]
    list_select_related = ["tenant"]
