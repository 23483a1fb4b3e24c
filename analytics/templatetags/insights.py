from decimal import Decimal

from django import template

from analytics.dashboards import RATIO_FIELDS

register = template.Library()


@register.filter
def missing(row: dict, field: str) -> bool:
    return row[field] is None


@register.filter
def cell(row: dict, field: str) -> str:
    """A table cell as a person reads it: shares as percentages, large numbers grouped."""
    value = row[field]
    if field in RATIO_FIELDS and isinstance(value, float):
        return f"{value * 100:.1f} %"
    if isinstance(value, Decimal):
        return f"{value:,.0f}" if value == value.to_integral() else f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2f}"
    return str(value)
