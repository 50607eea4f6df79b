"""Template filters of the rent pages."""

from django import template

from rent.formatting import format_balance, format_kronor, format_money_input, plain_number
from rent.models import RentKey

register = template.Library()


@register.filter
def kronor(amount):
    """`{{ 7045|kronor }}` → "7 045 kr"."""
    return format_kronor(amount)


register.filter("plain_number", plain_number)
# `{{ balance|balance }}` → "6 009 kr" owed, "706 kr tillgodo" in credit.
register.filter("balance", format_balance)
register.filter("money_input", format_money_input)


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
