"""Template filters of the rent pages."""

from django import template

from rent.formatting import format_kronor
from rent.models import RentKey

register = template.Library()


@register.filter
def kronor(amount):
    """`{{ 7045|kronor }}` → "7 045 kr"."""
    return format_kronor(amount)


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
