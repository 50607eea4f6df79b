"""The rent beside the handbook: the reader's coming rent and unpaid months, and the live example.

Rent for rent month R is due by the 27th of config month C = R - 1. Until the 27th the coming
rent is this month's; after it, the next month's (anything still unpaid shows as unpaid).
Every figure comes from rent.read_model, the same as the rent pages, the kiosk and the API.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from rent.read_model import (
    Tenant,
    add_months,
    charged_month,
    config_month_due_next,
    due_date,
    round_half_away,
    tenant_account,
    tenant_of,
)

# A paragraph of its own in a page's Markdown that the live worked example replaces.
LIVE_EXAMPLE_MARKER = "<p>[[hyresexempel]]</p>"


@dataclass
class RentPanel:
    config_month: date
    rent_month: date
    due_date: date
    tenant: Tenant | None = None
    amount: Decimal | None = None
    amount_is_saved: bool = False  # a saved month's charge, not a preliminary computation
    amount_paid: Decimal = Decimal(0)
    unpaid_rows: list = field(default_factory=list)  # months with something left to pay
    month_total: Decimal | None = None
    balance: Decimal = Decimal(0)  # rent.ledger.balances: owed (+) or credit (−), every month
    changes: list[str] = field(default_factory=list)  # since saving: charging nobody yet

    @property
    def unpaid_total(self) -> Decimal:
        return self.balance if self.balance > 0 else Decimal(0)

    @property
    def credit(self) -> Decimal:
        return -self.balance if self.balance < 0 else Decimal(0)

    @property
    def coming_is_paid(self) -> bool:
        return self.amount_is_saved and self.amount is not None and self.amount_paid >= self.amount


def panel_for(user, *, today: date | None = None, version: str | None = None) -> RentPanel | None:
    """The reader's coming month (from the read module's cache; `version`: the data version
    when the caller has read it) and their own account."""
    if not user.is_authenticated:
        return None
    today = today or timezone.localdate()
    config_month = config_month_due_next(today)
    month = charged_month(config_month, version=version)
    panel = RentPanel(config_month, month.rent_month, month.due_date, changes=month.changes)
    panel.tenant = tenant_of(user)
    if panel.tenant is None:
        panel.month_total = month.total_costs if month.lines else None  # the costs, as charged
        return panel
    account = tenant_account(panel.tenant)
    panel.unpaid_rows, panel.balance = account.unpaid, account.balance
    line = month.line_for(panel.tenant.pk)
    if line is not None:
        panel.amount, panel.amount_is_saved = line.amount, month.is_saved
        panel.amount_paid = line.paid
    return panel


def live_example_html(*, today: date | None = None) -> str:
    """The coming month's split worked through step by step, from the database, in the active
    language: the saved version once saved (its amounts are the ledger's), else the
    preliminary split."""
    config_month = config_month_due_next(today or timezone.localdate())
    month = charged_month(config_month)
    context = {"config_month": config_month, "rent_month": add_months(config_month, 1)}
    split = month.split
    if split is not None:
        if month.is_saved:
            sources = dict.fromkeys(month.costs, gettext("as saved"))
        else:
            sources = {key: month.config.sources[key].label for key in month.costs}
        context.update(
            month=month,
            split=split,
            costs=[(key, value, sources[key]) for key, value in month.costs.items()],
            shares=[
                {"share": share, "rounded": round_half_away(share.exact_share)}
                for share in split.roommates
            ],
            adjusted=[share for share in split.roommates if share.room_adjustment],
            due_date=due_date(config_month),
            projected=month.el_source != "actual",
        )
    return render_to_string("handbook/rent_example.html", context)
