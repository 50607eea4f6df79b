from django import template

from rent.formatting import format_kronor

register = template.Library()


@register.filter
def kronor(amount) -> str:
    """7045 → "7 045 kr"."""
    return format_kronor(amount)


@register.filter
def plain_number(value) -> str:
    """A Decimal without trailing zeros and with a Swedish decimal comma: 0.9677 → "0,9677"."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text.replace(".", ",")


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
