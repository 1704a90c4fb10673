"""``{{ amount|yuan }}``: 12,345.60 whatever the locale's grouping settings."""

from django import template

from gonghui.funds.money import yuan as format_yuan

register = template.Library()


@register.filter
def yuan(value):
    return format_yuan(value) if value not in (None, "") else "—"
