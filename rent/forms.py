"""Forms of the two month pages: the month's bills, and this month's overrides of the split."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from rent.config import CONFIG_KEYS, EffectiveConfig
from rent.formatting import parse_amount
from rent.models import RentKey


class AmountField(forms.CharField):
    """A number typed the Swedish way (`1 234,50`) or with a point; blank → None."""

    def __init__(self, *, allow_negative=True, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 10}))
        self.allow_negative = allow_negative
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        try:
            amount = parse_amount(text)
        except ValueError:
            raise forms.ValidationError(_("Enter a number, e.g. 2424 or 2424,50.")) from None
        if amount is not None and amount.as_tuple().exponent < -2:
            raise forms.ValidationError(_("At most two decimals."))
        if amount is not None and not self.allow_negative and amount < 0:
            raise forms.ValidationError(_("Must not be negative."))
        return amount


def plain_number(value: Decimal | None) -> str:
    """How a stored amount is put back into a field: `2424`, `15,5` (no trailing zeros)."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f").replace(".", ",")


class MonthCostsForm(forms.Form):
    """Every key of one config month, prefilled with the value the month would use now."""

    NON_NEGATIVE = {"kallhyra", "el", "bredband"}

    def __init__(self, *args, config: EffectiveConfig, **kwargs):
        super().__init__(*args, **kwargs)
        self.config = config
        for key in CONFIG_KEYS:
            self.fields[key] = AmountField(
                label=RentKey(key).label,
                allow_negative=key not in self.NON_NEGATIVE,
                initial=plain_number(config.values[key]),
            )

    def rows(self):
        """(bound field, source) per key, for the template."""
        return [(self[key], self.config.sources[key]) for key in CONFIG_KEYS]


class MonthRentForm(forms.Form):
    """This month's title and, per roommate, days and room adjustment for this month only."""

    title = forms.CharField(label=_("title"), required=False, max_length=200)

    def __init__(self, *args, residents, days_in_month: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.residents = residents
        self.days_in_month = days_in_month
        for index, resident in enumerate(residents):
            days = resident.days if resident.days is not None else Decimal(days_in_month)
            self.fields[f"days_{index}"] = AmountField(
                label=_("days"), allow_negative=False, initial=plain_number(days)
            )
            self.fields[f"adjustment_{index}"] = AmountField(
                label=_("room adjustment"), initial=plain_number(resident.room_adjustment)
            )

    def roommate_rows(self):
        return [
            (resident, self[f"days_{index}"], self[f"adjustment_{index}"])
            for index, resident in enumerate(self.residents)
        ]

    def overrides(self) -> dict[str, dict]:
        """Only what differs from the tenants' own dates and adjustments (blank = as usual)."""
        overrides: dict[str, dict] = {}
        for index, resident in enumerate(self.residents):
            override = {}
            days = self.cleaned_data.get(f"days_{index}")
            usual_days = resident.days if resident.days is not None else self.days_in_month
            if days is not None and days != usual_days:
                override["days"] = None if days == self.days_in_month else days
            adjustment = self.cleaned_data.get(f"adjustment_{index}")
            if adjustment is not None and adjustment != resident.room_adjustment:
                override["room_adjustment"] = adjustment
            if override:
                overrides[resident.name] = override
        return overrides
