"""The shared tables. Django owns this schema; migrations are the only way it changes."""

from contextlib import suppress
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from household.text_rules import refuse_formula_start, refuse_invisible_characters
from household.timestamped import Timestamped
from rent.engine.money import ZERO
from rent.engine.months import add_months, overdue_rent_months_through
from rent.fields import MONEY_OUTPUT, MoneyField
from rent.formatting import format_day, format_kronor


def first_of_month_check(field: str, model: str, message) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__day": 1}),
        name=f"rent_{model}_{field}_first_of_month",
        violation_error_message=message,
    )


def moved_in_by(on) -> Q:
    """Has moved in by day `on` (rent.engine.stays.has_moved_in as a query): from the moving-in day;
    without one, only a person not recorded as interested or signed (the old system's rows)."""
    return Q(start_date__lte=on) | Q(
        start_date__isnull=True, interested_on__isnull=True, signed_on__isnull=True
    )


class TenantQuerySet(models.QuerySet):
    """Who lives here on a given day. What each person owes: rent.ledger.balances (the one
    balance)."""

    def living_here(self, on):
        return self.filter(
            moved_in_by(on), Q(departure_date__isnull=True) | Q(departure_date__gte=on)
        )

    def moved_out(self, on):
        return self.filter(departure_date__lt=on)

    def moving_in(self, on):
        return self.filter(start_date__gt=on)

    def of_login(self, user):
        """The one rule for "the tenant of this login": linked by `Tenant.user`; nobody's for
        a visitor who is not logged in."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


SAFE_TEXT = [refuse_invisible_characters, refuse_formula_start]


def validate_phone(value) -> None:
    from django.core.exceptions import ValidationError

    from rent.engine.stays import PhoneError, normalize_phone

    try:
        normalize_phone(value)
    except PhoneError:
        raise ValidationError(
            _("Not a phone number: %(value)s (e.g. 070-123 45 67 or +46 70 123 45 67)."),
            params={"value": value},
            code="phone",
        ) from None


def validate_personnummer(value) -> None:
    from django.core.exceptions import ValidationError

    from rent.engine.stays import PersonnummerError, normalize_personnummer

    try:
        normalize_personnummer(value)
    except PersonnummerError:
        raise ValidationError(
            _(
                "Not a personnummer: %(value)s (ÅÅÅÅMMDD-XXXX; the check digit and the date "
                "must be right)."
            ),
            params={"value": value},
            code="personnummer",
        ) from None


class Room(Timestamped):
    """A room the house has, and the adjustment its tenant pays (negative: a discount)."""

    name = models.CharField(_("name"), max_length=100, validators=SAFE_TEXT)
    adjustment = MoneyField(
        _("room adjustment"),
        may_be_negative=True,
        default=ZERO,
        help_text=_(
            "Kronor per month for whoever lives in it; negative is a discount, e.g. -1400 "
            "for a darker room. Choosing the room on a tenant fills in their adjustment."
        ),
    )
    description = models.TextField(_("description"), blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="rent_room_name_ci_unique",
                violation_error_message=_("Another room already has this name."),
            ),
        ]

    def __str__(self):
        return self.name


def deposit_checks(prefix: str, negative, beyond) -> list[models.CheckConstraint]:
    """A deposit is not negative, no more is returned than was paid, and a returned amount
    has its day."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{prefix}__isnull": True}) | Q(**{f"{prefix}__gte": 0}),
            name=f"rent_tenant_{prefix}_gte_0",
            violation_error_message=negative,
        ),
        models.CheckConstraint(
            condition=Q(**{f"{prefix}_returned__isnull": True})
            | Q(
                **{
                    f"{prefix}_returned__gte": 0,
                    f"{prefix}_returned__lte": F(prefix),
                    f"{prefix}_returned_on__isnull": False,
                }
            ),
            name=f"rent_tenant_{prefix}_returned_within_paid",
            violation_error_message=beyond,
        ),
    ]


