"""The rent beside the handbook: the reader's coming rent and unpaid months, and the live example.

Rent for rent month R is due by the 27th of config month C = R - 1. Until the 27th the coming
rent is this month's; after it, the next month's (anything still unpaid shows as unpaid).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from rent.balances import balance_of
from rent.breakdown import MonthBreakdown, month_breakdown
from rent.models import RentLedger, Tenant
from rent.month_rent import current_calculation, saved_overrides
from rent.months import add_months, config_month_due_next, due_date
from rent.occupancy import UnknownRoommateError, residents_of
from rent.split import RentInputError, round_half_away

# A paragraph of its own in a page's Markdown that the live worked example replaces.
LIVE_EXAMPLE_MARKER = "<p>[[hyresexempel]]</p>"


def breakdown_or_none(config_month: date) -> MonthBreakdown | None:
    """The month's split as saved (the saved version's days and room adjustments applied),
    or today's when nothing is saved; None when it cannot be split (nobody lives here in R).

    The same split "Månadens hyra" opens on, so the example's figures are the ledger's.
    """
    try:
        residents = residents_of(add_months(config_month, 1))
        overrides = saved_overrides(current_calculation(config_month), residents)
        return month_breakdown(config_month, overrides=overrides or None)
    except (RentInputError, UnknownRoommateError):
        return None


@dataclass
class RentPanel:
    config_month: date
    rent_month: date
    due_date: date
    tenant: Tenant | None = None
    amount: Decimal | int | None = None
    amount_is_saved: bool = False  # a finalized ledger row, not a preliminary computation
    amount_paid: Decimal = Decimal(0)
    unpaid_rows: list[RentLedger] = field(default_factory=list)
    month_total: Decimal | None = None
    month_total_paid: int | None = None
    balance: Decimal = Decimal(0)  # rent.balances: owed (+) or credit (−), every month

    @property
    def unpaid_total(self) -> Decimal:
        return self.balance if self.balance > 0 else Decimal(0)

    @property
    def credit(self) -> Decimal:
        return -self.balance if self.balance < 0 else Decimal(0)

    @property
    def coming_is_paid(self) -> bool:
        return self.amount_is_saved and self.amount is not None and self.amount_paid >= self.amount


def panel_for(user, *, today: date | None = None) -> RentPanel | None:
    if not user.is_authenticated:
        return None
    today = today or timezone.localdate()
    config_month = config_month_due_next(today)
    rent_month = add_months(config_month, 1)
    panel = RentPanel(config_month, rent_month, due_date(config_month))
    panel.tenant = Tenant.objects.filter(user=user).first()
    if panel.tenant is None:
        breakdown = breakdown_or_none(config_month)
        if breakdown is not None:
            panel.month_total = breakdown.split.total
            panel.month_total_paid = breakdown.split.total_paid
        return panel
    panel.unpaid_rows = list(
        RentLedger.objects.filter(tenant=panel.tenant).unpaid().order_by("rent_month")
    )
    panel.balance = balance_of(tenant=panel.tenant)
    coming = RentLedger.objects.filter(tenant=panel.tenant, rent_month=rent_month).first()
    if coming is not None:
        panel.amount, panel.amount_is_saved = coming.amount_due, True
        panel.amount_paid = coming.amount_paid
    else:
        breakdown = breakdown_or_none(config_month)
        if breakdown is not None:
            panel.amount = breakdown.split.rents.get(panel.tenant.name)
    return panel


def live_example_html(*, today: date | None = None) -> str:
    """The coming month's split worked through step by step, from the database, in the active
    language (the cost sources' labels are the rent engine's, in Swedish)."""
    config_month = config_month_due_next(today or timezone.localdate())
    breakdown = breakdown_or_none(config_month)
    context = {"config_month": config_month, "rent_month": add_months(config_month, 1)}
    if breakdown is not None:
        split = breakdown.split
        context.update(
            breakdown=breakdown,
            split=split,
            costs=[
                (key, breakdown.config.values[key], breakdown.config.sources[key].label)
                for key in breakdown.config.split_config()
            ],
            shares=[
                {"share": share, "rounded": round_half_away(share.exact_share)}
                for share in split.roommates
            ],
            adjusted=[share for share in split.roommates if share.room_adjustment],
            due_date=due_date(config_month),
        )
    return render_to_string("handbook/rent_example.html", context)
