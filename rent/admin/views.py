"""The month pages of the admin: "Månadens kostnader" (bills), "Månadens hyra" (split), "Saldo".

Thin views: the bills are saved by `rent.ledger.month_costs`, the split is computed by
`rent.engine.breakdown`, compared with the saved version by `rent.ledger.month_rent` and saved by
`rent.ledger.finalize.finalize_month`; balances come from `rent.ledger.balances`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from rent.admin.forms import ERRORS_SUMMARY, MonthCostsForm, MonthRentForm
from rent.engine.months import (
    add_months,
    config_month_due_next,
    days_in_month,
    due_date,
    parse_month,
)
from rent.engine.occupancy import UnknownRoommateError
from rent.engine.split import RentInputError
from rent.ledger.balances import balance_overview, balances
from rent.ledger.finalize import (
    FinalizeError,
    PaidChangesError,
    ProjectedElectricityError,
    finalize_month,
)
from rent.ledger.inputs import effective_config, month_breakdown, residents_of
from rent.ledger.month_costs import save_month_costs
from rent.ledger.month_rent import (
    compare_with_saved,
    cost_lines,
    current_calculation,
    inputs_fingerprint,
    rounding_notes,
    saved_overrides,
)
from rent.ledger.reference import code_for, person_parts
from rent.models import Tenant
from rent.read_model import CACHE_SECONDS, Proposal, charged_month, proposed_month
from rent.versioning import request_version

# How far back the banner looks for a due month that was never saved.
UNSAVED_LOOKBACK_MONTHS = 6


def this_config_month() -> date:
    """The config month whose rent is due next (after the 27th: next month's)."""
    return config_month_due_next(timezone.localdate())


def unsaved_due_months(before: date) -> list[date]:
    """Config months before `before` (within the look-back) whose rent is due, with people
    living here, but that have no saved version; only after the first month ever saved."""
    from rent.models import CalculationStatus, RentCalculation

    first_saved = RentCalculation.objects.order_by("config_month").values_list(
        "config_month", flat=True
    )[:1]
    if not first_saved:
        return []
    saved = set(
        RentCalculation.objects.filter(
            config_month__gte=add_months(before, -UNSAVED_LOOKBACK_MONTHS),
            config_month__lt=before,
            status=CalculationStatus.CURRENT,
        ).values_list("config_month", flat=True)
    )
    months = []
    for back in range(UNSAVED_LOOKBACK_MONTHS, 0, -1):
        month = add_months(before, -back)
        if month < first_saved[0] or month in saved:
            continue
        if residents_of(add_months(month, 1)):
            months.append(month)
    return months


def kept(key: str, compute):
    """`compute()`, kept in the cache under `key` (which names the data version): a page read
    again reads nothing until something is written."""
    return cache.get_or_set(key, compute, CACHE_SECONDS)


def cached_unsaved_due_months(before: date, *, version: str) -> list[date]:
    """`unsaved_due_months`, kept under the data version (the banner of both month pages)."""
    key = f"rent:unsaved-due-months:{version}:{before:%Y-%m}"
    return kept(key, lambda: unsaved_due_months(before))


class MonthPageView(View):
    """A page about one config month inside the admin (its header, menu and permissions)."""

    admin = None  # the ModelAdmin the page belongs to
    url_name = ""
    template_name = ""
    title = ""
    view_permission = ""
    save_permissions: tuple[str, ...] = ()

    def dispatch(self, request, month=None):
        if not request.user.has_perm(self.view_permission):
            raise PermissionDenied
        if request.GET.get("month"):
            return HttpResponseRedirect(self.month_url(self.parse(request.GET["month"])))
        if month is None:
            return HttpResponseRedirect(self.month_url(this_config_month()))
        self.config_month = self.parse(month)
        if request.method == "POST" and not self.can_save(request):
            raise PermissionDenied
        return super().dispatch(request)

    @staticmethod
    def parse(text: str) -> date:
        try:
            return parse_month(text)
        except ValueError:
            raise Http404(
                _("Not a month (expected YYYY-MM): %(value)s") % {"value": text}
            ) from None

    def month_url(self, month: date) -> str:
        return reverse(f"admin:{self.url_name}", kwargs={"month": f"{month:%Y-%m}"})

    def can_save(self, request) -> bool:
        return all(request.user.has_perm(permission) for permission in self.save_permissions)

    def render_page(self, request, **context):
        month = self.config_month
        rent_month = add_months(month, 1)
        due_next = this_config_month()
        context = {
            **self.admin.admin_site.each_context(request),
            "opts": self.admin.opts,
            "title": f"{self.title} {date_format(rent_month, 'F Y')}",
            "config_month": month,
            "rent_month": rent_month,
            "due_date": due_date(month),
            "is_due_next": month == due_next,
            "due_next_url": self.month_url(due_next),
            "unsaved_months": [
                (unsaved, add_months(unsaved, 1), due_date(unsaved), self.rent_url(unsaved))
                for unsaved in cached_unsaved_due_months(due_next, version=request_version(request))
            ],
            "previous_url": self.month_url(add_months(month, -1)),
            "next_url": self.month_url(add_months(month, 1)),
            "costs_url": reverse("admin:rent_month_costs", kwargs={"month": f"{month:%Y-%m}"}),
            "rent_url": self.rent_url(month),
            "can_save": self.can_save(request),
            "errors_summary": ERRORS_SUMMARY,
            **context,
        }
        return render(request, self.template_name, context)

    @staticmethod
    def rent_url(month: date) -> str:
        return reverse("admin:rent_month_rent", kwargs={"month": f"{month:%Y-%m}"})


class MonthCostsView(MonthPageView):
    """Månadens kostnader: every key with its effective value and where it comes from."""

    url_name = "rent_month_costs"
    template_name = "admin/rent/month_costs.html"
    view_permission = "rent.view_rentconfig"
    save_permissions = ("rent.add_rentconfig", "rent.change_rentconfig", "rent.delete_rentconfig")

    @property
    def title(self):
        return _("The month's costs: the rent for")

    def get(self, request):
        form = MonthCostsForm(config=effective_config(self.config_month))
        return self.render_page(request, form=form)

    def post(self, request):
        form = MonthCostsForm(request.POST, config=effective_config(self.config_month))
        if not form.is_valid():
            return self.render_page(request, form=form)
        saved = save_month_costs(config_month=self.config_month, values=form.cleaned_data)
        if saved.changed:
            messages.success(
                request,
                _(
                    "Saved the costs of %(month)s: %(created)d new, %(updated)d changed, "
                    "%(removed)d removed."
                )
                % {
                    "month": date_format(self.config_month, "F Y"),
                    "created": len(saved.created),
                    "updated": len(saved.updated),
                    "removed": len(saved.removed),
                },
            )
        else:
            messages.info(request, _("Nothing changed."))
        return HttpResponseRedirect(self.month_url(self.config_month))


@dataclass(frozen=True)
class MonthRentReading:
    """What "Månadens hyra" reads of one config month before drawing it: who lives here, the
    saved version and its overrides, the form's fingerprint, the proposal, each resident's
    balance and reference code part."""

    residents: list
    calculation: object  # RentCalculation | None
    saved_overrides: dict
    fingerprint: str
    proposal: Proposal | None  # None when not asked for (a save computes its own split)
    owed: dict[int, Decimal]  # tenant id → balance
    parts: dict[int, str]  # tenant id → reference code part


def read_month_rent(config_month: date, *, propose: bool = True) -> MonthRentReading:
    residents = residents_of(add_months(config_month, 1))
    calculation = current_calculation(config_month)
    return MonthRentReading(
        residents=residents,
        calculation=calculation,
        saved_overrides=saved_overrides(calculation, residents),
        fingerprint=inputs_fingerprint(config_month, residents, calculation),
        proposal=proposed_month(config_month, calculation=calculation) if propose else None,
        owed=balances(tenants=Tenant.objects.filter(pk__in=[r.tenant.pk for r in residents])),
        parts=person_parts(Tenant.objects.only("pk", "name")),
    )


def cached_month_rent(config_month: date, *, version: str) -> MonthRentReading:
    """`read_month_rent` kept under the data version (and the language: the proposal's error
    is a sentence): opening the page again reads nothing until something is written."""
    key = f"rent:month-rent-page:{version}:{config_month:%Y-%m}:{get_language()}"
    return kept(key, lambda: read_month_rent(config_month))


class MonthRentView(MonthPageView):
    """Månadens hyra: the saved version (or the split now), the message, and "Spara"."""

    url_name = "rent_month_rent"
    template_name = "admin/rent/month_rent.html"
    view_permission = "rent.view_rentcalculation"
    save_permissions = ("rent.add_rentcalculation",)

    @property
    def title(self):
        return _("The month's rent: the rent for")

    def make_form(self, data=None, *, reading: MonthRentReading | None = None):
        """The form over `reading` (default: read now, as a save must)."""
        self.reading = reading or read_month_rent(self.config_month, propose=False)
        self.residents = self.reading.residents
        self.calculation = self.reading.calculation
        self.saved_overrides = self.reading.saved_overrides
        return MonthRentForm(
            data,
            residents=self.residents,
            days_in_month=days_in_month(add_months(self.config_month, 1)),
            fingerprint=self.reading.fingerprint,
            saved_overrides=self.saved_overrides,
        )

    engine_error = ""

    def breakdown_or_error(self, form, overrides):
        """The split, or None with `engine_error` saying why (the form may be unbound)."""
        try:
            return month_breakdown(self.config_month, overrides=overrides)
        except (RentInputError, UnknownRoommateError) as exc:
            self.engine_error = exc.message
            return None

    def page(self, request, form, breakdown, **context):
        """The page; with errors in the form, no split and no message are shown."""
        if form.errors:
            breakdown = None
        comparison = None
        if breakdown is not None and self.calculation is not None:
            comparison = compare_with_saved(self.calculation, breakdown)
        shares = {share.name: share for share in breakdown.split.roommates} if breakdown else {}
        owed = self.reading.owed
        saved = {}
        if comparison and comparison.differs:  # what is charged: the month's ledger lines
            saved = {line.tenant_id: line.amount for line in charged_month(self.config_month).lines}
        rows = [
            {
                "resident": resident,
                "days": days_field,
                "adjustment": adjustment_field,
                "share": shares.get(resident.name),
                "saved": saved.get(resident.tenant.pk),
                "balance": owed.get(resident.tenant.pk),
            }
            for resident, days_field, adjustment_field in form.roommate_rows()
        ]
        parts = self.reading.parts
        rent_month = add_months(self.config_month, 1)
        references = [
            (resident.name, code_for(parts[resident.tenant.pk], rent_month))
            for resident in self.residents
            if resident.tenant.pk in parts
        ]
        return self.render_page(
            request,
            form=form,
            breakdown=breakdown,
            calculation=self.calculation,
            comparison=comparison,
            rows=rows,
            cost_lines=cost_lines(breakdown) if breakdown else [],
            rounding_notes=rounding_notes(breakdown.split) if breakdown else [],
            references=references,
            engine_error=self.engine_error,
            **context,
        )

    def get(self, request):
        reading = cached_month_rent(self.config_month, version=request_version(request))
        form = self.make_form(reading=reading)
        self.engine_error = reading.proposal.error or ""
        return self.page(request, form, reading.proposal.breakdown)

    def post(self, request):
        form = self.make_form(request.POST)
        if form.is_stale():
            messages.warning(
                request,
                _(
                    "Something changed since you opened the page (who lives here, the bills "
                    "or a saved version). Nothing was saved: check the split below and save "
                    "again."
                ),
            )
            return HttpResponseRedirect(self.month_url(self.config_month))
        if not form.is_valid():
            return self.page(request, form, None)
        overrides = form.overrides()
        breakdown = self.breakdown_or_error(form, overrides)
        if breakdown is None or "save" not in request.POST:
            return self.page(request, form, breakdown, overrides=overrides)
        try:
            result = finalize_month(
                config_month=self.config_month,
                title=form.cleaned_data["title"],
                saved_by=request.user,
                overrides=overrides or None,
                force=request.POST.get("force") == "1",
                confirm_paid=request.POST.get("confirm_paid") == "1",
            )
        except ProjectedElectricityError as exc:
            return self.page(request, form, breakdown, confirm_projected=exc.message)
        except PaidChangesError as exc:
            return self.page(request, form, breakdown, paid_changes=exc.changes)
        except (FinalizeError, RentInputError, UnknownRoommateError) as exc:
            self.engine_error = exc.message
            return self.page(request, form, None)
        if result.unchanged:
            messages.info(
                request,
                _("Nothing has changed: version %(version)d still applies.")
                % {"version": result.calculation.version},
            )
            return HttpResponseRedirect(self.month_url(self.config_month))
        self.calculation = result.calculation
        return self.page(request, self.make_form(), result.breakdown, result=result)


class BalancesView(View):
    """Saldo: who owes what, who has credit, the months behind it; the treasurer settles credit."""

    admin = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("rent.view_rentledger"):
            raise PermissionDenied
        if request.method == "POST" and not self.can_settle(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def can_settle(request) -> bool:
        return request.user.has_perm("rent.add_payment")

    def get(self, request):
        next_rent_month = add_months(this_config_month(), 1)
        context = {
            **self.admin.admin_site.each_context(request),
            "opts": self.admin.opts,
            "title": _("Balances"),
            # Everyone's months and payments behind their balance, kept under the data version
            # (and the language: a payment's line names its method).
            "overview": kept(
                f"rent:balance-overview:{request_version(request)}:{next_rent_month:%Y-%m}:"
                f"{get_language()}",
                lambda: balance_overview(coming_month=next_rent_month),
            ),
            "can_settle": self.can_settle(request),
            "next_rent_month": next_rent_month,
        }
        return render(request, "admin/rent/balances.html", context)

    def post(self, request):
        from rent.formatting import MoneyInputError, format_kronor, parse_money_input
        from rent.ledger.balances import SettlementError, settle_credit
        from rent.models import Tenant

        tenant = Tenant.objects.filter(pk=request.POST.get("tenant") or 0).first()
        if tenant is None:
            raise Http404(_("No such tenant or way to settle."))
        try:
            amount = parse_money_input(request.POST.get("amount"), label=_("Amount"))
            settle_credit(
                tenant=tenant,
                amount=amount or Decimal(0),
                on=timezone.localdate(),
                recorded_by=request.user,
            )
        except (MoneyInputError, SettlementError) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Recorded: %(name)s, %(amount)s %(how)s.")
                % {"name": tenant.name, "amount": format_kronor(amount), "how": _("paid back")},
            )
        return HttpResponseRedirect(reverse("admin:rent_balances"))