class Tenant(Timestamped):
    name = models.CharField(_("name"), max_length=100, validators=SAFE_TEXT)
    email = models.EmailField(_("email"), blank=True, default="", validators=SAFE_TEXT)
    start_date = models.DateField(
        _("moved in"), null=True, blank=True, help_text=_("The first day lived here.")
    )
    departure_date = models.DateField(
        _("moved out"), null=True, blank=True, help_text=_("The last day lived here.")
    )
    room_adjustment = MoneyField(
        _("room adjustment"),
        may_be_negative=True,
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
    payer_names = models.TextField(
        _("payer names"),
        blank=True,
        default="",
        help_text=_(
            "Other names this person's payments come from on the bank statement (one a line), "
            "e.g. a partner who pays for them."
        ),
    )
    rent_reminders = models.BooleanField(
        _("rent reminders by email"),
        default=True,
        help_text=_("A heads-up before the 27th and a reminder when the rent is late."),
    )
    sms_reminders = models.BooleanField(
        _("rent reminders by SMS"),
        default=True,
        help_text=_("On payday and on the 27th while the coming month is unpaid (needs a phone)."),
    )
    phone = models.CharField(
        _("phone"),
        max_length=20,
        blank=True,
        default="",
        validators=[validate_phone],
        help_text=_("Typed as you like (070-123 45 67); kept in international form."),
    )
    personnummer = models.CharField(
        _("personnummer"),
        max_length=13,
        blank=True,
        default="",
        validators=[validate_personnummer],
        help_text=_(
            "Seen by the treasurer alone; never in the API, the kiosk or exports, only in the "
            "household backup."
        ),
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tenants",
    )
    interested_on = models.DateField(
        _("interested since"), null=True, blank=True, help_text=_("When they asked for a room.")
    )
    signed_on = models.DateField(
        _("contract signed"), null=True, blank=True, help_text=_("When the contract was signed.")
    )
    notice_given_on = models.DateField(
        _("notice given"), null=True, blank=True, help_text=_("When they said they are leaving.")
    )
    deposit = MoneyField(_("deposit"), null=True, blank=True)
    deposit_paid_on = models.DateField(_("deposit paid on"), null=True, blank=True)
    deposit_returned_on = models.DateField(_("deposit returned on"), null=True, blank=True)
    deposit_returned = MoneyField(
        _("deposit returned"),
        null=True,
        blank=True,
        help_text=_("What was paid back; less than the deposit when something was kept."),
    )
    furnishing_deposit = MoneyField(_("furnishing deposit"), null=True, blank=True)
    furnishing_deposit_paid_on = models.DateField(
        _("furnishing deposit paid on"), null=True, blank=True
    )
    furnishing_deposit_returned_on = models.DateField(
        _("furnishing deposit returned on"), null=True, blank=True
    )
    furnishing_deposit_returned = MoneyField(
        _("furnishing deposit returned"), null=True, blank=True
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
            *deposit_checks(
                "deposit",
                _("The deposit cannot be negative."),
                _(
                    "The deposit returned must be between 0 and the deposit paid, with the "
                    "day it was returned."
                ),
            ),
            *deposit_checks(
                "furnishing_deposit",
                _("The furnishing deposit cannot be negative."),
                _(
                    "The furnishing deposit returned must be between 0 and the furnishing "
                    "deposit paid, with the day it was returned."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """The phone number is kept in E.164 and the personnummer as ÅÅÅÅMMDD-XXXX, however
        they were typed."""
        from rent.engine.stays import (
            PersonnummerError,
            PhoneError,
            normalize_personnummer,
            normalize_phone,
        )

        super().clean()
        with suppress(PhoneError):  # when it is not a number, the field's validator says so
            self.phone = normalize_phone(self.phone)
        with suppress(PersonnummerError):  # the same
            self.personnummer = normalize_personnummer(self.personnummer)

    def stay_status(self, on):
        from rent.engine.stays import stay_status

        return stay_status(
            interested_on=self.interested_on,
            signed_on=self.signed_on,
            start_date=self.start_date,
            notice_given_on=self.notice_given_on,
            departure_date=self.departure_date,
            on=on,
        )


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
    # Negative only for the keys the engine allows (rent.engine.split.CostKey.may_be_negative).
    value = MoneyField(_("value"), may_be_negative=True)
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
    # This database's ids, so never exported: the import fills them in from the names.
    tenant_ids = models.JSONField(
        _("tenant ids"),
        default=dict,
        blank=True,
        help_text=_("Name as saved → tenant id: the link that survives renaming a tenant."),
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

    @cached_property
    def saved(self):
        """The stored JSON parsed once into types (rent.engine.saved_calculation)."""
        from rent.engine.saved_calculation import parse_calculation

        return parse_calculation(self)

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
                output_field=MONEY_OUTPUT,
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
    amount_due = MoneyField(_("amount due"))
    amount_paid = MoneyField(_("amount paid"), default=ZERO)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    days_stayed = models.DecimalField(
        _("days stayed"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    room_adjustment = MoneyField(_("room adjustment"), may_be_negative=True, null=True, blank=True)
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
        # Read in admin messages and history: Swedish numbers ("3 281 kr"), like every page.
        return f"{self.rent_month:%Y-%m} {self.tenant}: {format_kronor(self.amount_due)}"

    @property
    def config_month(self):
        return add_months(self.rent_month, -1)

    @property
    def outstanding(self) -> Decimal:
        return max(self.amount_due - self.amount_paid, ZERO)

    def is_overdue(self, today) -> bool:
        """Unpaid after its due day (as `RentLedgerQuerySet.overdue` asks the database)."""
        return self.outstanding > 0 and self.rent_month <= overdue_rent_months_through(today)


class CoOwnedItem(models.Model):
    """Something the house owns together, such as a sofa or the vacuum cleaner."""

    name = models.CharField(_("name"), max_length=200, validators=SAFE_TEXT)
    description = models.TextField(_("description"), blank=True, default="")
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    value = MoneyField(_("value"), default=ZERO)
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


class PaymentMethod(models.TextChoices):
    SWISH = "swish", _("Swish")
    BANK_TRANSFER = "bank", _("bank transfer")
    CASH = "cash", _("cash")
    OTHER = "other", _("other")


class PaymentSource(models.TextChoices):
    HAND = "hand", _("entered by hand")
    BANK_STATEMENT = "bank", _("bank statement")
    MEMBER = "member", _('the member\'s "I have paid", confirmed')
    IMPORT = "import", _("imported")


class Payment(models.Model):
    """Money a tenant paid to the house (or, negative, the house paid back: a refund).

    It is spread over the tenant's months by rent.ledger.allocation; the ledger's paid amount is the
    sum of those allocations (rent.ledger.payments keeps them together).
    """

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField(_("paid on"))
    amount = MoneyField(
        _("amount"),
        may_be_negative=True,
        help_text=_("Negative for money paid back (a refund)."),
    )
    method = models.CharField(
        _("method"), max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.SWISH
    )
    for_month = models.DateField(
        _("for rent month"),
        null=True,
        blank=True,
        help_text=_("Counts toward this rent month first; empty: the oldest open months."),
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True, default="")
    message = models.CharField(_("message"), max_length=200, blank=True, default="")
    source = models.CharField(
        _("source"), max_length=10, choices=PaymentSource.choices, default=PaymentSource.HAND
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    bank_key = models.CharField(
        _("bank transaction"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("The bank statement line it came from: the same line is never recorded twice."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0),
                name="rent_payment_amount_not_0",
                violation_error_message=_("A payment cannot be 0 kr."),
            ),
            models.UniqueConstraint(
                fields=["bank_key"],
                condition=~Q(bank_key=""),
                name="rent_payment_bank_key_unique",
                violation_error_message=_("This bank transaction is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(for_month__isnull=True) | Q(for_month__day=1),
                name="rent_payment_for_month_first_of_month",
                violation_error_message=_("The rent month must be the first day of a month."),
            ),
        ]

    def __str__(self):
        return f"{format_day(self.paid_on)} {self.tenant}: {format_kronor(self.amount)}"


class Allocation(models.Model):
    """The part of a payment that counts toward one ledger row (rent.ledger.allocation decides)."""

    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), on_delete=models.CASCADE, related_name="allocations"
    )
    ledger_row = models.ForeignKey(
        RentLedger,
        verbose_name=_("ledger row"),
        on_delete=models.CASCADE,
        related_name="allocations",
    )
    amount = MoneyField(_("amount"))

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "ledger_row"],
                name="rent_allocation_payment_row_unique",
                violation_error_message=_("This payment already counts toward that month."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="rent_allocation_amount_gt_0",
                violation_error_message=_("The part of a payment for a month must be over 0 kr."),
            ),
        ]

    def __str__(self):
        return f"{self.payment} → {self.ledger_row.rent_month:%Y-%m}: {format_kronor(self.amount)}"


class BankLayout(models.Model):
    """A bank statement layout (its column names) and which column holds what: mapped once,
    recognised next time."""

    signature = models.CharField(_("layout"), max_length=64, unique=True)
    headers = models.JSONField(_("column names"), default=list)
    date_column = models.PositiveSmallIntegerField(_("date column"))
    amount_column = models.PositiveSmallIntegerField(_("amount column"))
    text_column = models.PositiveSmallIntegerField(_("text column"), null=True, blank=True)
    counterpart_column = models.PositiveSmallIntegerField(
        _("counterpart column"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("bank statement layout")
        verbose_name_plural = _("bank statement layouts")

    def __str__(self):
        return " · ".join(self.headers)


class BankUpload(models.Model):
    """An uploaded statement file between upload and confirmation (deleted when confirmed)."""

    name = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("content"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("uploaded bank statement")
        verbose_name_plural = _("uploaded bank statements")

    def __str__(self):
        return self.name


class BankTransactionStatus(models.TextChoices):
    MATCHED = "matched", _("matched")
    SUGGESTED = "suggested", _("suggested")
    UNMATCHED = "unmatched", _("unmatched")
    OUTGOING = "outgoing", _("outgoing")
    APPLIED = "applied", _("recorded as a payment")
    IGNORED = "ignored", _("not a rent payment")


class BankTransaction(models.Model):
    """One line of an imported bank statement. Its key is the same in every file that has the
    line, so importing the same or an overlapping statement never records it twice."""

    key = models.CharField(_("key"), max_length=40, unique=True)
    booked_on = models.DateField(_("date"))
    amount = MoneyField(_("amount"), may_be_negative=True)  # negative: money going out
    text = models.CharField(_("text"), max_length=300, blank=True, default="")
    counterpart = models.CharField(_("counterpart"), max_length=200, blank=True, default="")
    status = models.CharField(_("status"), max_length=12, choices=BankTransactionStatus.choices)
    tenant = models.ForeignKey(
        Tenant, verbose_name=_("tenant"), null=True, blank=True, on_delete=models.SET_NULL
    )
    for_month = models.DateField(_("for rent month"), null=True, blank=True)
    suggestions = models.JSONField(_("suggested tenants"), default=list, blank=True)
    reason = models.CharField(_("matched by"), max_length=20, blank=True, default="")
    payment = models.OneToOneField(
        Payment,
        verbose_name=_("payment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bank_transaction",
    )
    statement_name = models.CharField(_("statement file"), max_length=200)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("bank transaction")
        verbose_name_plural = _("bank transactions")
        ordering = ["-booked_on", "pk"]

    def __str__(self):
        who = self.counterpart or self.text
        return f"{format_day(self.booked_on)} {format_kronor(self.amount)} {who}"


class ReminderKind(models.TextChoices):
    HEADS_UP = "heads_up", _("heads-up before the due day")
    DUE = "due", _("reminder on the due day")
    OVERDUE = "overdue", _("overdue reminder")
    SUMMARY = "summary", _("summary to the treasurer")


class ReminderLog(models.Model):
    """An email reminder that was sent: at most one a day per person and kind."""

    recipient = models.EmailField(_("to"))
    tenant = models.ForeignKey(
        Tenant, verbose_name=_("tenant"), null=True, blank=True, on_delete=models.SET_NULL
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    rent_month = models.DateField(_("rent month"))
    sent_on = models.DateField(_("sent on"))
    amount = MoneyField(_("amount"), default=ZERO)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_on", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "sent_on"],
                name="rent_reminder_once_a_day",
                violation_error_message=_("This reminder was already sent today."),
            )
        ]

    def __str__(self):
        return f"{self.sent_on} {self.get_kind_display()} → {self.recipient}"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the treasurer")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("not found")


class PaymentClaim(models.Model):
    """A member's "I have paid": pending until the treasurer confirms it (or the bank
    statement matches it); then it is a payment."""

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("tenant"), on_delete=models.CASCADE, related_name="claims"
    )
    amount = MoneyField(_("amount"))
    paid_on = models.DateField(_("paid on"))
    message = models.CharField(_("message"), max_length=200, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="claim"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("payment said to be made")
        verbose_name_plural = _("payments said to be made")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="rent_claim_amount_gt_0",
                violation_error_message=_("The amount must be more than 0 kr."),
            )
        ]

    def __str__(self):
        return f"{self.tenant}: {format_kronor(self.amount)} ({self.get_status_display()})"


class SmsKind(models.TextChoices):
    PAYDAY = "payday", _("on payday")
    DUE = "due", _("on the due day")


class SmsLog(models.Model):
    """A rent reminder sent by SMS: one per person, kind and rent month, never twice."""

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("tenant"), null=True, blank=True, on_delete=models.SET_NULL
    )
    phone = models.CharField(_("to"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=SmsKind.choices)
    rent_month = models.DateField(_("rent month"))
    sent_on = models.DateField(_("sent on"))
    amount = MoneyField(_("amount"))
    message = models.TextField(_("message"))
    provider_id = models.CharField(_("provider's id"), max_length=64, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("SMS sent")
        verbose_name_plural = _("SMS sent")
        ordering = ["-sent_on", "phone"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "kind", "rent_month"],
                name="rent_sms_once_per_kind_and_month",
                violation_error_message=_("This SMS was already sent for that month."),
            )
        ]

    def __str__(self):
        return f"{self.sent_on} {self.get_kind_display()} → {self.phone}"


class DataVersion(models.Model):
    """One row: a counter bumped in the same transaction as every write to the rent tables.

    Cached breakdowns and ETags are keyed by it, so no worker can serve a split computed
    before a change another worker committed.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    value = models.BigIntegerField(default=0)
    # Random on every bump: a counter that goes back (a restored backup, a rolled-back
    # transaction) can never name figures cached from other data.
    stamp = models.CharField(max_length=32, default="", editable=False)

    class Meta:
        # The table was made when the model lived in the api app (migrations moved only it).
        db_table = "api_dataversion"
        verbose_name = _("data version")
        verbose_name_plural = _("data version")

    def __str__(self):
        return f"{self.value}-{self.stamp}"
