from django import template

from rent.read_model import (
    balance_html,
    format_day,
    format_day_time,
    kronor_html,
    plain_number,
    rounded_number,
)

register = template.Library()

# The rent pages' one `kronor` filter and plain numbers (rent/formatting.py), here too.
register.filter("kronor", kronor_html)
register.filter("day", format_day)
register.filter("day_time", format_day_time)  # "7 dec. 2026 14:05"
register.filter("plain_number", plain_number)
register.filter("balance", balance_html)
register.filter("rounded", rounded_number)  # `{{ weight|rounded:4 }}`


@register.filter
def absolute(value):
    return abs(value)
