"""Forms of the admin: money typed the Swedish way, the month's bills, the month's split, payments.

Money fields come from `rent.fields` (text fields read the Swedish way); every error names
the field.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from household.optimistic import VersionCheckedFormMixin
from rent.engine.config import EffectiveConfig
from rent.engine.split import COST_KEY_BY_NAME, COST_KEYS
from rent.fields import MoneyFormField
from rent.formatting import format_kronor, plain_number
from rent.ledger.allocation import payment_needs_confirmation
from rent.models import Payment, RentConfig, RentKey, RentLedger, Tenant

ERRORS_SUMMARY = _("Please correct the errors below.")


class MonthInput(forms.DateInput):
    """The browser's month picker (`<input type="month">`, "2027-01"): a rent month is a month,
    not a day to pick in a calendar with "Today"."""

    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month typed or picked as "2027-01" (a full date is taken as its month), stored as the
    month's first day."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class DaysField(forms.CharField):
    """Days lived in the month: `31`, `15`, `15,5`; blank → None."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 5}))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = (super().to_python(value) or "").strip().replace(",", ".")
        if not text:
            return None
        try:
            days = Decimal(text)
        except InvalidOperation:
            days = None
        if days is None or not days.is_finite() or days.as_tuple().exponent < -2:
            raise forms.ValidationError(
                gettext("%(field)s: write a number of days, e.g. 31 or 15,5.")
                % {"field": self.label}
            )
        return days


class MonthCostsForm(forms.Form):
    """Every key of one config month, prefilled with the value the month would use now."""

    def __init__(self, *args, config: EffectiveConfig, **kwargs):
        super().__init__(*args, **kwargs)
        self.config = config
        for key in COST_KEYS:
            missing = config.sources[key.name].missing
            self.fields[key.name] = MoneyFormField(
                label=RentKey(key.name).label,
                required=False,
                allow_negative=key.may_be_negative,
                # A bill that is missing is shown blank, never as 0,00 to save unseen.
                initial=None if missing else config.values[key.name],
            )
            if missing:
                self.fields[key.name].widget.attrs["placeholder"] = gettext("missing")

    def rows(self):
        """(bound field, source) per key, for the template."""
        return [(self[key.name], self.config.sources[key.name]) for key in COST_KEYS]


class MonthRentForm(forms.Form):
    """This month's title and, per roommate (keyed by tenant id), days and room adjustment.

    The form carries who lived here and a fingerprint of the inputs it was built from, so a
    save made against a page opened before someone moved in or a bill changed is refused
    instead of binding values to the wrong people.
    """

    title = forms.CharField(label=_("title"), required=False, max_length=200)
    residents = forms.CharField(widget=forms.HiddenInput, required=False)
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        residents,
        days_in_month: int,
        fingerprint: str,
        saved_overrides: dict | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.residents = residents
        self.days_in_month = days_in_month
        self.current_fingerprint = fingerprint
        self.fields["residents"].initial = resident_ids(residents)
        self.fields["fingerprint"].initial = fingerprint
        saved_overrides = saved_overrides or {}
        for resident in residents:
            override = saved_overrides.get(resident.name, {})
            days = override.get("days", resident.days) if "days" in override else resident.days
            adjustment = override.get("room_adjustment", resident.room_adjustment)
            pk = resident.tenant.pk
            self.fields[f"days_{pk}"] = DaysField(
                label=gettext("Days for %(name)s") % {"name": resident.name},
                initial=plain_number(days if days is not None else days_in_month),
            )
            self.fields[f"adjustment_{pk}"] = MoneyFormField(
                label=gettext("Room adjustment for %(name)s") % {"name": resident.name},
                required=False,
                allow_negative=True,
                initial=Decimal(str(adjustment)),
            )
            # The page shows the inputs in a table without <label>s: each is named by its field.
            for name in (f"days_{pk}", f"adjustment_{pk}"):
                self.fields[name].widget.attrs["aria-label"] = self.fields[name].label

    def is_stale(self) -> bool:
        """Whether the residents or the inputs changed since the page was opened."""
        return self.data.get("residents", "") != resident_ids(self.residents) or (
            self.data.get("fingerprint", "") != self.current_fingerprint
        )

    def clean(self):
        cleaned = super().clean()
        for resident in self.residents:
            name = f"days_{resident.tenant.pk}"
            days = cleaned.get(name)
            if days is not None and not 0 < days <= self.days_in_month:
                self.add_error(
                    name,
                    gettext("%(name)s: between 1 and %(days)d days (the month has %(days)d).")
                    % {"name": resident.name, "days": self.days_in_month},
                )
        return cleaned

    def roommate_rows(self):
        return [
            (resident, self[f"days_{resident.tenant.pk}"], self[f"adjustment_{resident.tenant.pk}"])
            for resident in self.residents
        ]

    def overrides(self) -> dict[str, dict]:
        """Only what differs from the tenants' own dates and adjustments (blank = as usual)."""
        overrides: dict[str, dict] = {}
        for resident in self.residents:
            pk, override = resident.tenant.pk, {}
            days = self.cleaned_data.get(f"days_{pk}")
            usual_days = resident.days if resident.days is not None else self.days_in_month
            if days is not None and days != usual_days:
                override["days"] = None if days == self.days_in_month else days
            adjustment = self.cleaned_data.get(f"adjustment_{pk}")
            if adjustment is not None and adjustment != resident.room_adjustment:
                override["room_adjustment"] = adjustment
            if override:
                overrides[resident.name] = override
        return overrides


