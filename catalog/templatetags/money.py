from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def cny(value) -> str:
    """¥12,345.00 for an amount in CNY; None shows as an empty string."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    sign = "−" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


@register.filter
def grouped(value) -> str:
    """12,345,678 for a whole number of any size."""
    return f"{int(value):,}"


@register.filter
def cny_delta(value) -> str:
    """+¥1,200.00 / −¥500.00 / included, for an option's price difference."""
    amount = Decimal(value or 0)
    if amount == 0:
        return _("included")
    return ("+" if amount > 0 else "") + cny(amount)
