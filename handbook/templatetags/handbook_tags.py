from django import template

from rent.formatting import format_balance, plain_number
from rent.templatetags.rent_admin import kronor

register = template.Library()

# The rent pages' one `kronor` filter and plain numbers (rent/formatting.py), here too.
register.filter("kronor", kronor)
register.filter("plain_number", plain_number)
register.filter("balance", format_balance)


@register.filter
def rounded(value, places=4) -> str:
    """A Decimal rounded for reading: 7044.7512 → "7044,7512"."""
    if value is None:
        return ""
    text = f"{value:.{int(places)}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


@register.filter
def absolute(value):
    return abs(value)