def resident_ids(residents) -> str:
    return ",".join(str(resident.tenant.pk) for resident in residents)


# Payments ------------------------------------------------------------------------------------


CONFIRM_LABEL = _("Yes, the amount paid is right")


def far_from_due_error(*, paid: Decimal, due: Decimal, confirm_label) -> str:
    """The question every payment form asks (rent.ledger.allocation.payment_needs_confirmation)."""
    return gettext(
        'Paid %(paid)s, but the amount due is %(due)s. If that is right, tick "%(confirm)s" '
        "and save again."
    ) % {"paid": format_kronor(paid), "due": format_kronor(due), "confirm": confirm_label}


class LedgerRowForm(VersionCheckedFormMixin, forms.ModelForm):
    """A ledger row; a payment far from the amount due must be confirmed, and a row changed
    since the form was shown is never saved over (household.optimistic)."""

    version_carrier = "amount_paid"

    confirm_payment = forms.BooleanField(label=CONFIRM_LABEL, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_fields_by_row(self)

    class Meta:
        model = RentLedger
        fields = [
            "tenant",
            "rent_month",
            "amount_due",
            "amount_paid",
            "paid_on",
            "days_stayed",
            "room_adjustment",
            "calculation",
        ]

    def clean(self):
        cleaned = super().clean()
        paid = cleaned.get("amount_paid")
        due = cleaned.get("amount_due", self.instance.amount_due)
        if (
            "amount_paid" in self.changed_data
            and payment_needs_confirmation(due=due, paid=paid)
            and not cleaned.get("confirm_payment")
        ):
            self.add_error(
                "amount_paid",
                far_from_due_error(paid=paid, due=due, confirm_label=CONFIRM_LABEL),
            )
        return cleaned

    def save(self, commit=True):
        row = super().save(commit=False)
        if commit:
            save_ledger_row_form(row=row, form=self)
        return row


def label_fields_by_row(form) -> None:
    """In a table of rows (the ledger list, a tenant's months) the inputs have no <label> of
    their own: each is named by its field and its row, "Betalt belopp: Adam, oktober 2025",
    which is what a screen reader reads out."""
    from django.utils.formats import date_format

    row = form.instance
    if row.pk is None or row.tenant_id is None:
        return
    where = f"{row.tenant.name}, {date_format(row.rent_month, 'F Y')}"
    for field in form.fields.values():
        if not field.widget.is_hidden:
            # A widget wrapped to carry the version (household.optimistic) renders its inner one.
            widget = getattr(field.widget, "inner", field.widget)
            widget.attrs.setdefault("aria-label", f"{field.label}: {where}")


def save_ledger_row_form(*, row: RentLedger, form, recorded_by=None) -> None:
    """A ledger row's form: a new paid amount becomes a payment of the difference to what the
    form showed as paid, named to the month (the row's paid amount is derived from payments,
    never typed over). One transaction: the row (rent.ledger.payments.save_ledger_row), then the
    payment (rent.ledger.payments.set_paid_for_month), each reallocating the tenant."""
    from django.db import transaction
    from django.utils import timezone

    from rent.ledger.payments import save_ledger_row, set_paid_for_month

    typed_paid, typed_on = row.amount_paid, row.paid_on
    seen_paid = form.initial.get("amount_paid") or Decimal(0)
    with transaction.atomic():
        saved = RentLedger.objects.filter(pk=row.pk).values("amount_paid", "paid_on").first()
        if saved:
            row.amount_paid, row.paid_on = saved["amount_paid"], saved["paid_on"]
        else:
            row.amount_paid, row.paid_on = Decimal(0), None
        other_changes = set(form.changed_data) - {"amount_paid", "paid_on", "confirm_payment"}
        if not saved or other_changes:
            save_ledger_row(row=row)
        if "amount_paid" in form.changed_data and typed_paid is not None:
            set_paid_for_month(
                row=row,
                paid=typed_paid,
                on=typed_on or timezone.localdate(),
                recorded_by=recorded_by,
                note=gettext("Entered on the ledger row"),
                so_far=Decimal(seen_paid),
            )
    row.refresh_from_db()


class PaymentForm(forms.ModelForm):
    """A payment typed by hand: an amount far from what is open (the named month's, else the
    tenant's balance) must be confirmed, by the same rule as the ledger row's form."""

    confirm_payment = forms.BooleanField(label=CONFIRM_LABEL, required=False)

    class Meta:
        model = Payment
        fields = ["tenant", "paid_on", "amount", "method", "for_month", "reference", "message"]

    def clean(self):
        from rent.ledger.balances import open_amount_for_payment

        cleaned = super().clean()
        tenant, amount = cleaned.get("tenant"), cleaned.get("amount")
        asked = {"tenant", "amount", "for_month"} & set(self.changed_data)
        if tenant is None or amount is None or not asked or cleaned.get("confirm_payment"):
            return cleaned
        due = open_amount_for_payment(
            tenant=tenant,
            for_month=cleaned.get("for_month"),
            payment=self.instance if self.instance.pk else None,
        )
        if payment_needs_confirmation(due=due, paid=amount):
            self.add_error(
                "amount",
                far_from_due_error(paid=amount, due=due, confirm_label=CONFIRM_LABEL),
            )
        return cleaned


class RentConfigForm(forms.ModelForm):
    """One bill: only the previous balance and extra income may be negative."""

    class Meta:
        model = RentConfig
        fields = ["key", "value", "period"]

    def clean(self):
        cleaned = super().clean()
        key, value = cleaned.get("key"), cleaned.get("value")
        if key and value is not None and value < 0 and not COST_KEY_BY_NAME[key].may_be_negative:
            self.add_error(
                "value",
                gettext("%(field)s: %(key)s must not be negative.")
                % {"field": self.fields["value"].label, "key": RentKey(key).label},
            )
        return cleaned


class TenantForm(forms.ModelForm):
    """A tenant's page. Choosing a room fills in its adjustment, unless one is typed too."""

    class Meta:
        model = Tenant
        fields = ["room", "room_adjustment"]  # the admin gives the page's fields

    def clean(self):
        cleaned = super().clean()
        room = cleaned.get("room")
        if (
            room is not None
            and "room" in self.changed_data
            and "room_adjustment" in self.fields
            and "room_adjustment" not in self.changed_data
        ):
            cleaned["room_adjustment"] = room.adjustment
        return cleaned
