"""Template filters of the rent pages."""

from django import template
from django.utils.html import format_html

from rent.formatting import (
    balance_html,
    format_day,
    format_kronor,
    format_money_input,
    format_whole_kronor,
    kronor_html,
    plain_number,
)
from rent.models import RentKey

register = template.Library()


kronor = register.filter("kronor", kronor_html)  # `{{ 7045|kronor }}` → "7 045 kr", unbroken


register.filter("plain_number", plain_number)


balance = register.filter("balance", balance_html)  # "6 009 kr" owed, "706 kr tillgodo" in credit


register.filter("money_input", format_money_input)
register.filter("day", format_day)
register.filter(
    "whole_kronor", format_whole_kronor
)  # `{{ 6624.50|whole_kronor }}` → "6 624"  # `{{ payment.paid_on|day }}` → "7 dec. 2026"


@register.filter
def balance_change(line):
    """What a statement line does to the balance, signed: a month "+6 009 kr", a payment
    "−6 009 kr", a refund "+500 kr" (a true minus sign; unbroken)."""
    change = line.amount_due if not line.is_payment else -line.amount_paid
    sign = "+" if change > 0 else "\u2212" if change < 0 else ""
    return format_html('<span class="kr">{}{}</span>', sign, format_kronor(abs(change)))


@register.filter
def key_label(key):
    """A config key's readable name: `el` → "electricity (el)" (translated)."""
    try:
        return RentKey(key).label
    except ValueError:
        return key


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def rent_data_day(context) -> str:
    """The rent data's version and today's date, for a cache key (`{% rent_data_day as key %}`):
    the version the request already read (kimonokittens.middleware), else read now. Every write
    to the rent tables bumps it, so a fragment cached under it is never older than the data;
    the day, because "overdue" turns on the 28th."""
    from django.utils import timezone

    from rent.versioning import data_version, request_version

    request = context.get("request")
    version = data_version() if request is None else request_version(request)
    return f"{version}:{timezone.localdate():%Y-%m-%d}"
