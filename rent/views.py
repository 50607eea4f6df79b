"""The household's rent pages: the coming month, the history chart, statements, items.

Thin: every figure comes from rent.read_model (cached by the data's version). The kiosk, which
takes an API token, is api.views.kiosk.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from household.roles import is_treasurer
from rent.admin.forms import CONFIRM_LABEL, far_from_due_error
from rent.charts import line_chart
from rent.engine.months import add_months, config_month_due_next, parse_month
from rent.formatting import format_money_input, message_html
from rent.ledger.balances import recent_statement
from rent.ledger.reference import reference_code
from rent.models import CoOwnedItem, Tenant
from rent.read_model import charged_month, rent_history, tenant_account, tenant_of
from rent.versioning import request_version

HISTORY_PAGE_SECONDS = 60 * 60  # under the data version: never older than the data
# A statement shows this many rent months (and the payments since) unless asked for all.
STATEMENT_MONTHS = 24


def month_from_query(request) -> date:
    text = request.GET.get("month", "")
    if text:
        try:
            return parse_month(text)
        except ValueError:
            pass
    return config_month_due_next(timezone.localdate())


@login_required
def coming_rent(request):
    config_month = month_from_query(request)
    month = charged_month(config_month, version=request_version(request))
    treasurer = is_treasurer(request.user)
    proposed = month.proposed_amounts() if treasurer else {}
    return render(
        request,
        "rent/coming.html",
        {
            "month": month,
            "message_html": message_html(month.message),
            "lines": [(line, proposed.get(line.tenant_id)) for line in month.lines],
            "cost_lines": month.cost_lines(),
            # The page names rent months; ?month= takes the config month (the bills' month).
            "previous_config_month": add_months(config_month, -1),
            "next_config_month": add_months(config_month, 1),
            "previous_rent_month": config_month,
            "next_rent_month": add_months(config_month, 2),
            "tenant": tenant_of(request.user),
            "treasurer": treasurer,
            "show_proposed": bool(proposed),
        },
    )


@login_required
def rent_history_page(request):
    """Every month's rent per person: drawn once per data version and language, then served
    from the cache (ten years are a thousand points and rows: drawing them is the cost)."""
    version = request_version(request)
    key = f"rent:history-page:{version}:{get_language()}"
    body = cache.get(key)
    if body is None:
        body = render_to_string("rent/_history_body.html", history_context(version), request)
        cache.set(key, body, HISTORY_PAGE_SECONDS)
    # Our own template, rendered above (the cache keeps its safe mark; said again here).
    return render(request, "rent/history.html", {"body": mark_safe(body)})  # noqa: S308


def history_context(version: str) -> dict:
    history = rent_history(version=version)
    series = [
        {"name": _("Total"), "values": [history.total(month) for month in history.months]}
    ] + [
        {
            "name": name,
            "values": [history.amounts.get((month, name)) for month in history.months],
        }
        for name in history.people
    ]
    chart = line_chart(
        labels=[f"{month:%Y-%m}" for month in history.months],
        series=series,
        positions=[month.year * 12 + month.month for month in history.months],  # gaps take room
    )
    # Each amount with its person's name: on a phone a row is a card of "name: amount" lines.
    rows = [
        {**row, "cells": list(zip(history.people, row["amounts"], strict=True))}
        for row in history.rows()
    ]
    return {"history": history, "rows": rows, "chart": chart}


def statement_tenant(request, tenant_id: int) -> Tenant:
    """A member sees their own statement; the treasurer sees everyone's."""
    tenant = get_object_or_404(Tenant, pk=tenant_id)
    if tenant.user_id != request.user.pk and not is_treasurer(request.user):
        raise PermissionDenied(_("You can only see your own rent account."))
    return tenant


@login_required
def statement(request, tenant_id: int):
    tenant = statement_tenant(request, tenant_id)
    claim_error, ask_confirmation = "", False
    if request.method == "POST" and "rent_reminders" in request.POST:
        if tenant.user_id != request.user.pk:
            raise PermissionDenied(_("Only the member themself can change this."))
        tenant.rent_reminders = request.POST["rent_reminders"] == "on"
        tenant.save(update_fields=["rent_reminders", "updated_at"])
        return redirect("rent:statement", tenant_id=tenant.pk)
    if request.method == "POST":
        claim_error, ask_confirmation = said_paid(request, tenant)
        if not claim_error:
            return redirect("rent:statement", tenant_id=tenant.pk)
    coming_month = add_months(config_month_due_next(timezone.localdate()), 1)
    # The latest STATEMENT_MONTHS months, after the balance of all before them (summed in the
    # database); ?alla=1 shows every line, as the CSV has.
    since = date.min if request.GET.get("alla") else add_months(coming_month, 1 - STATEMENT_MONTHS)
    recent = recent_statement(tenant=tenant, since=since)
    return render(
        request,
        "rent/statement.html",
        {
            "tenant": tenant,
            "lines": list(reversed(recent.lines)),
            "recent": recent,
            "balance": recent.balance,
            "coming_month": coming_month,
            "reference": reference_code(tenant=tenant, rent_month=coming_month),
            "swish_number": settings.RENT_SWISH_NUMBER,
            "claims": tenant.claims.order_by("-created_at")[:5],
            "may_claim": tenant.user_id == request.user.pk,
            "claim_error": claim_error,
            "ask_confirmation": ask_confirmation,
            "confirm_label": CONFIRM_LABEL,
            "today": timezone.localdate(),
            "form_values": request.POST if claim_error else {},
        },
    )


