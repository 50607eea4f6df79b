"""Money as a field type: the model field `MoneyField` and the form field it makes.

A money column says once whether it may be negative (`may_be_negative=`); that decides the
model's validation and the form's. Forms read money typed the Swedish way (`3312`,
`3 312,50`, `3312.50`, `3 312 kr`) through `rent.formatting.parse_money_input`, in a text
field (`inputmode="decimal"`), never a browser number field: those read `3312,00` as 331200
in some locales.
"""

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext

from rent.engine.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS, ZERO
from rent.formatting import MoneyInputError, format_money_input, parse_money_input


class MoneyInput(forms.TextInput):
    """A text field for kronor that shows a stored amount as `3 312,00`."""

    def __init__(self, attrs=None):
        super().__init__(
            {"inputmode": "decimal", "autocomplete": "off", "size": 12, **(attrs or {})}
        )

    def format_value(self, value):
        if isinstance(value, Decimal | int):
            return format_money_input(value)
        return super().format_value(value)


class MoneyFormField(forms.Field):
    """Kronor with at most two decimals, typed the Swedish way; blank → None when optional."""

    widget = MoneyInput

    def __init__(self, *, allow_negative: bool = False, **kwargs):
        self.allow_negative = allow_negative
        for unused in ("max_digits", "decimal_places", "localize", "max_length"):
            kwargs.pop(unused, None)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            amount = parse_money_input(value, label=str(self.label or ""))
        except MoneyInputError as exc:
            raise forms.ValidationError(exc.message, code="invalid") from None
        if amount is not None and amount < 0 and not self.allow_negative:
            raise forms.ValidationError(
                gettext("%(field)s: must not be negative.") % {"field": self.label},
                code="negative",
            )
        return amount

    def has_changed(self, initial, data):
        try:
            new = self.to_python(data)
        except forms.ValidationError:
            return True
        old = None if initial in (None, "") else Decimal(str(initial))
        return old != new


class MoneyField(models.DecimalField):
    """Kronor with öre in the one precision; negative only where `may_be_negative=True`
    (a refund, a discount). Its form field reads Swedish input."""

    def __init__(self, *args, may_be_negative: bool = False, **kwargs):
        self.may_be_negative = may_be_negative
        kwargs["max_digits"] = MONEY_MAX_DIGITS
        kwargs["decimal_places"] = MONEY_DECIMAL_PLACES
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.may_be_negative:
            kwargs["may_be_negative"] = True
        return name, path, args, kwargs

    @cached_property
    def validators(self):
        validators = list(super().validators)
        if not self.may_be_negative:
            validators.append(MinValueValidator(ZERO))
        return validators

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": MoneyFormField, "allow_negative": self.may_be_negative, **kwargs}
        )


# The output type of sums and expressions over money columns.
MONEY_OUTPUT = MoneyField(may_be_negative=True)
