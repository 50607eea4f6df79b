"""The two month pages of the admin: "Månadens kostnader" (bills) and "Månadens hyra" (split).

Thin views: the bills are saved by `rent.month_costs`, the split is computed by
`rent.breakdown` and saved by `rent.services.finalize_month`.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from rent.breakdown import month_breakdown
from rent.config import effective_config
from rent.forms import MonthCostsForm, MonthRentForm
from rent.month_costs import save_month_costs
from rent.months import add_months, days_in_month, parse_month
from rent.occupancy import residents_of
from rent.services import FinalizeError, ProjectedElectricityError, finalize_month
from rent.split import RentInputError


def this_config_month() -> date:
    """The month whose bills are being entered now: rent for next month is due on the 27th."""
    return timezone.localdate().replace(day=1)


class MonthPageView(View):
    """A page about one config month inside the admin (its header, menu and permissions)."""

    admin = None  # the ModelAdmin the page belongs to
    url_name = ""
    template_name = ""
    title = ""
    view_permission = ""
    save_permissions: tuple[str, ...] = ()

    def dispatch(self, request, month=None):
        if request.GET.get("month"):
            return HttpResponseRedirect(self.month_url(self.parse(request.GET["month"])))
        if month is None:
            return HttpResponseRedirect(self.month_url(this_config_month()))
        self.config_month = self.parse(month)
        if not request.user.has_perm(self.view_permission):
            raise PermissionDenied
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
        context = {
            **self.admin.admin_site.each_context(request),
            "opts": self.admin.opts,
            "title": f"{self.title} {month:%Y-%m}",
            "config_month": month,
            "rent_month": add_months(month, 1),
            "previous_url": self.month_url(add_months(month, -1)),
            "next_url": self.month_url(add_months(month, 1)),
            "costs_url": reverse("admin:rent_month_costs", kwargs={"month": f"{month:%Y-%m}"}),
            "rent_url": reverse("admin:rent_month_rent", kwargs={"month": f"{month:%Y-%m}"}),
            "can_save": self.can_save(request),
            **context,
        }
        return render(request, self.template_name, context)


class MonthCostsView(MonthPageView):
    """Månadens kostnader: every key with its effective value and where it comes from."""

    url_name = "rent_month_costs"
    template_name = "admin/rent/month_costs.html"
    view_permission = "rent.view_rentconfig"
    save_permissions = ("rent.add_rentconfig", "rent.change_rentconfig", "rent.delete_rentconfig")

    @property
    def title(self):
        return _("The month's costs")

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
                    "month": f"{self.config_month:%Y-%m}",
                    "created": len(saved.created),
                    "updated": len(saved.updated),
                    "removed": len(saved.removed),
                },
            )
        else:
            messages.info(request, _("Nothing changed."))
        return HttpResponseRedirect(self.month_url(self.config_month))


class MonthRentView(MonthPageView):
    """Månadens hyra: the split with this month's overrides, the message, and "Spara"."""

    url_name = "rent_month_rent"
    template_name = "admin/rent/month_rent.html"
    view_permission = "rent.view_rentcalculation"
    save_permissions = ("rent.add_rentcalculation",)

    @property
    def title(self):
        return _("The month's rent")

    def make_form(self, data=None):
        residents = residents_of(add_months(self.config_month, 1))
        return MonthRentForm(
            data,
            residents=residents,
            days_in_month=days_in_month(add_months(self.config_month, 1)),
        )

    def breakdown_or_error(self, form, overrides=None):
        try:
            return month_breakdown(self.config_month, overrides=overrides), None
        except RentInputError as exc:
            form.add_error(None, str(exc))
            return None, str(exc)

    def get(self, request):
        form = self.make_form()
        breakdown, _error = self.breakdown_or_error(form)
        return self.render_page(request, form=form, breakdown=breakdown)

    def post(self, request):
        form = self.make_form(request.POST)
        if not form.is_valid():
            breakdown, _error = self.breakdown_or_error(form)
            return self.render_page(request, form=form, breakdown=breakdown)
        overrides = form.overrides()
        breakdown, error = self.breakdown_or_error(form, overrides)
        if error or "save" not in request.POST:
            return self.render_page(request, form=form, breakdown=breakdown, overrides=overrides)
        try:
            result = finalize_month(
                config_month=self.config_month,
                title=form.cleaned_data["title"],
                saved_by=request.user,
                overrides=overrides or None,
                force=request.POST.get("force") == "1",
            )
        except ProjectedElectricityError as exc:
            return self.render_page(
                request,
                form=form,
                breakdown=breakdown,
                overrides=overrides,
                confirm_projected=str(exc),
            )
        except (FinalizeError, RentInputError) as exc:
            form.add_error(None, str(exc))
            return self.render_page(request, form=form, breakdown=breakdown, overrides=overrides)
        return self.render_page(
            request, form=form, breakdown=result.breakdown, overrides=overrides, result=result
        )
