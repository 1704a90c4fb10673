"""``{{ amount|yuan }}``: 1234567.5 → 1,234,567.50, whatever the locale's grouping rules."""

from decimal import Decimal, InvalidOperation

from django import template

from ..money import yuan as format_yuan

register = template.Library()


@register.filter
def yuan(value) -> str:
    if value in (None, ""):
        return ""
    try:
        return format_yuan(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return ""