def said_paid(request, tenant) -> tuple[str, bool]:
    """ "Jag har betalat": only the member themself; returns an error message or "", and
    whether it asks to confirm an amount far from what is open (the one rule every payment
    form asks by, rent.ledger.allocation.payment_needs_confirmation)."""
    from rent.formatting import MoneyInputError, parse_money_input
    from rent.ledger.allocation import payment_needs_confirmation
    from rent.ledger.balances import open_amount_for_payment
    from rent.ledger.claims import ClaimError, claim_payment

    if tenant.user_id != request.user.pk:
        raise PermissionDenied(_("Only the member themself can say they have paid."))
    try:
        amount = parse_money_input(request.POST.get("amount"), label=_("Amount"))
        due = open_amount_for_payment(tenant=tenant, for_month=None)
        if payment_needs_confirmation(due=due, paid=amount) and not request.POST.get(
            "confirm_payment"
        ):
            return far_from_due_error(paid=amount, due=due, confirm_label=CONFIRM_LABEL), True
        try:
            paid_on = date.fromisoformat(request.POST.get("paid_on") or "")
        except ValueError:
            raise ClaimError("paid_on_not_a_date") from None
        claim_payment(
            tenant=tenant,
            amount=amount or Decimal(0),
            paid_on=paid_on,
            message=request.POST.get("message", ""),
        )
    except (MoneyInputError, ClaimError) as error:
        return error.message, False
    return "", False


@login_required
def statement_csv(request, tenant_id: int):
    """The statement as a spreadsheet file. By default for a person: Swedish headers,
    semicolons, decimal commas, UTF-8 with a BOM, which a Swedish Excel or LibreOffice opens
    in columns; `?format=iso` keeps the machine variant (commas, dot decimals, ISO dates)."""
    tenant = statement_tenant(request, tenant_id)
    iso = request.GET.get("format") == "iso"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    suffix = "-iso" if iso else ""
    response["Content-Disposition"] = (
        f'attachment; filename="hyra-{tenant.pk}-{timezone.localdate():%Y-%m-%d}{suffix}.csv"'
    )
    if not iso:
        return swedish_statement_csv(response, tenant)
    writer = csv.writer(response)
    writer.writerow(["rent_month", "amount_due", "amount_paid", "paid_on", "balance",
                     "running_balance", "payment"])  # fmt: skip
    for line in tenant_account(tenant).lines:
        writer.writerow(
            [
                line.when.isoformat() if line.is_payment else f"{line.rent_month:%Y-%m}",
                "" if line.is_payment else f"{line.amount_due:.2f}",
                f"{line.amount_paid:.2f}",
                line.paid_on.isoformat() if line.paid_on else "",
                "" if line.is_payment else f"{line.balance:.2f}",
                f"{line.running_balance:.2f}",
                line.label,
            ]
        )
    return response


def swedish_statement_csv(response, tenant):
    """One line per month and per payment, in the statement's own words and numbers."""
    response.write("\ufeff")  # the BOM: Excel reads the file as UTF-8 (å, ä, ö)
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Rent month"), _("Payment"), pgettext("amount", "Due"),
                     pgettext("amount", "Paid"), _("Paid on"), _("Left"),
                     _("Running balance")])  # fmt: skip
    for line in tenant_account(tenant).lines:
        writer.writerow(
            [
                "" if line.is_payment else f"{line.rent_month:%Y-%m}",
                line.label if line.is_payment else "",
                "" if line.is_payment else format_money_input(line.amount_due),
                format_money_input(line.amount_paid),
                line.paid_on.isoformat() if line.paid_on else "",
                "" if line.is_payment else format_money_input(line.balance),
                format_money_input(line.running_balance),
            ]
        )
    return response


@login_required
def items(request):
    items = CoOwnedItem.objects.prefetch_related(
        Prefetch("owners", queryset=Tenant.objects.order_by("name"))
    )
    rows = []
    for item in items:
        owners = list(item.owners.all())
        share = (
            (item.value / len(owners)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if owners
            else None
        )
        rows.append({"item": item, "owners": owners, "share": share})
    return render(request, "rent/items.html", {"rows": rows})
