"""The shared tables. Django owns this schema; migrations are the only way it changes."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kimonokittens.timestamped import Timestamped
from rent.months import add_months, overdue_rent_months_through
from rent.text_rules import refuse_formula_start, refuse_invisible_characters

ZERO = Decimal("0")


MONEY = models.DecimalField(max_digits=12, decimal_places=2)


def money_field(verbose_name, **kwargs):
    """Kronor with öre: Decimal, never float. `is_money` lets pages show it as kronor."""
    field = models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)
    field.is_money = True
    return field


def first_of_month_check(field: str, model: str, message) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__day": 1}),
        name=f"rent_{model}_{field}_first_of_month",
        violation_error_message=message,
    )


class TenantQuerySet(models.QuerySet):
    """Who lives here on a given day. What each person owes: rent.balances (the one balance)."""

    def living_here(self, on):
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=on),
            Q(departure_date__isnull=True) | Q(departure_date__gte=on),
        )

    def moved_out(self, on):
        return self.filter(departure_date__lt=on)

    def moving_in(self, on):
        return self.filter(start_date__gt=on)


SAFE_TEXT = [refuse_invisible_characters, refuse_formula_start]


class Tenant(Timestamped):
    name = models.CharField(_("name"), max_length=100, validators=SAFE_TEXT)
    email = models.EmailField(_("email"), blank=True, default="", validators=SAFE_TEXT)
    start_date = models.DateField(
        _("moved in"), null=True, blank=True, help_text=_("The first day lived here.")
    )
    departure_date = models.DateField(
        _("moved out"), null=True, blank=True, help_text=_("The last day lived here.")
    )
    room_adjustment = money_field(
        _("room adjustment"),
        default=ZERO,
        help_text=_("Kronor per month; negative is a discount, e.g. -1400 for a darker room."),
    )
    legacy_id = models.CharField(
        _("legacy id"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("The id this person had in the old system."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tenant",
    )
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="rent_tenant_name_ci_unique",
                violation_error_message=_(
                    "Another tenant already has this name (capital letters do not count). "
                    "Add a surname or an initial."
                ),
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="rent_tenant_email_ci_unique",
                violation_error_message=_("Another tenant already has this email address."),
            ),
            models.UniqueConstraint(
                fields=["legacy_id"],
                condition=~Q(legacy_id=""),
                name="rent_tenant_legacy_id_unique",
                violation_error_message=_("Another tenant already has this legacy id."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(departure_date__isnull=True)
                | Q(departure_date__gte=F("start_date")),
                name="rent_tenant_departure_after_start",
                violation_error_message=_(
                    "The moving-out day must be on or after the moving-in day."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class RentKey(models.TextChoices):
    KALLHYRA = "kallhyra", _("base rent (kallhyra)")
    EL = "el", _("electricity (el)")
    BREDBAND = "bredband", _("internet (bredband)")
    VATTENAVGIFT = "vattenavgift", _("water fee (vattenavgift)")
    VA = "va", _("sewage fee (va)")
    LARM = "larm", _("alarm fee (larm)")
    DRIFT_RAKNING = "drift_rakning", _("quarterly operating invoice (drift_rakning)")
    SALDO_INNAN = "saldo_innan", _("previous balance (saldo_innan)")
    EXTRA_IN = "extra_in", _("extra income (extra_in)")
    GAS = "gas", _("bottled gas (gas)")


class RentConfig(Timestamped):
    """One bill or setting for one config month (the month whose bills it holds)."""

    key = models.CharField(_("key"), max_length=20, choices=RentKey.choices)
    value = money_field(_("value"))
    period = models.DateField(
        _("config month"), help_text=_("The first day of the month whose bills this holds.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rent config")
        verbose_name_plural = _("rent config")
        ordering = ["-period", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "period"],
                name="rent_config_key_period_unique",
                violation_error_message=_(
                    "This cost already has a value for that month: change that row instead."
                ),
            ),
            first_of_month_check(
                "period", "config", _("The config month must be the first day of a month.")
            ),
        ]
        indexes = [models.Index(F("key"), F("period").desc(), name="rent_config_key_period_desc")]

    def __str__(self):
        return f"{self.period:%Y-%m} {self.key} = {self.value}"


class CalculationStatus(models.TextChoices):
    CURRENT = "current", _("current")
    SUPERSEDED = "superseded", _("superseded")
    NEEDS_REVIEW = "needs_review", _("needs review")


class RentCalculation(models.Model):
    """The immutable record of one saved split. History is superseded, never edited."""

    config_month = models.DateField(_("config month"))
    version = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=200, blank=True, default="")
    calculated_at = models.DateTimeField(_("calculated at"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CalculationStatus.choices,
        default=CalculationStatus.CURRENT,
    )
    inputs = models.JSONField(
        _("inputs"), default=dict, help_text=_("The constants and roommates exactly as used.")
    )
    results = models.JSONField(_("results"), default=dict, help_text=_("Name → kronor."))
    source = models.JSONField(
        _("source"),
        default=dict,
        help_text=_("An imported file name and its sha256, or who saved it in the app."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("rent calculation")
        verbose_name_plural = _("rent calculations")
        ordering = ["-config_month", "-version"]
        get_latest_by = ["config_month", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["config_month", "version"],
                name="rent_calculation_month_version_unique",
                violation_error_message=_("This month already has a version with that number."),
            ),
            models.UniqueConstraint(
                fields=["config_month"],
                condition=Q(status="current"),
                name="rent_calculation_one_current_per_month",
                violation_error_message=_("This month already has a current version."),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="rent_calculation_version_gte_1",
                violation_error_message=_("Versions are numbered from 1."),
            ),
            first_of_month_check(
                "config_month",
                "calculation",
                _("The config month must be the first day of a month."),
            ),
        ]

    def __str__(self):
        return f"{self.config_month:%Y-%m} v{self.version} ({self.get_status_display()})"

    @property
    def rent_month(self):
        return add_months(self.config_month, 1)

    def roommate_order(self) -> list[str]:
        """The roommates in the split's order: it breaks ties and orders the rent message.

        PostgreSQL stores `inputs` and `results` as jsonb, which re-sorts object keys, so the
        order is recorded as the list `inputs["roommate_order"]`. Without it (saved before it
        was recorded): the order of `inputs["roommates"]` as stored, then names only in results.
        """
        inputs = self.inputs if isinstance(self.inputs, dict) else {}
        recorded = inputs.get("roommate_order")
        recorded = recorded if isinstance(recorded, list) else []
        names = [
            *(name for name in recorded if isinstance(name, str)),
            *self._roommates(),
            *self._results(),
        ]
        return list(dict.fromkeys(names))

    def ordered_roommates(self) -> dict:
        """`inputs["roommates"]` in `roommate_order()`."""
        roommates = self._roommates()
        return {name: roommates[name] for name in self.roommate_order() if name in roommates}

    def ordered_results(self) -> dict:
        """`results` (name → kronor) in `roommate_order()`."""
        results = self._results()
        return {name: results[name] for name in self.roommate_order() if name in results}

    def _roommates(self) -> dict:
        roommates = self.inputs.get("roommates") if isinstance(self.inputs, dict) else None
        return roommates if isinstance(roommates, dict) else {}

    def _results(self) -> dict:
        return self.results if isinstance(self.results, dict) else {}


class RentLedgerQuerySet(models.QuerySet):
    def with_outstanding(self):
        """`outstanding_amount`: what is still unpaid on each row (never negative)."""
        return self.annotate(
            outstanding_amount=Case(
                When(amount_due__gt=F("amount_paid"), then=F("amount_due") - F("amount_paid")),
                default=Value(ZERO),
                output_field=MONEY,
            )
        )

    def unpaid(self):
        return self.filter(amount_due__gt=F("amount_paid"))

    def overdue(self, today):
        return self.unpaid().filter(rent_month__lte=overdue_rent_months_through(today))


class RentLedger(Timestamped):
    """What one tenant owes for one rent month, and what they have paid."""

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="ledger_rows"
    )
    rent_month = models.DateField(
        _("rent month"), help_text=_("The month of housing paid for (config month + 1).")
    )
    amount_due = money_field(_("amount due"))
    amount_paid = money_field(_("amount paid"), default=ZERO)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    days_stayed = models.DecimalField(
        _("days stayed"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    room_adjustment = money_field(_("room adjustment"), null=True, blank=True)
    calculation = models.ForeignKey(
        RentCalculation,
        verbose_name=_("calculation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ledger_rows",
    )
    history = HistoricalRecords()

    objects = RentLedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("rent ledger row")
        verbose_name_plural = _("rent ledger")
        ordering = ["-rent_month", "tenant__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "rent_month"],
                name="rent_ledger_tenant_month_unique",
                violation_error_message=_(
                    "This tenant already has a ledger row for that month: change that row instead."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount_due__gte=0),
                name="rent_ledger_amount_due_gte_0",
                violation_error_message=_("The amount due cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0),
                name="rent_ledger_amount_paid_gte_0",
                violation_error_message=_("The amount paid cannot be negative."),
            ),
            first_of_month_check(
                "rent_month", "ledger", _("The rent month must be the first day of a month.")
            ),
        ]

    def __str__(self):
        return f"{self.rent_month:%Y-%m} {self.tenant}: {self.amount_due} kr"

    @property
    def config_month(self):
        return add_months(self.rent_month, -1)

    @property
    def outstanding(self) -> Decimal:
        return max(self.amount_due - self.amount_paid, ZERO)


class CoOwnedItem(models.Model):
    """Something the house owns together, such as a sofa or the vacuum cleaner."""

    name = models.CharField(_("name"), max_length=200, validators=SAFE_TEXT)
    description = models.TextField(_("description"), blank=True, default="")
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    value = money_field(_("value"), default=ZERO)
    owners = models.ManyToManyField(
        Tenant, verbose_name=_("owners"), related_name="co_owned_items", blank=True
    )
    history = HistoricalRecords(m2m_fields=[owners])

    class Meta:
        verbose_name = _("co-owned item")
        verbose_name_plural = _("co-owned items")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="rent_coowneditem_value_gte_0",
                violation_error_message=_("The value of an item cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.name


class SettlementKind(models.TextChoices):
    REFUND = "refund", _("paid back")
    TOWARD_MONTH = "toward_month", _("counted toward a rent month")


class CreditSettlement(models.Model):
    """Credit (an overpayment) settled by the treasurer: paid back, or counted toward a month.

    A refund counts like an amount due (the house paid the credit out); credit counted
    toward a month moves between ledger rows and this records why (see rent.balances).
    """

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="settlements"
    )
    kind = models.CharField(_("how"), max_length=20, choices=SettlementKind.choices)
    amount = money_field(_("amount"))
    settled_on = models.DateField(_("settled on"))
    rent_month = models.DateField(
        _("rent month"),
        null=True,
        blank=True,
        help_text=_("For credit counted toward a month: that rent month."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("settled credit")
        verbose_name_plural = _("settled credit")
        ordering = ["-settled_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="rent_settlement_amount_gt_0",
                violation_error_message=_("The amount settled must be more than 0 kr."),
            ),
            models.CheckConstraint(
                condition=Q(kind="refund") | Q(rent_month__isnull=False),
                name="rent_settlement_month_when_toward",
                violation_error_message=_("Credit counted toward a month needs that rent month."),
            ),
        ]

    def __str__(self):
        return f"{self.tenant}: {self.amount} kr ({self.get_kind_display()})"
