from django import template

from rent.formatting import format_day, format_day_time, plain_number, rounded_number
from rent.templatetags.rent_admin import balance, kronor

register = template.Library()

# The rent pages' one `kronor` filter and plain numbers (rent/formatting.py), here too.
register.filter("kronor", kronor)
register.filter("day", format_day)
register.filter("day_time", format_day_time)  # "7 dec. 2026 14:05"
register.filter("plain_number", plain_number)
register.filter("balance", balance)
register.filter("rounded", rounded_number)  # `{{ weight|rounded:4 }}`


@register.filter
def absolute(value):
    return abs(value)
